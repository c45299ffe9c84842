"""Users, organisations, roles and territories.

A user belongs to one organisation, holds one role and works within one
territory. The territory is an HCP code: "" for the whole country, "01" for a
region, "01.511" for a province or prefecture, "01.511.01.0" for a commune.
Scope is applied from these fields in the selectors, never in views.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INSPECTOR = "inspector", _("Labour inspector")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    SUPERVISOR = "supervisor", _("Case supervisor")
    PROVIDER = "provider", _("Service provider")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


#: Roles that work on children's cases (identify, assess, refer, follow up).
CASEWORK_ROLES = frozenset({Role.INSPECTOR, Role.SOCIAL_WORKER, Role.SUPERVISOR})


class ServiceType(models.TextChoices):
    """What a referral asks for; each provider kind offers one of them."""

    EDUCATION = "education", _("Return to school or second-chance school")
    SOCIAL_PROTECTION = "social_protection", _("Social protection (health insurance, direct aid)")
    VOCATIONAL = "vocational", _("Vocational training or apprenticeship")
    HEALTH = "health", _("Health")
    CHILD_PROTECTION = "child_protection", _("Child protection unit")
    JUSTICE = "justice", _("Justice")


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    INSPECTORATE = "inspectorate", _("Labour inspectorate")
    ASSOCIATION = "association", _("Association")
    SCHOOL = "school", _("School")
    SECOND_CHANCE_SCHOOL = "second_chance_school", _("Second-chance school")
    TRAINING_CENTRE = "training_centre", _("Vocational training centre")
    SOCIAL_PROTECTION = "social_protection", _("Social protection office")
    HEALTH_CENTRE = "health_centre", _("Health centre")
    CHILD_PROTECTION = "child_protection", _("Child protection unit")
    COURT = "court", _("Court (prosecutor for minors)")


#: The service each kind of provider delivers.
SERVICE_OF_KIND: dict[str, str] = {
    OrganisationKind.SCHOOL: ServiceType.EDUCATION,
    OrganisationKind.SECOND_CHANCE_SCHOOL: ServiceType.EDUCATION,
    OrganisationKind.TRAINING_CENTRE: ServiceType.VOCATIONAL,
    OrganisationKind.SOCIAL_PROTECTION: ServiceType.SOCIAL_PROTECTION,
    OrganisationKind.HEALTH_CENTRE: ServiceType.HEALTH,
    OrganisationKind.CHILD_PROTECTION: ServiceType.CHILD_PROTECTION,
    OrganisationKind.COURT: ServiceType.JUSTICE,
}
PROVIDER_KINDS = frozenset(SERVICE_OF_KIND)


def territory_level(code: str) -> str:
    """ "country", "region", "province" or "commune", from the shape of an HCP code.

    Communes have 12 characters (``01.511.05.19``), or 11 for the cities divided
    into arrondissements (``01.511.01.0``). The prefectures of arrondissements
    of Casablanca also have 12 (``06.141.01.00``) but no commune, so reading
    them as a commune finds the same (nothing)."""
    return {0: "country", 2: "region", 6: "province", 11: "commune", 12: "commune"}.get(
        len(code), "invalid"
    )


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    name_ar = models.CharField(_("name in Arabic"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    #: Where it works (HCP code; "" for the whole country). A provider's
    #: territory is where it takes referrals from.
    territory_code = models.CharField(_("territory"), max_length=12, blank=True, db_index=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def service(self) -> str | None:
        return SERVICE_OF_KIND.get(self.kind)

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        if self.name_ar and (get_language() or "").startswith("ar"):
            return self.name_ar
        return self.name


class User(AbstractUser):
    """Himaya's user: one organisation, one role, one territory."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    territory_code = models.CharField(_("territory"), max_length=12, blank=True)

    @property
    def territory_level(self) -> str:
        return territory_level(self.territory_code)

    @property
    def does_casework(self) -> bool:
        return self.role in CASEWORK_ROLES and self.organisation_id is not None


class ApiToken(models.Model):
    """A bearer token for the API. Only a SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.user} {self.name}"

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)


class LoginFailure(models.Model):
    """A failed login, kept to throttle guessing (see accounts.services)."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"
