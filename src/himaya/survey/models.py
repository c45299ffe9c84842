"""Survey files sent by analysts and the estimates made from them.

A ``SurveyRun`` is one file estimated once: the file waits in ``settings.SURVEY_DIR``
under a random key, the task (``survey.tasks``) estimates it and writes the outputs
(``estimates.csv``, ``tables.xlsx``, ``sdmx.csv``, the charts) beside it; the
estimates are also stored, one ``SurveyEstimate`` per indicator and domain, with the
file's checksum, the ruleset and its version, and the design used.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation
from himaya.core.models import BackgroundJob


class SurveyStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Estimating")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class SurveyRun(BackgroundJob):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    file_name = models.CharField(_("file name"), max_length=200)
    #: SHA-256 of the file, hexadecimal.
    checksum = models.CharField(_("checksum (SHA-256)"), max_length=64)
    key = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=10)
    # The design and the definition used.
    mapping = models.CharField(_("mapping"), max_length=100, blank=True)
    stratum = models.CharField(_("stratum column"), max_length=100, blank=True)
    psu = models.CharField(_("primary sampling unit column"), max_length=100, blank=True)
    weight = models.CharField(_("weight column"), max_length=100, blank=True)
    by = models.JSONField(_("more domains"), default=list, blank=True)
    ruleset = models.CharField(_("definition"), max_length=40)
    ruleset_version = models.CharField(max_length=20, blank=True)
    singleton = models.CharField(_("rule for strata with one PSU"), max_length=10)
    # The run.
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=20, blank=True)
    rows = models.PositiveIntegerField(_("rows read"), default=0)
    analysed = models.PositiveIntegerField(_("children aged 5-17 analysed"), default=0)
    rejected = models.PositiveIntegerField(_("rows rejected"), default=0)
    #: The first rows rejected, each ``{row, column, reason}`` in the sender's language.
    problems = models.JSONField(default=list, blank=True)
    #: Names of the output files written (in the run's folder).
    outputs = models.JSONField(default=list, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("survey estimation")

    def __str__(self) -> str:
        return self.title


class SurveyEstimate(models.Model):
    """One indicator in one domain (``all`` or ``COLUMN=VALUE``), as ``estimates.csv``."""

    run = models.ForeignKey(SurveyRun, on_delete=models.CASCADE, related_name="estimates")
    indicator = models.CharField(max_length=40)
    domain = models.CharField(max_length=200)
    estimate = models.FloatField(null=True)
    se = models.FloatField(null=True)
    ci_low = models.FloatField(null=True)
    ci_high = models.FloatField(null=True)
    n_unweighted = models.PositiveIntegerField()
    deff = models.FloatField(null=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "indicator", "domain"], name="one_estimate_per_domain"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.domain}"
