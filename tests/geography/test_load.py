"""``geography_load`` and the ``load_geography`` command."""

import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import translation

from himaya.geography.models import Commune, GeographyDataset, Province, Region
from himaya.geography.services import geography_load

pytestmark = pytest.mark.django_db


def test_counts(geography: dict[str, int]) -> None:
    assert geography == {
        "regions": 12,
        "provinces": 83,
        "communes": 1503,
        "created": 12 + 83 + 1503,
        "updated": 0,
        "region_boundaries": 12,
        "province_boundaries": 75,
        "skipped": 0,
    }
    assert Region.objects.count() == 12
    assert Province.objects.count() == 83
    assert Commune.objects.count() == 1503
    assert (
        Commune.objects.filter(kind="urban").count() + Commune.objects.filter(kind="rural").count()
        == 1503
    )
    assert set(Province.objects.values_list("kind", flat=True)) == {
        "province",
        "prefecture",
        "prefecture_of_arrondissements",
    }


def test_hierarchy_is_consistent_with_the_codes(geography: dict[str, int]) -> None:
    for province in Province.objects.all():
        assert province.code.startswith(province.region_id + ".")
    for commune in Commune.objects.all():
        assert commune.code.startswith(commune.province_id + ".")
        assert commune.code.startswith(commune.region_id + ".")
        assert len(commune.code) in (11, 12)
    assert Region.objects.get(code="01").communes.count() == 146
    tanger = Commune.objects.select_related("province", "region").get(code="01.511.01.0")
    assert (tanger.name_fr, tanger.province.name_fr, tanger.region.name_fr) == (
        "Tanger",
        "Tanger-Assilah",
        "Tanger-Tétouan-Al Hoceima",
    )
    # Every province but Casablanca's prefectures of arrondissements has communes.
    empty = Province.objects.filter(communes__isnull=True).values_list("kind", flat=True)
    assert set(empty) == {"prefecture_of_arrondissements"}


def test_populations_add_up(geography: dict[str, int]) -> None:
    total = Region.objects.aggregate(total=Sum("population_2024"))["total"]
    assert total == 36_828_330
    assert Commune.objects.aggregate(total=Sum("population_2024"))["total"] == total
    for region in Region.objects.annotate(communes_total=Sum("communes__population_2024")):
        assert region.communes_total == region.population_2024


def test_arabic_names_are_present_and_shown_in_arabic(geography: dict[str, int]) -> None:
    for model in (Region, Province, Commune):
        assert not model.objects.filter(name_ar="").exists()
    region = Region.objects.get(code="01")
    assert region.name_ar == "طنجة-تطوان-الحسيمة"
    with translation.override("ar"):
        assert region.name == str(region) == "طنجة-تطوان-الحسيمة"
    with translation.override("fr"):
        assert region.name == str(region) == "Tanger-Tétouan-Al Hoceima"
    with translation.override("en"):
        assert region.name == "Tanger-Tétouan-Al Hoceima"


def test_age_groups_are_the_census_shares_of_the_population(geography: dict[str, int]) -> None:
    tanger = Commune.objects.get(code="01.511.01.0")
    # population_municipal 1,272,718 x 8.3 %, 9.2 %, 8.6 %, 7.4 %.
    assert (
        tanger.population_0_4,
        tanger.population_5_9,
        tanger.population_10_14,
        tanger.population_15_19,
    ) == (105_636, 117_090, 109_454, 94_181)
    assert tanger.schooling_rate_6_11 == 95.9

    with_ages = Commune.objects.exclude(population_0_4=None)
    assert with_ages.count() == 1499  # the census gives no age structure for 4 communes
    for commune in with_ages:
        groups = [
            commune.population_0_4,
            commune.population_5_9,
            commune.population_10_14,
            commune.population_15_19,
        ]
        assert None not in groups
        children = sum(group or 0 for group in groups)
        # Shares of the municipal population, which is at most the legal one
        # (Oum Dreyga: 13 of its 3,714 residents are municipal, none under 20).
        assert 0 <= children <= 0.5 * commune.population_2024
    totals = with_ages.aggregate(
        total=Sum("population_2024"),
        age_5_9=Sum("population_5_9"),
        age_10_14=Sum("population_10_14"),
    )
    # Nationally 9.3 % are 5-9 and 9.6 % are 10-14 (of the municipal population).
    assert totals["age_5_9"] / totals["total"] == pytest.approx(0.093, abs=0.003)
    assert totals["age_10_14"] / totals["total"] == pytest.approx(0.096, abs=0.003)
    assert Commune.objects.filter(schooling_rate_6_11=None).count() == 6


def test_every_region_has_a_compact_svg_path(geography: dict[str, int]) -> None:
    paths = list(Region.objects.values_list("svg_path", flat=True))
    assert all(path.startswith("M") and path.endswith("Z") for path in paths)
    assert sum(len(path) for path in paths) < 150_000
    assert Province.objects.exclude(svg_path="").count() == 75
    assert sum(len(p) for p in Province.objects.values_list("svg_path", flat=True)) < 300_000


def test_second_load_is_skipped_fast_and_changes_nothing(geography: dict[str, int]) -> None:
    started = time.perf_counter()
    again = geography_load()
    elapsed = time.perf_counter() - started

    assert again["skipped"] == 1
    assert (again["created"], again["updated"]) == (0, 0)
    assert (again["regions"], again["provinces"], again["communes"]) == (12, 83, 1503)
    assert elapsed < 2
    assert Commune.objects.count() == 1503
    assert GeographyDataset.objects.count() == 1


def test_forced_load_updates_in_place(geography: dict[str, int]) -> None:
    Commune.objects.filter(code="01.511.01.0").update(name_fr="Tangier", population_0_4=1)
    Region.objects.filter(code="02").update(svg_path="")

    counts = geography_load(force=True)

    assert counts["skipped"] == 0
    assert (counts["created"], counts["updated"]) == (0, 2)
    assert Commune.objects.get(code="01.511.01.0").name_fr == "Tanger"
    assert Region.objects.get(code="02").svg_path
    assert Commune.objects.count() == 1503
    assert GeographyDataset.objects.count() == 1


def test_a_new_loader_version_reloads(
    geography: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("himaya.geography.services.LOADER_VERSION", 2)
    assert geography_load()["skipped"] == 0
    assert GeographyDataset.objects.get().loader_version == 2


def test_command_loads_then_says_already_loaded() -> None:
    out = StringIO()
    call_command("load_geography", stdout=out)
    assert "12 regions, 83 provinces, 1503 communes (1598 created, 0 updated)" in out.getvalue()

    out = StringIO()
    call_command("load_geography", "--report", stdout=out)
    text = out.getvalue()
    assert "already loaded" in text
    assert "Regions without a boundary: none" in text
    assert "Provinces without a boundary: 06.141.01.00" in text
