"""Bad input on every POST endpoint: 422, every bad field named, nothing saved;
refusals with their code; messages in the request's language."""

import datetime
from typing import Any

import pytest

from himaya.accounts.models import ApiToken
from himaya.cases import services
from himaya.cases.models import Case, CaseEvent, Child, Household, Observation, Referral

from .test_journey import identification_body

pytestmark = pytest.mark.django_db

TODAY = services.today()
TOMORROW = (TODAY + datetime.timedelta(days=1)).isoformat()


def snapshot() -> tuple[Any, ...]:
    return (
        Household.objects.count(),
        Child.objects.count(),
        Observation.objects.count(),
        list(Case.objects.values()),
        list(Referral.objects.values()),
        CaseEvent.objects.count(),
    )


def assert_invalid(response: Any, *fields: str) -> dict[str, list[str]]:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid" and body["detail"]
    assert set(fields) <= set(body["errors"]), body["errors"]
    assert all(isinstance(m, str) and m for ms in body["errors"].values() for m in ms)
    return dict(body["errors"])


@pytest.fixture
def consented(world: Any) -> Any:
    case = world.identify().case
    services.case_assess(actor=world.supervisor, case=case, risk_level="low", assessment="Souk.")
    services.case_record_consent(
        actor=world.worker, case=case, child_consent=True, guardian_consent=True
    )
    return case


def test_token_endpoint(world: Any, caller: Any) -> None:
    api = caller(world.worker)
    assert_invalid(api.post("/api/auth/token", {}), "username", "password")
    assert_invalid(
        api.post("/api/auth/token", {"username": "worker", "password": "x", "name": "n" * 101}),
        "name",
    )
    assert ApiToken.objects.count() == 1  # the caller's own


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        (lambda b: b["child"].update(sex="X"), ["sex"]),
        (lambda b: b["child"].pop("birth_date"), ["birth_date"]),
        (lambda b: b["child"].update(birth_date="31/12/2012"), ["birth_date"]),
        (lambda b: b["child"].update(first_name_latin="x" * 101), ["first_name_latin"]),
        (lambda b: b["household"].pop("guardian_name"), ["guardian_name"]),
        (lambda b: b["observation"].pop("observed_on"), ["observed_on"]),
        (lambda b: b["observation"].update(economic_hours_week="many"), ["economic_hours_week"]),
        (lambda b: b["observation"].update(hazards="noise"), ["hazards"]),
        (lambda b: b.pop("household"), ["household"]),
        (lambda b: b.pop("child"), ["child"]),
        # Rejected by the services and the rules engine, not the schema:
        (lambda b: b["observation"].update(sector="space"), ["sector"]),
        (lambda b: b["observation"].update(economic_hours_week=-3), ["economic_hours_week"]),
        (lambda b: b["observation"].update(age_reported=200), ["age_reported"]),
        (
            lambda b: (
                b["observation"].update(economic_hours_week=-3)
                or b["child"].update(sex="F", first_name_latin="")
            ),
            ["economic_hours_week", "first_name_latin"],
        ),
        (lambda b: b["observation"].update(observed_on=TOMORROW), ["observed_on"]),
        (lambda b: b["observation"].update(hazards=["noise", "dragons"]), ["hazards"]),
        (lambda b: b["household"].update(guardian_cnie="123"), ["guardian_cnie"]),
        (lambda b: b["household"].update(commune="99.999.99.99"), ["commune"]),
        (lambda b: b["household"].update(commune=""), ["commune"]),
        (lambda b: b["child"].update(birth_date=TOMORROW), ["birth_date"]),
        (lambda b: b["child"].update(first_name_ar="  "), ["first_name_ar"]),
        (lambda b: b["child"].update(massar_code="123"), ["massar_code"]),
    ],
)
def test_identification(world: Any, caller: Any, change: Any, fields: list[str]) -> None:
    body = identification_body(world)
    change(body)
    before = snapshot()
    assert_invalid(caller(world.worker).post("/api/identifications", body), *fields)
    assert snapshot() == before


def test_identification_outside_my_territory(world: Any, caller: Any) -> None:
    body = identification_body(world)
    body["household"]["commune"] = world.far_commune.code
    assert_invalid(caller(world.worker).post("/api/identifications", body), "commune")
    assert not Child.objects.exists()


def test_identification_by_someone_who_does_no_casework(world: Any, caller: Any) -> None:
    response = caller(world.analyst).post("/api/identifications", identification_body(world))
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert not Child.objects.exists()


def test_preview(world: Any, caller: Any) -> None:
    api = caller(world.worker)
    response = api.post(
        "/api/identifications/preview",
        {
            "sex": "F",
            "observation": {
                "observed_on": TODAY.isoformat(),
                "age_reported": 12,
                "sector": "trade",
            },
        },
    )
    assert response.status_code == 200 and response.json()["verdict"] == "child_labour"
    assert_invalid(
        api.post(
            "/api/identifications/preview",
            {"observation": {"observed_on": TODAY.isoformat(), "sector": "space"}},
        ),
        "sector",
    )
    assert_invalid(
        api.post("/api/identifications/preview", {"sex": "?", "observation": {}}),
        "sex",
        "observed_on",
    )
    assert_invalid(api.post("/api/identifications/preview", None), "body")
    assert snapshot() == (0, 0, 0, [], [], 0)


def test_search(world: Any, caller: Any) -> None:
    api = caller(world.worker)
    assert_invalid(api.post("/api/cases/search", {"q": "x", "page_size": 101}), "page_size")
    assert_invalid(api.post("/api/cases/search", {"filters": {"status": "lost"}}), "status")
    assert_invalid(api.post("/api/cases/search", {"q": "x" * 201}), "q")


def test_names_are_not_accepted_in_the_query_string(world: Any, caller: Any) -> None:
    world.identify()
    api = caller(world.worker)
    errors = assert_invalid(api.get("/api/cases/", {"q": "Youssef"}), "q")
    assert "POST /api/cases/search" in errors["q"][0]
    found = api.post("/api/cases/search", {"q": "youssef el-amrani"}).json()
    assert found["count"] == 1
    assert api.post("/api/cases/search", {"q": "Karim"}).json()["count"] == 0


def test_list_filters(world: Any, caller: Any) -> None:
    api = caller(world.worker)
    assert_invalid(api.get("/api/cases/", {"status": "lost"}), "status")
    assert_invalid(api.get("/api/cases/", {"page_size": 500}), "page_size")
    assert_invalid(api.get("/api/cases/", {"page": 0}), "page")
    assert_invalid(api.get("/api/referrals/", {"status": "lost"}), "status")


def test_assess(world: Any, caller: Any) -> None:
    case = world.identify().case
    api = caller(world.worker)
    before = snapshot()
    assert_invalid(
        api.post(f"/api/cases/{case.pk}/assess", {"risk_level": "extreme", "assessment": "x"}),
        "risk_level",
    )
    assert_invalid(
        api.post(f"/api/cases/{case.pk}/assess", {"risk_level": "low", "assessment": "   "}),
        "assessment",
    )
    assert_invalid(api.post(f"/api/cases/{case.pk}/assess", {}), "risk_level", "assessment")
    assert snapshot() == before


def test_refusals_are_json_with_a_code(world: Any, caller: Any) -> None:
    case = world.identify().case
    worker, supervisor = caller(world.worker), caller(world.supervisor)
    response = supervisor.post(f"/api/cases/{case.pk}/approve-assessment")
    assert response.status_code == 400 and response.json()["code"] == "no_assessment"
    response = supervisor.post(f"/api/cases/{case.pk}/approve-closure")
    assert response.json()["code"] == "no_closure_requested"
    response = worker.post(f"/api/cases/{case.pk}/reject-closure")
    assert response.status_code == 403 and response.json()["code"] == "role_not_allowed"
    response = worker.post(
        f"/api/cases/{case.pk}/referrals", {"service": "education", "provider_id": world.school.pk}
    )
    assert response.status_code == 400 and response.json()["code"] == "not_assessed"
    response = worker.post(f"/api/cases/{case.pk}/assign", {"user_id": world.worker.pk})
    assert response.status_code == 403 and response.json()["code"] == "role_not_allowed"
    assert set(response.json()) == {"detail", "code"}


def test_consent(world: Any, caller: Any) -> None:
    case = world.identify().case
    before = snapshot()
    response = caller(world.worker).post(
        f"/api/cases/{case.pk}/consent", {"child_consent": "maybe"}
    )
    assert_invalid(response, "child_consent", "guardian_consent")
    assert snapshot() == before


def test_assign(world: Any, caller: Any) -> None:
    case = world.identify().case
    api = caller(world.supervisor)
    before = snapshot()
    for user in (world.provider, world.other_org_worker):
        assert_invalid(api.post(f"/api/cases/{case.pk}/assign", {"user_id": user.pk}), "user_id")
    assert_invalid(api.post(f"/api/cases/{case.pk}/assign", {"user_id": "me"}), "user_id")
    assert snapshot() == before


def test_referral(world: Any, caller: Any, consented: Any) -> None:
    api = caller(world.worker)
    path = f"/api/cases/{consented.pk}/referrals"
    before = snapshot()
    assert_invalid(api.post(path, {"service": "space", "provider_id": world.school.pk}), "service")
    assert_invalid(api.post(path, {"service": "education"}), "provider_id")
    assert_invalid(
        api.post(path, {"service": "education", "provider_id": world.far_school.pk}), "provider_id"
    )
    assert_invalid(
        api.post(path, {"service": "health", "provider_id": world.school.pk}), "provider_id"
    )
    assert_invalid(
        api.post(path, {"service": "education", "provider_id": world.association.pk}), "provider_id"
    )
    assert_invalid(
        api.post(path, {"service": "vocational", "provider_id": world.training_centre.pk}),
        "service",
    )
    assert snapshot() == before


def test_follow_up(world: Any, caller: Any) -> None:
    case = world.identify().case
    api = caller(world.worker)
    path = f"/api/cases/{case.pk}/follow-ups"
    before = snapshot()
    assert_invalid(api.post(path, {"observed_on": TODAY.isoformat()}), "in_school_or_training")
    assert_invalid(
        api.post(path, {"observed_on": TOMORROW, "in_school_or_training": True}), "observed_on"
    )
    assert_invalid(
        api.post(
            path,
            {
                "observed_on": TODAY.isoformat(),
                "in_school_or_training": True,
                "chores_hours_week": 200,
            },
        ),
        "chores_hours_week",
    )
    assert_invalid(
        api.post(
            path,
            {
                "observed_on": TODAY.isoformat(),
                "in_school_or_training": True,
                "usual_start": "25:00",
            },
        ),
        "usual_start",
    )
    assert_invalid(
        api.post(
            path,
            {
                "observed_on": TODAY.isoformat(),
                "in_school_or_training": True,
                "commune": world.far_commune.code,
            },
        ),
        "commune",
    )
    assert snapshot() == before


def test_request_closure(world: Any, caller: Any) -> None:
    case = world.identify().case
    api = caller(world.worker)
    path = f"/api/cases/{case.pk}/request-closure"
    before = snapshot()
    assert_invalid(api.post(path, {"reason": "bored"}), "reason")
    assert_invalid(api.post(path, {"reason": "out_of_child_labour"}), "reason")
    assert_invalid(api.post(path, {"reason": "turned_18"}), "reason")
    assert_invalid(api.post(path, {"reason": "moved"}), "transferred_to_id", "transferred_commune")
    assert_invalid(
        api.post(path, {"reason": "moved", "transferred_to_id": 999999}), "transferred_to_id"
    )
    assert_invalid(
        api.post(path, {"reason": "moved", "transferred_to_id": world.school.pk}),
        "transferred_to_id",
    )
    moved = {"reason": "moved", "transferred_to_id": world.other_association.pk}
    errors = assert_invalid(api.post(path, moved), "transferred_commune")
    assert errors == {"transferred_commune": [str(services.TRANSFER_COMMUNE_REQUIRED)]}
    errors = assert_invalid(
        api.post(path, {**moved, "transferred_commune": world.far_commune.code}),
        "transferred_commune",
    )
    assert set(errors) == {"transferred_commune"}
    assert_invalid(
        api.post(path, {**moved, "transferred_commune": "99.999.99.99"}), "transferred_commune"
    )
    assert_invalid(
        api.post(path, {**moved, "transferred_commune": "0" * 13}), "transferred_commune"
    )
    assert snapshot() == before
    response = api.post(path, {**moved, "transferred_commune": world.commune.code})
    assert response.status_code == 200
    assert response.json()["transferred_to_id"] == world.other_association.pk
    assert response.json()["transferred_commune_id"] == world.commune.code


def test_reject_closure(world: Any, caller: Any) -> None:
    case = world.identify().case
    before = snapshot()
    response = caller(world.supervisor).post(f"/api/cases/{case.pk}/reject-closure", {"note": 3})
    assert_invalid(response, "note")
    assert snapshot() == before


@pytest.fixture
def in_remediation(world: Any, consented: Any) -> Any:
    referral = services.referral_send(
        actor=world.worker, case=consented, service="education", provider=world.school
    )
    services.referral_accept(actor=world.provider, referral=referral)
    consented.refresh_from_db()
    return consented


def test_start_monitoring(world: Any, caller: Any, in_remediation: Any) -> None:
    path = f"/api/cases/{in_remediation.pk}/start-monitoring"
    before = snapshot()
    response = caller(world.other_org_worker).post(path)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert snapshot() == before

    api = caller(world.worker)
    response = api.post(path, {"note": "Inscrit, assidu."})
    assert response.status_code == 200, response.json()
    state = response.json()
    assert state["id"] == in_remediation.pk and state["status"] == "monitoring"
    assert state["next_follow_up_on"] is not None
    assert Case.objects.get(pk=in_remediation.pk).status == "monitoring"
    last = api.get(f"/api/cases/{in_remediation.pk}/timeline").json()[-1]
    assert last["kind"] == "monitoring_started" and last["detail"] == {"note": "Inscrit, assidu."}
    assert last["actor"]["username"] == "worker"

    before = snapshot()
    response = api.post(path)  # already in monitoring
    assert response.status_code == 400 and response.json()["code"] == "transition_not_allowed"
    assert snapshot() == before


def test_start_monitoring_refusals(world: Any, caller: Any, consented: Any) -> None:
    path = f"/api/cases/{consented.pk}/start-monitoring"
    api = caller(world.supervisor)
    before = snapshot()
    response = api.post(path)  # assessed, not in remediation
    assert response.status_code == 400 and response.json()["code"] == "transition_not_allowed"
    assert set(response.json()) == {"detail", "code"}
    assert_invalid(api.post(path, {"note": "x" * 5001}), "note")
    assert_invalid(api.post(path, {"note": 3}), "note")
    assert snapshot() == before
    assert Case.objects.get(pk=consented.pk).status == "assessed"


def test_referral_answers(world: Any, caller: Any, consented: Any) -> None:
    referral = services.referral_send(
        actor=world.worker, case=consented, service="education", provider=world.school
    )
    api = caller(world.provider)
    before = snapshot()
    assert_invalid(api.post(f"/api/referrals/{referral.pk}/refuse", {}), "reason")
    assert_invalid(api.post(f"/api/referrals/{referral.pk}/refuse", {"reason": "  "}), "reason")
    response = api.post(f"/api/referrals/{referral.pk}/deliver")
    assert response.status_code == 400 and response.json()["code"] == "not_accepted"
    assert snapshot() == before
    assert api.post(f"/api/referrals/{referral.pk}/accept").status_code == 200
    response = api.post(f"/api/referrals/{referral.pk}/accept")
    assert response.status_code == 400 and response.json()["code"] == "already_answered"
    before = snapshot()
    assert_invalid(
        api.post(f"/api/referrals/{referral.pk}/deliver", {"delivered_on": TOMORROW}),
        "delivered_on",
    )
    assert_invalid(
        api.post(f"/api/referrals/{referral.pk}/deliver", {"delivered_on": "soon"}), "delivered_on"
    )
    assert snapshot() == before
    # The caseworker may read the referral but not answer it.
    response = caller(world.worker).post(f"/api/referrals/{referral.pk}/deliver", {})
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_malformed_json_is_400(world: Any, caller: Any) -> None:
    api = caller(world.worker)
    response = api.client.post(
        "/api/identifications",
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert response.status_code == 400 and response.json()["code"] == "bad_request"


def test_unknown_path_under_the_api(world: Any, caller: Any) -> None:
    assert caller(world.worker).get("/api/cases/abc").status_code == 404


# --- Language ------------------------------------------------------------------------


def _arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


def test_messages_in_the_language_of_accept_language(world: Any, caller: Any) -> None:
    """LocaleMiddleware reads Accept-Language on /api/ (no prefix, no cookie)."""
    body = identification_body(world, economic_hours_week=-3)
    api = caller(world.worker)
    messages = {
        language: api.post("/api/identifications", body, language=language).json()["errors"][
            "economic_hours_week"
        ][0]
        for language in ("fr", "ar", "en")
    }
    assert messages["en"] == "negative number of hours"
    assert messages["fr"] == "nombre d'heures négatif"
    assert _arabic(messages["ar"])
    # Schema errors too.
    missing = api.post("/api/cases/search", {"page": "x"}, language="ar").json()
    assert _arabic(missing["detail"]) and _arabic(missing["errors"]["page"][0])
    assert api.post("/api/cases/search", {"page": "x"}, language="fr").json()["detail"] == (
        "Saisissez un nombre entier."
    )
    # French by default.
    response = api.client.post(
        "/api/identifications",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert response.json()["errors"]["economic_hours_week"] == ["nombre d'heures négatif"]


def test_explanations_in_the_request_language(world: Any, caller: Any) -> None:
    api = caller(world.worker)
    body = {
        "sex": "M",
        "observation": {
            "observed_on": TODAY.isoformat(),
            "age_reported": 13,
            "sector": "trade",
            "economic_hours_week": 10,
        },
    }
    arabic = api.post("/api/identifications/preview", body, language="ar").json()
    english = api.post("/api/identifications/preview", body, language="en").json()
    assert _arabic(arabic["explanation"][0]) and _arabic(arabic["verdict_label"])
    assert english["verdict_label"] == "Child labour" and not _arabic(english["explanation"][0])


def test_huge_numbers_are_not_found_or_invalid(world: Any, caller: Any) -> None:
    api = caller(world.supervisor)
    huge = 10**30
    assert api.get(f"/api/cases/{huge}").status_code == 404
    assert api.get(f"/api/referrals/{huge}").status_code == 404
    assert_invalid(api.get("/api/cases/", {"page": huge}), "page")
    case = world.identify().case
    assert_invalid(api.post(f"/api/cases/{case.pk}/assign", {"user_id": huge}), "user_id")
    body = {"child_id": huge, "observation": {"observed_on": TODAY.isoformat()}}
    assert api.post("/api/identifications", body).status_code == 404
