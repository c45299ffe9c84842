"""The risk ranking and the monthly plan pages: who may open them, the ranking
explained, the plan within capacities and territories, changes by hand, saving."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from tests.inspection.conftest import VALID_ICE, make_establishment, plan_visit

from himaya.accounts.models import Role, User
from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases.services import today
from himaya.inspection import planning
from himaya.inspection.models import Establishment, Visit, VisitKind, VisitStatus
from himaya.inspection.services import establishments as establishment_services


def url(name: str, language: str = "fr", **query: str) -> str:
    with translation.override(language):
        address = reverse(f"inspection:{name}")
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


MONTH = planning.next_month(today())
MONTH_PARAM = f"{MONTH:%Y-%m}"


def _colleague(world: Any) -> User:
    """A second labour inspector of the world's office, for the whole region."""
    return User.objects.create(
        username="colleague",
        first_name="Karim",
        last_name="Zeroual",
        role=Role.INSPECTOR,
        organisation=world.inspectorate,
        territory_code=world.region.code,
    )


@pytest.fixture
def register(world: Any) -> dict[str, Establishment]:
    """A risky building site (informal), a workshop and a small formal office."""
    return {
        "site": make_establishment(world, name="Chantier Nord", sector="construction", ice=""),
        "workshop": make_establishment(world, name="Atelier Tapis", sector="manufacturing", ice=""),
        "office": make_establishment(world, name="Bureau Conseil", sector="other", ice=VALID_ICE),
    }


def _plan_of(response: Any) -> dict[int, list[int]]:
    """Establishment ids planned per inspector id."""
    plan = response.context["office"].plan
    return {i: [v.establishment for v in visits] for i, visits in plan.by_inspector().items()}


def _post(client: Client, capacities: dict[User, int], tokens: list[str], **data: Any) -> Any:
    """Send the plan page (in English) with these capacities and changes carried."""
    fields: dict[str, Any] = {f"capacity_{u.pk}": n for u, n in capacities.items()}
    fields["adjustment"] = tokens
    fields.update(data)
    return client.post(url("plan", language="en", month=MONTH_PARAM), fields)


# --- Who may open the pages ------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["other_office_inspector", "far_inspector", "worker", "provider", "analyst"]
)
def test_the_pages_are_not_found_for_others(
    client: Client, offices: Any, register: dict[str, Establishment], who: str
) -> None:
    user = getattr(offices, who)
    _as(client, user)
    site = register["site"].pk
    assert client.get(reverse("inspection:risk_establishment", args=[site])).status_code == 404
    if user.role == Role.INSPECTOR:  # staff of an inspection office: their own (empty) pages
        assert client.get(url("risk")).context["page"].paginator.count == 0
        assert client.get(url("risk", view="communes")).status_code == 200
        plan = client.get(url("plan", month=MONTH_PARAM))
        assert site not in plan.context["office"].register.positions
        refused = client.post(
            url("plan", month=MONTH_PARAM), {"add": "1", "establishment": site, "inspector": 1}
        )
        assert refused.status_code == 400
    else:
        assert client.get(url("risk")).status_code == 404
        assert client.get(url("risk", view="communes")).status_code == 404
        assert client.get(url("plan")).status_code == 404
        assert client.post(url("plan"), {"save": "1"}).status_code == 404
    assert not Visit.objects.exists()


def test_a_far_inspector_sees_only_their_territory(
    client: Client, offices: Any, register: dict[str, Establishment]
) -> None:
    far = offices.far_inspector
    farm = establishment_services.establishment_create(
        actor=far,
        data=establishment_services.EstablishmentIn(
            name="Ferme du Haouz", sector="agriculture", commune=offices.far_commune.code
        ),
    )
    _as(client, far)
    response = client.get(url("risk"))
    assert response.status_code == 200
    assert [row.id for row in response.context["rows"]] == [farm.pk]
    assert "Chantier Nord" not in response.content.decode()
    communes = client.get(url("risk", view="communes")).context["rows"]
    assert {row.code for row in communes} <= {
        c.code for c in type(offices.far_commune).objects.filter(province_id=far.territory_code)
    }
    plan = client.get(url("plan", month=MONTH_PARAM))
    assert _plan_of(plan) == {far.pk: [farm.pk]}  # the region's inspector is not theirs

    # And the region's inspector is not given the far inspector's farm.
    _as(client, offices.inspector)
    mine = client.get(url("plan", month=MONTH_PARAM))
    assert set(_plan_of(mine)) == {offices.inspector.pk}
    assert farm.pk not in mine.context["office"].register.positions


# --- The risk ranking ---------------------------------------------------------------------


def test_the_ranking_puts_the_informal_site_first_and_explains_it(
    client: Client, world: Any, register: dict[str, Establishment]
) -> None:
    _as(client, world.inspector)
    response = client.get(url("risk", language="en"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.id for row in rows] == [
        register["site"].pk,
        register["workshop"].pk,
        register["office"].pk,
    ]
    site = rows[0]
    assert float(site.score) > float(rows[2].score)
    labels = [line.label for line in site.factors]
    assert "Informal workplace (no ICE number)" in labels
    assert "Children aged 5–17 in the commune" in labels
    assert "Schooling rate of children aged 6–11" in labels
    html = response.content.decode()
    assert "<details>" in html and "Time since the last visit" in html
    assert "Never visited" in html and "Construction" in html

    # The sector filter; the commune ranking with the census figures.
    only = client.get(url("risk", language="en", sector="other")).context["rows"]
    assert [row.id for row in only] == [register["office"].pk]
    communes = client.get(url("risk", language="en", view="communes"))
    assert communes.status_code == 200
    first = communes.context["rows"][0]
    assert first.code == world.commune.code and first.establishments == 3
    assert {line.label for line in first.factors} >= {
        "Mean score of its establishments",
        "Children aged 5–17 in the commune",
        "Schooling rate of children aged 6–11",
    }
    assert "95.9 %" in communes.content.decode()  # Tanger's schooling rate
    with translation.override("en"):
        explained = reverse("inspection:risk_establishment", args=[register["site"].pk])
    one = client.get(explained)
    assert one.status_code == 200 and "<details>" not in one.content.decode()
    assert one.context["score"] == site.score
    assert [line.label for line in one.context["factors"]] == labels
    partial = client.get(explained, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    arabic = client.get(url("risk", language="ar"))
    assert arabic.status_code == 200 and 'dir="rtl"' in arabic.content.decode()


# --- The plan ----------------------------------------------------------------------------


def test_the_plan_respects_each_capacity(
    client: Client, offices: Any, register: dict[str, Establishment]
) -> None:
    colleague = _colleague(offices)
    _as(client, offices.inspector)
    default = client.get(url("plan"))
    assert default.status_code == 200
    assert default.context["month"] == MONTH  # next month unless told
    assert sorted(e for ids in _plan_of(default).values() for e in ids) == sorted(
        e.pk for e in register.values()
    )

    response = _post(client, {offices.inspector: 1, colleague: 1}, [], update="1")
    assert response.status_code == 200
    plan = _plan_of(response)
    assert set(plan) == {offices.inspector.pk, colleague.pk}  # the far inspector is not in it
    assert [len(ids) for ids in plan.values()] == [1, 1]
    assert sorted(e for ids in plan.values() for e in ids) == sorted(
        [register["site"].pk, register["workshop"].pk]
    )
    assert response.context["office"].plan.not_selected == (register["office"].pk,)
    assert "Bureau Conseil" in response.content.decode()  # shown, to add by hand


def test_a_follow_up_due_in_the_month_comes_first(
    client: Client, world: Any, register: dict[str, Establishment]
) -> None:
    follow_up = plan_visit(
        world, register["office"], on=MONTH + datetime.timedelta(days=9), kind=VisitKind.FOLLOW_UP
    )
    _as(client, world.inspector)
    response = _post(client, {world.inspector: 1}, [], update="1")
    assert _plan_of(response) == {world.inspector.pk: [register["office"].pk]}
    html = response.content.decode()
    assert f'data-diary="{follow_up.pk}"' in html
    assert reverse("inspection:visit", args=[follow_up.pk]) in html

    # An overdue follow-up comes before it; the one of the month no longer fits.
    overdue = plan_visit(
        world,
        register["workshop"],
        on=today() - datetime.timedelta(days=3),
        kind=VisitKind.FOLLOW_UP,
    )
    response = _post(client, {world.inspector: 1}, [], update="1")
    assert _plan_of(response) == {world.inspector.pk: [register["workshop"].pk]}
    assert [(r.establishment, r.why) for r in response.context["page"].unplanned] == [
        (register["office"].pk, "Its inspector has no room left")
    ]
    assert response.context["office"].diary[register["workshop"].pk].visit == overdue.pk
    response = _post(client, {world.inspector: 3}, [], update="1")
    assert _plan_of(response) == {
        world.inspector.pk: [register["workshop"].pk, register["office"].pk, register["site"].pk]
    }


def test_each_inspector_is_given_only_their_territory(
    client: Client, world: Any, register: dict[str, Establishment]
) -> None:
    local = User.objects.create(
        username="local",
        first_name="Salma",
        last_name="Idrissi",
        role=Role.INSPECTOR,
        organisation=world.inspectorate,
        territory_code=world.province.code,
    )
    near = make_establishment(
        world,
        name="Ferme de Tétouan",
        sector="agriculture",
        ice="",
        commune=world.near_commune.code,
    )
    site, workshop = register["site"].pk, register["workshop"].pk
    _as(client, world.inspector)
    response = _post(client, {world.inspector: 5, local: 1}, [], update="1")
    plan = _plan_of(response)
    assert plan[local.pk] == [site]  # the narrowest territory is planned first
    assert sorted(plan[world.inspector.pk]) == sorted([near.pk, workshop, register["office"].pk])

    refused = _post(
        client,
        {world.inspector: 5, local: 2},
        [],
        move="1",
        establishment=str(near.pk),
        inspector=str(local.pk),
    )
    assert refused.status_code == 400
    assert "Salma Idrissi does not work in the territory of this establishment." in (
        refused.content.decode()
    )
    saved = _post(client, {world.inspector: 5, local: 1}, [], save="1")
    assert saved.status_code == 302
    assert list(
        Visit.objects.filter(inspectors=local).values_list("establishment_id", flat=True)
    ) == [site]


def test_changes_by_hand_and_a_refused_one(
    client: Client, world: Any, register: dict[str, Establishment]
) -> None:
    colleague = _colleague(world)
    site, workshop, office = (register[k].pk for k in ("site", "workshop", "office"))
    capacities = {world.inspector: 2, colleague: 1}
    _as(client, world.inspector)
    proposed = _post(client, capacities, [], update="1")
    assert _plan_of(proposed) == {world.inspector.pk: [site, office], colleague.pk: [workshop]}

    # Remove the site: it is left out, "removed by hand", and the change is carried.
    removed = _post(client, capacities, [], remove=str(site))
    assert removed.status_code == 200
    assert _plan_of(removed) == {world.inspector.pk: [office], colleague.pk: [workshop]}
    assert [(r.establishment, r.why) for r in removed.context["page"].unplanned] == [
        (site, "Removed by hand")
    ]
    assert f'name="adjustment" value="remove:{site}"' in removed.content.decode()

    # Add it to the colleague, who is full: refused with a message, and left out.
    refused = _post(
        client,
        capacities,
        [f"remove:{site}"],
        add="1",
        establishment=str(site),
        inspector=str(colleague.pk),
    )
    assert refused.status_code == 400
    assert "Karim Zeroual already has 1 of 1 visits this month." in refused.content.decode()
    assert refused.context["tokens"] == [f"remove:{site}"]
    assert _plan_of(refused) == _plan_of(removed)

    # Add it back to the inspector, then move the workshop to the inspector... full.
    added = _post(
        client,
        capacities,
        [f"remove:{site}"],
        add="1",
        establishment=str(site),
        inspector=str(world.inspector.pk),
    )
    assert added.status_code == 200
    assert _plan_of(added) == {world.inspector.pk: [office, site], colleague.pk: [workshop]}
    tokens = [f"remove:{site}", f"add:{site}:{world.inspector.pk}"]
    assert added.context["tokens"] == tokens
    full = _post(
        client,
        capacities,
        tokens,
        move="1",
        establishment=str(workshop),
        inspector=str(world.inspector.pk),
    )
    assert full.status_code == 400 and full.context["error_summary"]

    # With room made for it, the move is made.
    moved = _post(
        client,
        {world.inspector: 3, colleague: 1},
        tokens,
        move="1",
        establishment=str(workshop),
        inspector=str(world.inspector.pk),
    )
    assert moved.status_code == 200
    after = _plan_of(moved)
    assert sorted(after[world.inspector.pk]) == sorted([office, site, workshop])
    assert after[colleague.pk] == []
    assert moved.context["tokens"][-1] == f"move:{workshop}:{world.inspector.pk}"

    # Lowering a capacity afterwards leaves out the changes that no longer fit, with a word.
    lowered = _post(client, capacities, moved.context["tokens"], update="1")
    assert lowered.status_code == 200
    assert "inspector already has 2 of 2 visits this month." in lowered.content.decode()
    assert lowered.context["tokens"] == tokens
    stale = _post(client, capacities, moved.context["tokens"], save="1")
    assert stale.status_code == 400 and not Visit.objects.exists()
    assert "The plan changed: check it, then save it again." in stale.content.decode()


def test_saving_puts_the_visits_in_the_diary_once(
    client: Client, world: Any, register: dict[str, Establishment]
) -> None:
    colleague = _colleague(world)
    capacities = {world.inspector: 2, colleague: 1}
    _as(client, world.inspector)
    saved = _post(client, capacities, [], save="1")
    assert saved.status_code == 302
    assert saved["Location"].endswith(f"?month={MONTH_PARAM}")
    visits = list(Visit.objects.order_by("id").prefetch_related("inspectors"))
    assert len(visits) == 3
    start, end = planning.month_bounds(MONTH)
    for visit in visits:
        assert visit.kind == VisitKind.PLANNED and visit.status == VisitStatus.PLANNED
        assert start <= visit.scheduled_on <= end
        assert visit.scheduled_on.weekday() < 5
    assert sorted(len(v.inspectors.all()) for v in visits) == [1, 1, 1]
    by_inspector: dict[int, int] = {}
    for visit in visits:
        inspector = visit.inspectors.get().pk
        by_inspector[inspector] = by_inspector.get(inspector, 0) + 1
    assert by_inspector == {world.inspector.pk: 2, colleague.pk: 1}
    first_working_day = planning.working_days(start, end)[0]
    assert min(v.scheduled_on for v in visits) == first_working_day
    assert AuditEntry.objects.filter(event=AuditEvent.VISIT_PLANNED).count() == 3
    plan_entry = AuditEntry.objects.get(event=AuditEvent.PLAN_ADJUSTED)
    assert plan_entry.detail["month"] == MONTH_PARAM
    assert sorted(plan_entry.detail["visits"]) == [v.pk for v in visits]

    # Saving again (the same page sent twice) adds nothing.
    again = _post(client, capacities, [], save="1")
    assert again.status_code == 302
    assert Visit.objects.count() == 3
    page = client.get(url("plan", month=MONTH_PARAM))
    assert page.context["page"].new_visits == 0  # all of it is in the diary


def test_a_bad_month_is_refused(client: Client, world: Any) -> None:
    _as(client, world.inspector)
    for month in ("2026-13", "june", "1999-01"):
        response = client.get(url("plan", language="en", month=month))
        assert response.status_code == 400, month
        assert "Give a year and a month, e.g. 2026-03." in response.content.decode()


def test_the_plan_page_reads_the_register_in_a_fixed_number_of_queries(
    client: Client, world: Any, register: dict[str, Establishment]
) -> None:
    _as(client, world.inspector)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("plan", month=MONTH_PARAM)).status_code == 200
        return len(captured)

    few = queries()
    Establishment.objects.bulk_create(
        Establishment(
            office=world.inspectorate,
            name=f"Atelier {n}",
            sector="trade",
            commune=world.commune,
            province_id=world.commune.province_id,
            region_id=world.commune.region_id,
            created_by=world.inspector,
        )
        for n in range(200)
    )
    assert queries() == few


def test_working_days_leave_out_weekends_and_the_fixed_public_holidays() -> None:
    # November 2028: 22 weekdays, less the Green March (Monday 6); Independence
    # Day falls on Saturday 18, a weekend day anyway.
    days = planning.working_days(datetime.date(2028, 11, 1), datetime.date(2028, 11, 30))
    assert len(days) == 21 and datetime.date(2028, 11, 6) not in days
    assert all(day.weekday() < 5 for day in days)
    # Unity Day, Tuesday 31 October 2028.
    october = planning.working_days(datetime.date(2028, 10, 30), datetime.date(2028, 10, 31))
    assert october == [datetime.date(2028, 10, 30)]
