"""Households, children, identifications (observations), cases, referrals.

Territory fields (region, province, commune) are copied onto the child and the
case so that scope and filters are single indexed comparisons.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation, ServiceType
from himaya.cases import workflow
from himaya.geography.models import Commune, Province, Region
from himaya_rules.codes import SECTORS

SECTOR_LABELS = {
    "agriculture": _("Agriculture"),
    "fishing": _("Fishing"),
    "mining_quarrying": _("Mining and quarrying"),
    "manufacturing": _("Manufacturing"),
    "construction": _("Construction"),
    "trade": _("Trade"),
    "hospitality": _("Hotels and restaurants"),
    "transport": _("Transport"),
    "domestic_work": _("Domestic work"),
    "street_work": _("Street work"),
    "other": _("Other"),
}
SECTOR_CHOICES = [(code, SECTOR_LABELS[code]) for code in SECTORS]


class Verdict(models.TextChoices):
    INSUFFICIENT_INFORMATION = "insufficient_information", _("Insufficient information")
    NOT_WORKING = "not_working", _("Not working")
    PERMITTED_WORK = "permitted_work", _("Permitted work")
    CHILD_LABOUR = "child_labour", _("Child labour")
    HAZARDOUS = "hazardous", _("Hazardous work")
    WORST_FORM = "worst_form", _("Worst form of child labour")
    NOT_CHILD_LABOUR = "not_child_labour", _("Not child labour")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")


class Sex(models.TextChoices):
    FEMALE = "F", _("Girl")
    MALE = "M", _("Boy")


class Territorial(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    def place_at(self, commune: Commune) -> None:
        self.commune = commune
        self.province_id = commune.province_id
        self.region_id = commune.region_id


class Household(Territorial):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=300, blank=True)
    guardian_name = models.CharField(_("guardian's name"), max_length=200)
    guardian_phone = models.CharField(_("guardian's phone"), max_length=20, blank=True)
    guardian_cnie = models.CharField(_("guardian's CNIE number"), max_length=10, blank=True)
    rsu_number = models.CharField(_("RSU social registry number"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"household #{self.pk}"


class Child(Territorial):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="children")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    first_name_ar = models.CharField(_("first name (Arabic script)"), max_length=100)
    family_name_ar = models.CharField(_("family name (Arabic script)"), max_length=100)
    first_name_latin = models.CharField(_("first name (Latin script)"), max_length=100)
    family_name_latin = models.CharField(_("family name (Latin script)"), max_length=100)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    birth_date_estimated = models.BooleanField(_("birth date estimated"), default=False)
    massar_code = models.CharField(_("Massar student code"), max_length=10, blank=True)
    #: Both scripts' names, normalised (see cases.names), for search.
    search_text = models.CharField(max_length=500, editable=False, db_index=False)
    #: Set when this record was found to be another's (a merge, himaya.linkage): its
    #: observations and cases moved there, and the selectors show it no more.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")

    def __str__(self) -> str:
        return self.name

    @property
    def name_latin(self) -> str:
        return f"{self.first_name_latin} {self.family_name_latin}"

    @property
    def name_ar(self) -> str:
        return f"{self.first_name_ar} {self.family_name_ar}"

    @property
    def name(self) -> str:
        return self.name_ar if (get_language() or "").startswith("ar") else self.name_latin


class Observation(models.Model):
    """One visit's observation of a child at work, classified when saved."""

    class Kind(models.TextChoices):
        IDENTIFICATION = "identification", _("Identification")
        FOLLOW_UP = "follow_up", _("Follow-up visit")

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="observations")
    case = models.ForeignKey(
        "Case", on_delete=models.PROTECT, null=True, blank=True, related_name="observations"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    observed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    observed_on = models.DateField(_("date of the visit"))
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("place of work"), max_length=200, blank=True)
    # The observation fields of child-labour-rules.md.
    age_reported = models.PositiveSmallIntegerField(_("age reported"), null=True, blank=True)
    economic_hours_week = models.FloatField(
        _("hours of economic work per week"), null=True, blank=True
    )
    chores_hours_week = models.FloatField(
        _("hours of household chores per week"), null=True, blank=True
    )
    sector = models.CharField(_("sector"), max_length=20, choices=SECTOR_CHOICES, blank=True)
    domestic_worker = models.BooleanField(_("domestic worker in another household"), default=False)
    usual_start = models.TimeField(_("usual start of work"), null=True, blank=True)
    usual_end = models.TimeField(_("usual end of work"), null=True, blank=True)
    night_work = models.BooleanField(_("works at night"), default=False)
    hazards = models.JSONField(_("hazards"), default=list, blank=True)
    worst_forms = models.JSONField(_("worst forms"), default=list, blank=True)
    guardian_authorisation = models.BooleanField(
        _("guardian's written authorisation"), default=False
    )
    apprenticeship = models.BooleanField(_("apprenticeship contract"), default=False)
    in_school_or_training = models.BooleanField(_("in school or training"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # The classification, stored as it was made.
    ruleset = models.CharField(max_length=40)
    ruleset_version = models.CharField(max_length=20)
    verdict = models.CharField(_("verdict"), max_length=30, choices=Verdict.choices)
    rules = models.JSONField(default=list)
    citations = models.JSONField(default=list)
    age = models.PositiveSmallIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["observed_on", "id"]
        indexes = [models.Index(fields=["case", "kind", "observed_on"])]

    def __str__(self) -> str:
        return f"observation #{self.pk} {self.observed_on}"

    @property
    def in_child_labour(self) -> bool:
        return self.verdict in workflow.CHILD_LABOUR_VERDICTS


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class CaseStatus(models.TextChoices):
    IDENTIFIED = workflow.IDENTIFIED, _("Identified")
    ASSESSED = workflow.ASSESSED, _("Assessed")
    REFERRED = workflow.REFERRED, _("Referred")
    IN_REMEDIATION = workflow.IN_REMEDIATION, _("In remediation")
    MONITORING = workflow.MONITORING, _("Monitoring")
    CLOSED = workflow.CLOSED, _("Closed")


class ClosureReason(models.TextChoices):
    OUT_OF_CHILD_LABOUR = workflow.OUT_OF_CHILD_LABOUR, _("Out of child labour")
    TURNED_18 = workflow.TURNED_18, _("Turned 18")
    MOVED = workflow.MOVED, _("Moved (case transferred)")
    LOST_TO_FOLLOW_UP = workflow.LOST_TO_FOLLOW_UP, _("Lost to follow-up")
    MERGED = workflow.MERGED, _("Merged into the case of another record of the same child")


class Case(Territorial):
    """One per child in child labour (one open case per child at a time)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="cases")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.IDENTIFIED
    )
    verdict = models.CharField(_("verdict"), max_length=30, choices=Verdict.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=SECTOR_CHOICES, blank=True)
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_on = models.DateField(_("opened on"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Assessment, recorded by a caseworker and approved by a supervisor.
    assessment = models.TextField(_("assessment"), blank=True)
    assessment_submitted = models.BooleanField(default=False)
    # Consent, required before any referral.
    child_consent = models.BooleanField(_("the child consents"), default=False)
    guardian_consent = models.BooleanField(_("the guardian consents"), default=False)
    consent_recorded_on = models.DateField(null=True, blank=True)
    # Follow-up schedule.
    next_follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)
    # Closure, requested by a caseworker and approved by a supervisor.
    closure_requested_reason = models.CharField(
        max_length=30, choices=ClosureReason.choices, blank=True
    )
    closure_requested_note = models.TextField(blank=True)
    closure_reason = models.CharField(
        _("closure reason"), max_length=30, choices=ClosureReason.choices, blank=True
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    transferred_to = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: Where the child moved to (closure "moved"): the receiving organisation's copy
    #: of the household, the child and the case is placed there.
    transferred_commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune the child moved to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    #: The sending organisation's case this one was opened from (a transfer).
    transferred_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("case")
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=~Q(status="closed"), name="one_open_case_per_child"
            ),
            # A case is transferred once: approving its closure twice copies nothing more.
            models.UniqueConstraint(fields=["transferred_from"], name="one_transfer_per_case"),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "-opened_on"]),
            models.Index(fields=["organisation", "region", "-opened_on"]),
            models.Index(fields=["organisation", "province", "-opened_on"]),
            models.Index(fields=["organisation", "next_follow_up_on"]),
            models.Index(fields=["region", "status", "verdict"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def consent_given(self) -> bool:
        return self.child_consent and self.guardian_consent

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


class CaseEvent(models.Model):
    """The case's timeline: every step, in order."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    DELIVERED = "delivered", _("Service delivered")


class Referral(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    service = models.CharField(_("service"), max_length=30, choices=ServiceType.choices)
    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("service provider"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    note = models.TextField(_("note for the provider"), blank=True)
    sent_on = models.DateField(_("sent on"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    responded_on = models.DateField(null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    delivered_on = models.DateField(_("service delivered on"), null=True, blank=True)
    delivery_note = models.TextField(_("what was delivered"), blank=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        indexes = [models.Index(fields=["provider", "status", "-sent_on"])]

    def __str__(self) -> str:
        return f"referral #{self.pk}"
