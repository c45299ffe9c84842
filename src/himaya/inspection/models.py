"""The labour inspectorate's register of workplaces (establishments).

An establishment belongs to the inspection office (an organisation of kind
"inspectorate") that keeps it in its register, and lies in a commune; like
children and cases, it carries its region, province and commune so that scope
is one indexed comparison (see ``inspection.selectors``).

The counters used by the risk score (children found, repeat offences, last
visit) are kept on the establishment by the services that record visits.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation
from himaya.cases.models import SECTOR_CHOICES, Territorial


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
