"""Evidence: photos and documents attached to a visit.

A file is accepted only when its content is a photo (JPEG, PNG, WebP,
HEIC/HEIF) or a PDF document: the first bytes decide, never the file's name nor
the content type the browser declares. An executable renamed ``.jpg`` is
refused, and so are HTML and SVG files (SVG can carry scripts).

The file is kept outside the web root, in ``settings.EVIDENCE_DIR``, under a
random key (``<key[:2]>/<key>``): it is written to a temporary file in that
directory and renamed once complete, so that no half-written file ever bears a
key. The name the user gave is kept for display only, cleaned. If the database
refuses the record, the file is removed.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import re
import secrets
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import User
from himaya.audit.events import AuditEvent
from himaya.audit.services import audit_record
from himaya.core.errors import ApplicationError, InvalidInput, NotFound
from himaya.core.files import private_directory
from himaya.inspection.models import Evidence, Visit, VisitStatus
from himaya.inspection.selectors import evidence_visible_to, visit_visible_to
from himaya.inspection.services.establishments import (
    NUL_CHARACTER,
    TOO_LONG,
    require_inspection_staff,
)
from himaya.inspection.services.visits import VISIT_CANCELLED

logger = logging.getLogger(__name__)

EVIDENCE_EMPTY = _("The file is empty.")
EVIDENCE_TOO_LARGE = _("The file is too large: at most %(size)s.")
EVIDENCE_TYPE = _("Only photos (JPEG, PNG, WebP, HEIC) and PDF documents are accepted.")
EVIDENCE_DISGUISED = _(
    "This file is named like a photo or a PDF document, but its content is not one. "
    "Only photos (JPEG, PNG, WebP, HEIC) and PDF documents are accepted."
)

#: Longest original name kept, and longest description.
NAME_MAX = 200
DESCRIPTION_MAX = 300
#: Bytes enough to recognise every accepted type.
HEAD_BYTES = 32
#: Size of the pieces read from an upload.
CHUNK_BYTES = 64 * 1024

#: The accepted types, and the names they go by (the first one is the usual one).
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "image/jpeg": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "image/png": (".png",),
    "image/webp": (".webp",),
    "image/heic": (".heic",),
    "image/heif": (".heif", ".heic", ".hif"),
    "application/pdf": (".pdf",),
}
#: What the upload form asks the browser to offer (it checks nothing: the content does).
ACCEPT = ",".join(
    [*EXTENSIONS, *sorted({extension for names in EXTENSIONS.values() for extension in names})]
)
_CLAIMED = frozenset(extension for names in EXTENSIONS.values() for extension in names)

#: HEIF brands (ISO/IEC 23008-12): photos of phones are "heic" (iPhone) or "mif1".
_HEIC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis"})
_HEIF_BRANDS = frozenset({b"mif1", b"msf1", b"hevc", b"hevx", b"hevm", b"hevs"})

_KEY = re.compile(r"[0-9a-f]{32}")
#: Characters that reorder the text around them: they can disguise a name
#: ("photo<RLO>gpj.exe" shows as "photoexe.jpg").
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def sniff(head: bytes) -> str | None:
    """The content type of a file from its first bytes, if it is an accepted one."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIC_BRANDS:
            return "image/heic"
        if brand in _HEIF_BRANDS:
            return "image/heif"
        return None
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def clean_name(name: str) -> str:
    """The name a user gave a file, fit for display: its last part only (no
    folders), without control characters, at most ``NAME_MAX`` characters."""
    name = name.replace("\\", "/")
    name = "".join(
        " " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c
        for c in name
        if c not in _BIDI_CONTROLS and unicodedata.category(c) != "Cs"
    )
    name = PurePosixPath(name.strip()).name.strip()
    name = " ".join(name.split())
    if name.strip(".") == "":
        name = "file"
    if len(name) > NAME_MAX:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and 0 < len(extension) <= 10:
            name = stem[: NAME_MAX - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:NAME_MAX].rstrip()
    return name


def download_name(evidence: Evidence) -> str:
    """The evidence's name with an extension of its real type: a PDF named
    ``page.html`` downloads as ``page.html.pdf``."""
    names = EXTENSIONS.get(evidence.content_type, ())
    name = evidence.original_name or "file"
    if names and not name.lower().endswith(names):
        name += names[0]
    return name


def evidence_root() -> Path:
    """``settings.EVIDENCE_DIR``, refused if the web server could serve it."""
    return private_directory("EVIDENCE_DIR")


def evidence_path(key: str) -> Path:
    if not _KEY.fullmatch(key):  # keys are made here; never a path from elsewhere
        raise NotFound()
    return evidence_root() / key[:2] / key


def _require_visit(actor: User, visit: Visit) -> None:
    """Callers fetch visits through the scoped selectors; refuse a visit out of
    the actor's scope all the same (defence in depth)."""
    office_id = require_inspection_staff(actor)
    if visit.office_id != office_id or not visit_visible_to(actor).filter(pk=visit.pk).exists():
        raise NotFound()


def _chunks(upload: File[Any] | IO[bytes]) -> Iterator[bytes]:
    if isinstance(upload, File):
        yield from upload.chunks(CHUNK_BYTES)
        return
    while chunk := upload.read(CHUNK_BYTES):
        yield chunk


def _clean_description(value: str, errors: dict[str, list[Any]]) -> str:
    value = " ".join(value.split())
    if "\x00" in value:
        errors.setdefault("description", []).append(NUL_CHARACTER)
    if len(value) > DESCRIPTION_MAX:
        errors.setdefault("description", []).append(TOO_LONG % {"max": DESCRIPTION_MAX})
    return value


@dataclass(frozen=True)
class _Stored:
    """A file written under its key: its path, size, digest and type."""

    key: str
    path: Path
    size: int
    sha256: str
    content_type: str


def _store(upload: File[Any] | IO[bytes], claimed_name: str) -> _Stored:
    """Read the upload in pieces, check its type and size, and write it under a
    new key. Anything refused leaves no file."""
    limit = int(settings.HIMAYA_EVIDENCE_MAX_BYTES)
    pieces = _chunks(upload)
    head = b""
    first: list[bytes] = []
    for chunk in pieces:  # enough bytes to know the type, before anything is written
        first.append(chunk)
        head += chunk[: HEAD_BYTES - len(head)]
        if len(head) >= HEAD_BYTES:
            break
    if not head:
        raise InvalidInput({"file": [EVIDENCE_EMPTY]})
    content_type = sniff(head)
    if content_type is None:
        disguised = PurePosixPath(claimed_name.lower()).suffix in _CLAIMED
        raise InvalidInput({"file": [EVIDENCE_DISGUISED if disguised else EVIDENCE_TYPE]})
    if sum(len(chunk) for chunk in first) > limit:
        raise _too_large(limit)

    key = secrets.token_hex(16)
    final = evidence_path(key)
    final.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=final.parent, prefix=".upload-")
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(descriptor, "wb") as out:
            for chunk in itertools.chain(first, pieces):
                size += len(chunk)
                if size > limit:
                    raise _too_large(limit)
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return _Stored(key, final, size, digest.hexdigest(), content_type)


def _too_large(limit: int) -> InvalidInput:
    return InvalidInput({"file": [EVIDENCE_TOO_LARGE % {"size": filesizeformat(limit)}]})


def evidence_add(
    *, actor: User, visit: Visit, upload: File[Any] | IO[bytes], description: str = ""
) -> Evidence:
    """Attach a photo or a PDF document to a visit of the actor's office.

    The file is written first, outside any transaction; the record and its
    audit entry are then saved in one transaction, and if that fails the file
    is removed. (Called inside a larger transaction that is rolled back later,
    the file would stay without a record: it is never reachable, having no key
    in the database.)"""
    _require_visit(actor, visit)
    if visit.status == VisitStatus.CANCELLED:
        raise ApplicationError(VISIT_CANCELLED, code="visit_cancelled")
    errors: dict[str, list[Any]] = {}
    description = _clean_description(description or "", errors)
    if errors:
        raise InvalidInput(errors)
    claimed_name = str(getattr(upload, "name", "") or "")
    original_name = clean_name(claimed_name)
    stored = _store(upload, claimed_name)
    try:
        with transaction.atomic():
            evidence = Evidence(
                visit=visit,
                key=stored.key,
                original_name=original_name,
                content_type=stored.content_type,
                size=stored.size,
                sha256=stored.sha256,
                description=description,
                uploaded_by=actor,
            )
            evidence.save()
            audit_record(
                event=AuditEvent.EVIDENCE_ADDED,
                actor=actor,
                obj=evidence,
                detail={
                    "visit": visit.pk,
                    "content_type": stored.content_type,
                    "size": stored.size,
                    "sha256": stored.sha256,
                },
            )
    except BaseException:
        stored.path.unlink(missing_ok=True)
        raise
    return evidence


@transaction.atomic
def evidence_open(*, actor: User, evidence: Evidence) -> tuple[IO[bytes], str, str]:
    """The evidence's file, opened for reading, its content type and the name to
    download it under. The caller closes the file (a ``FileResponse`` does)."""
    require_inspection_staff(actor)
    if not evidence_visible_to(actor).filter(pk=evidence.pk).exists():
        raise NotFound()
    try:
        handle = evidence_path(evidence.key).open("rb")
    except FileNotFoundError:
        logger.error("Evidence %s: its file is missing.", evidence.pk)
        raise NotFound() from None
    try:
        audit_record(
            event=AuditEvent.EVIDENCE_DOWNLOADED,
            actor=actor,
            obj=evidence,
            detail={"visit": evidence.visit_id},
        )
    except BaseException:
        handle.close()
        raise
    return handle, evidence.content_type, download_name(evidence)
