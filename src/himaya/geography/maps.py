"""Boundaries drawn as SVG paths, and choropleth colours. No Django.

The map is equirectangular: x is the longitude scaled by the cosine of the mean
latitude of the country, y the latitude, flipped so that north is up, both
fitted into the square ``MAP_VIEWBOX``. Every region and province is projected
with the same ``Projection`` (``fit_projection`` of the whole country), so their
paths can be drawn in the same ``<svg>``.

A boundary is simplified twice before it is written: points closer than the
tolerance to the previous kept point are dropped, then Douglas-Peucker removes
the points that move the line by less than the tolerance. Coordinates are
written with one decimal, so a tolerance of about one unit of the viewBox keeps
every visible detail at the sizes the map is shown.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol

Point = tuple[float, float]
Ring = Sequence[Point]

MAP_WIDTH = 1000
MAP_HEIGHT = 1000
#: The viewBox of every path stored in ``Region.svg_path`` / ``Province.svg_path``.
MAP_VIEWBOX = f"0 0 {MAP_WIDTH} {MAP_HEIGHT}"
#: Margin kept empty around the country, in viewBox units.
MAP_PADDING = 10
#: Default simplification tolerance, in viewBox units.
DEFAULT_TOLERANCE = 0.8

#: Five-step sequential palette, light to dark (ColorBrewer YlGnBu, without its
#: near-white first class): safe for the common colour-vision deficiencies and
#: printable in grey, each step clearly darker than the one before.
PALETTE: tuple[str, ...] = ("#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")
#: Fill of a unit with no value.
NO_DATA_FILL = "#f0f0f0"


@dataclass(frozen=True)
class Bounds:
    """A longitude/latitude box."""

    west: float
    south: float
    east: float
    north: float


def bounds_of(rings: Iterable[Ring]) -> Bounds:
    """The smallest box holding every point of ``rings`` (longitude, latitude)."""
    west = south = math.inf
    east = north = -math.inf
    for ring in rings:
        for lon, lat in ring:
            west, east = min(west, lon), max(east, lon)
            south, north = min(south, lat), max(north, lat)
    if west > east:
        raise ValueError("no points")
    return Bounds(west, south, east, north)


@dataclass(frozen=True)
class Projection:
    """Longitude/latitude to viewBox coordinates.

    ``x = x0 + (lon - west) * kx`` and ``y = y0 + (north - lat) * k``.
    """

    west: float
    north: float
    kx: float
    k: float
    x0: float
    y0: float

    def project(self, lon: float, lat: float) -> Point:
        return (self.x0 + (lon - self.west) * self.kx, self.y0 + (self.north - lat) * self.k)

    def project_ring(self, ring: Ring) -> list[Point]:
        return [self.project(lon, lat) for lon, lat in ring]


def fit_projection(
    bounds: Bounds,
    width: float = MAP_WIDTH,
    height: float = MAP_HEIGHT,
    padding: float = MAP_PADDING,
) -> Projection:
    """The projection drawing ``bounds`` as large as fits in ``width`` x ``height``, centred."""
    aspect = math.cos(math.radians((bounds.south + bounds.north) / 2))
    span_x = (bounds.east - bounds.west) * aspect
    span_y = bounds.north - bounds.south
    if span_x <= 0 or span_y <= 0:
        raise ValueError("empty bounds")
    k = min((width - 2 * padding) / span_x, (height - 2 * padding) / span_y)
    return Projection(
        west=bounds.west,
        north=bounds.north,
        kx=k * aspect,
        k=k,
        x0=(width - span_x * k) / 2,
        y0=(height - span_y * k) / 2,
    )


def _segment_distance2(p: Point, a: Point, b: Point) -> float:
    """Squared distance from ``p`` to the segment ``a``-``b``."""
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    px, py = p[0] - ax, p[1] - ay
    length2 = dx * dx + dy * dy
    if length2 > 0:
        t = max(0.0, min(1.0, (px * dx + py * dy) / length2))
        px, py = px - t * dx, py - t * dy
    return px * px + py * py


def drop_close_points(points: Sequence[Point], tolerance: float) -> list[Point]:
    """``points`` without those closer than ``tolerance`` to the last kept one; ends are kept."""
    if len(points) < 3:
        return list(points)
    limit = tolerance * tolerance
    kept = [points[0]]
    for point in points[1:-1]:
        last = kept[-1]
        if (point[0] - last[0]) ** 2 + (point[1] - last[1]) ** 2 >= limit:
            kept.append(point)
    kept.append(points[-1])
    return kept


def douglas_peucker(points: Sequence[Point], tolerance: float) -> list[Point]:
    """The open polyline ``points`` simplified by Douglas-Peucker; both ends are kept."""
    n = len(points)
    if n < 3:
        return list(points)
    limit = tolerance * tolerance
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        first, last = stack.pop()
        a, b = points[first], points[last]
        farthest, distance = -1, limit
        for i in range(first + 1, last):
            d = _segment_distance2(points[i], a, b)
            if d > distance:
                farthest, distance = i, d
        if farthest >= 0:
            keep[farthest] = True
            stack.append((first, farthest))
            stack.append((farthest, last))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def simplify_ring(ring: Ring, tolerance: float) -> list[Point]:
    """A closed ring simplified, without its closing point; ``[]`` if it shrinks below a triangle.

    The ring is cut at its first point and at the point farthest from it, and
    each half simplified on its own, so that the ring keeps its extent.
    """
    points = list(ring)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) < 3:
        return []
    x0, y0 = points[0]
    far = max(range(len(points)), key=lambda i: (points[i][0] - x0) ** 2 + (points[i][1] - y0) ** 2)
    if far == 0:
        return []
    first = douglas_peucker(drop_close_points(points[: far + 1], tolerance), tolerance)
    second = douglas_peucker(drop_close_points([*points[far:], points[0]], tolerance), tolerance)
    result = first + second[1:-1]
    return result if len(result) >= 3 else []


def _number(value: float) -> str:
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def ring_to_path(ring: Ring) -> str:
    """``M x y x y ... Z`` with one decimal, repeated points after rounding left out."""
    numbers: list[str] = []
    previous: tuple[str, str] | None = None
    for x, y in ring:
        pair = (_number(x), _number(y))
        if pair != previous:
            numbers.extend(pair)
            previous = pair
    if len(numbers) < 6:
        return ""
    return "M" + " ".join(numbers) + "Z"


def boundary_path(
    rings: Iterable[Ring], projection: Projection, tolerance: float = DEFAULT_TOLERANCE
) -> str:
    """The SVG path ``d`` of a boundary made of ``rings`` of (longitude, latitude)."""
    parts = (
        ring_to_path(simplify_ring(projection.project_ring(ring), tolerance)) for ring in rings
    )
    return "".join(part for part in parts if part)


# --- choropleth ---------------------------------------------------------------


class MapUnit(Protocol):
    """What a choropleth needs of a region (or province): ``Region`` fits."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def svg_path(self) -> str: ...


Number = int | float


def _step(value: Number, low: Number, high: Number, steps: int) -> int:
    """Equal intervals over [low, high]: the first takes ``low`` and up to ``low + span/steps``."""
    if high <= low:
        return 0
    position = Fraction(value - low) * steps / Fraction(high - low)
    return min(steps - 1, max(0, math.ceil(position) - 1))


def choropleth(
    regions_with_values: Sequence[tuple[MapUnit, Number | None]],
) -> list[dict[str, Any]]:
    """One dict per unit for ``geography/region_map.html``: code, name, value, path, fill, step.

    Colours step over five equal intervals between the smallest and largest
    value (``PALETTE``); a unit whose value is ``None`` gets ``NO_DATA_FILL`` and
    step ``None``.
    """
    values = [value for _, value in regions_with_values if value is not None]
    low, high = (min(values), max(values)) if values else (0, 0)
    result = []
    for unit, value in regions_with_values:
        step = None if value is None else _step(value, low, high, len(PALETTE))
        result.append(
            {
                "code": unit.code,
                "name": unit.name,
                "value": value,
                "path": unit.svg_path,
                "fill": NO_DATA_FILL if step is None else PALETTE[step],
                "step": step,
            }
        )
    return result


def choropleth_legend(values: Iterable[Number | None]) -> list[dict[str, Any]]:
    """The legend of ``choropleth`` for these values: one dict per used step, low to high.

    Each has ``fill``, ``low`` and ``high`` (the range of values that step
    covers: whole numbers when every value is one, else rounded to one decimal)
    and ``no_data`` false; a last entry with ``no_data`` true is added when some
    value is ``None``.
    """
    values = list(values)
    present = [value for value in values if value is not None]
    legend: list[dict[str, Any]] = []
    if present:
        low, high = min(present), max(present)
        integral = all(isinstance(value, int) for value in present)
        if high <= low:
            legend.append({"fill": PALETTE[0], "low": low, "high": high, "no_data": False})
        else:
            span, steps = Fraction(high - low), len(PALETTE)
            for step, fill in enumerate(PALETTE):
                bottom = low + span * step / steps
                top = low + span * (step + 1) / steps
                if integral:
                    start = int(low) if step == 0 else math.floor(bottom) + 1
                    end = math.floor(top)
                    if start > end:  # no whole number falls in this step
                        continue
                    legend.append({"fill": fill, "low": start, "high": end, "no_data": False})
                else:
                    legend.append(
                        {
                            "fill": fill,
                            "low": round(float(bottom), 1),
                            "high": round(float(top), 1),
                            "no_data": False,
                        }
                    )
    if len(present) < len(values):
        legend.append({"fill": NO_DATA_FILL, "low": None, "high": None, "no_data": True})
    return legend


def region_map_context(
    regions_with_values: Sequence[tuple[MapUnit, Number | None]],
) -> dict[str, Any]:
    """``map_regions``, ``map_legend`` and ``map_viewbox`` for ``geography/region_map.html``."""
    return {
        "map_regions": choropleth(regions_with_values),
        "map_legend": choropleth_legend(value for _, value in regions_with_values),
        "map_viewbox": MAP_VIEWBOX,
    }
