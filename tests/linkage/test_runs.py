"""Linkage runs over the children (on demand, on a schedule), and the children already
known shown while identifying one."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.linkage.conftest import identify_child

from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases.models import Child
from himaya.cases.services import today
from himaya.core.errors import ApplicationError
from himaya.linkage import selectors, services
from himaya.linkage.models import DuplicateCandidate, LinkageRun, RunStatus, RunTrigger

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_padding")]


def _children(world: Any) -> dict[str, Child]:
    return {
        # One boy, recorded twice by the association, with other spellings.
        "youssef": identify_child(world),
        "youssef_again": identify_child(
            world, first=("يوسف", "Youssouf"), family=("عمراني", "Amrani")
        ),
        # His sister: same family, another first name and age.
        "sister": identify_child(world, first=("خديجة", "Khadija"), sex="F", years=15),
        # The same boy, recorded by another organisation: nobody's queue holds the pair.
        "youssef_elsewhere": identify_child(world, actor=world.other_org_worker),
    }


def test_a_run_proposes_the_same_child_and_keeps_siblings_apart(world: Any) -> None:
    children = _children(world)

    run = services.linkage_run_request(actor=world.supervisor)

    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert run.progress == 100
    assert run.children == 4
    assert run.model is not None
    assert run.across_organisations >= 1
    pairs = list(selectors.review_queue(user=world.supervisor))
    assert [(p.child_a_id, p.child_b_id) for p in pairs] == [
        (children["youssef"].pk, children["youssef_again"].pk)
    ]
    assert pairs[0].probability >= 0.2
    assert "first_name" in pairs[0].explanation["agreeing"]
    assert set(pairs[0].weights) >= {"first_name", "family_name", "birth"}
    assert AuditEntry.objects.filter(event=AuditEvent.LINKAGE_RUN_STARTED).count() == 1


def test_a_second_run_keeps_reviewed_pairs_as_they_were(world: Any) -> None:
    _children(world)
    services.linkage_run_request(actor=world.supervisor)
    pair = selectors.review_queue(user=world.supervisor).get()
    services.candidate_dismiss(actor=world.supervisor, candidate=pair)

    services.linkage_run_request(actor=world.supervisor)

    assert list(selectors.review_queue(user=world.supervisor)) == []
    assert DuplicateCandidate.objects.get(pk=pair.pk).status == "dismissed"


def test_only_a_supervisor_starts_a_run_and_one_at_a_time(world: Any) -> None:
    with pytest.raises(ApplicationError) as forbidden:
        services.linkage_run_request(actor=world.worker)
    assert forbidden.value.status == 403
    LinkageRun.objects.create(trigger=RunTrigger.SCHEDULED)  # queued, waiting for the worker
    with pytest.raises(ApplicationError) as busy:
        services.linkage_run_request(actor=world.supervisor)
    assert busy.value.status == 409
    assert LinkageRun.objects.count() == 1


def test_the_scheduler_queues_a_run_when_one_is_due(world: Any, settings: Any) -> None:
    settings.HIMAYA_LINKAGE_EVERY_HOURS = 24
    call_command("scheduler", "--once")
    assert LinkageRun.objects.get().trigger == RunTrigger.SCHEDULED

    assert services.linkage_run_if_due() is None  # the next is due in a day
    later = timezone.now() + datetime.timedelta(hours=25)
    assert services.linkage_run_if_due(now=later) is not None
    settings.HIMAYA_LINKAGE_EVERY_HOURS = 0
    assert services.linkage_run_if_due(now=later + datetime.timedelta(days=9)) is None


def test_a_failed_run_says_so_and_changes_nothing(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "link", broken)
    # The task backend records the error the run lets through.
    run = services.linkage_run_request(actor=world.supervisor)

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.error
    assert DuplicateCandidate.objects.count() == 0


# --- While identifying ----------------------------------------------------------------


def _form(world: Any, **fields: str) -> dict[str, str]:
    data = {
        "region": world.region.code,
        "province": world.province.code,
        "commune": world.commune.code,
        "guardian_name": "Fatima",
        "first_name_ar": "يوسف",
        "family_name_ar": "العمراني",
        "first_name_latin": "Youssef",
        "family_name_latin": "El Amrani",
        "sex": "M",
        "birth_date": (today() - datetime.timedelta(days=13 * 366)).isoformat(),
        "observed_on": today().isoformat(),
        "economic_hours_week": "20",
        "sector": "trade",
    }
    data.update(fields)
    return data


def test_identifying_a_known_child_shows_them_before_a_second_record_is_made(
    world: Any, client: Client
) -> None:
    known = identify_child(world)
    identify_child(world, first=("خديجة", "Khadija"), sex="F", years=15)
    services.linkage_run_request(actor=world.supervisor)
    client.force_login(world.worker)

    shown = client.post(
        reverse("cases:identify_candidates"),
        _form(world, family_name_latin="Amrani"),
        HTTP_HX_REQUEST="true",
    )
    assert shown.status_code == 200
    assert f"/children/{known.pk}/identify/" in shown.content.decode()
    assert AuditEntry.objects.filter(event=AuditEvent.CANDIDATES_SHOWN, child_id=known.pk).exists()

    count = Child.objects.count()
    stopped = client.post(reverse("cases:identify"), _form(world, family_name_latin="Amrani"))
    assert stopped.status_code == 400
    assert "id_different_child" in stopped.content.decode()
    assert 'id="error-summary"' in stopped.content.decode()
    assert Child.objects.count() == count

    saved = client.post(
        reverse("cases:identify"), _form(world, family_name_latin="Amrani", different_child="1")
    )
    assert saved.status_code == 302
    assert Child.objects.count() == count + 1


def test_the_child_being_identified_comes_from_the_users_organisation(world: Any) -> None:
    # Its source is the identifying user's organisation's kind, as for the children that
    # organisation recorded: the model weighs one source or two for it too.
    known = identify_child(world)
    services.linkage_run_request(actor=world.supervisor)
    record = selectors.identification_as_record(_form(world, family_name_latin="Amrani"))
    assert not record.get("source")

    found = selectors.candidates_for_new_child(user=world.worker, record=record)

    assert [c.child.pk for c in found] == [known.pk]
    assert found[0].explanation["weights"]["source"] != 0


def test_another_organisation_is_never_shown_the_known_child(world: Any, client: Client) -> None:
    identify_child(world)
    services.linkage_run_request(actor=world.supervisor)
    client.force_login(world.other_org_worker)

    shown = client.post(reverse("cases:identify_candidates"), _form(world), HTTP_HX_REQUEST="true")

    assert shown.status_code == 200
    assert "/identify/" not in shown.content.decode()
    saved = client.post(reverse("cases:identify"), _form(world))
    assert saved.status_code == 302


def test_no_candidate_is_shown_before_any_run(world: Any, client: Client) -> None:
    identify_child(world)
    client.force_login(world.worker)
    shown = client.post(reverse("cases:identify_candidates"), _form(world), HTTP_HX_REQUEST="true")
    assert shown.status_code == 200
    assert shown.content.decode().strip() == ""
