"""My work: overdue follow-ups, referrals waiting, approvals waiting."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.workspace.conftest import logged_in, refer

from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases import services
from himaya.cases.models import Case
from himaya.workspace import views


def _overdue(case: Any, days: int = 3) -> None:
    Case.objects.filter(pk=case.pk).update(
        next_follow_up_on=services.today() - datetime.timedelta(days=days)
    )


def _section(html: str, key: str) -> str:
    """The HTML of one section of the page."""
    start = html.index(f'aria-labelledby="section-{key}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_empty_sections_say_so(client: Client, world: Any) -> None:
    html = logged_in(client, world.worker).get("/en/work/").content.decode()

    assert "No follow-up visit is overdue." in html
    assert "No referral is waiting for an answer." in html
    assert 'id="section-approvals"' not in html  # caseworkers approve nothing


def test_a_caseworker_sees_overdue_follow_ups_and_referrals_waiting(
    client: Client, world: Any
) -> None:
    overdue = world.identify().case
    _overdue(overdue, days=12)
    referral = refer(world)
    world.identify()  # neither overdue nor referred

    html = logged_in(client, world.worker).get("/en/work/").content.decode()

    overdue_html = _section(html, "overdue")
    assert '<span class="count">1</span>' in overdue_html
    assert f'<a href="{reverse("cases:detail", args=[overdue.pk])}">' in overdue_html
    assert "Youssef El Amrani" in overdue_html
    assert world.commune.name_fr in overdue_html
    due = (services.today() - datetime.timedelta(days=12)).isoformat()
    assert f'datetime="{due}"' in overdue_html
    referrals_html = _section(html, "referrals")
    assert '<span class="count">1</span>' in referrals_html
    assert f'<a href="{reverse("cases:detail", args=[referral.case_id])}">' in referrals_html
    assert "Return to school or second-chance school" in referrals_html
    assert world.school.name in referrals_html
    assert f'datetime="{referral.sent_on.isoformat()}"' in referrals_html


def test_a_supervisor_also_sees_approvals_waiting(client: Client, world: Any) -> None:
    case = world.identify().case
    services.case_assess(actor=world.worker, case=case, risk_level="low", assessment="Ok.")

    html = logged_in(client, world.supervisor).get("/en/work/").content.decode()

    approvals = _section(html, "approvals")
    assert '<span class="count">1</span>' in approvals
    assert "Youssef El Amrani" in approvals
    assert "Assessment" in approvals


def test_another_organisation_sees_none_of_it(client: Client, world: Any) -> None:
    _overdue(world.identify().case)
    refer(world)

    html = logged_in(client, world.other_org_worker).get("/en/work/").content.decode()

    assert "Youssef" not in html
    assert "No follow-up visit is overdue." in html


def test_the_page_is_written_to_the_audit_log(client: Client, world: Any) -> None:
    case = world.identify().case
    _overdue(case)
    referral = refer(world)

    logged_in(client, world.worker).get("/en/work/")

    entry = AuditEntry.objects.get(event=AuditEvent.CHILD_LIST_VIEWED)
    assert entry.actor == world.worker
    assert entry.detail["page"] == "my_work"
    assert sorted(entry.detail["children"]) == sorted([case.child_id, referral.case.child_id])


def test_each_section_is_capped_with_a_link_to_see_all(
    client: Client, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "MY_WORK_CAP", 2)
    for days in (1, 2, 3):
        _overdue(world.identify().case, days=days)
    logged_in(client, world.worker)

    html = client.get("/en/work/").content.decode()

    overdue = _section(html, "overdue")
    assert '<span class="count">3</span>' in overdue
    assert overdue.count("<tr>") == 1 + 2  # the heading row and two cases
    assert 'href="/en/work/mine/overdue/"' in overdue
    assert "See all 3" in overdue

    first = client.get("/en/work/mine/overdue/").content.decode()
    second = client.get("/en/work/mine/overdue/?page=2").content.decode()
    assert first.count("Youssef El Amrani") == 2 and second.count("Youssef El Amrani") == 1
    assert 'href="?page=2"' in first
    entry = AuditEntry.objects.filter(event=AuditEvent.CHILD_LIST_VIEWED).first()
    assert entry is not None
    assert entry.detail["section"] == "overdue" and entry.detail["page_number"] == 2


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_rows(client: Client, world: Any) -> None:
    def add_rows() -> None:
        _overdue(world.identify().case)
        refer(world)
        case = world.identify().case
        services.case_assess(actor=world.worker, case=case, risk_level="low", assessment="Ok.")

    add_rows()
    logged_in(client, world.supervisor)
    with_one = _queries(client, "/en/work/")
    for _ in range(19):
        add_rows()
    with_twenty = _queries(client, "/en/work/")

    assert with_one == with_twenty
    html = client.get("/en/work/").content.decode()
    assert html.count("Youssef El Amrani") == 60
