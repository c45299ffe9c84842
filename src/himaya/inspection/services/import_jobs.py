"""Import jobs: a CSV file of establishments imported in the background.

``establishment_import_start`` (the page, in the request) refuses a bad file at
once, as ``imports.establishments_import`` would, keeps the file in
``settings.IMPORT_DIR`` and saves the job and its task in one transaction (the
database task backend stores the task as a row: both are saved, or neither).
``establishment_import_run`` (the task, in the worker) runs the import, which is
one transaction as before: the register gets every good row and the job its
report and "done" status together or, after a crash, neither; progress goes to
the job's progress file after each chunk. A job that fails ends "failed" with
the reason; the file is deleted either way. The audit entry is the import's own
(``ESTABLISHMENTS_IMPORTED``, naming the job).
"""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import User
from himaya.core.errors import ApplicationError, InvalidInput
from himaya.inspection import import_files, tasks
from himaya.inspection.imports import establishments_check, establishments_import
from himaya.inspection.models import EstablishmentImport, ImportStatus
from himaya.inspection.services.establishments import require_inspection_staff
from himaya.inspection.services.evidence import clean_name

logger = logging.getLogger(__name__)

IMPORT_CRASHED = _(
    "The import stopped on an unexpected error and nothing was saved. "
    "Try again; if it fails again, tell your administrator."
)
#: Rows saved between two updates of the progress bar.
CHUNK_ROWS = 1000
#: Size of the pieces copied from an upload.
_CHUNK_BYTES = 64 * 1024


def _keep(source: IO[bytes], key: str) -> None:
    """Copy the file under its key, whole or not at all."""
    final = import_files.upload_path(key)
    descriptor, temporary = tempfile.mkstemp(dir=final.parent, prefix=".upload-")
    try:
        with os.fdopen(descriptor, "wb") as out:
            while chunk := source.read(_CHUNK_BYTES):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def establishment_import_start(
    *, actor: User, source: IO[bytes], file_name: str = ""
) -> EstablishmentImport:
    """Check a CSV file of establishments and queue its import into the actor's
    register. ``source`` must be seekable (an upload is).

    Raises ``ApplicationError`` (403) for a user who is not inspection staff and
    ``InvalidInput`` on ``file`` for a file refused as a whole; nothing is kept
    then."""
    office_id = require_inspection_staff(actor)
    rows = establishments_check(source)
    key = secrets.token_hex(16)
    _keep(source, key)
    try:
        with transaction.atomic():
            job = EstablishmentImport.objects.create(
                office_id=office_id,
                created_by=actor,
                file_name=clean_name(file_name or getattr(source, "name", "") or ""),
                key=key,
                language=translation.get_language() or settings.LANGUAGE_CODE,
                rows_total=rows,
            )
            # Saved with the job by the database backend; run at once (here) by
            # the immediate backend of the tests.
            result = tasks.establishments_import_job.enqueue(job.pk)
            EstablishmentImport.objects.filter(pk=job.pk).update(task_id=str(result.id))
    except BaseException:
        import_files.remove(key)
        raise
    job.refresh_from_db()
    return job


def _finish(job_id: int, **fields: Any) -> None:
    EstablishmentImport.objects.filter(pk=job_id).update(finished_at=timezone.now(), **fields)


def establishment_import_run(*, job_id: int) -> None:
    """Run a queued import job (the task's body). A job that is not queued any
    more (already run, or run by another worker) is left alone.

    A file or a user refused now (the user may have lost their role since) ends
    the job "failed" with the reason. Any other error ends it "failed" too, then
    goes on up, for the task backend to record it."""
    claimed = EstablishmentImport.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        logger.warning("Import job %s is not waiting to start: not run.", job_id)
        return
    job = EstablishmentImport.objects.select_related("created_by__organisation").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        import_files.write_progress(job.key, done, total)

    try:
        progress(0, job.rows_total)
        with translation.override(job.language):
            try:
                # The job is "done" in the import's transaction: with every row, or none.
                with transaction.atomic(), import_files.upload_path(job.key).open("rb") as source:
                    report = establishments_import(
                        actor=job.created_by,
                        source=source,
                        progress=progress,
                        chunk_size=CHUNK_ROWS,
                        job=job,
                    )
                    _finish(
                        job_id,
                        status=ImportStatus.DONE,
                        rows_processed=report.rows,
                        report=report.as_dict(),
                    )
            except InvalidInput as refused:
                reasons = [str(m) for messages in refused.errors.values() for m in messages]
                _finish(job_id, status=ImportStatus.FAILED, error=" ".join(reasons))
            except ApplicationError as refused:
                _finish(job_id, status=ImportStatus.FAILED, error=str(refused.message))
            except BaseException as error:
                # The exception's text may quote the file: the log names its type only.
                logger.error("Import job %s failed: %s.", job_id, type(error).__name__)
                _finish(job_id, status=ImportStatus.FAILED, error=str(IMPORT_CRASHED))
                raise
    finally:
        import_files.remove(job.key)
