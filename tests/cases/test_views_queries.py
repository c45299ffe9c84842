"""The number of database queries of the list and of the case page does not grow with
the number of rows, events, observations or referrals."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from himaya.cases import services
from himaya.geography.models import Commune

#: Upper bounds, with room for the session, the user, its organisation (the
#: header), the audit entry and the savepoints of the services' transactions.
LIST_MAX_QUERIES = 12
CASE_PAGE_MAX_QUERIES = 16


def _identify(world: Any, i: int) -> Any:
    """Case number ``i``: alternating communes and assignees, so that nothing is shared."""
    communes = list(Commune.objects.filter(province=world.province).order_by("code"))
    case = services.identification_record(
        actor=world.worker,
        household=services.HouseholdIn(
            commune=communes[i % len(communes)].code, guardian_name=f"Guardian {i}"
        ),
        child=services.ChildIn(
            first_name_ar="سلمى",
            family_name_ar="العمراني",
            first_name_latin=f"Salma{i}",
            family_name_latin="El Amrani",
            sex="F",
            birth_date=services.today() - datetime.timedelta(days=(10 + i % 5) * 366),
        ),
        observation=services.ObservationIn(
            observed_on=services.today(), economic_hours_week=20.0, sector="trade"
        ),
    ).case
    assert case is not None
    if i % 2:
        services.case_assign(actor=world.supervisor, case=case, assignee=world.supervisor)
    case.next_follow_up_on = services.today() - datetime.timedelta(days=i)
    case.save()
    return case


def _queries(client: Client, url: str, data: dict[str, Any] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_case_list_costs_the_same_for_1_10_and_30_cases(
    client: Client, world: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(world.supervisor)
    _queries(client, "/fr/cases/")  # the session is warm
    counts: dict[int, tuple[int, int]] = {}
    made = 0
    for rows in (1, 10, 30):
        while made < rows:
            _identify(world, made)
            made += 1
        counts[rows] = (
            _queries(client, "/fr/cases/?status=identified"),
            _queries(client, "/fr/cases/", {"q": "salma el amrani"}),
        )

    assert counts[1] == counts[10] == counts[30], counts
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        client.get("/fr/cases/?status=identified&page=2")
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        client.post("/fr/cases/", {"q": "salma", "page": "2"}, headers={"HX-Request": "true"})


def _follow_up(world: Any, case: Any, days_ago: int) -> None:
    services.follow_up_record(
        actor=world.worker,
        case=case,
        observation=services.ObservationIn(
            observed_on=services.today() - datetime.timedelta(days=days_ago),
            economic_hours_week=0.0,
            in_school_or_training=True,
        ),
    )


@pytest.mark.parametrize("who", ["worker", "supervisor"])
def test_the_case_page_costs_the_same_with_many_events(
    client: Client, world: Any, who: str, django_assert_max_num_queries: Any
) -> None:
    case = _identify(world, 0)
    services.case_assess(actor=world.worker, case=case, risk_level="low", assessment="Souk.")
    services.case_approve_assessment(actor=world.supervisor, case=case)
    services.case_record_consent(
        actor=world.worker, case=case, child_consent=True, guardian_consent=True
    )
    first = services.referral_send(
        actor=world.worker, case=case, service="education", provider=world.school
    )
    services.referral_accept(actor=world.provider, referral=first)
    url = f"/fr/cases/{case.pk}/"
    client.force_login(getattr(world, who))
    _queries(client, url)
    few = _queries(client, url)

    # Many more events, observations and referrals, the status unchanged.
    for provider, service in (
        (world.other_school, "education"),
        (world.social_protection, "social_protection"),
        (world.school, "education"),
    ):
        services.referral_send(actor=world.worker, case=case, service=service, provider=provider)
    for days_ago in (90, 60, 30, 0):
        _follow_up(world, case, days_ago)
    services.case_assign(actor=world.supervisor, case=case, assignee=world.worker)
    services.case_record_consent(
        actor=world.worker, case=case, child_consent=True, guardian_consent=True
    )
    assert case.events.count() > 15 and case.observations.count() == 5
    many = _queries(client, url)

    assert few == many
    with django_assert_max_num_queries(CASE_PAGE_MAX_QUERIES):
        client.get(url)
