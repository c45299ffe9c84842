"""Every change of linkage records: runs, reviews, merges and unmerges.

- ``linkage_run_request`` queues a run (a supervisor on demand, or the scheduler);
  ``linkage_run_execute`` is the task's body: it reads every child not merged into
  another, links them with :func:`himaya.linkage.model.link` and replaces the open
  probable duplicates with those found, each with its explanation.
- ``candidate_dismiss`` records that two children are not one.
- ``children_merge`` moves every record of one child to the other, in one
  transaction: observations (identifications and follow-up visits), cases, the
  children found in inspection visits. When both children have an open case, the
  merged one's referrals and visits go to the survivor's open case and the merged
  one's case is closed ("merged"). ``moved`` keeps where each record was.
- ``children_unmerge`` puts every record back where ``moved`` says it was.

Each is audited; merges and unmerges name both children. So is every read of children
the pages show: ``review_queue_view``, ``candidate_view``, ``known_children_view``.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import User
from himaya.audit.events import AuditEvent
from himaya.audit.services import audit_record
from himaya.cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Child,
    ClosureReason,
    Observation,
    Referral,
)
from himaya.cases.services import today
from himaya.core.errors import ApplicationError, InvalidInput
from himaya.inspection.models import FoundChild
from himaya.linkage import tasks
from himaya.linkage.inputs import prepare
from himaya.linkage.model import DEFAULT_THRESHOLD, link
from himaya.linkage.models import (
    CandidateStatus,
    ChildMerge,
    DuplicateCandidate,
    LinkageRun,
    RunStatus,
    RunTrigger,
)
from himaya.linkage.selectors import (
    Candidate,
    candidate_get_for_user,
    candidates_for_new_child,
    explanation,
    is_reviewer,
    linkage_records,
    review_queue,
)

logger = logging.getLogger(__name__)

NOT_A_REVIEWER = _("Only a case supervisor reviews probable duplicates.")
RUN_UNDER_WAY = _("A linkage run is already under way: follow its progress below.")
ALREADY_REVIEWED = _("This pair has already been reviewed.")
ALREADY_MERGED = _("One of these records has already been merged into another.")
ALREADY_UNDONE = _("This merge has already been undone.")
NOT_OF_THE_PAIR = _("Choose one of the two records to keep.")
RUN_CRASHED = _(
    "The linkage run stopped on an unexpected error; nothing was changed. "
    "Try again; if it fails again, tell your administrator."
)

#: The stages of a run and the progress (0-100) each starts at.
STAGES = {"reading": 5, "linking": 15, "saving": 85}


def _require_reviewer(actor: User) -> int:
    if not is_reviewer(actor):
        raise ApplicationError(NOT_A_REVIEWER, code="forbidden", status=403)
    return int(actor.organisation_id or 0)


# --- Runs ------------------------------------------------------------------------------


def linkage_run_request(*, actor: User | None, trigger: str = RunTrigger.ON_DEMAND) -> LinkageRun:
    """Queue a run. On demand, only a case supervisor may; the scheduler passes no
    actor. Refused while another run waits or runs."""
    if trigger == RunTrigger.ON_DEMAND:
        if actor is None:
            raise ApplicationError(NOT_A_REVIEWER, code="forbidden", status=403)
        _require_reviewer(actor)
    with transaction.atomic():
        if (
            LinkageRun.objects.select_for_update()
            .filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
            .exists()
        ):
            raise ApplicationError(RUN_UNDER_WAY, code="conflict", status=409)
        run = LinkageRun.objects.create(trigger=trigger, started_by=actor)
        if actor is not None:
            audit_record(event=AuditEvent.LINKAGE_RUN_STARTED, actor=actor, obj=run)
        # Saved with the run by the database backend; run at once by the immediate
        # backend of the tests.
        result = tasks.linkage_run_job.enqueue(run.pk)
        LinkageRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
    run.refresh_from_db()
    return run


def linkage_run_if_due(*, now: datetime | None = None) -> LinkageRun | None:
    """The scheduler's step: queue a run when none has started within
    ``settings.HIMAYA_LINKAGE_EVERY_HOURS`` (0: never) and none is under way."""
    hours = settings.HIMAYA_LINKAGE_EVERY_HOURS
    if hours <= 0:
        return None
    since = (now or timezone.now()) - timedelta(hours=hours)
    recent = LinkageRun.objects.filter(created_at__gt=since).exclude(status=RunStatus.FAILED)
    if (
        recent.exists()
        or LinkageRun.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists()
    ):
        return None
    try:
        return linkage_run_request(actor=None, trigger=RunTrigger.SCHEDULED)
    except ApplicationError:  # another scheduler was quicker
        return None


def _stage(run_id: int, stage: str) -> None:
    LinkageRun.objects.filter(pk=run_id).update(stage=stage, progress=STAGES[stage])


def linkage_run_execute(*, run_id: int) -> None:
    """Run a queued run (the task's body); a run not waiting any more is left alone.
    Any error ends it "failed" with nothing changed, then goes on up."""
    claimed = LinkageRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        logger.warning("Linkage run %s is not waiting to start: not run.", run_id)
        return
    try:
        _stage(run_id, "reading")
        children = Child.objects.filter(merged_into__isnull=True).order_by("pk")
        records = linkage_records(children)
        organisation = dict(children.values_list("pk", "organisation_id"))
        _stage(run_id, "linking")
        result = link(prepare(records))
        _stage(run_id, "saving")
        cluster = dict(result.clusters.iter_rows())
        proposed: list[DuplicateCandidate] = []
        across = 0
        for pair in result.pairs.iter_rows(named=True):
            left, right = pair["record_id_l"], pair["record_id_r"]
            if pair["match_probability"] < DEFAULT_THRESHOLD or cluster[left] != cluster[right]:
                continue
            a, b = sorted((int(left), int(right)))
            if organisation[a] != organisation[b]:
                across += 1
                continue
            proposed.append(
                DuplicateCandidate(
                    run_id=run_id,
                    organisation_id=organisation[a],
                    child_a_id=a,
                    child_b_id=b,
                    probability=pair["match_probability"],
                    match_weight=pair["match_weight"],
                    explanation=explanation(pair),
                )
            )
        with transaction.atomic():
            # The pairs reviewed already (dismissed, merged) stay as they were.
            DuplicateCandidate.objects.filter(status=CandidateStatus.OPEN).delete()
            DuplicateCandidate.objects.bulk_create(proposed, batch_size=1000, ignore_conflicts=True)
            LinkageRun.objects.filter(pk=run_id).update(
                status=RunStatus.DONE,
                progress=100,
                stage="",
                finished_at=timezone.now(),
                children=records.height,
                pairs_scored=result.pairs.height,
                candidates=len(proposed),
                across_organisations=across,
                model=result.model,
            )
    except BaseException as error:
        logger.error("Linkage run %s failed: %s.", run_id, type(error).__name__)
        LinkageRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, error=str(RUN_CRASHED), finished_at=timezone.now()
        )
        raise


# --- Review ----------------------------------------------------------------------------


def _reviewed(candidate: DuplicateCandidate, actor: User, status: str) -> None:
    candidate.status = status
    candidate.reviewed_by = actor
    candidate.reviewed_at = timezone.now()
    candidate.save(update_fields=["status", "reviewed_by", "reviewed_at"])


def _lock_open(candidate: DuplicateCandidate, actor: User) -> DuplicateCandidate:
    organisation_id = _require_reviewer(actor)
    locked = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if locked.organisation_id != organisation_id:  # defence in depth: callers scope
        raise ApplicationError(NOT_A_REVIEWER, code="forbidden", status=403)
    if locked.status != CandidateStatus.OPEN:
        raise ApplicationError(ALREADY_REVIEWED, code="conflict", status=409)
    return locked


@transaction.atomic
def candidate_dismiss(*, actor: User, candidate: DuplicateCandidate) -> DuplicateCandidate:
    """Two different children: the pair leaves the queue, and later runs keep it out."""
    locked = _lock_open(candidate, actor)
    _reviewed(locked, actor, CandidateStatus.DISMISSED)
    for child_id in (locked.child_a_id, locked.child_b_id):
        audit_record(
            event=AuditEvent.DUPLICATE_DISMISSED, actor=actor, obj=locked, child_id=child_id
        )
    return locked


def _audit_merge(event: AuditEvent, actor: User, merge: ChildMerge) -> None:
    """One entry per child, so that each child's trail shows the merge."""
    detail = {"survivor": merge.survivor_id, "merged": merge.merged_id}
    for child_id in (merge.survivor_id, merge.merged_id):
        audit_record(event=event, actor=actor, obj=merge, child_id=child_id, detail=detail)


@transaction.atomic
def children_merge(*, actor: User, candidate: DuplicateCandidate, survivor_id: int) -> ChildMerge:
    """Merge the pair's other child into ``survivor_id`` (see the module's docstring)."""
    locked = _lock_open(candidate, actor)
    if survivor_id not in (locked.child_a_id, locked.child_b_id):
        raise InvalidInput({"survivor": [NOT_OF_THE_PAIR]})
    merged_id = locked.child_b_id if survivor_id == locked.child_a_id else locked.child_a_id
    children = Child.objects.select_for_update().in_bulk([survivor_id, merged_id])
    survivor, merged = children[survivor_id], children[merged_id]
    if survivor.merged_into_id is not None or merged.merged_into_id is not None:
        raise ApplicationError(ALREADY_MERGED, code="conflict", status=409)
    moved: dict[str, Any] = {
        "observations": [],
        "cases": [],
        "referrals": [],
        "found": [],
        "closed_case": None,
    }
    open_cases = Case.objects.select_for_update().exclude(status=CaseStatus.CLOSED)
    kept = open_cases.filter(child=survivor).first()
    ended = open_cases.filter(child=merged).first()
    if kept is not None and ended is not None:
        for referral in Referral.objects.filter(case=ended):
            moved["referrals"].append([referral.pk, ended.pk])
        Referral.objects.filter(case=ended).update(case=kept)
        moved["closed_case"] = {
            "id": ended.pk,
            "into": kept.pk,
            "status": ended.status,
            "next_follow_up_on": (
                ended.next_follow_up_on.isoformat() if ended.next_follow_up_on else None
            ),
        }
        ended.status = CaseStatus.CLOSED
        ended.closure_reason = ClosureReason.MERGED
        ended.closed_on = today()
        ended.next_follow_up_on = None
        ended.save(
            update_fields=[
                "status",
                "closure_reason",
                "closed_on",
                "next_follow_up_on",
                "updated_at",
            ]
        )
        CaseEvent.objects.create(
            case=ended, actor=actor, kind="merged_out", detail={"case": kept.pk}
        )
        CaseEvent.objects.create(
            case=kept, actor=actor, kind="merged_in", detail={"case": ended.pk}
        )
    for observation in Observation.objects.filter(child=merged).only("pk", "case_id"):
        moved["observations"].append([observation.pk, observation.case_id])
    Observation.objects.filter(child=merged).update(child=survivor)
    if ended is not None and kept is not None:
        Observation.objects.filter(case=ended).update(case=kept)
    moved["cases"] = list(Case.objects.filter(child=merged).values_list("pk", flat=True))
    Case.objects.filter(child=merged).update(child=survivor)
    moved["found"] = list(FoundChild.objects.filter(child=merged).values_list("pk", flat=True))
    FoundChild.objects.filter(child=merged).update(child=survivor)
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into"])
    _reviewed(locked, actor, CandidateStatus.MERGED)
    merge = ChildMerge.objects.create(
        candidate=locked,
        organisation_id=locked.organisation_id,
        survivor=survivor,
        merged=merged,
        moved=moved,
        merged_by=actor,
    )
    _audit_merge(AuditEvent.CHILDREN_MERGED, actor, merge)
    return merge


@transaction.atomic
def children_unmerge(*, actor: User, merge: ChildMerge) -> ChildMerge:
    """Undo a merge: every record moved goes back, the closed case reopens with its
    status, and the pair counts as two children from now on."""
    organisation_id = _require_reviewer(actor)
    locked = ChildMerge.objects.select_for_update().get(pk=merge.pk)
    if locked.organisation_id != organisation_id:
        raise ApplicationError(NOT_A_REVIEWER, code="forbidden", status=403)
    if locked.undone_at is not None:
        raise ApplicationError(ALREADY_UNDONE, code="conflict", status=409)
    moved = locked.moved
    merged_id = locked.merged_id
    closed = moved.get("closed_case")
    if closed is not None:
        case = Case.objects.select_for_update().get(pk=closed["id"])
        # The survivor's case may have been closed since: both open again is allowed
        # once the merged child is a child of its own again (below).
        case.status = closed["status"]
        case.closure_reason = ""
        case.closed_on = None
        follow_up = closed.get("next_follow_up_on")
        case.next_follow_up_on = date.fromisoformat(follow_up) if follow_up else None
    Case.objects.filter(pk__in=moved.get("cases", [])).update(child_id=merged_id)
    for referral_id, case_id in moved.get("referrals", []):
        Referral.objects.filter(pk=referral_id).update(case_id=case_id)
    for observation_id, case_id in moved.get("observations", []):
        Observation.objects.filter(pk=observation_id).update(child_id=merged_id, case_id=case_id)
    FoundChild.objects.filter(pk__in=moved.get("found", [])).update(child_id=merged_id)
    if closed is not None:
        case.save(
            update_fields=[
                "status",
                "closure_reason",
                "closed_on",
                "next_follow_up_on",
                "updated_at",
            ]
        )
        for case_id in (case.pk, closed["into"]):
            CaseEvent.objects.create(case_id=case_id, actor=actor, kind="unmerged")
    Child.objects.filter(pk=merged_id).update(merged_into=None)
    locked.undone_by = actor
    locked.undone_at = timezone.now()
    locked.save(update_fields=["undone_by", "undone_at"])
    if locked.candidate_id is not None:
        DuplicateCandidate.objects.filter(pk=locked.candidate_id).update(
            status=CandidateStatus.DISMISSED, reviewed_by=actor, reviewed_at=timezone.now()
        )
    _audit_merge(AuditEvent.CHILDREN_UNMERGED, actor, locked)
    return locked


# --- Reads of children's records, each audited ---------------------------------------


def review_queue_view(*, user: User, limit: int) -> list[DuplicateCandidate]:
    """The first ``limit`` open pairs in the user's scope; which were shown is audited."""
    pairs = list(review_queue(user=user)[:limit])
    audit_record(
        event=AuditEvent.DUPLICATES_VIEWED,
        actor=user,
        detail={"candidates": [pair.pk for pair in pairs]},
    )
    return pairs


def candidate_view(*, user: User, candidate_id: int) -> DuplicateCandidate:
    """A pair in the user's scope, side by side: audited once for each child."""
    pair = candidate_get_for_user(user=user, candidate_id=candidate_id)
    for child_id in (pair.child_a_id, pair.child_b_id):
        audit_record(event=AuditEvent.DUPLICATE_VIEWED, actor=user, obj=pair, child_id=child_id)
    return pair


def known_children_view(*, user: User, record: dict[str, str | None]) -> list[Candidate]:
    """The children already known who may be the child ``record`` describes (while it
    is being identified), each shown to the user, so audited."""
    found = candidates_for_new_child(user=user, record=record)
    for candidate in found:
        audit_record(
            event=AuditEvent.CANDIDATES_SHOWN,
            actor=user,
            obj=candidate.child,
            child_id=candidate.child.pk,
            detail={"probability": round(candidate.probability, 3)},
        )
    return found
