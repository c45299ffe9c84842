"""The service provider's referral inbox and referral page, and its answers."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.workspace.conftest import ASSESSMENT, CNIE, GUARDIAN, HAZARD, RSU, logged_in, refer

from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases import services
from himaya.cases.models import Case, CaseStatus, Referral, ReferralStatus

# --- Inbox ---------------------------------------------------------------------------


def test_the_inbox_lists_the_referrals_addressed_to_the_provider(
    client: Client, world: Any, referral: Any
) -> None:
    html = logged_in(client, world.provider).get("/en/work/inbox/").content.decode()

    assert f'href="/en/work/referrals/{referral.pk}/"' in html
    assert "Youssef El Amrani" in html
    assert world.commune.name_fr in html
    assert "Return to school or second-chance school" in html
    assert world.association.name in html  # who referred
    assert '<span class="badge badge--sent">Sent</span>' in html


def test_another_provider_sees_none_of_them(client: Client, world: Any, referral: Any) -> None:
    html = logged_in(client, world.other_provider).get("/en/work/inbox/").content.decode()

    assert "Youssef" not in html
    assert f"/en/work/referrals/{referral.pk}/" not in html
    assert "No referral has been addressed to your organisation yet." in html
    assert client.get(f"/en/work/referrals/{referral.pk}/").status_code == 404
    assert client.post(f"/en/work/referrals/{referral.pk}/accept/").status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_caseworkers_get_404_on_the_provider_pages(
    client: Client, world: Any, referral: Any
) -> None:
    logged_in(client, world.worker)  # the worker who sent it

    assert client.get("/en/work/inbox/").status_code == 404
    assert client.get(f"/en/work/referrals/{referral.pk}/").status_code == 404
    for action in ("accept", "refuse", "deliver"):
        assert client.post(f"/en/work/referrals/{referral.pk}/{action}/").status_code == 404


def test_the_inbox_filters_by_status(client: Client, world: Any) -> None:
    accepted = refer(world)
    services.referral_accept(actor=world.provider, referral=accepted)
    sent = refer(world)
    logged_in(client, world.provider)

    html = client.get("/en/work/inbox/?status=accepted").content.decode()
    assert f"/en/work/referrals/{accepted.pk}/" in html
    assert f"/en/work/referrals/{sent.pk}/" not in html

    html = client.get("/en/work/inbox/?status=refused").content.decode()
    assert "No referral has this status." in html

    html = client.get("/en/work/inbox/?status=bogus").content.decode()  # ignored
    assert f"/en/work/referrals/{accepted.pk}/" in html
    assert f"/en/work/referrals/{sent.pk}/" in html


def test_the_inbox_is_paginated_by_25_and_audited(client: Client, world: Any) -> None:
    referral = refer(world)
    case = referral.case
    for _ in range(26):  # 27 in all
        Referral.objects.create(
            case=case,
            service="education",
            provider=world.school,
            sent_on=services.today(),
            sent_by=world.worker,
            status=ReferralStatus.ACCEPTED,
        )
    logged_in(client, world.provider)

    first = client.get("/en/work/inbox/?status=accepted").content.decode()
    second = client.get("/en/work/inbox/?status=accepted&page=2").content.decode()

    assert first.count("/en/work/referrals/") == 25
    assert second.count("/en/work/referrals/") == 1
    assert 'href="?status=accepted&amp;page=2"' in first
    entries = AuditEntry.objects.filter(event=AuditEvent.REFERRAL_LIST_VIEWED)
    assert entries.count() == 2
    latest = entries.first()
    assert latest is not None and latest.actor == world.provider
    assert latest.detail == {
        "page": "inbox",
        "status": "accepted",
        "page_number": 2,
        "children": [case.child_id],
    }


def test_the_inbox_queries_do_not_grow_with_the_rows(client: Client, world: Any) -> None:
    refer(world)
    logged_in(client, world.provider)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/en/work/inbox/").status_code == 200
        return len(captured)

    with_one = queries()
    for _ in range(19):
        refer(world)
    with_twenty = queries()

    assert with_one == with_twenty
    assert client.get("/en/work/inbox/").content.decode().count("Youssef El Amrani") == 20


# --- The referral page -----------------------------------------------------------------


def test_the_referral_page_shows_what_the_provider_needs(
    client: Client, world: Any, referral: Any
) -> None:
    response = logged_in(client, world.provider).get(f"/en/work/referrals/{referral.pk}/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Youssef El Amrani" in html and "يوسف العمراني" in html
    assert "Boy" in html
    assert "13 years" in html
    assert world.commune.name_fr in html
    assert "Return to school or second-chance school" in html
    assert "Please enrol him." in html
    assert world.association.name in html
    assert f'datetime="{referral.sent_on.isoformat()}"' in html
    entry = AuditEntry.objects.get(event=AuditEvent.REFERRAL_VIEWED)
    assert entry.actor == world.provider and entry.object_id == str(referral.pk)
    assert entry.child_id == referral.case.child_id


def test_the_referral_page_hides_everything_else(client: Client, world: Any) -> None:
    referral = refer(world)
    other = services.referral_send(
        actor=world.worker,
        case=referral.case,
        service="social_protection",
        provider=world.social_protection,
        note="Register for AMO.",
    )
    referral.case.refresh_from_db()
    assert referral.case.verdict == "hazardous"

    html = logged_in(client, world.provider).get(f"/en/work/referrals/{referral.pk}/")
    text = html.content.decode()

    for secret in (CNIE, RSU, ASSESSMENT, GUARDIAN, HAZARD, "Pesticides"):
        assert secret not in text, secret
    for verdict in ("hazardous", "Hazardous", "Child labour", "child_labour", "Verdict"):
        assert verdict not in text, verdict
    assert "Register for AMO." not in text  # another referral of the same child
    assert world.social_protection.name not in text
    assert f"/referrals/{other.pk}/" not in text


# --- Answers ---------------------------------------------------------------------------


def test_accepting_through_the_page(client: Client, world: Any, referral: Any) -> None:
    logged_in(client, world.provider)

    response = client.post(f"/en/work/referrals/{referral.pk}/accept/", follow=True)

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert Case.objects.get(pk=referral.case_id).status == CaseStatus.IN_REMEDIATION
    assert AuditEntry.objects.filter(
        event=AuditEvent.REFERRAL_ACCEPTED, actor=world.provider, object_id=str(referral.pk)
    ).exists()
    html = response.content.decode()
    assert response.redirect_chain == [(f"/en/work/referrals/{referral.pk}/", 302)]
    assert 'role="status"' in html and "Referral accepted." in html
    assert 'name="delivered_on"' in html  # the next step


def test_accepting_twice_is_refused_with_a_message(
    client: Client, world: Any, referral: Any
) -> None:
    services.referral_accept(actor=world.provider, referral=referral)
    logged_in(client, world.provider)

    response = client.post(f"/en/work/referrals/{referral.pk}/accept/", follow=True)

    assert "This referral has already been answered." in response.content.decode()
    assert AuditEntry.objects.filter(event=AuditEvent.REFERRAL_ACCEPTED).count() == 1


def test_refusing_with_a_reason(client: Client, world: Any, referral: Any) -> None:
    logged_in(client, world.provider)

    response = client.post(
        f"/en/work/referrals/{referral.pk}/refuse/", {"reason": "No place left this year."}
    )

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFUSED
    assert referral.refusal_reason == "No place left this year."
    assert AuditEntry.objects.filter(
        event=AuditEvent.REFERRAL_REFUSED, actor=world.provider
    ).exists()
    html = client.get(response["Location"]).content.decode()
    assert "Referral refused." in html
    assert "No place left this year." in html  # in the history
    assert 'name="reason"' not in html  # nothing left to answer


def test_refusing_without_a_reason_saves_nothing(client: Client, world: Any, referral: Any) -> None:
    logged_in(client, world.provider)

    response = client.post(f"/en/work/referrals/{referral.pk}/refuse/", {"reason": "  "})

    assert response.status_code == 400
    html = response.content.decode()
    assert '<div class="field-error" id="id_reason_error"><p>Give a reason.</p></div>' in html
    assert 'aria-invalid="true"' in html
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT and referral.refusal_reason == ""
    assert not AuditEntry.objects.filter(event=AuditEvent.REFERRAL_REFUSED).exists()


def test_recording_the_service_delivered(client: Client, world: Any, referral: Any) -> None:
    services.referral_accept(actor=world.provider, referral=referral)
    logged_in(client, world.provider)
    on = services.today() - datetime.timedelta(days=2)

    response = client.post(
        f"/en/work/referrals/{referral.pk}/deliver/",
        {"delivered_on": on.isoformat(), "note": "Enrolled in year 6."},
        follow=True,
    )

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DELIVERED
    assert referral.delivered_on == on and referral.delivery_note == "Enrolled in year 6."
    case = Case.objects.get(pk=referral.case_id)
    assert case.status == CaseStatus.MONITORING and case.next_follow_up_on is not None
    assert AuditEntry.objects.filter(
        event=AuditEvent.REFERRAL_DELIVERED, actor=world.provider
    ).exists()
    html = response.content.decode()
    assert "Service recorded as delivered." in html
    assert "Enrolled in year 6." in html


def test_a_bad_delivery_date_saves_nothing(client: Client, world: Any, referral: Any) -> None:
    services.referral_accept(actor=world.provider, referral=referral)
    logged_in(client, world.provider)
    url = f"/en/work/referrals/{referral.pk}/deliver/"
    tomorrow = services.today() + datetime.timedelta(days=1)

    future = client.post(url, {"delivered_on": tomorrow.isoformat(), "note": "x"})
    missing = client.post(url, {"delivered_on": "", "note": "x"})
    garbled = client.post(url, {"delivered_on": "not a date", "note": "x"})

    assert future.status_code == missing.status_code == garbled.status_code == 400
    assert "The date cannot be in the future." in future.content.decode()
    assert 'id="id_delivered_on_error"' in missing.content.decode()
    assert 'id="id_delivered_on_error"' in garbled.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.delivered_on is None
    assert not AuditEntry.objects.filter(event=AuditEvent.REFERRAL_DELIVERED).exists()


def test_delivering_before_accepting_is_refused(client: Client, world: Any, referral: Any) -> None:
    logged_in(client, world.provider)

    response = client.post(
        f"/en/work/referrals/{referral.pk}/deliver/",
        {"delivered_on": services.today().isoformat()},
        follow=True,
    )

    assert "Only an accepted referral can be marked as delivered." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_actions_need_post(client: Client, world: Any, referral: Any) -> None:
    logged_in(client, world.provider)

    assert client.get(f"/en/work/referrals/{referral.pk}/accept/").status_code == 405
