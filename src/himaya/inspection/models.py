"""The labour inspectorate's register of workplaces (establishments).

An establishment belongs to the inspection office (an organisation of kind
"inspectorate") that keeps it in its register, and lies in a commune; like
children and cases, it carries its region, province and commune so that scope
is one indexed comparison (see ``inspection.selectors``).

The counters used by the risk score (children found, repeat offences, last
visit) are kept on the establishment by the services that record visits.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation
from himaya.cases.models import SECTOR_CHOICES, Territorial
from himaya.core.models import BackgroundJob


class Establishment(Territorial):
    office = models.ForeignKey(
        Organisation,
        verbose_name=_("inspection office"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    ice = models.CharField(
        _("ICE number"),
        max_length=15,
        blank=True,
        help_text=_(
            "Identifiant commun de l'entreprise: 15 digits. Blank for an informal workplace."
        ),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=SECTOR_CHOICES)
    address = models.CharField(_("address"), max_length=300, blank=True)
    workers = models.PositiveIntegerField(_("number of workers"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    # Kept by the visit services, read by the risk score.
    last_visit_on = models.DateField(_("last visit"), null=True, blank=True)
    children_found = models.PositiveIntegerField(_("children found in past visits"), default=0)
    repeat_offences = models.PositiveIntegerField(_("repeat offences"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "ice"], condition=~Q(ice=""), name="one_ice_per_office"
            )
        ]
        indexes = [models.Index(fields=["office", "commune"])]

    def __str__(self) -> str:
        return self.name

    @property
    def informal(self) -> bool:
        """A workplace without an ICE number."""
        return not self.ice


# --- Visits ---------------------------------------------------------------------


class VisitKind(models.TextChoices):
    PLANNED = "planned", _("Planned visit")
    COMPLAINT = "complaint", _("Visit on a complaint")
    FOLLOW_UP = "follow_up", _("Follow-up visit")
    JOINT = "joint", _("Joint visit with partners")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


#: The checklist of a visit: what the inspector checks in every workplace.
CHECKLIST: tuple[tuple[str, Any], ...] = (
    ("register", _("The register of employees is kept, with each worker's date of birth")),
    ("age_proof", _("A proof of age is on file for every worker under 18")),
    ("minimum_age", _("No child under the minimum age is at work")),
    ("hazardous", _("No worker under 18 is on hazardous or forbidden work")),
    ("night_work", _("No worker under 16 works at night")),
    ("domestic", _("Domestic workers: legal age and the guardian's authorisation")),
    ("hours", _("Working time of workers under 18 is respected")),
)
CHECKLIST_ITEMS = frozenset(code for code, _label in CHECKLIST)


class ChecklistAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_APPLICABLE = "na", _("Not applicable")


class Visit(Territorial):
    """An inspection of one establishment by one or more inspectors of its office.

    It carries the establishment's commune, region and province, so that the
    scope of visits is the scope of the register."""

    office = models.ForeignKey(
        Organisation,
        verbose_name=_("inspection office"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    establishment = models.ForeignKey(
        Establishment,
        verbose_name=_("establishment"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    kind = models.CharField(_("type of visit"), max_length=20, choices=VisitKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    scheduled_on = models.DateField(_("planned date"))
    visited_on = models.DateField(_("date of the visit"), null=True, blank=True)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("inspectors"), related_name="+"
    )
    partners = models.CharField(_("partners (joint visit)"), max_length=300, blank=True)
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    notes = models.TextField(_("findings"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-scheduled_on", "-id"]
        indexes = [
            models.Index(fields=["office", "scheduled_on"]),
            models.Index(fields=["office", "visited_on"]),
            # The annual report (``inspection.report``): visits made in a period,
            # counted by region, type and establishment from the index alone.
            models.Index(
                fields=[
                    "office",
                    "status",
                    "visited_on",
                    "region",
                    "province",
                    "commune",
                    "kind",
                    "establishment",
                ],
                name="visit_report_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"visit #{self.pk}"

    @property
    def day(self) -> date:
        """The date of the visit once made, else its planned date."""
        return self.visited_on or self.scheduled_on


class FoundChild(models.Model):
    """A child found at work during a visit: the identification recorded for
    them (classified by the engine) and the case it opened, if any."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="found")
    observation = models.OneToOneField(
        "cases.Observation", on_delete=models.PROTECT, related_name="+"
    )
    child = models.ForeignKey("cases.Child", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verdict = models.CharField(max_length=30)
    removed = models.BooleanField(_("removed from work at once"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"child found #{self.pk}"


# --- Enforcement ------------------------------------------------------------------


class Stage(models.TextChoices):
    """Graduated enforcement: advice, then a formal notice with a deadline, then
    (when the follow-up visit finds the breach persisting) a violation report.
    A breach found corrected is closed."""

    ADVICE = "advice", _("Advice")
    FORMAL_NOTICE = "formal_notice", _("Formal notice")
    VIOLATION_REPORT = "violation_report", _("Violation report")
    CORRECTED = "corrected", _("Corrected")


BREACH_CHOICES = [
    ("worst_form", _("A child in one of the worst forms of child labour")),
    ("hazardous_work", _("A child on hazardous or forbidden work")),
    ("below_minimum_age", _("A child employed under the minimum age")),
    ("domestic_below_age", _("A domestic worker under the legal age")),
    ("domestic_no_authorisation", _("A domestic worker without the guardian's authorisation")),
    ("domestic_hours", _("Working time of a young domestic worker exceeded")),
    ("night_work", _("A child under 16 at work at night")),
]


class EnforcementDocument(models.Model):
    """A numbered formal notice or violation report. Its content is frozen in
    ``snapshot`` when issued; the PDF is drawn from it in French or Arabic."""

    class Kind(models.TextChoices):
        FORMAL_NOTICE = "formal_notice", _("Formal notice")
        VIOLATION_REPORT = "violation_report", _("Violation report")

    office = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("number"), max_length=40, unique=True)
    issued_on = models.DateField(_("date of issue"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    snapshot = models.JSONField(default=dict)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "kind", "year", "sequence"], name="one_number_per_document"
            )
        ]

    def __str__(self) -> str:
        return self.number


class Violation(Territorial):
    """One breach found in a visit, tied to the article of the ruleset in force
    on the visit's date, and its way through graduated enforcement."""

    office = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="violations"
    )
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="violations")
    breach = models.CharField(_("breach"), max_length=30, choices=BREACH_CHOICES)
    rule = models.CharField(max_length=60)
    article = models.CharField(_("article"), max_length=300)
    ruleset_version = models.CharField(max_length=20)
    children = models.PositiveIntegerField(_("children concerned"), default=0)
    found_on = models.DateField(_("found on"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    follow_up = models.ForeignKey(
        Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="checks"
    )
    repeat = models.BooleanField(_("repeat offence"), default=False)
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    fine_minimum = models.PositiveIntegerField(null=True, blank=True)
    fine_maximum = models.PositiveIntegerField(null=True, blank=True)
    fine_reference = models.CharField(max_length=300, blank=True)
    fine_explanation = models.JSONField(default=list, blank=True)
    notice = models.ForeignKey(
        EnforcementDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    report = models.ForeignKey(
        EnforcementDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["found_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "breach"], name="one_breach_per_visit")
        ]
        indexes = [
            models.Index(fields=["establishment", "breach", "found_on"]),
            models.Index(fields=["office", "found_on"]),
            # The annual report (``inspection.report``): violations found in a
            # period, counted by breach and article from the index alone.
            models.Index(
                fields=[
                    "office",
                    "found_on",
                    "region",
                    "province",
                    "commune",
                    "breach",
                    "repeat",
                    "children",
                    "article",
                ],
                name="violation_report_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.breach} #{self.pk}"


class Evidence(models.Model):
    """A photo or document attached to a visit. The file lives outside the web
    root (``settings.EVIDENCE_DIR``) under a random name, and is served only
    through a scoped view."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="evidence")
    key = models.CharField(max_length=64, unique=True)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


# --- Imports of the register ---------------------------------------------------------


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class EstablishmentImport(BackgroundJob):
    """A CSV file of establishments imported into an office's register by a
    background task (``inspection.tasks``).

    The file waits in ``settings.IMPORT_DIR`` under a random key until the task
    has run, then is deleted. ``report`` holds what the import reported (see
    ``imports.ImportReport.as_dict``), its messages in the language of the person
    who started it. While the task runs, its progress is in a file next to the
    upload (``inspection.import_files``): the import is one transaction, which
    other connections do not see before it ends."""

    office = models.ForeignKey(
        Organisation,
        verbose_name=_("inspection office"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file_name = models.CharField(_("file name"), max_length=200)
    key = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_processed = models.PositiveIntegerField(_("rows processed"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("establishment import")
        verbose_name_plural = _("establishment imports")
        indexes = [models.Index(fields=["office", "created_at"])]

    def __str__(self) -> str:
        return f"import #{self.pk}"
