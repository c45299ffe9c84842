"""The supervisor's pages of probable duplicates: queue, pair, merge, dismiss, undo, run."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from tests.linkage.conftest import candidate, identify_child

from himaya.cases.models import Child
from himaya.linkage.models import CandidateStatus, ChildMerge, LinkageRun, RunStatus, RunTrigger

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(world: Any) -> Any:
    return candidate(identify_child(world), identify_child(world))


def test_the_queue_lists_the_pair_and_the_pair_page_explains_it(
    world: Any, client: Client, pair: Any
) -> None:
    client.force_login(world.supervisor)
    with translation.override("en"):
        queue = client.get(reverse("linkage:queue"))
        page = client.get(reverse("linkage:candidate", args=[pair.pk]))
        link = reverse("linkage:candidate", args=[pair.pk])
    assert queue.status_code == 200
    assert link in queue.content.decode()
    assert page.status_code == 200
    body = page.content.decode()
    assert "Youssef El Amrani" in body
    assert "Massar code" in body  # the explanation, comparison by comparison
    assert "agrees" in body


def test_merge_dismiss_and_undo_through_the_pages(world: Any, client: Client, pair: Any) -> None:
    client.force_login(world.supervisor)
    bad = client.post(reverse("linkage:merge", args=[pair.pk]), {"survivor": "nonsense"})
    assert bad.status_code == 302
    assert Child.objects.filter(merged_into__isnull=False).count() == 0

    merged = client.post(reverse("linkage:merge", args=[pair.pk]), {"survivor": pair.child_a_id})
    assert merged.status_code == 302
    assert Child.objects.get(pk=pair.child_b_id).merged_into_id == pair.child_a_id

    merge = ChildMerge.objects.get()
    undone = client.post(reverse("linkage:unmerge", args=[merge.pk]))
    assert undone.status_code == 302
    assert Child.objects.get(pk=pair.child_b_id).merged_into_id is None

    other = candidate(identify_child(world), identify_child(world))
    client.post(reverse("linkage:dismiss", args=[other.pk]))
    other.refresh_from_db()
    assert other.status == CandidateStatus.DISMISSED


@pytest.mark.parametrize("who", ["worker", "inspector", "other_org_worker", "analyst", "provider"])
def test_everybody_else_gets_not_found(world: Any, client: Client, pair: Any, who: str) -> None:
    client.force_login(getattr(world, who))
    assert client.get(reverse("linkage:queue")).status_code == 404
    assert client.get(reverse("linkage:candidate", args=[pair.pk])).status_code == 404
    assert (
        client.post(
            reverse("linkage:merge", args=[pair.pk]), {"survivor": pair.child_a_id}
        ).status_code
        == 404
    )
    assert client.post(reverse("linkage:run_start")).status_code == 404
    assert Child.objects.filter(merged_into__isnull=False).count() == 0


def test_a_running_run_is_polled_then_the_page_reloads(world: Any, client: Client) -> None:
    run = LinkageRun.objects.create(
        trigger=RunTrigger.SCHEDULED, status=RunStatus.RUNNING, stage="linking", progress=15
    )
    client.force_login(world.supervisor)
    polled = client.get(reverse("linkage:run", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert 'value="15"' in polled.content.decode()
    assert "HX-Refresh" not in polled

    LinkageRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, progress=100)
    ended = client.get(reverse("linkage:run", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert ended["HX-Refresh"] == "true"
    assert client.get(reverse("linkage:run", args=[run.pk + 1])).status_code == 404
