"""The pages of visits: list, planning, the visit page and its actions, children
found, documents, the inspector's day; and who may open them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from tests.inspection.conftest import (
    ALL_YES,
    find_child,
    make_establishment,
    plan_visit,
    record_visit,
)

from himaya.accounts.models import Role, User
from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases.models import Case
from himaya.cases.services import today
from himaya.inspection.models import (
    CHECKLIST,
    EnforcementDocument,
    Establishment,
    FoundChild,
    Stage,
    Violation,
    Visit,
    VisitKind,
    VisitStatus,
)
from himaya.inspection.services import enforcement


def url(name: str, *args: Any, language: str = "fr") -> str:
    with translation.override(language):
        return reverse(f"inspection:{name}", args=args)


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def _checklist(**answers: str) -> dict[str, str]:
    data = {f"check_{code}": answer for code, answer in ALL_YES.items()}
    data.update({f"check_{code}": answer for code, answer in answers.items()})
    return data


def _notice(world: Any, visit: Visit) -> EnforcementDocument:
    """A child of 13 found in the visit, and a formal notice for the breach."""
    find_child(world, visit, age=13)
    violation = Violation.objects.get(visit=visit)
    return enforcement.notice_issue(
        actor=world.inspector, visit=visit, violation_ids=[violation.pk]
    )


# --- Who may open the pages -------------------------------------------------------------


def test_every_page_renders_for_the_inspector(
    client: Client, world: Any, offices: Any, visit: Visit
) -> None:
    document = _notice(world, visit)
    found = FoundChild.objects.get(visit=visit)
    _as(client, world.inspector)

    pages = [
        url("visits"),
        url("visits") + f"?establishment={visit.establishment_id}",
        url("visit_create"),
        url("visit_create") + f"?establishment={visit.establishment_id}",
        url("visit", visit.pk),
        url("visit_child", visit.pk),
        url("visit_child_saved", visit.pk, found.pk),
        url("day"),
        url("establishment", visit.establishment_id),
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page
    viewed = AuditEntry.objects.filter(event=AuditEvent.VISIT_VIEWED, object_id=str(visit.pk))
    assert viewed.filter(actor=world.inspector).count() == 1  # the page lists the children
    html = client.get(url("visit", visit.pk, language="ar")).content.decode()
    assert 'dir="rtl"' in html
    assert f'<bdi dir="ltr">{document.number}</bdi>' in html  # numbers left to right
    assert url("document", document.pk, "fr", language="ar") in html
    assert url("document", document.pk, "ar", language="ar") in html
    # A supervisor of the office too.
    _as(client, offices.inspection_supervisor)
    for page in (url("visit", visit.pk), url("visit_child", visit.pk), url("day")):
        assert client.get(page).status_code == 200, page


@pytest.mark.parametrize(
    "who", ["other_office_inspector", "far_inspector", "worker", "provider", "analyst"]
)
def test_the_visit_pages_are_not_found_for_others(
    client: Client, world: Any, offices: Any, visit: Visit, who: str
) -> None:
    document = _notice(world, visit)
    found = FoundChild.objects.get(visit=visit)
    violation = Violation.objects.get(visit=visit)
    user = getattr(offices, who)
    _as(client, user)

    for page in (
        url("visit", visit.pk),
        url("visit_child", visit.pk),
        url("visit_child_saved", visit.pk, found.pk),
        url("document", document.pk, "fr"),
        url("document", document.pk, "ar"),
        url("visits") + f"?establishment={visit.establishment_id}",
        url("visit_create") + f"?establishment={visit.establishment_id}",
    ):
        assert client.get(page).status_code == 404, page
    assert not AuditEntry.objects.filter(event=AuditEvent.VISIT_VIEWED, actor=user).exists()
    for action in ("visit_record", "visit_cancel", "visit_notice", "visit_report"):
        assert client.post(url(action, visit.pk), {}).status_code == 404, action
    posted = client.post(url("visit_follow_up", visit.pk), {f"outcome_{violation.pk}": "corrected"})
    assert posted.status_code == 404
    if user.role == Role.INSPECTOR:  # staff of an inspection office: their own (empty) pages
        assert client.get(url("visits")).context["page"].paginator.count == 0
        assert client.get(url("day")).context["visits"] == []
        assert client.get(url("visit_create")).status_code == 200
    else:
        for page in (url("visits"), url("visit_create"), url("day")):
            assert client.get(page).status_code == 404, page


# --- The list ---------------------------------------------------------------------------


def test_the_list_filters_by_status_kind_month_and_establishment(
    client: Client, world: Any, establishment: Establishment
) -> None:
    other = make_establishment(world, name="Ferme Bouchra", ice="")
    done = record_visit(world, plan_visit(world, establishment, on=datetime.date(2026, 1, 5)))
    planned = plan_visit(world, other, on=datetime.date(2026, 2, 9), kind=VisitKind.COMPLAINT)
    _as(client, world.inspector)

    def listed(query: str = "") -> list[int]:
        response = client.get(url("visits") + query)
        assert response.status_code == 200
        return [v.pk for v in response.context["page"].object_list]

    assert listed() == [planned.pk, done.pk]  # newest first
    assert listed("?status=done") == [done.pk]
    assert listed("?kind=complaint") == [planned.pk]
    assert listed("?month=2026-01") == [done.pk]
    assert listed(f"?establishment={other.pk}") == [planned.pk]
    response = client.get(url("visits") + "?month=janvier")
    assert 'id="id_month_error"' in response.content.decode()
    assert response.context["page"].paginator.count == 2  # a bad filter is not applied


# --- Planning ---------------------------------------------------------------------------


def test_planning_a_visit(client: Client, world: Any, establishment: Establishment) -> None:
    _as(client, world.inspector)
    page = client.get(url("visit_create") + f"?establishment={establishment.pk}")
    assert page.context["form"].initial["establishment"] == establishment.pk
    day = today() + datetime.timedelta(days=3)

    response = client.post(
        url("visit_create"),
        {
            "establishment": establishment.pk,
            "kind": VisitKind.PLANNED,
            "scheduled_on": day.isoformat(),
            "inspectors": [world.inspector.pk],
        },
    )

    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == url("visit", visit.pk)
    assert (visit.establishment, visit.scheduled_on, visit.status) == (
        establishment,
        day,
        VisitStatus.PLANNED,
    )
    assert list(visit.inspectors.all()) == [world.inspector]


def test_planning_with_bad_input_names_each_field_and_saves_nothing(
    client: Client, world: Any, offices: Any, establishment: Establishment
) -> None:
    _as(client, world.inspector)
    response = client.post(url("visit_create"), {"scheduled_on": "demain", "kind": "raid"})

    html = response.content.decode()
    assert response.status_code == 400
    for name in ("establishment", "kind", "scheduled_on", "inspectors"):
        assert f'id="id_{name}_error"' in html, name
        assert f'href="#id_{name}"' in html, name  # the error summary links to it
    assert not Visit.objects.exists()

    # The service's checks come back on their fields too.
    response = client.post(
        url("visit_create"),
        {
            "establishment": establishment.pk,
            "kind": VisitKind.JOINT,
            "scheduled_on": today().isoformat(),
            "inspectors": [offices.far_inspector.pk],  # not in the establishment's territory
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_partners_error"' in html and 'id="id_inspectors_error"' in html
    assert not Visit.objects.exists()


# --- The visit page and its actions ------------------------------------------------------


def test_recording_the_checklist(client: Client, world: Any, establishment: Establishment) -> None:
    visit = plan_visit(world, establishment)
    _as(client, world.inspector)
    page = client.get(url("visit", visit.pk)).content.decode()
    for code, _label in CHECKLIST:
        assert f'name="check_{code}" value="na"' in page
    # No child before the visit is recorded: back to the checklist, with the reason.
    early = client.get(url("visit_child", visit.pk))
    assert early.status_code == 302 and early["Location"] == url("visit", visit.pk) + "#checklist"

    missing = _checklist()
    del missing["check_hours"]
    response = client.post(
        url("visit_record", visit.pk), {"visited_on": today().isoformat(), **missing}
    )
    assert response.status_code == 400
    assert 'id="id_check_hours_error"' in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED and visit.checklist == {}

    response = client.post(
        url("visit_record", visit.pk),
        {"visited_on": today().isoformat(), "notes": "Registre à jour.", **_checklist(hours="no")},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE and visit.visited_on == today()
    assert visit.checklist["hours"] == "no" and visit.notes == "Registre à jour."


def test_cancelling_a_visit(client: Client, world: Any, establishment: Establishment) -> None:
    planned = plan_visit(world, establishment)
    _as(client, world.inspector)

    assert client.post(url("visit_cancel", planned.pk)).status_code == 302
    planned.refresh_from_db()
    assert planned.status == VisitStatus.CANCELLED
    # Only a planned visit can be cancelled: the service's refusal is shown.
    refused = client.post(url("visit_cancel", planned.pk))
    assert refused.status_code == 400
    assert "error-summary" in refused.content.decode()


def test_adding_a_child_found_opens_a_case_and_a_violation(
    client: Client, world: Any, visit: Visit
) -> None:
    _as(client, world.inspector)
    form = client.get(url("visit_child", visit.pk)).content.decode()
    assert 'name="guardian_name"' in form and 'name="first_name_ar"' in form
    assert 'name="observed_on"' not in form  # the visit fixes the date
    born = visit.day - datetime.timedelta(days=13 * 366)
    data = {
        "region": world.region.code,
        "province": world.province.code,
        "commune": world.commune.code,
        "guardian_name": "Fatima Amrani",
        "first_name_ar": "يوسف",
        "family_name_ar": "العمراني",
        "first_name_latin": "Youssef",
        "family_name_latin": "El Amrani",
        "sex": "M",
        "birth_date": born.isoformat(),
        "economic_hours_week": "20",
    }
    bad = client.post(url("visit_child", visit.pk), {**data, "birth_date": ""})
    assert bad.status_code == 400 and 'id="id_birth_date_error"' in bad.content.decode()
    assert not FoundChild.objects.exists()

    response = client.post(url("visit_child", visit.pk), data)

    found = FoundChild.objects.get(visit=visit)
    assert response.status_code == 302
    assert response["Location"] == url("visit_child_saved", visit.pk, found.pk)
    case = Case.objects.get(child=found.child)
    assert found.case == case and found.observation.observed_on == visit.visited_on
    violation = Violation.objects.get(visit=visit)
    assert (violation.breach, violation.stage) == ("below_minimum_age", Stage.ADVICE)
    saved = client.get(response["Location"]).content.decode()
    assert 'data-verdict="child_labour"' in saved
    assert "verdict__explanation" in saved  # why, in the user's language
    assert reverse("cases:detail", args=[case.pk]) in saved
    page = client.get(url("visit", visit.pk)).content.decode()
    assert reverse("cases:detail", args=[case.pk]) in page
    assert "25\u202f000" in page or "25 000" in page or "25\xa0000" in page  # the fine


def test_serving_a_formal_notice(client: Client, world: Any, visit: Visit) -> None:
    find_child(world, visit, age=13)
    violation = Violation.objects.get(visit=visit)
    _as(client, world.inspector)
    page = client.get(url("visit", visit.pk))
    assert page.context["forms"]["notice"].initial["deadline"] == visit.day + datetime.timedelta(
        days=30
    )
    refused = client.post(url("visit_notice", visit.pk), {"deadline": visit.day.isoformat()})
    assert refused.status_code == 400
    assert not EnforcementDocument.objects.exists()

    deadline = visit.day + datetime.timedelta(days=20)
    response = client.post(
        url("visit_notice", visit.pk),
        {"violations": [violation.pk], "deadline": deadline.isoformat()},
    )

    assert response.status_code == 302
    document = EnforcementDocument.objects.get()
    assert document.kind == EnforcementDocument.Kind.FORMAL_NOTICE
    violation.refresh_from_db()
    assert violation.stage == Stage.FORMAL_NOTICE and violation.notice == document
    follow_up = Visit.objects.get(kind=VisitKind.FOLLOW_UP)
    assert follow_up.scheduled_on == deadline and violation.follow_up == follow_up
    html = client.get(url("visit", visit.pk)).content.decode()
    assert document.number in html


def test_a_persisting_breach_then_the_violation_report(
    client: Client, world: Any, establishment: Establishment
) -> None:
    first_day = today() - datetime.timedelta(days=40)
    first = record_visit(world, plan_visit(world, establishment, on=first_day))
    _notice(world, first)
    violation = Violation.objects.get(visit=first)
    follow_up = violation.follow_up
    assert follow_up is not None
    _as(client, world.inspector)
    recorded = client.post(
        url("visit_record", follow_up.pk),
        {"visited_on": follow_up.scheduled_on.isoformat(), **_checklist(minimum_age="no")},
    )
    assert recorded.status_code == 302
    page = client.get(url("visit", follow_up.pk))
    assert f"outcome_{violation.pk}" in page.context["forms"]["follow_up"].fields
    missing = client.post(url("visit_follow_up", follow_up.pk), {})
    assert missing.status_code == 400

    concluded = client.post(
        url("visit_follow_up", follow_up.pk), {f"outcome_{violation.pk}": "persisting"}
    )

    assert concluded.status_code == 302
    violation.refresh_from_db()
    assert violation.stage == Stage.VIOLATION_REPORT
    assert "report" in client.get(url("visit", follow_up.pk)).context["forms"]
    reported = client.post(url("visit_report", follow_up.pk))
    assert reported.status_code == 302
    report = EnforcementDocument.objects.get(kind=EnforcementDocument.Kind.VIOLATION_REPORT)
    violation.refresh_from_db()
    assert violation.report == report and report.visit == follow_up
    again = client.post(url("visit_report", follow_up.pk))  # nothing left: the message is shown
    assert again.status_code == 400 and "error-summary" in again.content.decode()


# --- Documents -----------------------------------------------------------------------------


def test_downloading_a_document(client: Client, world: Any, offices: Any, visit: Visit) -> None:
    document = _notice(world, visit)
    _as(client, world.inspector)

    for language in ("fr", "ar"):
        response = client.get(url("document", document.pk, language))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert response["Content-Disposition"].startswith("attachment;")
        assert f"{document.number}-{language}.pdf" in response["Content-Disposition"]
        assert response["Cache-Control"] == "no-store"
    assert client.get(url("document", document.pk, "xx")).status_code == 404
    _as(client, offices.other_office_inspector)
    assert client.get(url("document", document.pk, "fr")).status_code == 404


# --- The inspector's day --------------------------------------------------------------------


def test_the_day_lists_only_today_s_visits_of_that_inspector(
    client: Client, world: Any, offices: Any, establishment: Establishment
) -> None:
    colleague = User.objects.create(
        username="colleague",
        role=Role.INSPECTOR,
        organisation=world.inspectorate,
        territory_code=world.region.code,
    )

    def visit_of(name: str, on: datetime.date, inspector: User = world.inspector) -> Visit:
        place = make_establishment(world, name=name, ice="")
        planned = plan_visit(world, place, on=on)
        planned.inspectors.set([inspector])
        return planned

    mine = visit_of("Atelier du jour", today())
    done = record_visit(world, visit_of("Garage du matin", today()))
    find_child(world, done, age=13)
    theirs = visit_of("Ferme du collègue", today(), colleague)
    visit_of("Atelier de demain", today() + datetime.timedelta(days=1))
    visit_of("Atelier d'hier", today() - datetime.timedelta(days=1))
    cancelled = visit_of("Atelier annulé", today())
    cancelled.status = VisitStatus.CANCELLED
    cancelled.save()
    _as(client, world.inspector)

    response = client.get(url("day"))

    assert [v.pk for v in response.context["visits"]] == [mine.pk, done.pk]  # planned first
    html = response.content.decode()
    assert "Atelier du jour" in html and "Garage du matin" in html
    assert "Ferme du collègue" not in html and "demain" not in html and "annulé" not in html
    assert url("visit_child", mine.pk) in html and url("visit", mine.pk) + "#checklist" in html
    assert "<table" not in html  # cards, readable on a phone
    # A supervisor sees the office's visits of the day.
    _as(client, offices.inspection_supervisor)
    office = client.get(url("day")).context["visits"]
    assert {v.pk for v in office} == {mine.pk, done.pk, theirs.pk}


def test_the_visit_page_needs_no_more_queries_with_more_records(
    client: Client, world: Any, visit: Visit
) -> None:
    _as(client, world.inspector)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url("visit", visit.pk))
        assert response.status_code == 200
        return len(captured.captured_queries)

    find_child(world, visit, age=13, first_name="Youssef")
    client.get(url("visit", visit.pk))  # the session, once
    before = queries()
    find_child(world, visit, age=16, hazards=["heights"], first_name="Omar")
    find_child(world, visit, age=12, first_name="Karim")
    enforcement.report_issue(actor=world.inspector, visit=visit)
    assert queries() == before <= 15


def test_the_establishment_page_tells_its_visits_and_findings(
    client: Client, world: Any, visit: Visit
) -> None:
    page = _as(client, world.inspector).get(url("establishment", visit.establishment_id))
    html = page.content.decode()
    assert url("visit", visit.pk) in html and 'data-status="done"' in html
    assert page.context["violations"] == []

    _notice(world, visit)

    page = client.get(url("establishment", visit.establishment_id))
    html = page.content.decode()
    [row] = page.context["violations"]
    assert row.violation.breach == "below_minimum_age"
    assert 'data-stage="formal_notice"' in html and "art. 151" in html
    follow_up = Visit.objects.get(kind=VisitKind.FOLLOW_UP)
    assert url("visit", follow_up.pk) in html  # the follow-up planned on the deadline


def _child_data(world: Any, visit: Visit, age: int, **observation: str) -> dict[str, str]:
    born = visit.day - datetime.timedelta(days=age * 366)
    return {
        "region": world.region.code,
        "province": world.province.code,
        "commune": world.commune.code,
        "guardian_name": "Fatima Amrani",
        "first_name_ar": "عمر",
        "family_name_ar": "العمراني",
        "first_name_latin": "Omar",
        "family_name_latin": "El Amrani",
        "sex": "M",
        "birth_date": born.isoformat(),
        "economic_hours_week": "30",
        **observation,
    }


def test_the_verdict_is_shown_before_saving_the_child_found(
    client: Client, world: Any, visit: Visit
) -> None:
    _as(client, world.inspector)
    data = {**_child_data(world, visit, 16, hazards="heights"), "preview": "1"}

    fragment = client.post(url("visit_child", visit.pk), data, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert fragment.status_code == 200 and 'data-verdict="hazardous"' in html
    assert "<form" not in html and "verdict__explanation" in html  # the fragment only

    page = client.post(url("visit_child", visit.pk), data)  # without JavaScript
    html = page.content.decode()
    assert page.status_code == 200 and 'data-verdict="hazardous"' in html
    assert 'value="Omar"' in html  # the form again, filled in
    assert not FoundChild.objects.exists() and not Case.objects.exists()  # nothing saved

    # Bad values (no birth date, negative hours): said, no verdict, nothing saved.
    bad = {**data, "birth_date": "", "economic_hours_week": "-3"}
    fragment = client.post(url("visit_child", visit.pk), bad, HTTP_HX_REQUEST="true")
    assert "error-summary" in fragment.content.decode()
    assert 'data-verdict="' not in fragment.content.decode()
    assert not FoundChild.objects.exists()
