"""The chained-select partials and the region map include."""

import re
from typing import Any

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth import views as auth_views
from django.template.loader import render_to_string
from django.test import Client
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils import translation

from himaya.geography.maps import MAP_VIEWBOX, PALETTE, region_map_context
from himaya.geography.models import Region
from himaya.geography.testing import SmallGeography

# The geography under /<lang>/geo/, as config.urls includes it, and the login page.
urlpatterns: list[URLPattern | URLResolver] = i18n_patterns(
    path("geo/", include("himaya.geography.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def _options(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', html)


def test_urls() -> None:
    with translation.override("fr"):
        assert reverse("geography:provinces") == "/fr/geo/provinces/"
        assert reverse("geography:communes") == "/fr/geo/communes/"


@pytest.mark.parametrize("name", ["geography:provinces", "geography:communes"])
def test_login_required(client: Client, small_geography: SmallGeography, name: str) -> None:
    with translation.override("fr"):
        url = reverse(name)
    response = client.get(url, {"region": "01", "province": "01.511"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_provinces_of_a_region(logged_in_client: Client, small_geography: SmallGeography) -> None:
    response = logged_in_client.get("/fr/geo/provinces/", {"region": "07", "selected": "07.351"})
    assert response.status_code == 200
    html = response.content.decode()
    assert _options(html)[1:] == [("07.041", "Al Haouz"), ("07.351", "Marrakech")]
    assert _options(html)[0][0] == ""
    assert '<option value="07.351" selected>' in html


def test_communes_of_a_province_in_arabic(
    logged_in_client: Client, small_geography: SmallGeography
) -> None:
    response = logged_in_client.get("/ar/geo/communes/", {"province": "01.571"})
    assert response.status_code == 200
    options = _options(response.content.decode())
    assert options[1:] == [("01.571.01.11", "تطوان"), ("01.571.03.01", "عين لحصن")]


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/fr/geo/provinces/", {}),
        ("/fr/geo/provinces/", {"region": "99"}),
        ("/fr/geo/communes/", {"province": ""}),
        ("/fr/geo/communes/", {"province": "01.999"}),
    ],
)
def test_unknown_or_missing_parent_gives_only_the_empty_option(
    logged_in_client: Client, small_geography: SmallGeography, url: str, params: dict[str, str]
) -> None:
    response = logged_in_client.get(url, params)
    assert response.status_code == 200
    assert [value for value, _ in _options(response.content.decode())] == [""]


def test_only_get(logged_in_client: Client, small_geography: SmallGeography) -> None:
    assert logged_in_client.post("/fr/geo/provinces/", {"region": "01"}).status_code == 405


def _render_map(**context: Any) -> str:
    return render_to_string("geography/region_map.html", context)


def test_region_map_renders_the_12_regions_with_titles(geography: dict[str, int]) -> None:
    regions = list(Region.objects.all())
    values = [(region, int(region.code) * 10) for region in regions]
    with translation.override("fr"):
        html = _render_map(**region_map_context(values), map_label="Cas par région")

    assert html.count("<path ") == 12
    assert f'viewBox="{MAP_VIEWBOX}"' in html
    assert 'role="img"' in html
    assert 'aria-label="Cas par région"' in html
    titles = re.findall(r"<path [^>]*><title>([^<]*)</title></path>", html)
    assert len(titles) == 12
    assert "Tanger-Tétouan-Al Hoceima: 10" in titles
    assert "Dakhla-Oued Ed-Dahab: 120" in titles
    assert f'fill="{PALETTE[0]}"' in html and f'fill="{PALETTE[-1]}"' in html
    # The legend, and the figures as a table.
    assert "10–32" in html and "99–120" in html
    assert html.count('<th scope="row">') == 12
    assert len(html.encode()) < 150_000


def test_region_map_in_arabic_keeps_the_geography_left_to_right(
    small_geography: SmallGeography,
) -> None:
    values: list[tuple[Region, int | None]] = [
        (region, None if region.code == "07" else 5) for region in Region.objects.all()
    ]
    with translation.override("ar"):
        html = _render_map(**region_map_context(values))
    assert 'dir="ltr"' in html
    assert "طنجة-تطوان-الحسيمة: 5" in html
    assert html.count("<path ") == 2
    # Without map_label, the default label is used (translated when the catalogue is compiled).
    assert re.search(r'aria-label="[^"]+"', html)


def test_region_map_needs_only_map_regions(small_geography: SmallGeography) -> None:
    regions = [
        {"code": r.code, "name": r.name, "value": 1, "path": r.svg_path, "fill": PALETTE[2]}
        for r in Region.objects.all()
    ]
    html = _render_map(map_regions=regions)
    assert html.count("<path ") == 2
    assert 'viewBox="0 0 1000 1000"' in html
    assert "<ul" not in html  # no legend without map_legend


def test_only_units_of_the_users_territory_are_offered(
    client: Client, small_geography: SmallGeography, django_user_model: Any
) -> None:
    marrakech = django_user_model.objects.create(username="m", territory_code="07.351")
    client.force_login(marrakech)
    provinces = _options(client.get("/fr/geo/provinces/", {"region": "07"}).content.decode())
    assert [code for code, _ in provinces] == ["", "07.351"]
    al_haouz = client.get("/fr/geo/communes/", {"province": "07.041"}).content.decode()
    assert [code for code, _ in _options(al_haouz)] == [""]
    own = _options(client.get("/fr/geo/communes/", {"province": "07.351"}).content.decode())
    assert len(own) > 1 and all(code.startswith("07.351.") for code, _ in own[1:])
