"""The identification form: preview the verdict without saving, save, refuse bad input."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases import services
from himaya.cases.models import Case, Child, Household, Observation
from himaya_rules import VERDICT_LABELS

HTMX = {"HX-Request": "true"}


@pytest.fixture
def worker(client: Client, world: Any) -> Client:
    client.force_login(world.worker)
    return client


def _born(years: int) -> datetime.date:
    return services.today() - datetime.timedelta(days=years * 366)


def form_data(world: Any, **changes: Any) -> dict[str, Any]:
    """Youssef, 13, working 20 hours a week at the souk (child labour)."""
    data: dict[str, Any] = {
        "region": world.region.code,
        "province": world.province.code,
        "commune": world.commune.code,
        "address": "Derb Lihoudi 3",
        "guardian_name": "Fatima Amrani",
        "guardian_phone": "06 12 34 56 78",
        "guardian_cnie": "be123456",
        "rsu_number": "123456789",
        "first_name_ar": "يوسف",
        "family_name_ar": "العمراني",
        "first_name_latin": "Youssef",
        "family_name_latin": "El Amrani",
        "sex": "M",
        "birth_date": _born(13).isoformat(),
        "massar_code": "",
        "observed_on": services.today().isoformat(),
        "place": "Souk",
        "economic_hours_week": "20",
        "chores_hours_week": "",
        "sector": "trade",
        "usual_start": "08:00",
        "usual_end": "14:00",
        "hazards": ["heavy_loads"],
        "in_school_or_training": "no",
        "notes": "",
    }
    data.update(changes)
    return data


def _nothing_saved() -> bool:
    return not (
        Household.objects.exists()
        or Child.objects.exists()
        or Observation.objects.exists()
        or Case.objects.exists()
    )


def _field_error(html: str, field: str) -> str:
    """The text of the error shown beside a field (linked by aria-describedby)."""
    match = re.search(rf'<div class="field-error" id="id_{field}_error">(.*?)</div>', html, re.S)
    assert match, f"no error beside {field}"
    assert re.search(rf'aria-describedby="[^"]*id_{field}_error', html), field
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


# --- Preview -----------------------------------------------------------------------------


def test_the_preview_shows_verdict_rules_and_citations_and_saves_nothing(
    worker: Client, world: Any
) -> None:
    response = worker.post("/fr/cases/identify/preview/", form_data(world), headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # a partial
    expected = services.observation_classify(
        data=services.ObservationIn(
            observed_on=services.today(),
            economic_hours_week=20.0,
            sector="trade",
            hazards=["heavy_loads"],
        ),
        birth_date=_born(13),
        estimated=False,
        sex="M",
    )
    assert expected.verdict == "hazardous"
    assert expected.verdict_label("fr") in html
    for citation in expected.citations:
        assert citation in html
    for rule in expected.rules:
        assert rule in html
    for sentence in expected.explanation("fr"):
        assert sentence.replace("'", "&#x27;") in html
    assert _nothing_saved()
    assert not AuditEntry.objects.filter(event__gte=AuditEvent.CHILD_LIST_VIEWED).exists()


def test_the_preview_speaks_the_page_language(worker: Client, world: Any) -> None:
    html = worker.post(
        "/ar/cases/identify/preview/", form_data(world), headers=HTMX
    ).content.decode()

    assert VERDICT_LABELS["hazardous"]["ar"] in html
    assert _nothing_saved()


def test_the_preview_without_javascript_shows_the_whole_form_again(
    worker: Client, world: Any
) -> None:
    response = worker.post("/fr/cases/identify/preview/", form_data(world))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="post" action="/fr/cases/identify/"' in html
    assert 'value="Youssef"' in html  # what was typed is kept
    assert "Code du travail" in html
    assert 'aria-invalid="true"' not in html
    assert _nothing_saved()


def test_the_preview_lists_what_prevents_a_verdict(worker: Client, world: Any) -> None:
    html = worker.post(
        "/fr/cases/identify/preview/",
        form_data(world, observed_on="", economic_hours_week="-2"),
        headers=HTMX,
    ).content.decode()

    assert 'role="alert"' in html
    assert 'href="#id_observed_on"' in html
    assert 'href="#id_economic_hours_week"' in html
    assert _nothing_saved()


# --- Save ------------------------------------------------------------------------------------


def test_saving_creates_the_child_the_observation_and_the_case(worker: Client, world: Any) -> None:
    response = worker.post("/fr/cases/identify/", form_data(world))

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/fr/cases/{case.pk}/"
    child = Child.objects.get()
    assert (child.first_name_latin, child.first_name_ar, child.sex) == ("Youssef", "يوسف", "M")
    household = Household.objects.get()
    assert household.guardian_cnie == "BE123456"
    assert household.guardian_phone == "0612345678"
    observation = Observation.objects.get()
    assert observation.verdict == case.verdict == "hazardous"
    assert observation.hazards == ["heavy_loads"]
    assert observation.in_school_or_training is False
    assert observation.usual_start == datetime.time(8, 0)
    assert case.child == child and case.commune == world.commune
    # The case page tells it was saved.
    html = worker.get(response["Location"]).content.decode()
    assert 'class="message message--success"' in html


def test_an_identification_that_opens_no_case_says_so(worker: Client, world: Any) -> None:
    response = worker.post(
        "/en/cases/identify/",
        form_data(world, birth_date=_born(16).isoformat(), hazards=[], usual_end="12:00"),
    )

    observation = Observation.objects.get()
    assert not Case.objects.exists()
    assert response.status_code == 302
    assert response["Location"] == f"/en/cases/identifications/{observation.pk}/"
    html = worker.get(response["Location"]).content.decode()
    assert "no case was opened" in html
    assert "Permitted work" in html
    assert "Youssef" not in html  # no personal data on this page


BAD_INPUT = [
    # (field, value): each refused beside its field.
    ("first_name_latin", ""),
    ("family_name_ar", "   "),
    ("observed_on", (services.today() + datetime.timedelta(days=1)).isoformat()),
    ("birth_date", (services.today() + datetime.timedelta(days=3)).isoformat()),
    ("sector", "space_travel"),
    ("economic_hours_week", "-3"),
    ("guardian_cnie", "12AB"),
    ("massar_code", "123"),
    ("guardian_phone", "phone me"),
    ("hazards", ["flying"]),
    ("commune", "07.351.01.0"),  # outside the worker's province
    ("sex", "X"),
]


@pytest.mark.parametrize(("field", "value"), BAD_INPUT)
def test_bad_input_is_shown_beside_its_field_and_nothing_is_saved(
    worker: Client, world: Any, field: str, value: Any
) -> None:
    response = worker.post("/fr/cases/identify/", form_data(world, **{field: value}))

    assert response.status_code == 400
    html = response.content.decode()
    assert _field_error(html, field)
    assert 'class="error-summary" role="alert"' in html
    assert f'href="#id_{field}"' in html
    assert _nothing_saved()
    assert not AuditEntry.objects.filter(event__gte=AuditEvent.CHILD_LIST_VIEWED).exists()


def test_the_services_messages_are_in_the_users_language(worker: Client, world: Any) -> None:
    html = worker.post(
        "/ar/cases/identify/", form_data(world, guardian_cnie="12AB")
    ).content.decode()

    with translation.override("ar"):
        expected = str(services.CNIE_FORMAT)
    assert _field_error(html, "guardian_cnie") == expected


def test_every_error_is_shown_at_once(worker: Client, world: Any) -> None:
    html = worker.post(
        "/fr/cases/identify/",
        form_data(world, first_name_ar="", guardian_name="", sector="x", chores_hours_week="-1"),
    ).content.decode()

    for field in ("first_name_ar", "guardian_name", "sector", "chores_hours_week"):
        assert _field_error(html, field)
    assert 'value="Youssef"' in html  # the rest is kept
    assert _nothing_saved()


def test_without_javascript_the_refresh_button_fills_the_communes(
    worker: Client, world: Any
) -> None:
    html = worker.post(
        "/fr/cases/identify/",
        {"refresh": "1", "region": world.region.code, "province": world.province.code},
    ).content.decode()

    assert f'<option value="{world.commune.code}">{world.commune.name_fr}</option>' in html
    assert "field-error" not in html
    assert _nothing_saved()


def test_the_territory_selects_offer_only_the_users_territory(worker: Client, world: Any) -> None:
    html = worker.get("/fr/cases/identify/").content.decode()

    assert f'<option value="{world.province.code}" selected>' in html
    assert f'value="{world.far_commune.region_id}"' not in html
    assert f'value="{world.commune.code}"' in html
    # The chained selects ask the geography app for the lower level.
    assert 'hx-get="/fr/geo/provinces/" hx-target="#id_province"' in html
    assert 'hx-get="/fr/geo/communes/" hx-target="#id_commune"' in html


# --- A child already registered -------------------------------------------------------------


def test_identify_again_adds_an_observation_to_the_open_case(worker: Client, world: Any) -> None:
    case = world.identify().case
    page = worker.get(f"/fr/cases/children/{case.child_id}/identify/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Youssef El Amrani" in html
    assert 'name="first_name_latin"' not in html  # the observation only
    assert AuditEntry.objects.filter(event=AuditEvent.CHILD_VIEWED, child_id=case.child_id).exists()

    preview = worker.post(
        f"/fr/cases/children/{case.child_id}/identify/preview/",
        {"observed_on": services.today().isoformat(), "economic_hours_week": "30"},
        headers=HTMX,
    )
    assert preview.status_code == 200
    assert "Code du travail" in preview.content.decode()

    response = worker.post(
        f"/fr/cases/children/{case.child_id}/identify/",
        {"observed_on": services.today().isoformat(), "economic_hours_week": "30"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/fr/cases/{case.pk}/"
    assert case.observations.count() == 2
    assert Child.objects.count() == 1


def test_identify_again_refuses_a_future_visit(worker: Client, world: Any) -> None:
    case = world.identify().case
    tomorrow = (services.today() + datetime.timedelta(days=1)).isoformat()
    response = worker.post(
        f"/fr/cases/children/{case.child_id}/identify/", {"observed_on": tomorrow}
    )

    assert response.status_code == 400
    assert _field_error(response.content.decode(), "observed_on")
    assert case.observations.count() == 1
