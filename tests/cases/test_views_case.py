"""The case page: what it shows, the actions it offers each role, and each action's
success and refusals (shown beside the fields, nothing saved)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from tests.cases.conftest import Receiving

from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases import services
from himaya.cases.models import Case, CaseEvent, CaseStatus, Referral

HTMX = {"HX-Request": "true"}


@pytest.fixture
def case(world: Any) -> Any:
    """Youssef's case, identified by the worker, with a CNIE and an RSU number."""
    from himaya.cases.models import Household

    case = world.identify().case
    Household.objects.filter(pk=case.child.household_id).update(
        guardian_cnie="BE123456", rsu_number="987654321"
    )
    return case


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def _assessed(world: Any, case: Any) -> Any:
    services.case_assess(actor=world.worker, case=case, risk_level="medium", assessment="Souk.")
    services.case_approve_assessment(actor=world.supervisor, case=case)
    return case


def _consented(world: Any, case: Any) -> Any:
    services.case_record_consent(
        actor=world.worker, case=case, child_consent=True, guardian_consent=True
    )
    return case


def _in_remediation(world: Any, case: Any) -> Any:
    """Assessed, consented, referred to the school, which accepted."""
    referral = services.referral_send(
        actor=world.worker,
        case=_consented(world, _assessed(world, case)),
        service="education",
        provider=world.school,
    )
    services.referral_accept(actor=world.provider, referral=referral)
    case.refresh_from_db()
    return case


def _panels(html: str) -> set[str]:
    return set(re.findall(r'<details class="panel" id="panel-([a-z_]+)"', html))


def _field_error(html: str, field_id: str) -> str:
    match = re.search(rf'<div class="field-error" id="{field_id}_error">(.*?)</div>', html, re.S)
    assert match, f"no error beside {field_id}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


# --- What the page shows -----------------------------------------------------------------


def test_the_case_page_shows_the_child_household_verdict_and_timeline(
    client: Client, world: Any, case: Any
) -> None:
    html = _as(client, world.worker).get(f"/en/cases/{case.pk}/").content.decode()

    for text in (
        "Youssef El Amrani",
        "يوسف العمراني",
        "Fatima Amrani",
        "BE123456",  # identifiers: caseworkers only see this page
        "987654321",
        world.commune.name_fr,
        "Child labour",
        "Code du travail art. 143",  # the latest citation
        "ma.below_minimum_age",
        "Case opened; verdict: Child labour.",
        "Identification",
    ):
        assert text in html, text
    # The stepper: six statuses, the current one marked.
    assert html.count('class="stepper__step') == 6
    assert re.search(r'stepper__step--current" aria-current="step">\s*<span[^>]*>Identified', html)


def test_viewing_the_case_page_is_audited(client: Client, world: Any, case: Any) -> None:
    _as(client, world.worker).get(f"/fr/cases/{case.pk}/")

    entry = AuditEntry.objects.get(event=AuditEvent.CASE_VIEWED)
    assert (entry.actor, entry.child_id, entry.object_id) == (
        world.worker,
        case.child_id,
        str(case.pk),
    )


def test_the_actions_offered_follow_the_role_and_the_status(
    client: Client, world: Any, case: Any
) -> None:
    url = f"/fr/cases/{case.pk}/"
    worker = _panels(_as(client, world.worker).get(url).content.decode())
    assert worker == {"assess", "consent", "request_closure"}
    supervisor = _panels(_as(client, world.supervisor).get(url).content.decode())
    assert supervisor == {"assess", "consent", "request_closure", "assign"}

    services.case_assess(actor=world.worker, case=case, risk_level="high", assessment="Souk.")
    supervisor = _panels(client.get(url).content.decode())
    assert "approve_assessment" in supervisor
    services.case_approve_assessment(actor=world.supervisor, case=case)
    worker_html = _as(client, world.worker).get(url).content.decode()
    assert _panels(worker_html) == {"consent", "refer", "follow_up", "request_closure"}
    # No referral form before the consent, but what to do first.
    assert 'name="refer-provider"' not in worker_html
    assert "Enregistrez le consentement de l’enfant et du tuteur avant toute orientation." in (
        worker_html
    )


# --- Actions ------------------------------------------------------------------------------


def test_assess_then_approve(client: Client, world: Any, case: Any) -> None:
    response = _as(client, world.worker).post(
        f"/fr/cases/{case.pk}/assess/",
        {"assess-risk_level": "high", "assess-assessment": "Porte des charges au souk."},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/fr/cases/{case.pk}/"
    case.refresh_from_db()
    assert case.assessment_submitted and case.risk_level == "high"

    response = _as(client, world.supervisor).post(f"/fr/cases/{case.pk}/assessment/approve/")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSED
    html = client.get(response["Location"]).content.decode()
    assert 'class="message message--success"' in html


def test_an_incomplete_assessment_is_shown_again_with_its_errors(
    client: Client, world: Any, case: Any
) -> None:
    events = CaseEvent.objects.count()
    response = _as(client, world.worker).post(
        f"/fr/cases/{case.pk}/assess/", {"assess-risk_level": "extreme", "assess-assessment": ""}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert _field_error(html, "id_assess-risk_level")
    assert _field_error(html, "id_assess-assessment")
    assert '<details class="panel" id="panel-assess" open>' in html
    assert 'role="alert"' in html and 'href="#id_assess-assessment"' in html
    assert CaseEvent.objects.count() == events
    case.refresh_from_db()
    assert not case.assessment_submitted


def test_a_refused_action_shows_the_services_message_in_the_users_language(
    client: Client, world: Any, case: Any
) -> None:
    # The worker may not approve an assessment (and none is waiting).
    response = _as(client, world.worker).post(f"/ar/cases/{case.pk}/assessment/approve/")

    assert response.status_code == 400
    with translation.override("ar"):
        expected = str(services.NO_ASSESSMENT)
    assert escape(expected) in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.IDENTIFIED


def test_consent_then_refer_with_the_providers_of_the_service(
    client: Client, world: Any, case: Any
) -> None:
    _assessed(world, case)
    _as(client, world.worker)

    refused = client.post(
        f"/fr/cases/{case.pk}/refer/",
        {"refer-service": "education", "refer-provider": str(world.school.pk)},
    )
    assert refused.status_code == 400
    assert escape(str(services.CONSENT_MISSING)) in refused.content.decode()
    assert not Referral.objects.exists()

    response = client.post(
        f"/fr/cases/{case.pk}/consent/",
        {"consent-child_consent": "on", "consent-guardian_consent": "on"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.consent_given

    page = client.get(f"/fr/cases/{case.pk}/panels/refer/", headers=HTMX).content.decode()
    assert 'name="refer-provider"' in page
    assert world.school.name in page and world.training_centre.name in page
    assert world.far_school.name not in page  # does not serve the child's commune
    assert f'hx-get="/fr/cases/{case.pk}/providers/"' in page

    options = client.get(
        f"/fr/cases/{case.pk}/providers/", {"refer-service": "education"}, headers=HTMX
    ).content.decode()
    assert options.startswith("<select") and 'id="id_refer-provider"' in options
    assert world.school.name in options and world.other_school.name in options
    assert world.training_centre.name not in options and world.far_school.name not in options

    response = client.post(
        f"/fr/cases/{case.pk}/refer/",
        {"refer-service": "education", "refer-provider": str(world.school.pk), "refer-note": "CE2"},
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.provider, referral.note) == (world.school, "CE2")
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED


def test_a_provider_of_another_service_is_refused_beside_the_field(
    client: Client, world: Any, case: Any
) -> None:
    _consented(world, _assessed(world, case))

    response = _as(client, world.worker).post(
        f"/fr/cases/{case.pk}/refer/",
        {"refer-service": "education", "refer-provider": str(world.training_centre.pk)},
    )

    assert response.status_code == 400
    assert _field_error(response.content.decode(), "id_refer-provider")
    assert not Referral.objects.exists()


def test_justice_is_refused_beside_the_service(client: Client, world: Any) -> None:
    from himaya.accounts.models import Organisation, OrganisationKind

    court = Organisation.objects.create(
        name="Tribunal", kind=OrganisationKind.COURT, territory_code=world.region.code
    )
    case = _consented(world, _assessed(world, world.identify().case))

    response = _as(client, world.worker).post(
        f"/fr/cases/{case.pk}/refer/",
        {"refer-service": "justice", "refer-provider": str(court.pk)},
    )

    assert response.status_code == 400
    assert _field_error(response.content.decode(), "id_refer-service") == escape(
        str(services.JUSTICE_WORST_FORMS)
    )


def _follow_up_data(on: datetime.date, **changes: str) -> dict[str, str]:
    data = {
        "follow_up-observed_on": on.isoformat(),
        "follow_up-economic_hours_week": "0",
        "follow_up-in_school_or_training": "yes",
    }
    data.update(changes)
    return data


def test_follow_up_needs_to_know_about_school(client: Client, world: Any, case: Any) -> None:
    _assessed(world, case)
    _as(client, world.worker)

    response = client.post(
        f"/fr/cases/{case.pk}/follow-up/",
        _follow_up_data(services.today(), **{"follow_up-in_school_or_training": ""}),
    )
    assert response.status_code == 400
    assert _field_error(response.content.decode(), "id_follow_up-in_school_or_training")
    assert case.observations.count() == 1

    response = client.post(f"/fr/cases/{case.pk}/follow-up/", _follow_up_data(services.today()))
    assert response.status_code == 302
    assert case.observations.count() == 2
    case.refresh_from_db()
    assert case.next_follow_up_on is not None


def test_request_closure_as_moved_needs_the_receiving_organisation(
    client: Client, world: Any, case: Any
) -> None:
    _as(client, world.worker)
    url = f"/fr/cases/{case.pk}/closure/request/"

    response = client.post(url, {"closure-reason": "moved"})
    assert response.status_code == 400
    page = response.content.decode()
    assert _field_error(page, "id_closure-transferred_to") == escape(
        str(services.TRANSFER_REQUIRED)
    )
    assert _field_error(page, "id_closure-transferred_commune") == escape(
        str(services.TRANSFER_COMMUNE_REQUIRED)
    )
    assert world.other_association.name in page
    assert f'<option value="{world.school.pk}"' not in page  # providers are not offered

    # A commune outside the receiving organisation's territory (another region).
    moved = {"closure-reason": "moved", "closure-transferred_to": str(world.other_association.pk)}
    response = client.post(url, {**moved, "closure-transferred_commune": world.far_commune.code})
    assert response.status_code == 400
    page = response.content.decode()
    assert _field_error(page, "id_closure-transferred_commune") == escape(
        services.TRANSFER_COMMUNE_OUTSIDE % {"organisation": world.other_association.name}
    )
    # The communes offered are now those of the organisation chosen (its region).
    assert f'<option value="{world.near_commune.code}"' in page
    assert f'<option value="{world.far_commune.code}"' not in page
    case.refresh_from_db()
    assert case.closure_requested_reason == "" and case.transferred_commune is None

    response = client.post(url, {**moved, "closure-transferred_commune": world.commune.code})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.closure_requested_reason == "moved" and case.is_open
    assert case.transferred_commune == world.commune

    html = _as(client, world.supervisor).get(f"/fr/cases/{case.pk}/").content.decode()
    assert {"approve_closure"} <= _panels(html)
    assert escape(world.other_association.name) in html and world.commune.name_fr in html
    response = client.post(
        f"/fr/cases/{case.pk}/closure/reject/", {"reject_closure-note": "Vérifier l'adresse."}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.closure_requested_reason == "" and case.is_open
    assert case.transferred_commune is None


def test_the_closure_panel_offers_the_communes_of_the_organisation_chosen(
    client: Client, world: Any, case: Any, receiving: Receiving
) -> None:
    _as(client, world.worker)
    fragment = client.get(f"/fr/cases/{case.pk}/panels/request_closure/", headers=HTMX)
    html = fragment.content.decode()
    communes_url = f"/fr/cases/{case.pk}/closure/communes/"
    assert 'name="closure-transferred_commune"' in html
    assert f'hx-get="{communes_url}"' in html
    assert 'hx-target="#id_closure-transferred_commune"' in html
    assert f'<option value="{receiving.commune.code}"' not in html  # no organisation yet

    chosen = {"closure-transferred_to": str(receiving.organisation.pk)}
    select = client.get(communes_url, chosen, headers=HTMX).content.decode()
    assert select.startswith("<select") and 'id="id_closure-transferred_commune"' in select
    # The communes of Tétouan's province only: none of the sender's.
    assert f'<option value="{receiving.commune.code}"' in select
    assert f'<option value="{world.commune.code}"' not in select

    # The whole region of the other association: both provinces, grouped.
    chosen = {"closure-transferred_to": str(world.other_association.pk)}
    select = client.get(communes_url, chosen, headers=HTMX).content.decode()
    assert select.count("<optgroup") == 2 and f'value="{world.commune.code}"' in select
    assert f'value="{world.far_commune.code}"' not in select

    # Not an organisation offered (a provider, the sender itself, nonsense): no commune.
    for value in (world.school.pk, world.association.pk, "x", "9" * 30):
        chosen = {"closure-transferred_to": str(value)}
        select = client.get(communes_url, chosen, headers=HTMX).content.decode()
        assert '<option value=""' in select and select.count("<option") == 1, value


def test_the_supervisors_approval_transfers_the_case(
    client: Client, world: Any, case: Any, receiving: Receiving
) -> None:
    _as(client, world.worker)
    response = client.post(
        f"/en/cases/{case.pk}/closure/request/",
        {
            "closure-reason": "moved",
            "closure-transferred_to": str(receiving.organisation.pk),
            "closure-transferred_commune": receiving.commune.code,
        },
    )
    assert response.status_code == 302
    assert not Case.objects.filter(transferred_from=case).exists()

    _as(client, world.supervisor)
    html = client.get(f"/en/cases/{case.pk}/").content.decode()
    assert (
        f"The case will be transferred to Association Tilila (commune: "
        f"{receiving.commune.name_fr})." in html
    )
    response = client.post(f"/en/cases/{case.pk}/closure/approve/", {}, follow=True)
    assert response.redirect_chain[-1][0] == f"/en/cases/{case.pk}/"
    html = response.content.decode()
    assert "The case was closed and transferred to Association Tilila." in html
    assert re.search(r"<dt>Transferred to</dt><dd[^>]*>Association Tilila \(", html)
    assert "Transferred to Association Tilila." in html  # the timeline

    new = Case.objects.get(transferred_from=case)
    assert new.organisation == receiving.organisation and new.is_open
    assert new.commune == receiving.commune and new.assigned_to is None
    assert f"/cases/{new.pk}/" not in html  # no way into the other organisation's case

    # The receiving organisation's supervisor opens the new case; not the original.
    _as(client, receiving.supervisor)
    html = client.get(f"/en/cases/{new.pk}/").content.decode()
    assert re.search(r"<dt>Transferred from</dt><dd[^>]*>Association Amal</dd>", html)
    assert f"Transferred from Association Amal (case #{case.pk})." in html
    assert "Youssef El Amrani" in html and "Fatima Amrani" in html
    assert f"/cases/{case.pk}/" not in html
    assert "assign" in _panels(html)  # she assigns it
    assert client.get(f"/en/cases/{case.pk}/").status_code == 404
    assert "Association Amal" in client.get(f"/ar/cases/{new.pk}/").content.decode()
    _as(client, receiving.worker)
    assert client.get(f"/en/cases/{new.pk}/").status_code == 200
    assert client.get(f"/en/cases/{case.pk}/").status_code == 404

    # The sender: its closed case, and a 404 on the new one.
    for user in (world.worker, world.supervisor):
        _as(client, user)
        assert client.get(f"/en/cases/{case.pk}/").status_code == 200
        assert client.get(f"/en/cases/{new.pk}/").status_code == 404
        assert client.get(f"/en/cases/children/{new.child_id}/identify/").status_code == 404


def test_a_supervisor_closing_as_moved_transfers_at_once(
    client: Client, world: Any, case: Any, receiving: Receiving
) -> None:
    response = _as(client, world.supervisor).post(
        f"/fr/cases/{case.pk}/closure/request/",
        {
            "closure-reason": "moved",
            "closure-transferred_to": str(receiving.organisation.pk),
            "closure-transferred_commune": world.commune.code,  # not Tétouan's
        },
    )
    assert response.status_code == 400
    assert "id_closure-transferred_commune_error" in response.content.decode()
    assert not Case.objects.filter(transferred_from=case).exists()
    case.refresh_from_db()
    assert case.is_open and case.closure_requested_reason == ""

    response = client.post(
        f"/fr/cases/{case.pk}/closure/request/",
        {
            "closure-reason": "moved",
            "closure-transferred_to": str(receiving.organisation.pk),
            "closure-transferred_commune": receiving.commune.code,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert Case.objects.get(transferred_from=case).organisation == receiving.organisation


def test_out_of_child_labour_too_early_is_refused(client: Client, world: Any, case: Any) -> None:
    response = _as(client, world.worker).post(
        f"/fr/cases/{case.pk}/closure/request/", {"closure-reason": "out_of_child_labour"}
    )

    assert response.status_code == 400
    assert _field_error(response.content.decode(), "id_closure-reason")
    case.refresh_from_db()
    assert case.closure_requested_reason == ""


def test_start_monitoring_is_offered_in_remediation_only(
    client: Client, world: Any, case: Any
) -> None:
    button = f'action="/fr/cases/{case.pk}/monitoring/start/"'

    def offered(user: Any) -> bool:
        html = _as(client, user).get(f"/fr/cases/{case.pk}/").content.decode()
        shown = "start_monitoring" in _panels(html)
        assert shown == (button in html)
        return shown

    assert not offered(world.worker) and not offered(world.supervisor)  # identified
    referral = services.referral_send(
        actor=world.worker,
        case=_consented(world, _assessed(world, case)),
        service="education",
        provider=world.school,
    )
    assert not offered(world.worker) and not offered(world.supervisor)  # referred
    services.referral_accept(actor=world.provider, referral=referral)
    assert offered(world.worker) and offered(world.supervisor)  # in remediation
    services.case_start_monitoring(actor=world.worker, case=case)
    assert not offered(world.worker) and not offered(world.supervisor)  # monitoring


def test_start_monitoring_moves_the_case_without_javascript(world: Any, case: Any) -> None:
    _in_remediation(world, case)
    browser = Client(enforce_csrf_checks=True)  # a plain form post, its CSRF token checked
    browser.force_login(world.worker)
    url = f"/en/cases/{case.pk}/monitoring/start/"

    assert browser.post(url).status_code == 403  # no token
    page = browser.get(f"/en/cases/{case.pk}/").content.decode()
    form = re.search(rf'<form method="post" action="{url}".*?</form>', page, re.S)
    assert form
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(0))
    assert token and "Start monitoring" in form.group(0)

    response = browser.post(url, {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302 and response["Location"] == f"/en/cases/{case.pk}/"
    case.refresh_from_db()
    assert case.status == CaseStatus.MONITORING
    html = browser.get(response["Location"]).content.decode()
    assert 'class="message message--success"' in html
    assert "The case is now in monitoring." in html and "Monitoring started." in html
    assert re.search(r'stepper__step--current" aria-current="step">\s*<span[^>]*>Monitoring', html)


def test_start_monitoring_in_another_status_is_refused(
    client: Client, world: Any, case: Any
) -> None:
    _assessed(world, case)
    events = CaseEvent.objects.count()

    response = _as(client, world.worker).post(f"/fr/cases/{case.pk}/monitoring/start/")

    assert response.status_code == 400
    assert escape(str(services.TRANSITION_NOT_ALLOWED)) in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSED and CaseEvent.objects.count() == events


@pytest.mark.parametrize("who", ["other_org_worker", "other_territory_worker"])
def test_start_monitoring_outside_the_scope_is_not_found(
    client: Client, world: Any, case: Any, who: str
) -> None:
    _in_remediation(world, case)
    events = CaseEvent.objects.count()

    response = _as(client, getattr(world, who)).post(f"/fr/cases/{case.pk}/monitoring/start/")

    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REMEDIATION and CaseEvent.objects.count() == events


def test_the_supervisor_reassigns_within_the_organisation(
    client: Client, world: Any, case: Any
) -> None:
    _as(client, world.supervisor)
    page = client.get(f"/fr/cases/{case.pk}/").content.decode()
    assert f'<option value="{world.other_org_worker.pk}"' not in page

    response = client.post(f"/fr/cases/{case.pk}/assign/", {"assign-assignee": world.supervisor.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assigned_to == world.supervisor

    response = client.post(
        f"/fr/cases/{case.pk}/assign/", {"assign-assignee": world.other_org_worker.pk}
    )
    assert response.status_code == 400
    assert _field_error(response.content.decode(), "id_assign-assignee")


def test_the_worker_cannot_reassign(client: Client, world: Any, case: Any) -> None:
    response = _as(client, world.worker).post(
        f"/fr/cases/{case.pk}/assign/", {"assign-assignee": world.supervisor.pk}
    )

    assert response.status_code == 400
    assert escape(str(services.ROLE_NOT_ALLOWED)) in response.content.decode()
    case.refresh_from_db()
    assert case.assigned_to == world.worker


def test_actions_are_post_only(client: Client, world: Any, case: Any) -> None:
    _as(client, world.worker)
    for action in (
        "assess",
        "consent",
        "refer",
        "follow-up",
        "monitoring/start",
        "closure/request",
        "assign",
    ):
        assert client.get(f"/fr/cases/{case.pk}/{action}/").status_code == 405


@pytest.mark.parametrize(
    ("panel", "field", "action"),
    [
        ("assess", "assess-risk_level", "assess/"),
        ("refer", "refer-provider", "refer/"),
        ("follow_up", "follow_up-observed_on", "follow-up/"),
        ("request_closure", "closure-reason", "closure/request/"),
        ("assign", "assign-assignee", "assign/"),
    ],
)
def test_a_panel_form_is_drawn_when_the_panel_is_opened(
    client: Client, world: Any, case: Any, panel: str, field: str, action: str
) -> None:
    if panel in ("refer", "follow_up"):
        _consented(world, _assessed(world, case))
    page = _as(client, world.supervisor).get(f"/fr/cases/{case.pk}/").content.decode()
    form_url = f"/fr/cases/{case.pk}/panels/{panel}/"
    assert f'hx-get="{form_url}"' in page and f'href="{form_url}"' in page
    assert f'name="{field}"' not in page

    fragment = client.get(form_url, headers=HTMX).content.decode()
    assert f'name="{field}"' in fragment and "<html" not in fragment
    assert f'action="/fr/cases/{case.pk}/{action}"' in fragment
    full = client.get(form_url).content.decode()
    assert f'name="{field}"' in full and "<html" in full
    assert f'href="/fr/cases/{case.pk}/"' in full  # back to the case


def test_opening_a_panel_is_an_audited_view_of_the_case(
    client: Client, world: Any, case: Any
) -> None:
    _as(client, world.worker).get(f"/fr/cases/{case.pk}/panels/assess/", headers=HTMX)

    entry = AuditEntry.objects.filter(event=AuditEvent.CASE_VIEWED).get()
    assert (entry.actor, entry.object_id) == (world.worker, str(case.pk))


@pytest.mark.parametrize(
    ("who", "panel"),
    [
        ("worker", "follow_up"),  # not before the assessment is approved
        ("worker", "refer"),  # nor before it
        ("worker", "assign"),  # a supervisor's action
        ("worker", "consent"),  # drawn with the page, not on its own
        ("worker", "nonsense"),
    ],
)
def test_a_panel_not_offered_is_not_found(
    client: Client, world: Any, case: Any, who: str, panel: str
) -> None:
    response = _as(client, getattr(world, who)).get(f"/fr/cases/{case.pk}/panels/{panel}/")
    assert response.status_code == 404


def test_the_referral_panel_needs_the_consent_first(client: Client, world: Any, case: Any) -> None:
    _assessed(world, case)
    assert _as(client, world.worker).get(f"/fr/cases/{case.pk}/panels/refer/").status_code == 404


def test_a_follow_up_with_errors_comes_back_inline_and_open(
    client: Client, world: Any, case: Any
) -> None:
    _assessed(world, case)
    response = _as(client, world.worker).post(
        f"/fr/cases/{case.pk}/follow-up/", {"follow_up-observed_on": "2999-01-01"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert '<details class="panel" id="panel-follow_up" open>' in html
    assert 'name="follow_up-observed_on"' in html
