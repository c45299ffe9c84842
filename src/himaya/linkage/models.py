"""Linkage in the platform: runs of the model over the children, the probable
duplicates they propose for review, and the merges made of them (undoable).

The model itself is :mod:`himaya.linkage.model` (no Django); the services of
:mod:`himaya.linkage.services` write these records, :mod:`himaya.linkage.selectors`
read them in the user's scope.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation
from himaya.core.models import BackgroundJob


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RunTrigger(models.TextChoices):
    ON_DEMAND = "on_demand", _("On demand")
    SCHEDULED = "scheduled", _("Scheduled")


class LinkageRun(BackgroundJob):
    """One run of the model over every child not merged into another: it trains the
    model, scores the pairs, and replaces the open candidates with those it finds."""

    trigger = models.CharField(_("started"), max_length=12, choices=RunTrigger.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    #: 0-100, with the stage being worked on (``STAGES`` in services).
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=20, blank=True)
    children = models.PositiveIntegerField(_("children compared"), default=0)
    pairs_scored = models.PositiveIntegerField(_("pairs scored"), default=0)
    candidates = models.PositiveIntegerField(_("probable duplicates"), default=0)
    #: Probable duplicates between two organisations: nobody's review queue holds them
    #: (each organisation sees only its own children); counted for the record.
    across_organisations = models.PositiveIntegerField(default=0)
    #: The trained model (Splink's JSON), used to score a new child against the known.
    model = models.JSONField(null=True, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("linkage run")
        constraints = [
            # One run at a time (a request while one waits is refused by the service).
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="running"), name="one_linkage_run_at_a_time"
            )
        ]

    def __str__(self) -> str:
        return f"linkage run #{self.pk}"


class CandidateStatus(models.TextChoices):
    OPEN = "open", _("To review")
    MERGED = "merged", _("Merged")
    DISMISSED = "dismissed", _("Not the same child")


class DuplicateCandidate(models.Model):
    """Two children of one organisation that a run found probably to be one child.

    ``child_a`` is the one with the smaller id. ``explanation`` holds the weight of
    every comparison (log2 Bayes factors) and the list of those that agreed."""

    run = models.ForeignKey(LinkageRun, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    child_a = models.ForeignKey("cases.Child", on_delete=models.PROTECT, related_name="+")
    child_b = models.ForeignKey("cases.Child", on_delete=models.PROTECT, related_name="+")
    probability = models.FloatField(_("match probability"))
    match_weight = models.FloatField()
    explanation = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.OPEN
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-probability", "id"]
        verbose_name = _("probable duplicate")
        constraints = [
            models.CheckConstraint(condition=Q(child_a__lt=F("child_b")), name="candidate_ordered"),
            models.UniqueConstraint(fields=["child_a", "child_b"], name="one_candidate_per_pair"),
        ]
        indexes = [models.Index(fields=["organisation", "status", "-probability"])]

    def __str__(self) -> str:
        return f"candidate #{self.pk}"

    @property
    def weights(self) -> dict[str, Any]:
        return dict(self.explanation.get("weights", {}))


class ChildMerge(models.Model):
    """``merged`` was found to be ``survivor``: its records were moved to the survivor.

    ``moved`` lists what moved, from where, so that an unmerge puts every record back
    (see ``services.children_unmerge``)."""

    candidate = models.ForeignKey(
        DuplicateCandidate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    survivor = models.ForeignKey("cases.Child", on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey("cases.Child", on_delete=models.PROTECT, related_name="+")
    moved = models.JSONField(default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = _("merge of two records of a child")
        constraints = [
            # A child is merged into one other at a time.
            models.UniqueConstraint(
                fields=["merged"], condition=Q(undone_at__isnull=True), name="one_live_merge"
            )
        ]

    def __str__(self) -> str:
        return f"merge #{self.pk}"
