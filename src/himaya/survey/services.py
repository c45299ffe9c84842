"""Every change of survey runs: an analyst sends a file, the worker estimates it.

``survey_run_start`` (the page, in the request) checks the file's header, its
mapping and its design at once, so that a file refused as a whole is said at once
and nothing is kept; a good file is kept in its run's folder and the run queued.
``survey_run_execute`` (the task) reads, classifies and estimates it
(``pipeline.run``), writes every output beside it (``outputs.write_all``) and
stores the estimates with the run, in one transaction; a run that fails ends
"failed" with the reason, nothing stored. Both are audited.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import User
from himaya.audit.events import AuditEvent
from himaya.audit.services import audit_record
from himaya.cases.services import ruleset_version
from himaya.core.errors import ApplicationError, InvalidInput, NotFound
from himaya.core.files import private_directory
from himaya.survey import messages, outputs, reader, tasks
from himaya.survey.classify import RULESETS
from himaya.survey.errors import SurveyRefused
from himaya.survey.estimate import DEFAULT_SINGLETON, SINGLETON_RULES
from himaya.survey.models import SurveyEstimate, SurveyRun, SurveyStatus
from himaya.survey.pipeline import Request, prepare, run
from himaya.survey.selectors import is_analyst, survey_get_for_user

logger = logging.getLogger(__name__)

NOT_AN_ANALYST = _("Only an analyst estimates survey files.")
TOO_LARGE = _("The file is larger than %(size)s MB.")
RUN_CRASHED = _(
    "The estimation stopped on an unexpected error and nothing was stored. "
    "Try again; if it fails again, tell your administrator."
)
#: How many rejected rows a run keeps to show (all are in the command's report).
PROBLEMS_KEPT = 200
_KEY = re.compile(r"[0-9a-f]{32}")
_CHUNK_BYTES = 64 * 1024

#: Which form field a refusal of the pipeline is about.
FIELD_OF_REFUSAL = {
    "unknown_mapping": "mapping",
    "mapping_invalid": "mapping",
    "mapping_unknown_field": "mapping",
    "unknown_by": "by",
}


def _require_analyst(actor: User) -> int:
    if not is_analyst(actor):
        raise ApplicationError(NOT_AN_ANALYST, code="forbidden", status=403)
    return int(actor.organisation_id or 0)


def survey_root() -> Path:
    root = private_directory("SURVEY_DIR")
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return root


def run_folder(key: str) -> Path:
    if not _KEY.fullmatch(key):  # keys are made here; never a path from elsewhere
        raise NotFound()
    return survey_root() / key


def input_path(survey: SurveyRun) -> Path:
    return run_folder(survey.key) / f"input{Path(survey.file_name).suffix.lower()}"


def output_path(survey: SurveyRun, name: str) -> Path:
    """One of the run's outputs, by the name it was written under; anything else: 404."""
    if name not in survey.outputs:
        raise NotFound()
    return run_folder(survey.key) / "outputs" / name


def survey_view(*, user: User, survey_id: int) -> SurveyRun:
    """A run of the user's organisation, read for its page: audited."""
    survey = survey_get_for_user(user=user, survey_id=survey_id)
    audit_record(event=AuditEvent.SURVEY_VIEWED, actor=user, obj=survey)
    return survey


def survey_output_open(*, user: User, survey_id: int, name: str) -> Path:
    """The path of one output of a run of the user's organisation, to be sent to the
    user: audited. A name the run did not write, or a file gone: not found."""
    survey = survey_get_for_user(user=user, survey_id=survey_id)
    path = output_path(survey, name)
    if not path.is_file():
        raise NotFound()
    audit_record(event=AuditEvent.SURVEY_DOWNLOADED, actor=user, obj=survey, detail={"file": name})
    return path


@dataclass
class SurveyIn:
    title: str
    mapping: str = ""
    stratum: str = ""
    psu: str = ""
    weight: str = ""
    by: list[str] = field(default_factory=list)
    ruleset: str = RULESETS[0]
    singleton: str = DEFAULT_SINGLETON


def _request(data: SurveyIn, path: Path) -> Request:
    return Request(
        input=path,
        mapping=data.mapping or None,
        stratum=data.stratum or None,
        psu=data.psu or None,
        weight=data.weight or None,
        by=data.by,
        ruleset=data.ruleset,
        singleton=data.singleton,
    )


def refusal_errors(error: SurveyRefused) -> dict[str, list[str]]:
    """A refusal of the pipeline on the form field it is about."""
    name = FIELD_OF_REFUSAL.get(error.code) or error.params.get("role") or "file"
    return {name: [messages.refusal(error)]}


def _keep(source: IO[bytes], path: Path) -> str:
    """Copy the upload to ``path``, whole or not at all; its SHA-256."""
    digest = hashlib.sha256()
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    size = 0
    try:
        with os.fdopen(descriptor, "wb") as out:
            while chunk := source.read(_CHUNK_BYTES):
                size += len(chunk)
                if size > settings.HIMAYA_SURVEY_MAX_BYTES:
                    limit = settings.HIMAYA_SURVEY_MAX_BYTES // (1024 * 1024)
                    raise InvalidInput({"file": [TOO_LARGE % {"size": limit}]})
                digest.update(chunk)
                out.write(chunk)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return digest.hexdigest()


def survey_run_start(
    *, actor: User, source: IO[bytes], file_name: str, data: SurveyIn
) -> SurveyRun:
    """Check a survey file (format, header, mapping, design columns) and queue its
    estimation. ``InvalidInput`` names the field at fault; nothing is kept then."""
    organisation_id = _require_analyst(actor)
    errors: dict[str, list[str]] = {}
    if data.ruleset not in RULESETS:
        errors["ruleset"] = [str(_("Unknown definition."))]
    if data.singleton not in SINGLETON_RULES:
        errors["singleton"] = [str(_("Unknown rule."))]
    suffix = Path(file_name).suffix.lower()
    if suffix not in reader.FORMATS:
        errors["file"] = [messages.refusal(SurveyRefused("unknown_format", path=file_name))]
    if errors:
        raise InvalidInput(errors)
    key = secrets.token_hex(16)
    folder = run_folder(key)
    folder.mkdir(mode=0o700)
    try:
        path = folder / f"input{suffix}"
        checksum = _keep(source, path)
        try:
            prepare(_request(data, path))
        except SurveyRefused as refused:
            refused.params["path"] = file_name
            raise InvalidInput(refusal_errors(refused)) from refused
        with transaction.atomic():
            survey = SurveyRun.objects.create(
                organisation_id=organisation_id,
                created_by=actor,
                title=data.title.strip() or file_name,
                file_name=Path(file_name).name[:200],
                checksum=checksum,
                key=key,
                language=translation.get_language() or settings.LANGUAGE_CODE,
                mapping=data.mapping,
                stratum=data.stratum,
                psu=data.psu,
                weight=data.weight,
                by=data.by,
                ruleset=data.ruleset,
                ruleset_version=ruleset_version(),
                singleton=data.singleton,
            )
            audit_record(
                event=AuditEvent.SURVEY_SENT,
                actor=actor,
                obj=survey,
                detail={"checksum": checksum, "ruleset": data.ruleset},
            )
            result = tasks.survey_estimate_job.enqueue(survey.pk)
            SurveyRun.objects.filter(pk=survey.pk).update(task_id=str(result.id))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    survey.refresh_from_db()
    return survey


def _stage(survey_id: int, stage: str, progress: int) -> None:
    SurveyRun.objects.filter(pk=survey_id).update(stage=stage, progress=progress)


def _finish(survey_id: int, **fields: object) -> None:
    SurveyRun.objects.filter(pk=survey_id).update(finished_at=timezone.now(), **fields)


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _estimate(survey_id: int, row: dict[str, Any]) -> SurveyEstimate:
    return SurveyEstimate(
        run_id=survey_id,
        indicator=str(row["indicator"]),
        domain=str(row["domain"]),
        n_unweighted=int(row["n_unweighted"] or 0),
        **{name: _number(row[name]) for name in ("estimate", "se", "ci_low", "ci_high", "deff")},
    )


def survey_run_execute(*, survey_id: int) -> None:
    """Estimate a queued run (the task's body); a run not waiting any more is left alone."""
    claimed = SurveyRun.objects.filter(pk=survey_id, status=SurveyStatus.QUEUED).update(
        status=SurveyStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        logger.warning("Survey run %s is not waiting to start: not run.", survey_id)
        return
    survey = SurveyRun.objects.get(pk=survey_id)
    data = SurveyIn(
        title=survey.title,
        mapping=survey.mapping,
        stratum=survey.stratum,
        psu=survey.psu,
        weight=survey.weight,
        by=list(survey.by),
        ruleset=survey.ruleset,
        singleton=survey.singleton,
    )
    with translation.override(survey.language):
        try:
            _stage(survey_id, "estimating", 10)
            request = _request(data, input_path(survey))
            result = run(request)
            _stage(survey_id, "writing", 80)
            folder = run_folder(survey.key) / "outputs"
            written = outputs.write_all(result, request, folder, labels=messages.output_labels())
            language = (survey.language or "fr")[:2]
            problems = [
                {"row": p.row, "column": p.column, "reason": p.text(language)}
                for p in result.problems[:PROBLEMS_KEPT]
            ]
            with transaction.atomic():
                SurveyEstimate.objects.bulk_create(
                    _estimate(survey_id, row) for row in result.estimates.iter_rows(named=True)
                )
                _finish(
                    survey_id,
                    status=SurveyStatus.DONE,
                    progress=100,
                    stage="",
                    rows=result.rows,
                    analysed=int(result.classified.in_scope.sum()),
                    rejected=len({p.row for p in result.problems}),
                    problems=problems,
                    outputs=[path.name for path in written],
                )
        except SurveyRefused as refused:
            _finish(survey_id, status=SurveyStatus.FAILED, error=messages.refusal(refused))
        except BaseException as error:
            logger.error("Survey run %s failed: %s.", survey_id, type(error).__name__)
            _finish(survey_id, status=SurveyStatus.FAILED, error=str(RUN_CRASHED))
            raise
