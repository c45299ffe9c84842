"""The inspectorate's API: the register, visits, children found, enforcement and
its documents; bad input; and scope (staff of the office, in its territory, only)."""

import datetime
from typing import Any

import pytest
from tests.inspection.conftest import (
    ALL_YES,
    VALID_ICE,
    find_child,
    make_establishment,
    plan_visit,
    record_visit,
)

from himaya.accounts.models import Organisation, OrganisationKind, Role, User
from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases import services as cases
from himaya.cases.models import Case, Child, Observation
from himaya.inspection.models import (
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

from .conftest import keys_of
from .test_errors import assert_invalid

pytestmark = pytest.mark.django_db

API = "/api/inspection"
TODAY = cases.today()
NAME_KEYS = {"first_name_ar", "family_name_ar", "first_name_latin", "family_name_latin"}


def child_body(world: Any, age: int = 13, **observation: Any) -> dict[str, Any]:
    born = TODAY - datetime.timedelta(days=age * 366)
    return {
        "household": {"commune": world.commune.code, "guardian_name": "Fatima Amrani"},
        "child": {
            "first_name_ar": "يوسف",
            "family_name_ar": "العمراني",
            "first_name_latin": "Youssef",
            "family_name_latin": "El Amrani",
            "sex": "M",
            "birth_date": born.isoformat(),
        },
        "observation": {"economic_hours_week": 20, **observation},
    }


@pytest.fixture
def offices(world: Any) -> Any:
    """As ``tests/inspection/conftest.py``'s: an inspector of another office, and a
    supervisor and a provincial inspector (of another province) of the world's office."""
    other = Organisation.objects.create(
        name="Inspection de Tanger", kind=OrganisationKind.INSPECTORATE, territory_code=""
    )

    def user(name: str, role: str, organisation: Organisation, territory: str) -> User:
        return User.objects.create(
            username=name, role=role, organisation=organisation, territory_code=territory
        )

    world.other_office_inspector = user("other_office", Role.INSPECTOR, other, world.region.code)
    world.inspection_supervisor = user(
        "inspection_supervisor", Role.SUPERVISOR, world.inspectorate, world.region.code
    )
    world.far_inspector = user(
        "far_inspector", Role.INSPECTOR, world.inspectorate, world.far_commune.province_id
    )
    return world


@pytest.fixture
def establishment(world: Any) -> Establishment:
    return make_establishment(world)


@pytest.fixture
def visit(world: Any, establishment: Establishment) -> Visit:
    """A visit of the establishment, recorded today with every check passed."""
    return record_visit(world, plan_visit(world, establishment))


def assert_no_name(response: Any) -> None:
    assert not keys_of(response.json()) & NAME_KEYS
    text = response.content.decode()
    assert "Youssef" not in text and "Amrani" not in text and "يوسف" not in text


# --- The register ----------------------------------------------------------------------


def test_establishments_add_list_search_and_detail(world: Any, caller: Any) -> None:
    api = caller(world.inspector)
    body = {
        "name": " Atelier   Al Amal ",
        "sector": "manufacturing",
        "commune": world.commune.code,
        "ice": VALID_ICE,
        "workers": 12,
        "contact_phone": "0612345678",
    }
    created = api.post(f"{API}/establishments/", body)
    assert created.status_code == 201, created.json()
    establishment = Establishment.objects.get()
    assert (establishment.name, establishment.office) == ("Atelier Al Amal", world.inspectorate)
    assert created.json()["id"] == establishment.pk
    assert created.json()["visits"] == [] and created.json()["violations_by_stage"] == {}
    informal = make_establishment(world, name="Souk Laayoune", ice="", sector="trade")

    def ids(**params: Any) -> list[int]:
        response = api.get(f"{API}/establishments/", params)
        assert response.status_code == 200, response.json()
        return [item["id"] for item in response.json()["items"]]

    assert ids() == [establishment.pk, informal.pk]
    assert ids(sector="trade") == [informal.pk]
    assert ids(informal="true") == [informal.pk]
    assert ids(informal="false", commune=world.commune.code) == [establishment.pk]
    page = api.get(f"{API}/establishments/", {"page": 2, "page_size": 1}).json()
    assert (page["count"], page["page"], page["page_size"]) == (2, 2, 1)
    assert [item["id"] for item in page["items"]] == [informal.pk]
    # Names go in the body, never in the address.
    assert_invalid(api.get(f"{API}/establishments/", {"q": "Souk"}), "q")
    found = api.post(f"{API}/establishments/search", {"q": "souk"}).json()
    assert [item["id"] for item in found["items"]] == [informal.pk]
    by_ice = api.post(f"{API}/establishments/search", {"q": VALID_ICE, "filters": {}}).json()
    assert [item["id"] for item in by_ice["items"]] == [establishment.pk]

    visit = record_visit(world, plan_visit(world, establishment))
    find_child(world, visit, age=13)
    detail = api.get(f"{API}/establishments/{establishment.pk}")
    assert detail.status_code == 200
    history = detail.json()
    assert [v["id"] for v in history["visits"]] == [visit.pk]
    assert history["children_found"] == 1
    assert [v["breach"] for v in history["violations"]] == ["below_minimum_age"]
    assert history["violations_by_stage"] == {"advice": 1}
    assert_no_name(detail)


def test_establishment_bad_input_names_every_field(world: Any, caller: Any) -> None:
    api = caller(world.inspector)
    body = {"name": "", "sector": "mining_on_mars", "commune": "99.999", "ice": "123"}
    errors = assert_invalid(api.post(f"{API}/establishments/", body), "name", "sector", "commune")
    assert "ice" in errors
    assert_invalid(api.post(f"{API}/establishments/", {"name": "X"}), "sector", "commune")
    assert not Establishment.objects.exists()


# --- Visits ------------------------------------------------------------------------------


def test_plan_list_and_record_a_visit(world: Any, caller: Any, establishment: Any) -> None:
    api = caller(world.inspector)
    planned = api.post(
        f"{API}/visits/",
        {
            "establishment_id": establishment.pk,
            "kind": "planned",
            "scheduled_on": TODAY.isoformat(),
            "inspector_ids": [world.inspector.pk],
        },
    )
    assert planned.status_code == 201, planned.json()
    visit = Visit.objects.get()
    assert (visit.status, visit.establishment, visit.office) == (
        VisitStatus.PLANNED,
        establishment,
        world.inspectorate,
    )
    assert planned.json()["inspector_ids"] == [world.inspector.pk]
    earlier = plan_visit(world, establishment, on=TODAY - datetime.timedelta(days=10))

    def ids(**params: Any) -> list[int]:
        response = api.get(f"{API}/visits/", params)
        assert response.status_code == 200, response.json()
        return [item["id"] for item in response.json()["items"]]

    assert ids() == [visit.pk, earlier.pk]
    assert ids(**{"from": TODAY.isoformat()}) == [visit.pk]
    assert ids(to=(TODAY - datetime.timedelta(days=1)).isoformat()) == [earlier.pk]
    assert ids(kind="complaint") == []
    assert ids(status="planned", kind="planned") == [visit.pk, earlier.pk]

    checklist = {**ALL_YES, "register": "no"}
    recorded = api.post(
        f"{API}/visits/{visit.pk}/record",
        {"visited_on": TODAY.isoformat(), "checklist": checklist, "notes": "Registre absent."},
    )
    assert recorded.status_code == 200, recorded.json()
    visit.refresh_from_db()
    assert (visit.status, visit.visited_on, visit.checklist) == (
        VisitStatus.DONE,
        TODAY,
        checklist,
    )
    assert visit.notes == "Registre absent."
    establishment.refresh_from_db()
    assert establishment.last_visit_on == TODAY
    assert ids(status="done") == [visit.pk]
    detail = api.get(f"{API}/visits/{visit.pk}").json()
    assert detail["checklist"]["register"] == "no" and detail["establishment"]["id"] == (
        establishment.pk
    )
    assert detail["children_found"] == [] and detail["documents"] == []


def test_visit_bad_input_names_every_field(
    world: Any, caller: Any, establishment: Any, offices: Any
) -> None:
    api = caller(world.inspector)
    stranger = make_establishment(world, name="Ailleurs", ice="")
    stranger.office = Organisation.objects.create(
        name="Autre", kind=OrganisationKind.INSPECTORATE, territory_code=""
    )
    stranger.save()
    body = {
        "establishment_id": stranger.pk,
        "kind": "joint",
        "scheduled_on": TODAY.isoformat(),
        "inspector_ids": [offices.other_office_inspector.pk],
    }
    assert_invalid(
        api.post(f"{API}/visits/", body), "establishment_id", "inspector_ids", "partners"
    )
    assert_invalid(api.post(f"{API}/visits/", {"kind": "party"}), "establishment_id", "kind")
    assert not Visit.objects.exists()

    visit = plan_visit(world, establishment)
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    errors = assert_invalid(
        api.post(
            f"{API}/visits/{visit.pk}/record",
            {"visited_on": tomorrow, "checklist": {"register": "maybe"}},
        ),
        "visited_on",
        "check_register",
        "check_age_proof",
    )
    assert len(errors) == 1 + len(ALL_YES)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED and visit.checklist == {}


# --- Children found ------------------------------------------------------------------------


def test_a_child_found_opens_a_case_without_a_name_in_the_response(
    world: Any, caller: Any, visit: Any
) -> None:
    api = caller(world.inspector)
    response = api.post(f"{API}/visits/{visit.pk}/children", child_body(world, age=13))
    assert response.status_code == 201, response.json()
    assert_no_name(response)
    found = FoundChild.objects.get()
    case = Case.objects.get(child=found.child)
    assert response.json() == {
        "id": found.pk,
        "child_id": found.child_id,
        "observation_id": found.observation_id,
        "case_id": case.pk,
        "verdict": "child_labour",
        "removed": False,
    }
    # Dated on the visit, placed at the establishment.
    assert (found.observation.observed_on, found.observation.commune_id) == (
        visit.visited_on,
        visit.commune_id,
    )
    assert found.observation.place == visit.establishment.name
    assert case.organisation == world.inspectorate

    # The same child found again, by id.
    again = api.post(
        f"{API}/visits/{visit.pk}/children",
        {"child_id": found.child_id, "observation": {"economic_hours_week": 25}},
    )
    assert again.status_code == 201, again.json()
    assert Child.objects.count() == 1 and FoundChild.objects.count() == 2

    detail = api.get(f"{API}/visits/{visit.pk}")
    assert_no_name(detail)
    body = detail.json()
    assert [c["case_id"] for c in body["children_found"]] == [case.pk, case.pk]
    (shown,) = body["violations"]
    violation = Violation.objects.get()
    assert (shown["id"], shown["breach"], shown["stage"], shown["children"]) == (
        violation.pk,
        "below_minimum_age",
        "advice",
        2,
    )
    assert shown["article"] == violation.article and "143" in shown["article"]
    assert shown["fine_reference"] == violation.fine_reference and "151" in shown["fine_reference"]
    assert (shown["fine_minimum"], shown["fine_maximum"]) == (
        violation.fine_minimum,
        violation.fine_maximum,
    )
    assert violation.fine_minimum is not None
    assert shown["repeat"] is False and shown["deadline"] is None


def test_children_found_bad_input_saves_nothing(
    world: Any, caller: Any, establishment: Any, visit: Any
) -> None:
    api = caller(world.inspector)
    path = f"{API}/visits/{visit.pk}/children"
    assert_invalid(api.post(path, {"observation": {}}), "household", "child")
    body = child_body(world, economic_hours_week="many")
    body["child"]["sex"] = "X"
    assert_invalid(api.post(path, body), "sex", "economic_hours_week")
    body = child_body(world)
    body["household"]["guardian_name"] = ""
    body["child"]["birth_date"] = (TODAY + datetime.timedelta(days=3)).isoformat()
    assert_invalid(api.post(path, body), "guardian_name", "birth_date")
    planned = plan_visit(world, establishment)
    refused = api.post(f"{API}/visits/{planned.pk}/children", child_body(world))
    assert refused.status_code == 400 and refused.json()["code"] == "visit_not_recorded"
    assert not Child.objects.exists() and not Observation.objects.exists()
    assert not FoundChild.objects.exists() and not Violation.objects.exists()


# --- Enforcement -----------------------------------------------------------------------------


def test_notice_follow_up_report_and_their_pdf(world: Any, caller: Any, establishment: Any) -> None:
    api = caller(world.inspector)
    first = record_visit(
        world, plan_visit(world, establishment, on=TODAY - datetime.timedelta(days=20))
    )
    find_child(world, first, age=13)
    violation = Violation.objects.get()
    deadline = TODAY - datetime.timedelta(days=5)

    notice = api.post(
        f"{API}/visits/{first.pk}/notice",
        {"violation_ids": [violation.pk], "deadline": deadline.isoformat()},
    )
    assert notice.status_code == 201, notice.json()
    document = EnforcementDocument.objects.get()
    violation.refresh_from_db()
    assert violation.stage == Stage.FORMAL_NOTICE and violation.notice == document
    follow_up = violation.follow_up
    assert follow_up is not None and follow_up.kind == VisitKind.FOLLOW_UP
    assert follow_up.scheduled_on == deadline and follow_up.status == VisitStatus.PLANNED
    assert notice.json()["number"] == document.number and document.number.startswith("MD-")
    assert notice.json()["follow_up_id"] == follow_up.pk
    assert notice.json()["download_path"] == f"{API}/documents/{document.pk}.pdf"

    recorded = api.post(
        f"{API}/visits/{follow_up.pk}/record",
        {"visited_on": deadline.isoformat(), "checklist": ALL_YES},
    )
    assert recorded.status_code == 200, recorded.json()
    assert [v["id"] for v in recorded.json()["follow_up_of"]] == [violation.pk]
    concluded = api.post(f"{API}/visits/{follow_up.pk}/follow-up", {"corrected_violation_ids": []})
    assert concluded.status_code == 200, concluded.json()
    assert [v["stage"] for v in concluded.json()] == ["violation_report"]
    violation.refresh_from_db()
    assert violation.stage == Stage.VIOLATION_REPORT

    report = api.post(f"{API}/visits/{follow_up.pk}/report")
    assert report.status_code == 201, report.json()
    violation.refresh_from_db()
    assert violation.report is not None and violation.report.pk == report.json()["id"]
    assert report.json()["kind"] == "violation_report" and report.json()["number"].startswith("PV-")
    again = api.post(f"{API}/visits/{follow_up.pk}/report")
    assert again.status_code == 400 and again.json()["code"] == "nothing_to_report"

    detail = api.get(f"{API}/visits/{follow_up.pk}").json()
    assert [d["number"] for d in detail["documents"]] == [report.json()["number"]]
    for language in ("fr", "ar"):
        pdf = api.get(report.json()["download_path"], {"language": language})
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
        assert f"{violation.report.number}-{language}.pdf" in pdf["Content-Disposition"]
    downloads = AuditEntry.objects.filter(
        event=AuditEvent.DOCUMENT_DOWNLOADED, actor=world.inspector
    )
    assert sorted(e.detail["language"] for e in downloads) == ["ar", "fr"]
    assert_invalid(api.get(report.json()["download_path"], {"language": "en"}), "language")


def test_enforcement_bad_input_changes_nothing(world: Any, caller: Any, visit: Any) -> None:
    api = caller(world.inspector)
    find_child(world, visit, age=13)
    violation = Violation.objects.get()
    path = f"{API}/visits/{visit.pk}/notice"
    assert_invalid(api.post(path, {"violation_ids": []}), "violation_ids")
    assert_invalid(
        api.post(path, {"violation_ids": [violation.pk], "deadline": visit.day.isoformat()}),
        "deadline",
    )
    assert_invalid(api.post(path, {"violation_ids": ["x"]}), "violation_ids")
    refused = api.post(f"{API}/visits/{visit.pk}/follow-up", {"corrected_violation_ids": [1]})
    assert refused.status_code == 400 and refused.json()["code"] == "nothing_to_conclude"
    violation.refresh_from_db()
    assert violation.stage == Stage.ADVICE and violation.notice is None
    assert not EnforcementDocument.objects.exists()
    assert Visit.objects.count() == 1


# --- Scope -------------------------------------------------------------------------------


@pytest.fixture
def issued(world: Any, visit: Any) -> Any:
    """A visit with a child found and a formal notice issued."""
    find_child(world, visit, age=13)
    violation = Violation.objects.get()
    document = enforcement.notice_issue(
        actor=world.inspector, visit=visit, violation_ids=[violation.pk]
    )
    return visit, violation, document


OUTSIDERS = ["other_office_inspector", "far_inspector", "worker", "provider", "analyst"]


def snapshot() -> tuple[Any, ...]:
    return (
        list(Establishment.objects.values()),
        list(Visit.objects.values()),
        list(Violation.objects.values()),
        EnforcementDocument.objects.count(),
        FoundChild.objects.count(),
        Child.objects.count(),
    )


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_every_endpoint_is_404_outside_the_office_and_its_territory(
    world: Any, caller: Any, offices: Any, issued: Any, outsider: str
) -> None:
    visit, violation, document = issued
    user: User = getattr(world, outsider)
    api = caller(user)
    staff = user.role == Role.INSPECTOR
    record = {"visited_on": visit.day.isoformat(), "checklist": ALL_YES}
    requests: list[tuple[str, str, Any]] = [
        ("get", f"{API}/establishments/{visit.establishment_id}", None),
        ("get", f"{API}/visits/{visit.pk}", None),
        ("post", f"{API}/visits/{visit.pk}/record", record),
        ("post", f"{API}/visits/{visit.pk}/children", child_body(world)),
        ("post", f"{API}/visits/{visit.pk}/notice", {"violation_ids": [violation.pk]}),
        ("post", f"{API}/visits/{visit.pk}/follow-up", {"corrected_violation_ids": []}),
        ("post", f"{API}/visits/{visit.pk}/report", None),
        ("get", f"{API}/documents/{document.pk}.pdf", None),
    ]
    if not staff:  # the staff of another office may write to their own register
        requests += [
            ("post", f"{API}/establishments/", {"name": "X", "sector": "trade", "commune": "x"}),
            (
                "post",
                f"{API}/visits/",
                {
                    "establishment_id": visit.establishment_id,
                    "kind": "planned",
                    "scheduled_on": TODAY.isoformat(),
                    "inspector_ids": [world.inspector.pk],
                },
            ),
        ]
    before = snapshot()
    for method, path, body in requests:
        response = api.get(path) if method == "get" else api.post(path, body)
        assert response.status_code == 404, (path, response.content)
        assert response.json()["code"] == "not_found", path
    for path in (f"{API}/establishments/", f"{API}/visits/"):
        listed = api.get(path)
        if staff:
            assert listed.json()["count"] == 0 and listed.json()["items"] == [], path
        else:
            assert listed.status_code == 404, path
    searched = api.post(f"{API}/establishments/search", {"q": "Amal"})
    if staff:
        assert searched.json()["count"] == 0
    else:
        assert searched.status_code == 404
    assert snapshot() == before
    assert not AuditEntry.objects.filter(actor=user).exclude(event=AuditEvent.API_TOKEN_CREATED)


def test_the_supervisor_of_the_office_sees_everything(
    world: Any, caller: Any, offices: Any, issued: Any
) -> None:
    """The control: the office's supervisor, in its territory, sees the same records."""
    visit, _violation, document = issued
    api = caller(offices.inspection_supervisor)
    for path in (
        f"{API}/establishments/{visit.establishment_id}",
        f"{API}/visits/{visit.pk}",
        f"{API}/documents/{document.pk}.pdf",
    ):
        assert api.get(path).status_code == 200, path
    assert api.get(f"{API}/visits/").json()["count"] == 2  # with the follow-up visit
