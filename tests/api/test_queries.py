"""Lists and the case page make a constant number of queries, whatever their size."""

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from himaya.cases import services

pytestmark = pytest.mark.django_db


def queries(api: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path)
    assert response.status_code == 200, response.json()
    return len(captured)


def referred_case(world: Any, **observation: Any) -> Any:
    case = world.identify(**observation).case
    services.case_assess(actor=world.supervisor, case=case, risk_level="low", assessment="Souk.")
    services.case_record_consent(
        actor=world.worker, case=case, child_consent=True, guardian_consent=True
    )
    services.referral_send(
        actor=world.worker, case=case, service="education", provider=world.school
    )
    return case


@pytest.mark.parametrize("user", ["worker", "provider"])
def test_lists_make_the_same_number_of_queries_for_1_and_30_rows(
    world: Any, caller: Any, user: str
) -> None:
    api = caller(getattr(world, user))
    path = "/api/cases/?page_size=100" if user == "worker" else "/api/referrals/?page_size=100"
    referred_case(world)
    api.get(path)  # the token's first use is recorded once
    one = queries(api, path)
    for _ in range(29):
        referred_case(world)
    thirty = queries(api, path)
    listed = api.get(path).json()
    assert listed["count"] == 30 and len(listed["items"]) == 30
    assert one == thirty, (one, thirty)


def test_the_case_page_makes_a_constant_number_of_queries(world: Any, caller: Any) -> None:
    api = caller(world.worker)
    case = referred_case(world)
    path = f"/api/cases/{case.pk}"
    timeline = f"/api/cases/{case.pk}/timeline"
    api.get(path)
    before, timeline_before = queries(api, path), queries(api, timeline)
    today = services.today()
    for days in (90, 60, 30):
        services.follow_up_record(
            actor=world.worker,
            case=case,
            observation=services.ObservationIn(
                observed_on=today - datetime.timedelta(days=days), in_school_or_training=True
            ),
        )
    for provider, service in (
        (world.social_protection, "social_protection"),
        (world.other_school, "education"),
    ):
        services.referral_send(actor=world.worker, case=case, service=service, provider=provider)
    after, timeline_after = queries(api, path), queries(api, timeline)
    detail = api.get(path).json()
    assert len(detail["observations"]) == 4 and len(detail["referrals"]) == 3
    assert before == after, (before, after)
    assert timeline_before == timeline_after
    # The token, the case, its observations, its referrals, the audit entry.
    assert after <= 6, after


def test_a_list_page_is_four_queries(world: Any, caller: Any) -> None:
    """The token, the count, the page, the audit entry."""
    referred_case(world)
    api = caller(world.worker)
    api.get("/api/cases/")
    assert queries(api, "/api/cases/") == 4
    assert queries(api, "/api/referrals/") == 4
