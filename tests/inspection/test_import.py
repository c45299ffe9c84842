"""establishments_import, ``himaya import-establishments`` and the import page: a CSV
file into the inspectorate's register, every rejected row reported with its line and
column; on the page, in a background job with a progress bar."""

from __future__ import annotations

import csv
import datetime
import io
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django.utils import timezone, translation

from himaya.accounts.models import Organisation, OrganisationKind, Role
from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases.services import COMMUNE_OUT_OF_TERRITORY, PHONE_FORMAT, REQUIRED, UNKNOWN_CODE
from himaya.core.errors import ApplicationError, InvalidInput
from himaya.inspection import forms, import_files, imports, selectors
from himaya.inspection.imports import ImportReport, RejectedRow, establishments_import
from himaya.inspection.models import Establishment, EstablishmentImport, ImportStatus
from himaya.inspection.services import establishments as services
from himaya.inspection.services import import_jobs

HEADER = "name,ice,sector,commune_code,address,workers,contact_name,contact_phone"
ICE_A = "001561191000066"
ICE_B = "002136093000040"
ICE_C = "001234567000062"


def csv_bytes(*lines: str, separator: str = ",", bom: bool = False) -> io.BytesIO:
    text = "\r\n".join(line.replace(",", separator) for line in lines) + "\r\n"
    return io.BytesIO((b"\xef\xbb\xbf" if bom else b"") + text.encode())


def run(world: Any, source: io.BytesIO, **options: Any) -> ImportReport:
    return establishments_import(actor=world.inspector, source=source, **options)


def refusal(world: Any, source: io.BytesIO) -> str:
    with pytest.raises(InvalidInput) as raised:
        run(world, source)
    assert list(raised.value.errors) == ["file"]
    assert Establishment.objects.count() == 0
    assert not AuditEntry.objects.filter(event=AuditEvent.ESTABLISHMENTS_IMPORTED).exists()
    return raised.value.errors["file"][0]


def names() -> list[str]:
    return sorted(Establishment.objects.values_list("name", flat=True))


# --- Good files ---------------------------------------------------------------------


def test_a_good_file_imports_every_row(world: Any) -> None:
    source = csv_bytes(
        HEADER,
        f"Briqueterie  Atlas,{ICE_A},manufacturing,{world.commune.code},"
        "12 rue   Ibn Batouta,35,Karim Alaoui,06 12 34 56 78",
        f"Ferme des Oliviers,,agriculture,{world.near_commune.code},,,,",
    )

    report = run(world, source)

    assert report == ImportReport(rows=2, created=2, rejected=[])
    assert report.rejected_rows == 0
    brick = Establishment.objects.get(ice=ICE_A)
    assert brick.name == "Briqueterie Atlas"
    assert brick.sector == "manufacturing"
    assert brick.address == "12 rue Ibn Batouta"
    assert brick.workers == 35
    assert brick.contact_name == "Karim Alaoui"
    assert brick.contact_phone == "0612345678"
    assert brick.office == world.inspectorate
    assert brick.created_by == world.inspector
    assert brick.commune == world.commune
    assert brick.province_id == world.commune.province_id
    assert brick.region_id == world.commune.region_id
    farm = Establishment.objects.get(name="Ferme des Oliviers")
    assert farm.informal
    assert farm.workers is None
    assert farm.address == farm.contact_name == farm.contact_phone == ""
    assert (farm.commune, farm.province_id, farm.region_id) == (
        world.near_commune,
        world.near_commune.province_id,
        world.near_commune.region_id,
    )


def test_semicolons_and_a_byte_order_mark(world: Any) -> None:
    source = csv_bytes(
        HEADER,
        f"Café Al Amal,{ICE_A},hospitality,{world.commune.code},Place du 9 avril,4,,",
        separator=";",
        bom=True,
    )

    report = run(world, source)

    assert (report.rows, report.created, report.rejected) == (1, 1, [])
    cafe = Establishment.objects.get()
    assert (cafe.name, cafe.address, cafe.workers) == ("Café Al Amal", "Place du 9 avril", 4)


def test_a_semicolon_file_may_have_commas_in_its_values(world: Any) -> None:
    lines = [
        "name;sector;commune_code;address",
        f"Garage Nour;other;{world.commune.code};Lot 5, quartier industriel",
    ]
    report = run(world, io.BytesIO("\n".join(lines).encode()))

    assert (report.created, report.rejected) == (1, [])
    assert Establishment.objects.get().address == "Lot 5, quartier industriel"


def test_columns_in_any_order_extra_columns_ignored_and_optional_ones_absent(
    world: Any,
) -> None:
    source = csv_bytes(
        " Commune_Code ,remarks,SECTOR,name",
        f"{world.commune.code},visited in 2023,construction,Chantier Sud",
        f'{world.commune.code},"a note, with a comma",trade,"Épicerie ""Le Coin"""',
    )

    report = run(world, source)

    assert (report.rows, report.created, report.rejected) == (2, 2, [])
    assert names() == ["Chantier Sud", 'Épicerie "Le Coin"']
    assert Establishment.objects.get(name="Chantier Sud").sector == "construction"


def test_blank_lines_are_neither_rows_nor_errors_and_keep_line_numbers(world: Any) -> None:
    source = csv_bytes(
        HEADER,
        "",
        f"Atelier A,,manufacturing,{world.commune.code},,,,",
        ",,,,,,,",
        f"Atelier B,,unknown,{world.commune.code},,,,",
        "",
    )

    report = run(world, source)

    assert (report.rows, report.created) == (2, 1)
    assert [(r.row, r.field) for r in report.rejected] == [(5, "sector")]


def test_a_seekless_source_is_read_too(world: Any) -> None:
    class Pipe(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            chunk = self.data.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    data = csv_bytes(HEADER, f"Atelier A,,manufacturing,{world.commune.code},,,,").getvalue()
    report = establishments_import(actor=world.inspector, source=io.BufferedReader(Pipe(data)))

    assert (report.rows, report.created) == (1, 1)


# --- Bad rows -----------------------------------------------------------------------


def bad_rows(commune: str, far_commune: str) -> list[tuple[str, str, Any]]:
    """(a row, the column reported, its message) for each kind of bad row."""
    good = {"name": "Atelier", "ice": "", "sector": "trade", "commune_code": commune}

    def row(**values: str) -> str:
        fields = {**good, "address": "", "workers": "", "contact_name": "", "contact_phone": ""}
        fields.update(values)
        return ",".join(fields[column] for column in HEADER.split(","))

    return [
        (row(name="  "), "name", REQUIRED),
        (row(name="x" * 201), "name", services.TOO_LONG % {"max": 200}),
        (row(ice="12345"), "ice", services.ICE_LENGTH),
        (row(ice="00156119100006A"), "ice", services.ICE_DIGITS),
        (row(ice="001561191000067"), "ice", services.ICE_CHECKSUM),
        (row(sector=""), "sector", REQUIRED),
        (row(sector="banking"), "sector", UNKNOWN_CODE % {"value": "banking"}),
        (row(commune_code=""), "commune_code", REQUIRED),
        (
            row(commune_code="99.999.99.99"),
            "commune_code",
            UNKNOWN_CODE % {"value": "99.999.99.99"},
        ),
        (row(commune_code=far_commune), "commune_code", COMMUNE_OUT_OF_TERRITORY),
        (row(workers="-3"), "workers", services.WORKERS_NEGATIVE),
        (row(workers="many"), "workers", imports.WORKERS_NOT_WHOLE),
        (row(workers="2.5"), "workers", imports.WORKERS_NOT_WHOLE),
        (row(workers="99999999999"), "workers", services.WORKERS_TOO_MANY),
        (row(contact_phone="06-12"), "contact_phone", PHONE_FORMAT),
        (row(contact_phone="call me"), "contact_phone", PHONE_FORMAT),
    ]


BAD_ROW_KINDS = [
    "blank name",
    "name too long",
    "ICE length",
    "ICE digits",
    "ICE checksum",
    "blank sector",
    "unknown sector",
    "blank commune",
    "unknown commune",
    "commune outside the territory",
    "negative workers",
    "non-numeric workers",
    "fractional workers",
    "too many workers",
    "bad phone",
    "phone in words",
]


@pytest.mark.parametrize("kind", range(len(BAD_ROW_KINDS)), ids=BAD_ROW_KINDS)
def test_a_bad_row_is_reported_and_skipped_and_the_others_imported(world: Any, kind: int) -> None:
    line, column, message = bad_rows(world.commune.code, world.far_commune.code)[kind]
    source = csv_bytes(
        HEADER,
        f"Premier,{ICE_A},trade,{world.commune.code},,,,",
        line,
        f"Troisième,{ICE_B},trade,{world.commune.code},,,,",
    )

    report = run(world, source)

    assert report.rejected == [RejectedRow(row=3, field=column, message=str(message))]
    assert (report.rows, report.created, report.rejected_rows) == (3, 2, 1)
    assert names() == ["Premier", "Troisième"]


def test_every_error_of_a_row_is_reported_in_column_order(world: Any) -> None:
    source = csv_bytes(
        HEADER,
        f"Bon,,trade,{world.commune.code},,,,",
        "  ,12345,banking,,,-1,,abc",
    )

    report = run(world, source)

    assert report.rejected == [
        RejectedRow(3, "name", str(REQUIRED)),
        RejectedRow(3, "ice", str(services.ICE_LENGTH)),
        RejectedRow(3, "sector", str(UNKNOWN_CODE % {"value": "banking"})),
        RejectedRow(3, "commune_code", str(REQUIRED)),
        RejectedRow(3, "workers", str(services.WORKERS_NEGATIVE)),
        RejectedRow(3, "contact_phone", str(PHONE_FORMAT)),
    ]
    assert (report.rows, report.created, report.rejected_rows) == (2, 1, 1)
    assert names() == ["Bon"]


def test_a_row_with_too_many_or_too_few_values_is_rejected_as_a_whole(world: Any) -> None:
    source = csv_bytes(
        "name,sector,commune_code",
        f"Bon,trade,{world.commune.code}",
        f"Lot 5, quartier industriel,trade,{world.commune.code}",
        "Court,trade",
    )

    report = run(world, source)

    too_many = imports.ROW_VALUE_COUNT % {"found": 4, "expected": 3}
    too_few = imports.ROW_VALUE_COUNT % {"found": 2, "expected": 3}
    assert report.rejected == [RejectedRow(3, "", str(too_many)), RejectedRow(4, "", str(too_few))]
    assert (report.rows, report.created, report.rejected_rows) == (3, 1, 2)
    assert names() == ["Bon"]


def test_messages_are_in_the_active_language(world: Any) -> None:
    source = csv_bytes(HEADER, f"Atelier,{ICE_A[:-1]}7,trade,{world.commune.code},,,,")

    with translation.override("en"):
        report = run(world, source)

    assert report.rejected == [
        RejectedRow(2, "ice", "This ICE number is not valid: its two check digits do not match.")
    ]


# --- Duplicate ICE numbers ----------------------------------------------------------


@pytest.mark.parametrize("chunk_size", [1, 1000])
def test_an_ice_repeated_in_the_file_is_rejected_naming_its_first_line(
    world: Any, chunk_size: int
) -> None:
    source = csv_bytes(
        HEADER,
        f"Premier,{ICE_A},trade,{world.commune.code},,,,",
        f"Deuxième,{ICE_B},trade,{world.commune.code},,,,",
        f"Troisième,{ICE_A[:3]} {ICE_A[3:]},trade,{world.commune.code},,,,",
        f"Quatrième,{ICE_A},trade,{world.commune.code},,,,",
    )

    report = run(world, source, chunk_size=chunk_size)

    repeated = str(imports.ICE_REPEATED % {"line": 2})
    assert report.rejected == [RejectedRow(4, "ice", repeated), RejectedRow(5, "ice", repeated)]
    assert (report.rows, report.created) == (4, 2)
    assert names() == ["Deuxième", "Premier"]


def test_an_ice_already_in_the_offices_register_is_rejected(world: Any) -> None:
    services.establishment_create(
        actor=world.inspector,
        data=services.EstablishmentIn(
            name="Déjà là", sector="trade", commune=world.commune.code, ice=ICE_A
        ),
    )
    # Another office's register does not count.
    other_office = Organisation.objects.create(
        name="Inspection de Marrakech",
        kind=OrganisationKind.INSPECTORATE,
        territory_code=world.far_commune.region_id,
    )
    elsewhere = Establishment(
        office=other_office, name="Ailleurs", ice=ICE_B, sector="trade", created_by=world.inspector
    )
    elsewhere.place_at(world.far_commune)
    elsewhere.save()
    source = csv_bytes(
        HEADER,
        f"Doublon,{ICE_A},trade,{world.commune.code},,,,",
        f"Homonyme,{ICE_B},trade,{world.commune.code},,,,",
        f"Doublon encore,{ICE_A},trade,{world.commune.code},,,,",
    )

    report = run(world, source)

    taken = str(services.ICE_TAKEN)
    assert report.rejected == [RejectedRow(2, "ice", taken), RejectedRow(4, "ice", taken)]
    assert report.created == 1
    assert Establishment.objects.filter(office=world.inspectorate, ice=ICE_B).exists()
    assert Establishment.objects.filter(ice=ICE_A).count() == 1


# --- Files refused as a whole -------------------------------------------------------


def test_a_file_missing_required_columns_is_refused(world: Any) -> None:
    source = csv_bytes("name,ice,address", f"Atelier,{ICE_A},Rue 1")

    message = refusal(world, source)

    assert message == str(imports.FILE_MISSING_COLUMNS % {"columns": "sector, commune_code"})


def test_a_file_with_another_separator_is_refused_naming_the_missing_columns(
    world: Any,
) -> None:
    source = csv_bytes(HEADER.replace(",", "\t"), f"Atelier\t\ttrade\t{world.commune.code}")

    message = refusal(world, source)

    assert "sector, commune_code" in message


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n\r\n", b" , ,\n"])
def test_an_empty_file_is_refused(world: Any, data: bytes) -> None:
    assert refusal(world, io.BytesIO(data)) == str(imports.FILE_EMPTY)


@pytest.mark.parametrize("data", [HEADER, HEADER + "\n", HEADER + "\n\n,,,,,,,\n"])
def test_a_file_without_data_rows_is_refused(world: Any, data: str) -> None:
    assert refusal(world, io.BytesIO(data.encode())) == str(imports.FILE_NO_ROWS)


def test_a_file_that_is_not_utf8_is_refused_with_nothing_saved(world: Any) -> None:
    good = f"Atelier,,trade,{world.commune.code},,,,"
    data = "\n".join([HEADER, good, good, "Café,,trade,x,,,,"]).encode("latin-1")

    assert refusal(world, io.BytesIO(data)) == str(imports.FILE_NOT_UTF8)


def test_a_binary_file_is_refused(world: Any) -> None:
    data = f"{HEADER}\nAtelier\x00,,trade,{world.commune.code},,,,\n".encode()

    assert refusal(world, io.BytesIO(data)) == str(imports.FILE_NOT_UTF8)


def test_a_column_named_twice_is_refused(world: Any) -> None:
    source = csv_bytes("name,sector,commune_code,Name", f"A,trade,{world.commune.code},B")

    assert refusal(world, source) == str(imports.FILE_REPEATED_COLUMN % {"column": "name"})


def test_a_file_with_too_many_rows_is_refused(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    row = f"Atelier,,trade,{world.commune.code},,,,"

    message = refusal(world, csv_bytes(HEADER, row, row, row))

    assert message == str(imports.FILE_TOO_MANY_ROWS % {"max": 2})
    assert run(world, csv_bytes(HEADER, row, row)).created == 2


def test_an_unreadable_csv_is_refused_naming_the_line(world: Any) -> None:
    # A quote left open on line 3 swallows the rest of the file into one value,
    # until the CSV reader's limit on the length of a value.
    source = csv_bytes(
        HEADER,
        f"Atelier,,trade,{world.commune.code},,,,",
        f'"Garage,,trade,{world.commune.code},,,,',
        *["x" * 50] * 4,
    )
    previous = csv.field_size_limit(100)
    try:
        message = refusal(world, source)
    finally:
        csv.field_size_limit(previous)

    assert message == str(imports.FILE_NOT_CSV % {"line": 3})


# --- Who, progress, audit, transaction ----------------------------------------------


def test_a_social_worker_may_not_import(world: Any) -> None:
    source = csv_bytes(HEADER, f"Atelier,,trade,{world.commune.code},,,,")

    with pytest.raises(ApplicationError) as raised:
        establishments_import(actor=world.worker, source=source)

    assert raised.value.status == 403
    assert raised.value.message == services.NOT_INSPECTION_STAFF
    assert Establishment.objects.count() == 0
    assert not AuditEntry.objects.filter(event=AuditEvent.ESTABLISHMENTS_IMPORTED).exists()


def test_progress_is_reported_after_each_chunk(world: Any) -> None:
    rows = [f"Atelier {n},,trade,{world.commune.code},,,," for n in range(5)]
    rows[3] = "Mauvais,,trade,,,,,"
    calls: list[tuple[int, int]] = []

    report = run(
        world,
        csv_bytes(HEADER, *rows),
        progress=lambda done, total: calls.append((done, total)),
        chunk_size=2,
    )

    assert calls == [(2, 5), (4, 5), (5, 5)]
    assert (report.rows, report.created, report.rejected_rows) == (5, 4, 1)


def test_one_audit_entry_with_counts_only(world: Any) -> None:
    source = csv_bytes(
        HEADER,
        f"Atelier,{ICE_A},trade,{world.commune.code},,,Karim Alaoui,0612345678",
        f",{ICE_B},banking,{world.commune.code},,,,",
        f"Garage,{ICE_C},other,{world.commune.code},,,,",
    )

    run(world, source, chunk_size=1)

    entry = AuditEntry.objects.get(event=AuditEvent.ESTABLISHMENTS_IMPORTED)
    assert entry.actor == world.inspector
    assert entry.detail == {"rows": 3, "created": 2, "rejected_rows": 1}
    assert AuditEntry.objects.count() == 1


def test_a_crash_part_way_leaves_nothing_imported(world: Any) -> None:
    rows = [f"Atelier {n},,trade,{world.commune.code},,,," for n in range(3)]

    def crash(done: int, total: int) -> None:
        if done == 2:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        run(world, csv_bytes(HEADER, *rows), progress=crash, chunk_size=1)

    assert Establishment.objects.count() == 0
    assert not AuditEntry.objects.filter(event=AuditEvent.ESTABLISHMENTS_IMPORTED).exists()


def test_a_chunk_queries_the_database_a_fixed_number_of_times(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    rows = [f"Atelier {n},,trade,{world.commune.code},,,," for n in range(30)]
    rows += [f"Autre {n},,trade,{world.near_commune.code},,,," for n in range(30)]
    # Load the actor's organisation, as a request would have.
    assert world.inspector.organisation.kind == OrganisationKind.INSPECTORATE

    with django_assert_max_num_queries(8):
        report = run(world, csv_bytes(HEADER, *rows))

    assert report.created == 60


def test_the_source_is_left_open(world: Any) -> None:
    source = csv_bytes(HEADER, f"Atelier,,trade,{world.commune.code},,,,")

    run(world, source)

    assert not source.closed


# --- The command --------------------------------------------------------------------


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "establishments.csv"
    path.write_bytes(csv_bytes(*lines).getvalue())
    return path


def command(*args: str) -> str:
    out = io.StringIO()
    call_command("import-establishments", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_command_imports_a_good_file(world: Any, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER, f"Atelier,{ICE_A},trade,{world.commune.code},,3,,")

    out = command(str(path), "--user", "inspector")

    assert "1 rows read, 1 establishments created, 0 rows rejected" in out
    assert "line " not in out
    assert Establishment.objects.get().workers == 3


def test_command_reports_rejected_rows_and_exits_1(world: Any, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER,
        f"Atelier,{ICE_A},trade,{world.commune.code},,,,",
        f",{ICE_A},trade,{world.commune.code},,many,,",
        "Court,trade",
    )
    out = io.StringIO()

    with pytest.raises(SystemExit) as raised:
        call_command(
            "import-establishments",
            str(path),
            "--user",
            "inspector",
            "--language",
            "en",
            stdout=out,
        )

    assert raised.value.code == 1
    lines = out.getvalue().splitlines()
    assert "3 rows read, 1 establishments created, 2 rows rejected" in lines[0]
    assert lines[1:] == [
        "line 3, name: This field is required.",
        "line 3, ice: This ICE number is already on line 2 of the file.",
        "line 3, workers: The number of workers must be a whole number.",
        "line 4: This line has 2 values but the header has 8: check the separators and the quotes.",
    ]
    assert names() == ["Atelier"]


def test_command_refuses_a_bad_file_with_status_2(world: Any, tmp_path: Path) -> None:
    path = write(tmp_path, "name,ice", "Atelier,")

    with pytest.raises(CommandError) as raised:
        command(str(path), "--user", "inspector", "--language", "en")

    assert raised.value.returncode == 2
    assert "lacks the required columns: sector, commune_code" in str(raised.value)
    assert Establishment.objects.count() == 0


@pytest.mark.parametrize("username", ["worker", "nobody"])
def test_command_refuses_a_user_who_may_not_import_with_status_2(
    world: Any, tmp_path: Path, username: str
) -> None:
    path = write(tmp_path, HEADER, f"Atelier,,trade,{world.commune.code},,,,")

    with pytest.raises(CommandError) as raised:
        command(str(path), "--user", username)

    assert raised.value.returncode == 2
    assert Establishment.objects.count() == 0


def test_command_refuses_a_missing_file_with_status_2(world: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as raised:
        command(str(tmp_path / "absent.csv"), "--user", "inspector")

    assert raised.value.returncode == 2
    assert "absent.csv" in str(raised.value)


def test_command_shows_progress_when_verbose(world: Any, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER, f"Atelier,,trade,{world.commune.code},,,,")

    out = command(str(path), "--user", "inspector", "--verbosity", "2")

    assert "1/1 rows" in out


# --- The page: a background job with a progress bar ----------------------------------

IMPORT_URL = "/fr/inspection/establishments/import/"


def upload(*lines: str, name: str = "register.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(*lines).getvalue(), content_type="text/csv")


def send(client: Client, user: Any, *lines: str) -> Any:
    client.force_login(user)
    return client.post(IMPORT_URL, {"file": upload(*lines)})


def job_url(job: EstablishmentImport, part: str = "") -> str:
    return f"{IMPORT_URL}{job.pk}/{part}"


def queue(world: Any, *lines: str) -> EstablishmentImport:
    """Start a job without running it (as with the database backend and no worker)."""
    with override_settings(TASKS=DATABASE_TASKS):
        return import_jobs.establishment_import_start(
            actor=world.inspector, source=csv_bytes(*lines), file_name="register.csv"
        )


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_a_file_sent_through_the_page_is_imported_by_a_job(
    client: Client, world: Any, import_dir: Path
) -> None:
    response = send(
        client,
        world.inspector,
        HEADER,
        f"Atelier Nour,{ICE_A},manufacturing,{world.commune.code},,,,",
        f"Ferme,123,agriculture,{world.commune.code},,,,",
    )

    job = EstablishmentImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job_url(job)
    assert (job.office, job.created_by, job.file_name) == (
        world.inspectorate,
        world.inspector,
        "register.csv",
    )
    assert (job.status, job.rows_total, job.rows_processed) == (ImportStatus.DONE, 2, 2)
    assert job.language == "fr"
    assert job.task_id
    assert job.started_at is not None and job.finished_at is not None
    assert job.report == {
        "rows": 2,
        "created": 1,
        "rejected_rows": 1,
        "rejected": [{"row": 3, "field": "ice", "message": str(services.ICE_LENGTH)}],
    }
    assert names() == ["Atelier Nour"]
    assert list(import_dir.iterdir()) == []  # the file and its progress, deleted
    entry = AuditEntry.objects.get(event=AuditEvent.ESTABLISHMENTS_IMPORTED)
    assert (entry.actor, entry.object_type, entry.object_id) == (
        world.inspector,
        "establishmentimport",
        str(job.pk),
    )
    assert entry.detail == {"rows": 2, "created": 1, "rejected_rows": 1}


def test_the_job_page_shows_a_full_bar_and_every_rejected_row(client: Client, world: Any) -> None:
    client.force_login(world.inspector)
    content = (
        "name;ice;sector;commune_code\n"
        f"Atelier Nour;{ICE_A};manufacturing;{world.commune.code}\n"
        f"Ferme;123;agriculture;{world.commune.code}\n"
    ).encode()
    file = SimpleUploadedFile("register.csv", content, content_type="text/csv")
    response = client.post(IMPORT_URL, {"file": file}, follow=True)
    html = response.content.decode()

    assert response.status_code == 200
    assert '<progress id="import-progress" max="2" value="2">' in html
    assert "2 lignes lues : 1 établissements ajoutés, 1 lignes rejetées." in html
    assert "<td>3</td><td><code>ice</code></td>" in html
    assert "hx-trigger" not in html  # finished: nothing polls
    assert "no-store" in response["Cache-Control"]


def test_a_running_job_is_polled_every_second_until_it_ends(
    client: Client, world: Any, import_dir: Path
) -> None:
    job = queue(world, HEADER, *[f"Atelier {n},,trade,{world.commune.code},,,," for n in range(4)])
    client.force_login(world.inspector)

    queued = client.get(job_url(job, "progress/")).content.decode()
    assert f'hx-get="{job_url(job, "progress/")}"' in queued
    assert 'hx-trigger="every 1s"' in queued
    assert '<progress id="import-progress" max="4"></progress>' in queued  # waiting

    EstablishmentImport.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    import_files.write_progress(job.key, 3, 4)
    running = client.get(job_url(job, "progress/")).content.decode()
    assert 'hx-trigger="every 1s"' in running
    assert '<progress id="import-progress" max="4" value="3">75%</progress>' in running

    EstablishmentImport.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
    import_jobs.establishment_import_run(job_id=job.pk)
    done = client.get(job_url(job, "progress/")).content.decode()
    assert "hx-trigger" not in done
    assert '<progress id="import-progress" max="4" value="4">' in done
    assert 'id="report-heading"' in done
    assert list(import_dir.iterdir()) == []


def test_progress_is_written_after_each_chunk_and_reaches_the_total(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [f"Atelier {n},,trade,{world.commune.code},,,," for n in range(5)]
    job = queue(world, HEADER, *rows)
    monkeypatch.setattr(import_jobs, "CHUNK_ROWS", 2)
    written: list[tuple[int, int]] = []
    write = import_files.write_progress

    def spy(key: str, done: int, total: int) -> None:
        write(key, done, total)
        running = EstablishmentImport.objects.get(pk=job.pk)
        assert running.status == ImportStatus.RUNNING
        written.append((selectors.establishment_import_progress(running), total))

    monkeypatch.setattr(import_files, "write_progress", spy)
    import_jobs.establishment_import_run(job_id=job.pk)

    assert written == [(0, 5), (2, 5), (4, 5), (5, 5)]
    job.refresh_from_db()
    assert (job.status, job.rows_processed, job.rows_total) == (ImportStatus.DONE, 5, 5)
    assert selectors.establishment_import_progress(job) == 5


def test_with_the_database_backend_the_worker_runs_the_job(
    client: Client, world: Any, import_dir: Path
) -> None:
    from django_tasks_db.models import DBTaskResult

    job = queue(world, HEADER, f"Atelier,,trade,{world.commune.code},,,,")

    assert job.status == ImportStatus.QUEUED
    assert (import_dir / f"{job.key}.csv").exists()
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.task_path == "himaya.inspection.tasks.establishments_import_job"
    assert not Establishment.objects.exists()

    # What ``himaya db_worker`` does with the row: call the task with its arguments.
    task.task.call(*task.task_result.args, **task.task_result.kwargs)

    job.refresh_from_db()
    assert (job.status, job.report["created"]) == (ImportStatus.DONE, 1)
    assert names() == ["Atelier"]
    assert list(import_dir.iterdir()) == []


def test_a_job_is_run_once(world: Any) -> None:
    job = queue(world, HEADER, f"Atelier,,trade,{world.commune.code},,,,")
    import_jobs.establishment_import_run(job_id=job.pk)

    import_jobs.establishment_import_run(job_id=job.pk)

    assert Establishment.objects.count() == 1
    assert AuditEntry.objects.filter(event=AuditEvent.ESTABLISHMENTS_IMPORTED).count() == 1


def test_a_crashing_task_marks_the_job_failed_and_saves_nothing(
    client: Client, world: Any, import_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(self: Any, records: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports._Importer, "chunk", crash)
    response = send(client, world.inspector, HEADER, f"Atelier,,trade,{world.commune.code},,,,")

    job = EstablishmentImport.objects.get()
    assert (job.status, job.report) == (ImportStatus.FAILED, {})
    with translation.override("fr"):
        assert job.error == str(import_jobs.IMPORT_CRASHED)
    assert job.finished_at is not None
    assert not Establishment.objects.exists()
    assert not AuditEntry.objects.filter(event=AuditEvent.ESTABLISHMENTS_IMPORTED).exists()
    assert list(import_dir.iterdir()) == []
    html = client.get(response["Location"]).content.decode()
    assert 'role="alert"' in html and job.error in html
    assert "hx-trigger" not in html


def test_the_task_raises_after_marking_the_job_failed(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = queue(world, HEADER, f"Atelier,,trade,{world.commune.code},,,,")
    import_files.upload_path(job.key).unlink()  # the file lost meanwhile

    with pytest.raises(FileNotFoundError):
        import_jobs.establishment_import_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.error


def test_a_user_who_lost_the_role_before_the_job_ran_gets_a_failed_job(
    world: Any, import_dir: Path
) -> None:
    job = queue(world, HEADER, f"Atelier,,trade,{world.commune.code},,,,")
    world.inspector.role = Role.SOCIAL_WORKER
    world.inspector.save()

    with translation.override("en"):
        import_jobs.establishment_import_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    with translation.override(job.language):
        assert job.error == str(services.NOT_INSPECTION_STAFF)
    assert not Establishment.objects.exists()
    assert list(import_dir.iterdir()) == []


def test_a_file_refused_as_a_whole_says_why_at_once_and_keeps_nothing(
    client: Client, world: Any, import_dir: Path
) -> None:
    client.force_login(world.inspector)
    file = SimpleUploadedFile("register.csv", b"nom;secteur\nx;y\n", content_type="text/csv")
    response = client.post(IMPORT_URL, {"file": file})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_file_error"' in html and "commune_code" in html
    assert not EstablishmentImport.objects.exists()
    assert not Establishment.objects.exists()
    assert not import_dir.exists() or list(import_dir.iterdir()) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (f"{HEADER}\nCafé,,trade,x,,,,\n".encode("latin-1"), imports.FILE_NOT_UTF8),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", imports.FILE_NOT_UTF8),
        (b"", None),  # an empty upload: the form says so
    ],
    ids=["latin-1", "a picture", "empty"],
)
def test_a_file_that_is_not_csv_is_refused_at_once(
    client: Client, world: Any, data: bytes, message: Any
) -> None:
    client.force_login(world.inspector)
    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("register.csv", data)})
    html = response.content.decode()

    assert response.status_code == 400
    assert 'id="id_file_error"' in html
    if message is not None:
        with translation.override("fr"):
            assert str(message) in html
    assert not EstablishmentImport.objects.exists()


def test_a_file_too_large_is_refused_at_once(
    client: Client, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(forms, "IMPORT_MAX_BYTES", 10)
    response = send(client, world.inspector, HEADER, f"Atelier,,trade,{world.commune.code},,,,")

    assert response.status_code == 400
    assert 'id="id_file_error"' in response.content.decode()
    assert not EstablishmentImport.objects.exists()


def test_a_job_is_seen_by_its_author_and_the_staff_of_the_office_only(
    client: Client, world: Any, offices: Any
) -> None:
    job = queue(world, HEADER, f"Atelier,,trade,{world.commune.code},,,,")
    for who in ("inspector", "inspection_supervisor", "far_inspector"):
        client.force_login(getattr(offices, who))
        assert client.get(job_url(job)).status_code == 200, who
        assert client.get(job_url(job, "progress/")).status_code == 200, who
        assert f'href="{job_url(job)}"' in client.get(IMPORT_URL).content.decode(), who
    for who in ("other_office_inspector", "worker", "supervisor", "analyst", "administrator"):
        client.force_login(getattr(offices, who))
        assert client.get(job_url(job)).status_code == 404, who
        assert client.get(job_url(job, "progress/")).status_code == 404, who
    client.force_login(offices.other_office_inspector)
    assert f'href="{job_url(job)}"' not in client.get(IMPORT_URL).content.decode()
    assert client.get(f"{IMPORT_URL}999999/").status_code == 404


def test_the_job_pages_need_a_login(client: Client, world: Any) -> None:
    job = queue(world, HEADER, f"Atelier,,trade,{world.commune.code},,,,")
    for url in (job_url(job), job_url(job, "progress/")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_import_directory_may_not_be_served(world: Any, settings: Any) -> None:
    settings.IMPORT_DIR = Path(settings.STATIC_ROOT) / "imports"

    with pytest.raises(ImproperlyConfigured, match="IMPORT_DIR"):
        import_jobs.establishment_import_start(
            actor=world.inspector, source=csv_bytes(HEADER, f"A,,trade,{world.commune.code},,,,")
        )
    assert not EstablishmentImport.objects.exists()


def test_a_running_job_that_stopped_moving_says_so(client: Client, world: Any) -> None:
    job = queue(world, HEADER, f"Atelier,,trade,{world.commune.code},,,,")
    started = timezone.now() - selectors.IMPORT_STALLED_AFTER - datetime.timedelta(minutes=1)
    EstablishmentImport.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, started_at=started
    )
    client.force_login(world.inspector)
    with translation.override("en"):
        url = job_url(job, "progress/").replace("/fr/", "/en/", 1)  # the English page
        # Started long ago, no progress written: its worker is gone.
        assert "has not moved for more than 10 minutes" in client.get(url).content.decode()
        import_files.write_progress(job.key, 0, 1)
        assert "has not moved" not in client.get(url).content.decode()
        old = time.time() - selectors.IMPORT_STALLED_AFTER.total_seconds() - 60
        os.utime(import_files.progress_path(job.key), (old, old))
        html = client.get(url).content.decode()
    assert "has not moved for more than 10 minutes" in html
    assert 'role="alert"' in html


def test_a_crash_after_the_last_row_saves_nothing_either(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = queue(world, HEADER, f"Atelier,,trade,{world.commune.code},,,,")

    def crash(self: ImportReport) -> dict[str, Any]:
        raise RuntimeError("out of memory")

    monkeypatch.setattr(ImportReport, "as_dict", crash)
    with pytest.raises(RuntimeError):
        import_jobs.establishment_import_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.report) == (ImportStatus.FAILED, {})
    assert not Establishment.objects.exists()
    assert not AuditEntry.objects.filter(event=AuditEvent.ESTABLISHMENTS_IMPORTED).exists()
