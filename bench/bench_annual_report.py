"""Benchmark of the annual report of the labour inspection (``himaya.inspection.report``).

Builds a throw-away database (a SQLite file in a temporary directory; when
``DATABASE_URL`` names a PostgreSQL server, a new database on it, dropped at
the end: ``bench_casework.throwaway_database``), loads the geography, then
writes by bulk SQL (``executemany`` on SQLite, ``COPY`` on PostgreSQL), seeded:

- one inspection office for the whole country, its supervisor and inspector;
- ``--establishments`` establishments (200,000) over the 1,503 communes;
- ``--visits`` visits (1,000,000) over two calendar years: 90 % made, 7 %
  planned, 3 % cancelled; planned, complaint, follow-up and joint visits;
- a violation in 20 % of the visits made, at every stage (advice, formal
  notice, corrected, violation report), 8 % of them repeat offences, each
  formal notice and violation report an ``EnforcementDocument``;
- ``--children`` children found (60,000), each with its household, child and
  observation rows.

Then times ``annual_report`` for the last of the two years as the office's
supervisor (national scope: every visit), ``--runs`` times (median, min, max,
SQL queries), and once each: the page (``inspection:annual_report``, through
Django's test Client, audit included), the CSV and the PDF downloads.
Target: the report in at most 2 s.

    .venv/bin/python bench/bench_annual_report.py [--visits 1000000] [--runs 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:55433/postgres \
        .venv/bin/python bench/bench_annual_report.py
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_casework import configure, throwaway_database  # noqa: E402

TARGET_SECONDS = 2.0
FIRST_DAY = date(2024, 1, 1)
DAYS = 731  # 2024 and 2025
YEAR = (date(2025, 1, 1), date(2025, 12, 31))
CHUNK = 50_000
NOW = "2026-01-15 10:00:00"

KINDS = (("planned", 0.6), ("complaint", 0.15), ("follow_up", 0.2), ("joint", 0.05))
STATUSES = (("done", 0.9), ("planned", 0.07), ("cancelled", 0.03))
SECTORS = (
    ("agriculture", 0.25),
    ("fishing", 0.01),
    ("mining_quarrying", 0.01),
    ("manufacturing", 0.15),
    ("construction", 0.12),
    ("trade", 0.2),
    ("hospitality", 0.08),
    ("transport", 0.03),
    ("domestic_work", 0.05),
    ("street_work", 0.05),
    ("other", 0.05),
)
#: breach: (share, rule, article, fine minimum, fine maximum)
BREACHES: dict[str, tuple[float, str, str, int, int]] = {
    "worst_form": (0.03, "ma.worst_form", "Code du travail art. 147; C182 art. 3", 30_000, 30_000),
    "hazardous_work": (0.2, "ma.hazardous", "Code du travail arts. 179–181", 300, 500),
    "below_minimum_age": (0.45, "ma.below_minimum_age", "Code du travail art. 143", 25_000, 30_000),
    "domestic_below_age": (0.1, "ma.domestic_below_age", "Loi 19-12 art. 6", 25_000, 30_000),
    "domestic_no_authorisation": (
        0.05,
        "ma.domestic_authorisation",
        "Loi 19-12 art. 6",
        500,
        1_200,
    ),
    "domestic_hours": (0.07, "ma.domestic_hours", "Loi 19-12 art. 13", 500, 1_200),
    "night_work": (0.1, "ma.night_work", "Code du travail art. 172", 300, 500),
}
SKIPS_ADVICE = {"worst_form", "hazardous_work"}
VERDICTS = (("child_labour", 0.55), ("hazardous", 0.25), ("worst_form", 0.05), ("permitted", 0.15))


def choice(
    rng: np.random.Generator, table: Sequence[tuple[str, float]], n: int
) -> npt.NDArray[Any]:
    codes = np.array([code for code, _share in table], dtype=object)
    shares = np.array([share for _code, share in table])
    return rng.choice(codes, n, p=shares / shares.sum())


def days(offsets: npt.NDArray[np.int64]) -> list[str | None]:
    """ISO dates of day offsets from FIRST_DAY (-1: none)."""
    names = [(FIRST_DAY + timedelta(days=int(d))).isoformat() for d in range(DAYS + 200)]
    return [names[d] if d >= 0 else None for d in offsets.tolist()]


# --- Writing rows -----------------------------------------------------------------------


class Writer:
    """Rows into a model's table by bulk SQL; columns not given take the
    field's default, NULL, the time of the load, or ""."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.now = NOW + ("+00:00" if self.postgres else "")

    def _filler(self, field: Any) -> Any:
        from django.db import models

        if field.has_default():
            value = field.get_default()
            return json.dumps(value) if isinstance(field, models.JSONField) else value
        if field.null:
            return None
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return self.now
        if isinstance(field, models.CharField | models.TextField):
            return ""
        raise ValueError(f"{field.model.__name__}.{field.name} needs a value")

    def write(self, model: Any, columns: dict[str, Sequence[Any] | Any], n: int) -> None:
        fields = model._meta.concrete_fields
        given = set(columns)
        unknown = given - {f.attname for f in fields}
        if unknown:
            raise ValueError(f"{model.__name__}: no field {sorted(unknown)}")
        names = [f.column for f in fields if f.attname in given or not f.primary_key]
        series: list[Any] = []
        for f in fields:
            if f.attname in given:
                value = columns[f.attname]
                series.append(value if isinstance(value, list | tuple) else [value] * n)
            elif not f.primary_key:
                series.append([self._filler(f)] * n)
        table = model._meta.db_table
        rows = zip(*series, strict=True)
        with self.connection.cursor() as cursor:
            if self.postgres:
                quoted = ", ".join(f'"{name}"' for name in names)
                with cursor.cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(names))
                sql = f'INSERT INTO "{table}" ({", ".join(names)}) VALUES ({marks})'  # noqa: S608
                batch: list[tuple[Any, ...]] = []
                for row in rows:
                    batch.append(row)
                    if len(batch) == CHUNK:
                        cursor.executemany(sql, batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)


def ids(n: int) -> list[int]:
    return list(range(1, n + 1))


def build(args: argparse.Namespace) -> tuple[Any, dict[str, int]]:
    """The synthetic office and its records; (its supervisor, row counts)."""
    from django.db import connection, transaction

    from himaya.accounts.models import Organisation, OrganisationKind, Role, User
    from himaya.cases.models import Child, Household, Observation
    from himaya.geography.models import Commune
    from himaya.inspection.models import (
        EnforcementDocument,
        Establishment,
        FoundChild,
        Violation,
        Visit,
    )

    rng = np.random.default_rng(args.seed)
    writer = Writer()
    office = Organisation.objects.create(
        name="Inspection du travail (bench)", kind=OrganisationKind.INSPECTORATE, territory_code=""
    )
    supervisor = User.objects.create(
        username="bench-supervisor", role=Role.SUPERVISOR, organisation=office, territory_code=""
    )
    inspector = User.objects.create(
        username="bench-inspector", role=Role.INSPECTOR, organisation=office, territory_code=""
    )
    communes = list(
        Commune.objects.values_list("code", "province_id", "region_id", "population_2024")
    )
    population = np.array([c[3] for c in communes], dtype=float)
    codes = np.array([c[0] for c in communes], dtype=object)
    provinces = np.array([c[1] for c in communes], dtype=object)
    regions = np.array([c[2] for c in communes], dtype=object)
    counts: dict[str, int] = {}

    with transaction.atomic():
        # Establishments.
        n_est = args.establishments
        commune = rng.choice(len(communes), n_est, p=population / population.sum())
        sector = choice(rng, SECTORS, n_est)
        writer.write(
            Establishment,
            {
                "id": ids(n_est),
                "region_id": regions[commune].tolist(),
                "province_id": provinces[commune].tolist(),
                "commune_id": codes[commune].tolist(),
                "office_id": office.pk,
                "name": [f"Établissement {i}" for i in range(1, n_est + 1)],
                "sector": sector.tolist(),
                "created_by_id": inspector.pk,
            },
            n_est,
        )
        counts["establishments"] = n_est

        # Visits.
        n = args.visits
        establishment = rng.integers(0, n_est, n)
        status = choice(rng, STATUSES, n)
        kind = choice(rng, KINDS, n)
        # Sorted: rows are recorded day after day, so their ids follow their dates.
        scheduled = np.sort(rng.integers(0, DAYS, n))
        done = status == "done"
        visited = np.where(done, scheduled + rng.integers(0, 4, n), -1)
        where = commune[establishment]
        writer.write(
            Visit,
            {
                "id": ids(n),
                "region_id": regions[where].tolist(),
                "province_id": provinces[where].tolist(),
                "commune_id": codes[where].tolist(),
                "office_id": office.pk,
                "establishment_id": (establishment + 1).tolist(),
                "kind": kind.tolist(),
                "status": status.tolist(),
                "scheduled_on": days(scheduled),
                "visited_on": days(visited),
                "created_by_id": inspector.pk,
            },
            n,
        )
        counts["visits"] = n

        # Violations (one in 20 % of the visits made) and their documents.
        done_rows = np.flatnonzero(done)
        rows = np.sort(rng.choice(done_rows, int(len(done_rows) * 0.2), replace=False))
        m = len(rows)
        breaches = list(BREACHES)
        breach = choice(rng, [(b, BREACHES[b][0]) for b in breaches], m)
        skip = np.isin(breach, list(SKIPS_ADVICE))
        stage = np.where(
            skip,
            "violation_report",
            choice(
                rng,
                (("advice", 0.3), ("formal_notice", 0.2), ("corrected", 0.35), ("report", 0.15)),
                m,
            ),
        )
        stage = np.where(stage == "report", "violation_report", stage)
        found = visited[rows]
        noticed = ~skip & (stage != "advice")
        reported = stage == "violation_report"
        notice_on = np.where(noticed, found + 1, -1)
        report_on = np.where(reported, found + np.where(skip, 2, 45), -1)
        closed_on = np.where(stage == "corrected", found + rng.integers(30, 61, m), -1)

        def documents(kind: str, prefix: str, on: npt.NDArray[np.int64], first_id: int) -> Any:
            chosen = np.flatnonzero(on >= 0)
            k = len(chosen)
            issued = [FIRST_DAY + timedelta(days=int(d)) for d in on[chosen].tolist()]
            years = [d.year for d in issued]
            sequence: dict[int, int] = {}
            numbers, sequences = [], []
            for y in years:  # the data set's numbering, not the report's work
                sequence[y] = sequence.get(y, 0) + 1
                sequences.append(sequence[y])
                numbers.append(f"{prefix}-{y}-{office.pk:03d}-{sequence[y]:07d}")
            writer.write(
                EnforcementDocument,
                {
                    "id": list(range(first_id, first_id + k)),
                    "office_id": office.pk,
                    "visit_id": (rows[chosen] + 1).tolist(),
                    "kind": kind,
                    "year": years,
                    "sequence": sequences,
                    "number": numbers,
                    "issued_on": [d.isoformat() for d in issued],
                    "issued_by_id": inspector.pk,
                },
                k,
            )
            document = np.full(m, -1, dtype=np.int64)
            document[chosen] = np.arange(first_id, first_id + k)
            return document, k

        notice_id, notices = documents("formal_notice", "MD", notice_on, 1)
        report_id, reports = documents("violation_report", "PV", report_on, notices + 1)
        counts["formal_notices"], counts["violation_reports"] = notices, reports
        rule = {b: BREACHES[b][1] for b in breaches}
        article = {b: BREACHES[b][2] for b in breaches}
        fine_min = {b: BREACHES[b][3] for b in breaches}
        fine_max = {b: BREACHES[b][4] for b in breaches}
        breach_list = breach.tolist()
        where = commune[establishment[rows]]

        def nullable(values: npt.NDArray[np.int64]) -> list[int | None]:
            return [v if v >= 0 else None for v in values.tolist()]

        writer.write(
            Violation,
            {
                "id": ids(m),
                "region_id": regions[where].tolist(),
                "province_id": provinces[where].tolist(),
                "commune_id": codes[where].tolist(),
                "office_id": office.pk,
                "establishment_id": (establishment[rows] + 1).tolist(),
                "visit_id": (rows + 1).tolist(),
                "breach": breach_list,
                "rule": [rule[b] for b in breach_list],
                "article": [article[b] for b in breach_list],
                "ruleset_version": "1.0.0",
                "children": rng.integers(1, 4, m).tolist(),
                "found_on": days(found),
                "stage": stage.tolist(),
                "repeat": (rng.random(m) < 0.08).tolist(),
                "fine_minimum": [fine_min[b] for b in breach_list],
                "fine_maximum": [fine_max[b] for b in breach_list],
                "notice_id": nullable(notice_id),
                "report_id": nullable(report_id),
                "closed_on": days(closed_on),
            },
            m,
        )
        counts["violations"] = m

        # Children found, in visits with a violation.
        f = min(args.children, m)
        found_rows = np.sort(rng.choice(rows, f, replace=False))
        where = commune[establishment[found_rows]]
        territory = {
            "region_id": regions[where].tolist(),
            "province_id": provinces[where].tolist(),
            "commune_id": codes[where].tolist(),
        }
        household = Household(organisation=office, guardian_name="Bench", created_by=inspector)
        household.place_at(Commune.objects.get(code=codes[where[0]]))
        household.save()
        writer.write(
            Child,
            {
                "id": ids(f),
                **territory,
                "household_id": household.pk,
                "organisation_id": office.pk,
                "first_name_ar": "يوسف",
                "family_name_ar": "الاختبار",
                "first_name_latin": "Youssef",
                "family_name_latin": "Bench",
                "sex": "M",
                "birth_date": "2012-03-01",
                "created_by_id": inspector.pk,
            },
            f,
        )
        verdict = choice(rng, VERDICTS, f)
        verdict = np.where(verdict == "permitted", "permitted_work", verdict)
        writer.write(
            Observation,
            {
                "id": ids(f),
                "child_id": ids(f),
                "kind": "identification",
                "organisation_id": office.pk,
                "observed_by_id": inspector.pk,
                "observed_on": days(visited[found_rows]),
                "commune_id": territory["commune_id"],
                "ruleset": "ma-labour-code",
                "ruleset_version": "1.0.0",
                "verdict": verdict.tolist(),
                "age": 13,
            },
            f,
        )
        writer.write(
            FoundChild,
            {
                "id": ids(f),
                "visit_id": (found_rows + 1).tolist(),
                "observation_id": ids(f),
                "child_id": ids(f),
                "verdict": verdict.tolist(),
                "removed": np.isin(verdict, ["hazardous", "worst_form"]).tolist(),
            },
            f,
        )
        counts["children_found"] = f

        if connection.vendor == "postgresql":
            from django.core.management.color import no_style

            models = [Establishment, Visit, EnforcementDocument, Violation, Child, Observation]
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [*models, FoundChild]):
                    cursor.execute(sql)
    return supervisor, counts


# --- Measuring ------------------------------------------------------------------------------


def timed(call: Callable[[], Any], runs: int) -> tuple[list[float], int, Any]:
    """Durations of ``runs`` calls (after one counting the SQL queries), the
    number of queries, and the last result."""
    from django.db import connection

    queries = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        result = call()
    durations = []
    for _ in range(runs):
        start = time.perf_counter()
        result = call()
        durations.append(time.perf_counter() - start)
    return durations, queries, result


def explain(user: Any) -> Iterator[str]:
    """The plan of each query of the report (``--explain``)."""
    from django.db import connection

    from himaya.inspection import report

    captured: list[tuple[str, Any]] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        report.annual_report(user=user, start=YEAR[0], end=YEAR[1])
    prefix = "EXPLAIN ANALYZE" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    for sql, params in captured:
        with connection.cursor() as cursor:
            start = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            yield f"{(time.perf_counter() - start) * 1e3:.0f} ms"
            cursor.execute(f"{prefix} {sql}", params)
            plan = "\n    ".join(" ".join(str(c) for c in row) for row in cursor.fetchall())
        yield f"{sql}\n    {plan}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--establishments", type=int, default=200_000)
    parser.add_argument("--children", type=int, default=60_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--explain", action="store_true", help="print each query's plan")
    args = parser.parse_args()
    configure()
    with throwaway_database() as where:
        run(args, where)


def run(args: argparse.Namespace, where: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import translation

    from himaya.geography.services import geography_load
    from himaya.inspection import report

    print(
        f"annual report — {where}; {platform.node()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {date.today().isoformat()}, "  # noqa: DTZ011
        f"load average {os.getloadavg()[0]:.1f}"
    )
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    geography_load()
    print(f"geography_load: {time.perf_counter() - start:.1f} s")
    sqlite = connection.vendor == "sqlite"
    if sqlite:  # a throw-away file: no journal while loading
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=OFF")
            cursor.execute("PRAGMA synchronous=OFF")
    start = time.perf_counter()
    supervisor, counts = build(args)
    summary = ", ".join(f"{name} {count:,}" for name, count in counts.items())
    print(f"bulk_load: {time.perf_counter() - start:.1f} s for {summary}")
    with connection.cursor() as cursor:
        if sqlite:  # back to the settings' journal; no ANALYZE, as in production
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        else:  # as autovacuum would soon after such a load
            start = time.perf_counter()
            cursor.execute("VACUUM ANALYZE")
            print(f"vacuum_analyze: {time.perf_counter() - start:.1f} s")

    if args.explain:
        for plan in explain(supervisor):
            print(plan)

    def make() -> report.AnnualReport:
        with translation.override("fr"):
            return report.annual_report(user=supervisor, start=YEAR[0], end=YEAR[1])

    durations, queries, result = timed(make, args.runs)
    median = statistics.median(durations)
    verdict = "ok" if median <= TARGET_SECONDS else "MISSED"
    print(
        f"annual_report: median {median:.2f} s, min {min(durations):.2f} s, "
        f"max {max(durations):.2f} s ({args.runs} runs, {queries} SQL queries; national "
        f"supervisor, {YEAR[0].year}; target ≤ {TARGET_SECONDS:.0f} s: {verdict})"
    )
    print(
        f"figures: {result.visits:,} visits, {result.establishments:,} establishments, "
        f"{result.children_found:,} children found, {result.violations_found:,} violations, "
        f"{result.formal_notices:,} notices, {result.violation_reports:,} reports, "
        f"fines {result.fine_minimum:,}–{result.fine_maximum:,} MAD, "
        f"{result.violations_open:,} open at the end"
    )
    assert sum(line.count for line in result.visits_by_region) == result.visits

    client = Client()
    client.force_login(supervisor)
    query = f"from={YEAR[0].isoformat()}&to={YEAR[1].isoformat()}"
    for name, url in (
        ("page", f"/fr/inspection/annual-report/?{query}"),
        ("csv", f"/fr/inspection/annual-report/csv/?{query}"),
        ("pdf_fr", f"/fr/inspection/annual-report/pdf/?{query}&language=fr"),
        ("pdf_ar", f"/fr/inspection/annual-report/pdf/?{query}&language=ar"),
    ):
        elapsed = []
        for _ in range(3):  # the first request also compiles templates, loads fonts
            start = time.perf_counter()
            response = client.get(url)
            elapsed.append(time.perf_counter() - start)
            if response.status_code != 200:
                print(f"annual_report_{name}: HTTP {response.status_code}, {url}")
                sys.exit(1)
        print(
            f"annual_report_{name}: median {statistics.median(elapsed):.2f} s, first "
            f"{elapsed[0]:.2f} s (3 requests, {len(response.content):,} bytes; audit included)"
        )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
