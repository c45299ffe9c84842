"""The files of an import job (``models.EstablishmentImport``), in ``settings.IMPORT_DIR``.

``<key>.csv`` is the uploaded file, written by the page that starts the job and
deleted by the task once it has run. ``<key>.progress`` holds "rows done, rows in
the file", rewritten by the task when it starts and after each chunk: the import
is one transaction, so the job's row in the database cannot show progress before
the end, and the page reads this file instead (its age tells a task that stopped
moving). Both live in the one directory that the web server
and the task worker share; neither is ever served.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

from himaya.core.errors import NotFound
from himaya.core.files import private_directory

_KEY = re.compile(r"[0-9a-f]{32}")


def import_root() -> Path:
    """``settings.IMPORT_DIR`` (created if need be), refused if the web server could serve it."""
    root = private_directory("IMPORT_DIR")
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return root


def upload_path(key: str) -> Path:
    if not _KEY.fullmatch(key):  # keys are made by the service; never a path from elsewhere
        raise NotFound()
    return import_root() / f"{key}.csv"


def progress_path(key: str) -> Path:
    return upload_path(key).with_suffix(".progress")


def write_progress(key: str, done: int, total: int) -> None:
    """Replace the progress file at once (readers never see half of it)."""
    final = progress_path(key)
    descriptor, temporary = tempfile.mkstemp(dir=final.parent, prefix=".progress-")
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as out:
            out.write(f"{done} {total}\n")
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_progress(key: str) -> int | None:
    """Rows done according to the progress file; None when there is none (yet)."""
    try:
        text = progress_path(key).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError, NotFound):
        return None
    done, _space, _total = text.partition(" ")
    return int(done) if done.isdigit() else None


def progress_age(key: str) -> float | None:
    """Seconds since the progress file was last written; None when there is none."""
    try:
        return time.time() - progress_path(key).stat().st_mtime
    except (OSError, NotFound):
        return None


def remove(key: str) -> None:
    """Delete the job's files, if still there."""
    upload_path(key).unlink(missing_ok=True)
    progress_path(key).unlink(missing_ok=True)
