"""Merging two records of one child, and undoing it: nothing lost, all audited, in scope."""

from __future__ import annotations

from typing import Any

import pytest
from tests.linkage.conftest import candidate, identify_child

from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.cases.models import (
    Case,
    CaseStatus,
    Child,
    ClosureReason,
    Observation,
    Referral,
    ReferralStatus,
)
from himaya.cases.selectors import child_visible_to
from himaya.cases.services import today
from himaya.core.errors import ApplicationError, InvalidInput, NotFound
from himaya.linkage import selectors, services
from himaya.linkage.models import CandidateStatus, ChildMerge

pytestmark = pytest.mark.django_db


def _refer(case: Case, world: Any) -> Referral:
    return Referral.objects.create(
        case=case,
        service="school",
        provider=world.school,
        sent_on=today(),
        sent_by=world.worker,
        status=ReferralStatus.ACCEPTED,
    )


def _follow_up(case: Case) -> Observation:
    first = case.observations.get()
    first.pk = None
    first.kind = Observation.Kind.FOLLOW_UP
    first.save()
    return first


def _where(child: Child) -> dict[str, Any]:
    """Every record that hangs on a child, and where it hangs."""
    cases = Case.objects.filter(child=child)
    return {
        "cases": {c.pk: (c.status, c.closure_reason) for c in cases},
        "observations": {
            o.pk: o.case_id for o in Observation.objects.filter(child=child).order_by("pk")
        },
        "referrals": {r.pk: r.case_id for r in Referral.objects.filter(case__child=child)},
    }


def test_merge_carries_every_case_referral_and_follow_up_and_unmerge_puts_them_back(
    world: Any,
) -> None:
    kept, other = identify_child(world), identify_child(world)
    kept_case, other_case = kept.cases.get(), other.cases.get()
    referral = _refer(other_case, world)
    follow_up = _follow_up(other_case)
    before = {kept.pk: _where(kept), other.pk: _where(other)}
    pair = candidate(kept, other)

    merge = services.children_merge(actor=world.supervisor, candidate=pair, survivor_id=kept.pk)

    other.refresh_from_db()
    assert other.merged_into_id == kept.pk
    assert set(child_visible_to(world.supervisor)) == {kept}
    # Everything of the merged child is the kept child's now; nothing was deleted.
    assert set(Case.objects.filter(child=kept)) == {kept_case, other_case}
    assert Observation.objects.filter(child=other).count() == 0
    assert Observation.objects.filter(child=kept).count() == 3
    referral.refresh_from_db()
    follow_up.refresh_from_db()
    assert referral.case_id == kept_case.pk
    assert follow_up.case_id == kept_case.pk
    other_case.refresh_from_db()
    assert other_case.status == CaseStatus.CLOSED
    assert other_case.closure_reason == ClosureReason.MERGED
    kept_case.refresh_from_db()
    assert kept_case.status != CaseStatus.CLOSED
    assert {e.kind for e in kept_case.events.all()} >= {"merged_in"}
    pair.refresh_from_db()
    assert pair.status == CandidateStatus.MERGED
    merged_audit = AuditEntry.objects.filter(event=AuditEvent.CHILDREN_MERGED)
    assert set(merged_audit.values_list("child_id", flat=True)) == {kept.pk, other.pk}

    services.children_unmerge(actor=world.supervisor, merge=merge)

    assert Child.objects.get(pk=other.pk).merged_into_id is None
    assert {kept.pk: _where(kept), other.pk: _where(other)} == before
    pair.refresh_from_db()
    assert pair.status == CandidateStatus.DISMISSED
    assert AuditEntry.objects.filter(event=AuditEvent.CHILDREN_UNMERGED).count() == 2
    assert ChildMerge.objects.get().undone_by == world.supervisor


def test_the_open_case_of_the_merged_child_moves_when_the_kept_one_has_none(world: Any) -> None:
    kept, other = identify_child(world), identify_child(world)
    kept_case = kept.cases.get()
    Case.objects.filter(pk=kept_case.pk).update(status=CaseStatus.CLOSED)
    other_case = other.cases.get()

    services.children_merge(
        actor=world.supervisor, candidate=candidate(kept, other), survivor_id=kept.pk
    )

    other_case.refresh_from_db()
    assert other_case.child_id == kept.pk
    assert other_case.status != CaseStatus.CLOSED


def test_dismissed_pairs_leave_the_queue(world: Any) -> None:
    a, b = identify_child(world), identify_child(world)
    pair = candidate(a, b)
    assert list(selectors.review_queue(user=world.supervisor)) == [pair]

    services.candidate_dismiss(actor=world.supervisor, candidate=pair)

    assert list(selectors.review_queue(user=world.supervisor)) == []
    assert AuditEntry.objects.filter(event=AuditEvent.DUPLICATE_DISMISSED).count() == 2


def test_a_pair_of_a_child_merged_since_leaves_the_queue(world: Any) -> None:
    a, b, c = identify_child(world), identify_child(world), identify_child(world)
    first, second = candidate(a, b), candidate(b, c)

    services.children_merge(actor=world.supervisor, candidate=first, survivor_id=a.pk)

    assert list(selectors.review_queue(user=world.supervisor)) == []
    second.refresh_from_db()
    assert second.status == CandidateStatus.OPEN  # an unmerge brings it back


def test_bad_requests_are_refused_and_change_nothing(world: Any) -> None:
    a, b, c = identify_child(world), identify_child(world), identify_child(world)
    pair = candidate(a, b)

    with pytest.raises(InvalidInput) as refused:
        services.children_merge(actor=world.supervisor, candidate=pair, survivor_id=c.pk)
    assert "survivor" in refused.value.errors
    with pytest.raises(ApplicationError) as forbidden:
        services.children_merge(actor=world.worker, candidate=pair, survivor_id=a.pk)
    assert forbidden.value.status == 403
    assert Child.objects.filter(merged_into__isnull=False).count() == 0

    merge = services.children_merge(actor=world.supervisor, candidate=pair, survivor_id=a.pk)
    with pytest.raises(ApplicationError) as again:
        services.children_merge(actor=world.supervisor, candidate=pair, survivor_id=a.pk)
    assert again.value.status == 409
    with pytest.raises(ApplicationError) as reviewed:
        services.candidate_dismiss(actor=world.supervisor, candidate=pair)
    assert reviewed.value.status == 409
    services.children_unmerge(actor=world.supervisor, merge=merge)
    with pytest.raises(ApplicationError) as undone:
        services.children_unmerge(actor=world.supervisor, merge=merge)
    assert undone.value.status == 409


def test_a_supervisor_of_another_organisation_or_territory_sees_no_pair(
    world: Any, django_user_model: Any
) -> None:
    from himaya.accounts.models import Role

    a, b = identify_child(world), identify_child(world)
    pair = candidate(a, b)
    merge = services.children_merge(actor=world.supervisor, candidate=pair, survivor_id=a.pk)
    other_org = django_user_model.objects.create(
        username="other-supervisor",
        role=Role.SUPERVISOR,
        organisation=world.other_association,
        territory_code=world.region.code,
    )
    other_territory = django_user_model.objects.create(
        username="far-supervisor",
        role=Role.SUPERVISOR,
        organisation=world.association,
        territory_code=world.far_commune.province_id,
    )
    for user in (other_org, other_territory, world.worker, world.inspector, world.analyst):
        assert list(selectors.candidate_visible_to(user)) == []
        assert list(selectors.merge_visible_to(user)) == []
        with pytest.raises(NotFound):
            selectors.candidate_get_for_user(user=user, candidate_id=pair.pk)
        with pytest.raises(NotFound):
            selectors.merge_get_for_user(user=user, merge_id=merge.pk)
    with pytest.raises(ApplicationError):
        services.children_unmerge(actor=other_org, merge=merge)
