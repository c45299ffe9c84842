"""Import establishments into the inspectorate's register from a CSV file.

The file is UTF-8 text (with or without a byte order mark), its columns separated
by commas or semicolons (guessed from the header line), with a header naming the
columns of ``COLUMNS`` in any order; other columns are ignored. ``name``,
``sector`` and ``commune_code`` are required.

The file is read twice: once to refuse it as a whole before anything is saved
(not UTF-8, no header, a required column missing, no data row, too many rows),
then in chunks, each row cleaned as ``services.establishment_create`` does. A bad
row is skipped and every one of its errors reported with its line number (the
header is line 1); the other rows are imported. Everything is saved in one
transaction: a crash part-way leaves the register as it was.

The import page does not run it in the request: ``establishments_check`` refuses
a bad file at once, then ``services.import_jobs`` keeps the file and queues a
background task (``inspection.tasks``) that runs ``establishments_import``.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import shutil
import tempfile
from collections.abc import Callable, Generator, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import User
from himaya.audit.events import AuditEvent
from himaya.audit.services import audit_record
from himaya.core.errors import InvalidInput
from himaya.geography.models import Commune
from himaya.inspection.models import Establishment
from himaya.inspection.services.establishments import (
    ICE_TAKEN,
    EstablishmentIn,
    establishment_build,
    establishment_clean,
    require_inspection_staff,
)

FILE_EMPTY = _("The file is empty.")
FILE_NOT_UTF8 = _("The file is not UTF-8 text: save it as “CSV UTF-8” and try again.")
FILE_NOT_CSV = _(
    "Line %(line)s of the file cannot be read as CSV: look for a quote left open "
    "or a line break inside a value."
)
FILE_MISSING_COLUMNS = _(
    "The file's header lacks the required columns: %(columns)s "
    "(columns are separated by commas or semicolons)."
)
FILE_REPEATED_COLUMN = _("The column %(column)s appears more than once in the file's header.")
FILE_NO_ROWS = _("The file has no data row under its header.")
FILE_TOO_MANY_ROWS = _("The file has more than %(max)s data rows: split it into smaller files.")
ROW_VALUE_COUNT = _(
    "This line has %(found)s values but the header has %(expected)s: "
    "check the separators and the quotes."
)
WORKERS_NOT_WHOLE = _("The number of workers must be a whole number.")
ICE_REPEATED = _("This ICE number is already on line %(line)s of the file.")

#: The columns read from the file; the others are ignored.
COLUMNS = (
    "name",
    "ice",
    "sector",
    "commune_code",
    "address",
    "workers",
    "contact_name",
    "contact_phone",
)
REQUIRED_COLUMNS = ("name", "sector", "commune_code")
#: Files with more data rows are refused: they would hold one transaction too long.
MAX_ROWS = 200_000
#: The largest value of a PositiveIntegerField on every supported database.
#: Non-seekable sources are copied to a temporary file, kept in memory up to this size.
_SPOOL_MEMORY = 8 * 1024 * 1024

#: ``establishment_clean`` error keys that differ from the file's column names.
_COLUMN_OF_FIELD = {"commune": "commune_code"}
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
_NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f]")


@dataclass(frozen=True)
class RejectedRow:
    row: int  # the line number in the file, header = line 1
    field: str  # the column name as in the file ("" for the whole row)
    message: str  # translated, in the active language


@dataclass
class ImportReport:
    rows: int  # data rows read
    created: int
    rejected: list[RejectedRow] = field(default_factory=list)

    @property
    def rejected_rows(self) -> int:
        """How many distinct rows were rejected."""
        return len({rejected.row for rejected in self.rejected})

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON data (kept by an import job, read by its page)."""
        return {
            "rows": self.rows,
            "created": self.created,
            "rejected_rows": self.rejected_rows,
            "rejected": [
                {"row": item.row, "field": item.field, "message": item.message}
                for item in self.rejected
            ],
        }


@dataclass
class _Layout:
    """What the first pass learnt about the file."""

    delimiter: str
    width: int  # how many columns the header has
    index: dict[str, int]  # column name → position, for the known columns present
    rows: int


def _refuse(message: Any) -> InvalidInput:
    return InvalidInput({"file": [message]})


@contextmanager
def _text(source: IO[bytes]) -> Iterator[io.TextIOWrapper]:
    """The file as text (the BOM, if any, dropped; any line ending), leaving the
    source open."""
    text = io.TextIOWrapper(source, encoding="utf-8-sig", newline="")
    try:
        yield text
    finally:
        text.detach()


def _header(source: IO[bytes]) -> tuple[str, list[str]]:
    """The separator and the lower-cased column names of the header line."""
    with _text(source) as text:
        first = text.readline()
    delimiter = ";" if first.count(";") > first.count(",") else ","
    header = next(csv.reader([first], delimiter=delimiter), [])
    return delimiter, [name.strip().lower() for name in header]


def _records(source: IO[bytes], delimiter: str) -> Generator[tuple[int, list[str]]]:
    """(line where the record starts, values) for each record under the header,
    leaving out blank records (no values, or separators only)."""
    with _text(source) as text:
        reader = csv.reader(text, delimiter=delimiter)
        line = 0
        try:
            next(reader, None)  # the header
            line = reader.line_num
            for values in reader:
                start, line = line + 1, reader.line_num
                if any(value.strip() for value in values):
                    yield start, values
        except csv.Error:
            raise _refuse(FILE_NOT_CSV % {"line": line + 1}) from None


def _scan(source: IO[bytes], start: int) -> _Layout:
    """Read the whole file once, refusing it as a whole if need be; nothing is saved."""
    try:
        delimiter, names = _header(source)
        if not any(names):
            raise _refuse(FILE_EMPTY)
        index: dict[str, int] = {}
        for position, name in enumerate(names):
            if name in COLUMNS:
                if name in index:
                    raise _refuse(FILE_REPEATED_COLUMN % {"column": name})
                index[name] = position
        missing = [name for name in REQUIRED_COLUMNS if name not in index]
        if missing:
            raise _refuse(FILE_MISSING_COLUMNS % {"columns": ", ".join(missing)})
        source.seek(start)
        rows = 0
        with closing(_records(source, delimiter)) as records:
            for _line, values in records:
                if any("\x00" in value for value in values):
                    raise _refuse(FILE_NOT_UTF8)
                rows += 1
                if rows > MAX_ROWS:
                    raise _refuse(FILE_TOO_MANY_ROWS % {"max": MAX_ROWS})
    except UnicodeDecodeError:
        raise _refuse(FILE_NOT_UTF8) from None
    if not rows:
        raise _refuse(FILE_NO_ROWS)
    return _Layout(delimiter=delimiter, width=len(names), index=index, rows=rows)


def _workers(text: str) -> tuple[int | None, Any]:
    """The number of workers (None if blank), and the message saying why it is
    refused, if it is."""
    text = _NUMBER_SPACES.sub("", text)
    if not text:
        return None, None
    if not _WHOLE_NUMBER.fullmatch(text):
        return None, WORKERS_NOT_WHOLE
    return int(text), None  # the upper bound is checked by establishment_clean


@dataclass
class _Row:
    line: int
    data: EstablishmentIn
    commune: Commune | None
    errors: dict[str, list[Any]]  # by column of the file


class _Importer:
    def __init__(self, actor: User, office_id: int, layout: _Layout) -> None:
        self.actor = actor
        self.office_id = office_id
        self.layout = layout
        self.report = ImportReport(rows=0, created=0)
        #: ICE number → the line where it first appeared in the file.
        self.first_line_of_ice: dict[str, int] = {}

    def value(self, values: list[str], column: str) -> str:
        position = self.layout.index.get(column)
        return values[position].strip() if position is not None else ""

    def clean(self, line: int, values: list[str], communes: dict[str, Commune]) -> _Row:
        workers, workers_error = _workers(self.value(values, "workers"))
        data, commune, found = establishment_clean(
            actor=self.actor,
            data=EstablishmentIn(
                name=self.value(values, "name"),
                sector=self.value(values, "sector").lower(),
                commune=self.value(values, "commune_code"),
                ice=self.value(values, "ice"),
                address=self.value(values, "address"),
                workers=workers,
                contact_name=self.value(values, "contact_name"),
                contact_phone=self.value(values, "contact_phone"),
            ),
            communes=communes,
        )
        errors = {_COLUMN_OF_FIELD.get(name, name): messages for name, messages in found.items()}
        if workers_error is not None:
            errors.setdefault("workers", []).append(workers_error)
        return _Row(line, data, commune, errors)

    def reject(self, line: int, errors: dict[str, list[Any]]) -> None:
        def order(column: str) -> int:
            return COLUMNS.index(column) if column in COLUMNS else -1

        self.report.rejected.extend(
            RejectedRow(row=line, field=column, message=str(message))
            for column in sorted(errors, key=order)
            for message in errors[column]
        )

    def chunk(self, records: list[tuple[int, list[str]]]) -> None:
        """Clean one chunk of records and save its good rows."""
        self.report.rows += len(records)
        rejected_before = len(self.report.rejected)
        width = self.layout.width
        for line, values in records:
            if len(values) != width:
                found = {"found": len(values), "expected": width}
                self.reject(line, {"": [ROW_VALUE_COUNT % found]})
        records = [(line, values) for line, values in records if len(values) == width]
        codes = {self.value(values, "commune_code") for _line, values in records}
        communes = Commune.objects.in_bulk(codes - {""})
        rows = [self.clean(line, values, communes) for line, values in records]
        ices = {row.data.ice for row in rows if row.data.ice and "ice" not in row.errors}
        registered = set(
            Establishment.objects.filter(office_id=self.office_id, ice__in=ices).values_list(
                "ice", flat=True
            )
        )
        establishments = []
        for row in rows:
            ice = row.data.ice
            if ice in ices:
                # Earlier rows first: those of earlier chunks are in the register now.
                if ice in self.first_line_of_ice:
                    row.errors["ice"] = [ICE_REPEATED % {"line": self.first_line_of_ice[ice]}]
                elif ice in registered:
                    row.errors["ice"] = [ICE_TAKEN]
                else:
                    self.first_line_of_ice[ice] = row.line
            if row.errors or row.commune is None:
                self.reject(row.line, row.errors)
            else:
                establishments.append(
                    establishment_build(self.actor, self.office_id, row.data, row.commune)
                )
        Establishment.objects.bulk_create(establishments)
        self.report.created += len(establishments)
        # In line order (a stable sort keeps a row's errors in column order).
        rejected = self.report.rejected
        rejected[rejected_before:] = sorted(rejected[rejected_before:], key=lambda r: r.row)


def establishments_check(source: IO[bytes]) -> int:
    """Refuse the file as a whole, as ``establishments_import`` would (``InvalidInput``
    on ``file``), or return how many data rows it has; nothing is saved. The source
    must be seekable; it is left where it was."""
    start = source.tell()
    try:
        return _scan(source, start).rows
    finally:
        source.seek(start)


def establishments_import(
    *,
    actor: User,
    source: IO[bytes],
    progress: Callable[[int, int], None] | None = None,
    chunk_size: int = 1000,
    job: models.Model | None = None,
) -> ImportReport:
    """Import a CSV file of establishments into the actor's register.

    Raises ``ApplicationError`` (403) for a user who is not inspection staff and
    ``InvalidInput`` on ``file`` for a file refused as a whole; bad rows are in the
    report. ``progress(done_rows, total_rows)`` is called after each chunk. The
    import ``job`` running it, if any, is named in the audit entry."""
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    office_id = require_inspection_staff(actor)
    if source.seekable():
        return _import(actor, office_id, source, progress, chunk_size, job)
    # Read twice: a pipe is copied first.
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_MEMORY) as copy:
        shutil.copyfileobj(source, copy)
        copy.seek(0)
        return _import(actor, office_id, copy, progress, chunk_size, job)


def _import(
    actor: User,
    office_id: int,
    source: IO[bytes],
    progress: Callable[[int, int], None] | None,
    chunk_size: int,
    job: models.Model | None,
) -> ImportReport:
    start = source.tell()
    layout = _scan(source, start)
    source.seek(start)
    importer = _Importer(actor, office_id, layout)
    with closing(_records(source, layout.delimiter)) as records, transaction.atomic():
        while chunk := list(itertools.islice(records, chunk_size)):
            importer.chunk(chunk)
            if progress is not None:
                progress(importer.report.rows, layout.rows)
        report = importer.report
        audit_record(
            event=AuditEvent.ESTABLISHMENTS_IMPORTED,
            actor=actor,
            obj=job,
            detail={
                "rows": report.rows,
                "created": report.created,
                "rejected_rows": report.rejected_rows,
            },
        )
    return report
