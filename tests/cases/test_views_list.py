"""The case list: filters by GET, the name search by POST only, pages, HTMX partials, audit."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases import services
from himaya.cases.models import Case

HTMX = {"HX-Request": "true"}


@pytest.fixture
def worker(client: Client, world: Any) -> Client:
    client.force_login(world.worker)
    return client


def identify(
    world: Any, first: str, first_ar: str, *, actor: Any = None, **observation: Any
) -> Any:
    """Identify a 13-year-old (child labour) named ``first`` El Amrani / ``first_ar`` العمراني."""
    fields: dict[str, Any] = {
        "observed_on": services.today(),
        "economic_hours_week": 20.0,
        "sector": "trade",
    }
    fields.update(observation)
    return services.identification_record(
        actor=actor or world.worker,
        household=services.HouseholdIn(commune=world.commune.code, guardian_name="Amina"),
        child=services.ChildIn(
            first_name_ar=first_ar,
            family_name_ar="العمراني",
            first_name_latin=first,
            family_name_latin="El Amrani",
            sex="F",
            birth_date=services.today() - datetime.timedelta(days=13 * 366),
        ),
        observation=services.ObservationIn(**fields),
    ).case


def _rows(html: str) -> int:
    return html.count('<th scope="row"')


def test_the_list_shows_the_cases_in_scope_with_their_columns(worker: Client, world: Any) -> None:
    case = identify(world, "Salma", "سلمى")
    case.next_follow_up_on = services.today() - datetime.timedelta(days=2)
    case.save()

    html = worker.get("/en/cases/").content.decode()

    assert _rows(html) == 1
    assert "1 case." in html
    assert f'<a href="/en/cases/{case.pk}/"><span dir="ltr">Salma El Amrani</span></a>' in html
    assert '<span lang="ar" dir="rtl">سلمى العمراني</span>' in html
    assert '<td data-label="Age">13</td>' in html or '<td data-label="Age">12</td>' in html
    for text in ("Girl", world.commune.name_fr, "Child labour", "Identified", "Trade", "worker"):
        assert text in html
    assert '<span class="overdue">' in html and "(overdue)" in html


def test_viewing_the_list_is_audited_with_the_children_shown(worker: Client, world: Any) -> None:
    first = identify(world, "Salma", "سلمى")
    second = identify(world, "Hind", "هند")

    worker.get("/fr/cases/?status=identified")

    entry = AuditEntry.objects.get(event=AuditEvent.CHILD_LIST_VIEWED)
    assert entry.actor == world.worker
    assert sorted(entry.detail["children"]) == sorted([first.child_id, second.child_id])
    assert entry.detail["filters"] == {"status": "identified"}


def test_the_name_search_is_never_written_to_the_audit_log(worker: Client, world: Any) -> None:
    identify(world, "Salma", "سلمى")

    worker.post("/fr/cases/", {"q": "Salma"})

    entry = AuditEntry.objects.get(event=AuditEvent.CHILD_LIST_VIEWED)
    assert "Salma" not in str(entry.detail)


def test_filters_by_status_verdict_sector_and_assignment(worker: Client, world: Any) -> None:
    trade = identify(world, "Salma", "سلمى")
    farm = identify(world, "Hind", "هند", sector="agriculture", hazards=["pesticides_chemicals"])
    mine = identify(world, "Nora", "نورا", actor=world.supervisor)
    services.case_assess(actor=world.worker, case=trade, risk_level="low", assessment="ok")
    services.case_approve_assessment(actor=world.supervisor, case=trade)

    def shown(query: str) -> set[int]:
        html = worker.get(f"/fr/cases/?{query}").content.decode()
        return {case.pk for case in (trade, farm, mine) if f'href="/fr/cases/{case.pk}/"' in html}

    assert shown("") == {trade.pk, farm.pk, mine.pk}
    assert shown("status=assessed") == {trade.pk}
    assert shown("verdict=hazardous") == {farm.pk}
    assert shown("sector=agriculture") == {farm.pk}
    assert shown("mine=on") == {trade.pk, farm.pk}  # opened (so assigned) by the worker
    assert shown(f"commune={world.commune.code}&province={world.province.code}") == {
        trade.pk,
        farm.pk,
        mine.pk,
    }


def test_the_name_search_is_posted_and_matches_either_script(worker: Client, world: Any) -> None:
    salma = identify(world, "Salma", "سلمى")
    hind = identify(world, "Hind", "هند")

    for query in ("salma", "SALMA el amrani", "سلمى", "سلمي"):
        html = worker.post("/fr/cases/", {"q": query}).content.decode()
        assert f'href="/fr/cases/{salma.pk}/"' in html, query
        assert f'href="/fr/cases/{hind.pk}/"' not in html, query
    html = worker.post("/fr/cases/", {"q": "Zineb"}).content.decode()
    assert _rows(html) == 0


def test_a_name_in_the_address_is_ignored(worker: Client, world: Any) -> None:
    identify(world, "Salma", "سلمى")
    identify(world, "Hind", "هند")

    html = worker.get("/fr/cases/?q=Salma").content.decode()

    assert _rows(html) == 2
    assert 'value="Salma"' not in html


def test_the_search_keeps_the_filters(worker: Client, world: Any) -> None:
    salma = identify(world, "Salma", "سلمى")
    identify(world, "Salma", "سلمى", sector="agriculture")

    html = worker.post("/fr/cases/", {"q": "salma", "sector": "trade"}).content.decode()

    assert _rows(html) == 1
    assert f'href="/fr/cases/{salma.pk}/"' in html


def test_htmx_gets_only_the_results_and_the_count(worker: Client, world: Any) -> None:
    identify(world, "Salma", "سلمى")

    response = worker.get("/fr/cases/?status=identified", headers=HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert '<table class="case-table">' in html
    assert 'id="case-count"' in html and 'hx-swap-oob="true"' in html
    assert "HX-Request" in response["Vary"]
    search = worker.post("/fr/cases/", {"q": "salma"}, headers=HTMX).content.decode()
    assert "<html" not in search and _rows(search) == 1


def test_the_forms_of_the_page(worker: Client, world: Any) -> None:
    html = worker.get("/fr/cases/").content.decode()

    # Filters by GET (pushed to the address bar), the name by POST only.
    assert '<form id="case-filters" class="case-filters" method="get"' in html
    assert 'hx-push-url="true"' in html
    assert '<form id="case-search" class="case-search" method="post"' in html
    assert 'hx-include="#case-filters"' in html
    # Without JavaScript the filters in force travel with the search.
    html = worker.get("/fr/cases/?status=referred").content.decode()
    assert '<noscript><input type="hidden" name="status" value="referred"></noscript>' in html


def test_pages_of_25_with_the_total(worker: Client, world: Any) -> None:
    cases = [identify(world, f"Salma{i}", "سلمى") for i in range(30)]

    first = worker.get("/fr/cases/?sector=trade").content.decode()
    assert _rows(first) == 25
    assert "30 cas." in first
    assert "?sector=trade&amp;page=2" in first
    second = worker.get("/fr/cases/?sector=trade&page=2").content.decode()
    assert _rows(second) == 5
    # Newest first: the first case created is on the second page.
    assert f'href="/fr/cases/{cases[0].pk}/"' in second
    # Paging through search results is posted too.
    searched = worker.post("/fr/cases/", {"q": "salma", "page": "2"}).content.decode()
    assert _rows(searched) == 5
    assert '<input type="hidden" name="q" value="salma">' in searched
    assert 'name="page" value="1"' in searched


def test_the_territory_filters_offer_only_the_users_territory(client: Client, world: Any) -> None:
    client.force_login(world.supervisor)  # a region

    html = client.get("/fr/cases/").content.decode()

    assert f'<option value="{world.region.code}"' in html
    assert f'<option value="{world.far_commune.region_id}"' not in html
    assert f'<option value="{world.province.code}">' in html
    # A province outside the territory is dropped, not applied.
    html = client.get(f"/fr/cases/?province={world.far_commune.province_id}").content.decode()
    assert "field-error" not in html


@pytest.mark.parametrize("who", ["other_org_worker", "other_territory_worker"])
def test_other_caseworkers_see_no_row(client: Client, world: Any, who: str) -> None:
    case = identify(world, "Salma", "سلمى")
    client.force_login(getattr(world, who))

    for response in (client.get("/fr/cases/"), client.post("/fr/cases/", {"q": "Salma"})):
        assert response.status_code == 200
        html = response.content.decode()
        assert _rows(html) == 0
        assert f"/fr/cases/{case.pk}/" not in html
        assert "Salma El Amrani" not in html
    assert Case.objects.count() == 1
