"""Reading the geography."""

import pytest

from himaya.geography.models import Commune, Province, Region, commune_search_key
from himaya.geography.selectors import (
    commune_list,
    commune_search,
    province_list,
    region_list,
    territory_get,
)
from himaya.geography.testing import SmallGeography

pytestmark = pytest.mark.django_db


def test_lists_filter_by_parent(small_geography: SmallGeography) -> None:
    assert [r.code for r in region_list()] == ["01", "07"]
    assert [p.code for p in province_list()] == ["01.511", "01.571", "07.041", "07.351"]
    assert [p.code for p in province_list("07")] == ["07.041", "07.351"]
    assert list(province_list("99")) == []
    assert [c.code for c in commune_list("01.511")] == ["01.511.01.0", "01.511.05.19"]
    assert len(commune_list()) == 8


def test_territory_get_by_the_shape_of_the_code(small_geography: SmallGeography) -> None:
    assert territory_get("01") == Region.objects.get(code="01")
    assert territory_get("01.511") == Province.objects.get(code="01.511")
    assert territory_get("01.511.01.0") == Commune.objects.get(code="01.511.01.0")  # 11 chars
    assert territory_get("01.511.05.19") == Commune.objects.get(code="01.511.05.19")  # 12 chars
    assert territory_get(" 07 ") == Region.objects.get(code="07")
    for missing in ("", "1", "99", "01.999", "01.511.05.99", "01511", "0x", "01.511.01", "abc"):
        assert territory_get(missing) is None, missing


def test_territory_get_finds_the_prefectures_of_arrondissements(db: None) -> None:
    region = Region.objects.create(
        code="06", name_fr="Casablanca-Settat", name_ar="-", population_2024=1
    )
    anfa = Province.objects.create(
        code="06.141.01.00",
        region=region,
        name_fr="Casablanca-Anfa",
        name_ar="الدار البيضاء-أنفا",
        kind="prefecture_of_arrondissements",
        population_2024=344_165,
    )
    assert territory_get("06.141.01.00") == anfa


def test_commune_search_ignores_case_accents_and_hamza(small_geography: SmallGeography) -> None:
    assert [c.code for c in commune_search("tetouan")] == ["01.571.01.11"]
    assert [c.code for c in commune_search("TÉTOUAN")] == ["01.571.01.11"]
    assert [c.code for c in commune_search("تطوان")] == ["01.571.01.11"]
    # آيت أورير typed without hamza or madda.
    assert [c.code for c in commune_search("ايت اورير")] == ["07.041.01.01"]
    assert [c.code for c in commune_search("ait")] == ["07.041.03.05", "07.041.01.01"]
    assert commune_search("") == []
    assert commune_search("   ") == []
    assert commune_search("zzz") == []


def test_commune_search_puts_names_starting_with_the_query_first(
    small_geography: SmallGeography,
) -> None:
    names = [c.name_fr for c in commune_search("a")]
    assert names[:3] == ["Ain Lahsan", "Ait Faska", "Ait Ourir"]
    assert len(commune_search("a", limit=2)) == 2
    assert commune_search("a", limit=0) == []


def test_search_key_is_kept_on_save(small_geography: SmallGeography) -> None:
    commune = Commune.objects.get(code="01.571.01.11")
    assert commune.search_key == commune_search_key("Tétouan", "تطوان") == "tetouan | تطوان"


def test_a_commune_lies_within_the_country_its_region_province_and_itself(
    small_geography: SmallGeography,
) -> None:
    commune = Commune.objects.order_by("code")[0]
    other = Commune.objects.exclude(region_id=commune.region_id)[0]
    for code in ("", commune.region_id, commune.province_id, commune.code):
        assert commune.lies_within(code)
    assert not commune.lies_within(other.region_id)
    assert not commune.lies_within(other.code)
