"""The annual report of the labour inspection (ILO C81, art. 21): figures, scope, pages,
CSV and PDF downloads."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import translation
from tests.inspection.conftest import find_child, make_establishment, plan_visit, record_visit

from himaya.accounts.models import Role, User
from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases import services as cases
from himaya.inspection import report as annual
from himaya.inspection import selectors
from himaya.inspection.models import (
    CHECKLIST,
    Establishment,
    FoundChild,
    Stage,
    Violation,
    Visit,
    VisitKind,
)
from himaya.inspection.services import enforcement, establishments, visits
from himaya.inspection.views.report import PERIOD_REVERSED, UNKNOWN_LANGUAGE

START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
URL = "/{language}/inspection/annual-report/{what}"


# --- The visits of the tests ------------------------------------------------------------


def _far_establishment(world: Any) -> Establishment:
    """An establishment of the world's office in the other region, registered by
    the office's inspector of that province."""
    return establishments.establishment_create(
        actor=world.far_inspector,
        data=establishments.EstablishmentIn(
            name="Ferme Al Baraka", sector="agriculture", commune=world.far_commune.code
        ),
    )


def _far_visit(world: Any, establishment: Establishment, on: datetime.date) -> Visit:
    visit = visits.visit_plan(
        actor=world.far_inspector,
        data=visits.VisitIn(
            establishment_id=establishment.pk,
            kind=VisitKind.JOINT,
            scheduled_on=on,
            inspector_ids=[world.far_inspector.pk],
            partners="UNICEF",
        ),
    )
    return visits.visit_record(
        actor=world.far_inspector,
        visit=visit,
        data=visits.VisitRecordIn(
            visited_on=on, checklist={code: "yes" for code, _label in CHECKLIST}
        ),
    )


def _far_child(world: Any, visit: Visit) -> FoundChild:
    assert visit.visited_on is not None
    return visits.visit_child_found(
        actor=world.far_inspector,
        visit=visit,
        household=cases.HouseholdIn(commune=world.far_commune.code, guardian_name="Khadija"),
        child=cases.ChildIn(
            first_name_ar="أمين",
            family_name_ar="الإدريسي",
            first_name_latin="Amine",
            family_name_latin="Idrissi",
            sex="M",
            birth_date=visit.visited_on - datetime.timedelta(days=13 * 366),
        ),
        observation=cases.ObservationIn(observed_on=None, economic_hours_week=20.0),
    )


def _issued_on(monkeypatch: pytest.MonkeyPatch, day: datetime.date) -> None:
    """Documents issued from now on are dated ``day``."""
    monkeypatch.setattr(enforcement, "today", lambda: day)


@pytest.fixture
def year(world: Any, offices: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A year of the world's office, in two regions, and visits just outside it.

    Region of the world (commune): a workshop (manufacturing) visited on the
    first day of the year, a child under the minimum age found, a formal notice,
    the follow-up visit finds the breach corrected; visited again in March,
    another child under the minimum age (a repeat offence, still open); a
    building site (construction) visited on a complaint on the last day of the
    year, a child on hazardous work (removed, straight to the violation report,
    issued that day) and a child on permitted work. Other region: a farm
    (agriculture) on a joint visit in June, a child under the minimum age (open).
    Outside the year: visits on 31 December 2024 and 1 January 2026 (a child
    found), a visit planned and not made, a visit cancelled."""
    world.national_supervisor = User.objects.create(
        username="national_supervisor",
        role=Role.SUPERVISOR,
        organisation=world.inspectorate,
        territory_code="",
    )
    workshop = make_establishment(world)
    site = make_establishment(world, name="Chantier Nour", sector="construction", ice="")
    farm = _far_establishment(world)

    first = record_visit(world, plan_visit(world, workshop, on=START))
    find_child(world, first, age=13)
    breach = Violation.objects.get(visit=first)
    _issued_on(monkeypatch, datetime.date(2025, 1, 2))
    enforcement.notice_issue(actor=world.inspector, visit=first, violation_ids=[breach.pk])
    breach.refresh_from_db()
    assert breach.follow_up is not None
    follow_up = record_visit(world, breach.follow_up, on=datetime.date(2025, 2, 3))
    enforcement.follow_up_conclude(
        actor=world.inspector, visit=follow_up, corrected_ids=[breach.pk]
    )

    march = record_visit(world, plan_visit(world, workshop, on=datetime.date(2025, 3, 10)))
    find_child(world, march, age=12, first_name="Omar")

    june = _far_visit(world, farm, datetime.date(2025, 6, 15))
    _far_child(world, june)

    last = record_visit(world, plan_visit(world, site, on=END, kind=VisitKind.COMPLAINT))
    find_child(world, last, age=16, first_name="Karim", hazards=["heights"], sector="construction")
    find_child(world, last, age=16, first_name="Said", economic_hours_week=10.0)
    _issued_on(monkeypatch, END)
    enforcement.report_issue(actor=world.inspector, visit=last)

    record_visit(world, plan_visit(world, workshop, on=datetime.date(2024, 12, 31)))
    after = record_visit(world, plan_visit(world, site, on=datetime.date(2026, 1, 1)))
    find_child(world, after, age=13, first_name="Hamza")
    plan_visit(world, site, on=datetime.date(2025, 5, 5))  # planned, never made
    cancelled = plan_visit(world, site, on=datetime.date(2025, 7, 7))
    visits.visit_cancel(actor=world.inspector, visit=cancelled)
    return world


def _counts(lines: Any) -> dict[str, int]:
    return {line.code: line.count for line in lines}


# --- The figures ------------------------------------------------------------------------


def test_every_figure_of_the_year_for_a_national_supervisor(year: Any) -> None:
    with translation.override("fr"):
        report = annual.annual_report(user=year.national_supervisor, start=START, end=END)

    # Inspections: the first visit, its follow-up, March, June (other region), December.
    assert (report.visits, report.establishments) == (5, 3)
    assert _counts(report.visits_by_region) == {year.region.code: 4, year.far_commune.region_id: 1}
    assert sum(line.count for line in report.visits_by_region) == report.visits
    names = {line.code: line.label for line in report.visits_by_region}
    assert names[year.region.code] == year.region.name_fr
    assert _counts(report.visits_by_sector) == {
        "manufacturing": 3,
        "construction": 1,
        "agriculture": 1,
    }
    assert _counts(report.visits_by_kind) == {
        VisitKind.PLANNED: 2,
        VisitKind.COMPLAINT: 1,
        VisitKind.FOLLOW_UP: 1,
        VisitKind.JOINT: 1,
    }
    # Children found.
    assert (report.children_found, report.children_in_child_labour) == (5, 4)
    assert report.children_removed == 1
    assert _counts(report.children_by_verdict) == {
        "child_labour": 3,
        "hazardous": 1,
        "permitted_work": 1,
    }
    labels = {line.code: line.label for line in report.children_by_verdict}
    assert labels["hazardous"] == "Travail dangereux"
    assert [line.code for line in report.children_by_verdict] == [
        "hazardous",
        "child_labour",
        "permitted_work",
    ]
    # Violations: three children under the minimum age (one a repeat), hazardous work.
    assert (report.violations_found, report.repeat_offences) == (4, 1)
    by_breach = {line.code: line for line in report.violations_by_breach}
    assert set(by_breach) == {"below_minimum_age", "hazardous_work"}
    minimum_age = by_breach["below_minimum_age"]
    assert (minimum_age.violations, minimum_age.children, minimum_age.repeat) == (3, 3, 1)
    assert "143" in minimum_age.article
    assert (by_breach["hazardous_work"].violations, by_breach["hazardous_work"].repeat) == (1, 0)
    assert by_breach["hazardous_work"].article
    # Enforcement: one notice (2 January), one report (31 December), its fine.
    assert (report.formal_notices, report.violation_reports) == (1, 1)
    assert (report.fine_minimum, report.fine_maximum) == (300, 500)
    # Outcomes: January's breach corrected, December's reported, March's and June's open.
    assert (report.violations_corrected, report.violations_persisting) == (1, 1)
    assert report.violations_open == 2
    assert (report.office, report.territory) == ("Inspection du travail", "")


def test_the_figures_match_the_records(year: Any) -> None:
    """Totals equal what is recorded, counted another way."""
    report = annual.annual_report(user=year.national_supervisor, start=START, end=END)
    done = Visit.objects.filter(status="done", visited_on__range=(START, END))
    assert report.visits == done.count()
    assert report.children_found == FoundChild.objects.filter(visit__in=done).count()
    assert report.violations_found == Violation.objects.filter(found_on__range=(START, END)).count()
    fined = Violation.objects.filter(report__isnull=False)
    assert report.fine_minimum == sum(v.fine_minimum or 0 for v in fined)
    assert (
        report.violations_open
        == Violation.objects.filter(
            stage__in=(Stage.ADVICE, Stage.FORMAL_NOTICE), found_on__lte=END
        ).count()
    )


@pytest.mark.parametrize(
    "who",
    ["national_supervisor", "inspection_supervisor", "far_inspector", "other_office_inspector"],
)
def test_documents_are_counted_in_the_scope_of_document_visible_to(year: Any, who: str) -> None:
    user = getattr(year, who)
    report = annual.annual_report(user=user, start=START, end=END)
    issued = selectors.document_visible_to(user).filter(issued_on__range=(START, END))
    assert report.formal_notices == issued.filter(kind="formal_notice").count()
    assert report.violation_reports == issued.filter(kind="violation_report").count()
    visible = selectors.violation_visible_to(user)
    assert report.violations_found == visible.filter(found_on__range=(START, END)).count()


def test_the_period_is_inclusive_at_both_ends(year: Any) -> None:
    first_day = annual.annual_report(user=year.national_supervisor, start=START, end=START)
    assert (first_day.visits, first_day.children_found, first_day.violations_found) == (1, 1, 1)
    assert first_day.formal_notices == 0  # issued the next day
    last_day = annual.annual_report(user=year.national_supervisor, start=END, end=END)
    assert (last_day.visits, last_day.children_found, last_day.violations_found) == (1, 2, 1)
    assert (last_day.violation_reports, last_day.fine_maximum) == (1, 500)
    assert last_day.violations_persisting == 1
    # The days just outside: one visit each, the second with a child.
    before = annual.annual_report(
        user=year.national_supervisor,
        start=datetime.date(2024, 12, 31),
        end=datetime.date(2024, 12, 31),
    )
    after = annual.annual_report(
        user=year.national_supervisor,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 1, 1),
    )
    assert (before.visits, before.children_found) == (1, 0)
    assert (after.visits, after.children_found, after.violations_found) == (1, 1, 1)


def test_a_regional_supervisor_sees_their_region_only(year: Any) -> None:
    report = annual.annual_report(user=year.inspection_supervisor, start=START, end=END)
    assert (report.visits, report.establishments) == (4, 2)
    assert _counts(report.visits_by_region) == {year.region.code: 4}
    assert (report.children_found, report.violations_found) == (4, 3)
    assert (report.formal_notices, report.violation_reports) == (1, 1)
    assert report.violations_open == 1  # March's; June's is in the other region
    assert report.territory == year.region.name_fr


def test_a_far_inspector_gets_their_territory_only(year: Any) -> None:
    report = annual.annual_report(user=year.far_inspector, start=START, end=END)
    assert (report.visits, report.establishments) == (1, 1)
    assert _counts(report.visits_by_region) == {year.far_commune.region_id: 1}
    assert _counts(report.visits_by_sector) == {"agriculture": 1}
    assert (report.children_found, report.children_in_child_labour) == (1, 1)
    assert (report.violations_found, report.violations_open) == (1, 1)
    assert (report.formal_notices, report.violation_reports, report.fine_maximum) == (0, 0, 0)


def _all_zero(report: annual.AnnualReport) -> None:
    assert all(value == 0 for _code, _label, value in report.key_figures())
    assert not report.visits_by_region
    assert not report.visits_by_sector
    assert all(line.count == 0 for line in report.visits_by_kind)
    assert not report.children_by_verdict
    assert not report.violations_by_breach


def test_another_office_gets_none_of_these_figures(year: Any) -> None:
    _all_zero(annual.annual_report(user=year.other_office_inspector, start=START, end=END))


@pytest.mark.parametrize("who", ["worker", "supervisor", "provider", "analyst", "administrator"])
def test_others_get_nothing(year: Any, who: str) -> None:
    _all_zero(annual.annual_report(user=getattr(year, who), start=START, end=END))


def test_the_default_period_is_the_last_calendar_year() -> None:
    assert annual.last_calendar_year(datetime.date(2026, 3, 4)) == (START, END)
    assert annual.last_calendar_year(datetime.date(2026, 1, 1)) == (START, END)


# --- The pages --------------------------------------------------------------------------


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def _url(what: str = "", prefix: str = "fr", **query: str) -> str:
    """The page (``what`` ""), or its download ("csv/", "pdf/"), under a language prefix."""
    return URL.format(language=prefix, what=what) + (f"?{urlencode(query)}" if query else "")


YEAR_2025 = {"from": "2025-01-01", "to": "2025-12-31"}


def test_the_page_shows_the_report_and_is_audited(client: Client, year: Any) -> None:
    response = _as(client, year.national_supervisor).get(_url(**YEAR_2025))
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.visits, report.children_found, report.violations_found) == (5, 5, 4)
    html = response.content.decode()
    assert year.region.name_fr in html and "Travail dangereux" in html
    entry = AuditEntry.objects.get(event=AuditEvent.ANNUAL_REPORT_VIEWED)
    assert entry.actor == year.national_supervisor
    assert entry.detail == {"from": "2025-01-01", "to": "2025-12-31"}


def test_the_page_shows_last_year_by_default(client: Client, year: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr("himaya.inspection.views.report.today", lambda: datetime.date(2026, 5, 1))
    response = _as(client, year.national_supervisor).get(_url())
    assert response.status_code == 200
    assert (response.context["report"].start, response.context["report"].end) == (START, END)
    assert response.context["report"].visits == 5


def test_region_names_are_in_arabic_on_the_arabic_page(client: Client, year: Any) -> None:
    response = _as(client, year.national_supervisor).get(_url(prefix="ar", **YEAR_2025))
    assert response.status_code == 200
    assert year.region.name_ar in response.content.decode()
    labels = {line.code: line.label for line in response.context["report"].visits_by_region}
    assert labels[year.region.code] == year.region.name_ar


@pytest.mark.parametrize("who", ["worker", "supervisor", "provider", "analyst"])
@pytest.mark.parametrize("what", ["", "csv/", "pdf/"])
def test_the_report_is_not_found_for_others(
    client: Client, world: Any, who: str, what: str
) -> None:
    response = _as(client, getattr(world, who)).get(_url(what))
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(
        event__in=(AuditEvent.ANNUAL_REPORT_VIEWED, AuditEvent.ANNUAL_REPORT_EXPORTED)
    ).exists()


def test_the_report_needs_a_login(client: Client, world: Any) -> None:
    response = client.get(_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_office_sees_zeros_on_the_page(client: Client, year: Any) -> None:
    response = _as(client, year.other_office_inspector).get(_url(**YEAR_2025))
    assert response.status_code == 200
    _all_zero(response.context["report"])


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "2025-12-31", "to": "2025-01-01"}, "to", PERIOD_REVERSED),
        ({"from": "2025-13-01", "to": "2025-12-31"}, "from", "Enter a valid date."),
        ({"from": "2025-01-01", "to": "yesterday"}, "to", "Enter a valid date."),
        ({"from": "", "to": "2025-12-31"}, "from", "This field is required."),
    ],
)
@pytest.mark.parametrize("what", ["", "csv/", "pdf/"])
def test_a_bad_period_is_refused_naming_the_field(
    client: Client,
    world: Any,
    offices: Any,
    query: dict[str, str],
    field: str,
    message: Any,
    what: str,
) -> None:
    label = {"from": "From", "to": "To"}[field]
    response = _as(client, world.inspection_supervisor).get(_url(what, prefix="en", **query))
    assert response.status_code == 400
    with translation.override("en"):  # the page's language, not the one at collection
        assert f"{label}: {message}" in response.content.decode()
    if not what:
        assert field in response.context["form"].errors
    assert not AuditEntry.objects.filter(
        event__in=(AuditEvent.ANNUAL_REPORT_VIEWED, AuditEvent.ANNUAL_REPORT_EXPORTED)
    ).exists()


# --- The downloads ----------------------------------------------------------------------


def _sections(content: bytes) -> dict[str, list[list[str]]]:
    """{section code: [headings, row, row…]} of the report's CSV file."""
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sections: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for row in rows:
        if not row:
            current = None
        elif current is None:
            current = sections.setdefault(row[0], [])
        else:
            current.append(row)
    return sections


def test_the_csv_file_holds_every_table_with_the_same_figures(client: Client, year: Any) -> None:
    response = _as(client, year.national_supervisor).get(_url("csv/", **YEAR_2025))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "annual-report-2025-01-01-2025-12-31.csv" in response["Content-Disposition"]
    sections = _sections(response.content)
    assert set(sections) == {
        "period",
        "summary",
        "visits_by_region",
        "visits_by_sector",
        "visits_by_kind",
        "children_by_verdict",
        "violations_by_breach",
        "enforcement",
        "outcomes",
    }
    assert sections["period"][1][:2] == ["2025-01-01", "2025-12-31"]
    summary = {row[0]: int(row[2]) for row in sections["summary"][1:]}
    assert summary["visits"] == 5 and summary["establishments"] == 3
    assert summary["children_found"] == 5 and summary["children_removed"] == 1
    assert (summary["violations_found"], summary["repeat_offences"]) == (4, 1)
    assert (summary["formal_notices"], summary["violation_reports"]) == (1, 1)
    assert (summary["fine_minimum"], summary["fine_maximum"]) == (300, 500)
    assert summary["violations_corrected"] == 1 and summary["violations_open"] == 2
    regions = sections["visits_by_region"]
    assert len(regions[0]) == 3  # code, region, visits
    by_region = {row[0]: int(row[2]) for row in regions[1:] if row[0]}
    assert by_region == {year.region.code: 4, year.far_commune.region_id: 1}
    assert int(regions[-1][2]) == sum(by_region.values()) == 5  # the total row
    by_verdict = {row[0]: int(row[2]) for row in sections["children_by_verdict"][1:] if row[0]}
    assert by_verdict == {"child_labour": 3, "hazardous": 1, "permitted_work": 1}
    breaches = {row[0]: row for row in sections["violations_by_breach"][1:] if row[0]}
    assert "143" in breaches["below_minimum_age"][2]
    assert [int(n) for n in breaches["below_minimum_age"][3:]] == [3, 3, 1]
    outcomes = {row[0]: int(row[2]) for row in sections["outcomes"][1:]}
    assert outcomes == {"corrected": 1, "persisting": 1, "open": 2}
    entry = AuditEntry.objects.get(event=AuditEvent.ANNUAL_REPORT_EXPORTED)
    assert entry.detail == {"from": "2025-01-01", "to": "2025-12-31", "format": "csv"}


def test_the_csv_file_of_another_office_has_only_zeros(client: Client, year: Any) -> None:
    response = _as(client, year.other_office_inspector).get(_url("csv/", **YEAR_2025))
    sections = _sections(response.content)
    assert all(int(row[2]) == 0 for row in sections["summary"][1:])
    total_only = sections["visits_by_region"][1:]
    assert [(row[0], row[2]) for row in total_only] == [("", "0")]


def test_the_csv_file_does_not_start_formulas(client: Client, world: Any, offices: Any) -> None:
    world.inspectorate.name = '=HYPERLINK("http://example.org")'
    world.inspectorate.save()
    response = _as(client, world.inspection_supervisor).get(_url("csv/", **YEAR_2025))
    scope = _sections(response.content)["period"][1][2]
    assert scope.startswith("'=HYPERLINK")


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_pdf_file_in_french_and_arabic(client: Client, year: Any, language: str) -> None:
    response = _as(client, year.national_supervisor).get(
        _url("pdf/", **YEAR_2025, language=language)
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"annual-report-2025-01-01-2025-12-31-{language}.pdf" in response["Content-Disposition"]
    entry = AuditEntry.objects.get(event=AuditEvent.ANNUAL_REPORT_EXPORTED)
    assert entry.detail == {
        "from": "2025-01-01",
        "to": "2025-12-31",
        "format": "pdf",
        "language": language,
    }


def test_the_pdf_file_of_an_empty_report(client: Client, world: Any, offices: Any) -> None:
    response = _as(client, world.other_office_inspector).get(_url("pdf/", language="ar"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    response = client.get(_url("pdf/", prefix="ar"))  # the page's language by default
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "-ar.pdf" in response["Content-Disposition"]


def test_the_pdf_in_another_language_is_refused(client: Client, world: Any, offices: Any) -> None:
    response = _as(client, world.inspection_supervisor).get(
        _url("pdf/", prefix="en", language="de")
    )
    assert response.status_code == 400
    assert f"Language: {UNKNOWN_LANGUAGE}" in response.content.decode()
    # On the English page, the PDF is in French unless asked.
    response = client.get(_url("pdf/", prefix="en"))
    assert response.status_code == 200
    assert "-fr.pdf" in response["Content-Disposition"]
