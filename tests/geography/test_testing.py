"""``load_small_geography``, the geography of other apps' tests."""

import pytest

from himaya.geography.models import Commune, Province, Region
from himaya.geography.services import geography_load
from himaya.geography.testing import load_small_geography

pytestmark = pytest.mark.django_db


def test_small_geography_is_consistent_and_reloadable() -> None:
    small = load_small_geography()
    assert (len(small.regions), len(small.provinces), len(small.communes)) == (2, 4, 8)
    for commune in small.communes:
        assert commune.code.startswith(commune.province_id + ".")
        assert commune.province.region_id == commune.region_id
    for province in Province.objects.all():
        assert province.communes.filter(kind="urban").count() == 1
        assert province.communes.filter(kind="rural").count() == 1
    assert small.commune("01.511.01.0").name_fr == "Tanger"

    again = load_small_geography()
    assert (Region.objects.count(), Province.objects.count(), Commune.objects.count()) == (2, 4, 8)
    assert again.communes == small.communes


def test_small_geography_matches_the_full_load() -> None:
    small = load_small_geography()
    expected = {
        (
            c.code,
            c.name_fr,
            c.name_ar,
            c.kind,
            c.population_2024,
            c.population_5_9,
            c.schooling_rate_6_11,
        )
        for c in small.communes
    }
    provinces = {(p.code, p.name_fr, p.name_ar, p.kind, p.population_2024) for p in small.provinces}
    regions = {(r.code, r.name_fr, r.name_ar, r.population_2024) for r in small.regions}

    geography_load(force=True)

    loaded = {
        (
            c.code,
            c.name_fr,
            c.name_ar,
            c.kind,
            c.population_2024,
            c.population_5_9,
            c.schooling_rate_6_11,
        )
        for c in Commune.objects.filter(code__in=[code for code, *_ in expected])
    }
    assert loaded == expected
    assert {
        (p.code, p.name_fr, p.name_ar, p.kind, p.population_2024)
        for p in Province.objects.filter(code__in=[code for code, *_ in provinces])
    } == provinces
    assert {
        (r.code, r.name_fr, r.name_ar, r.population_2024)
        for r in Region.objects.filter(code__in=[code for code, *_ in regions])
    } == regions
