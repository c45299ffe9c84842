"""The read-only admin of the geography."""

from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, path

from himaya.geography.testing import SmallGeography

# The admin alone, so that these tests do not depend on the other apps' URLs.
urlpatterns: list[URLPattern | URLResolver] = [path("admin/", admin.site.urls)]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def admin_client_(
    client: Client, django_user_model: Any, small_geography: SmallGeography
) -> Client:
    admin = django_user_model.objects.create_superuser(username="root", password="x", email="")
    client.force_login(admin)
    return client


@pytest.mark.parametrize("model", ["region", "province", "commune", "geographydataset"])
def test_changelists_load(admin_client_: Client, model: str) -> None:
    assert admin_client_.get(f"/admin/geography/{model}/").status_code == 200


def test_search_and_filter(admin_client_: Client) -> None:
    html = admin_client_.get("/admin/geography/commune/", {"q": "Tanger"}).content.decode()
    assert "01.511.01.0" in html and "01.571.01.11" not in html
    html = admin_client_.get(
        "/admin/geography/commune/", {"region__code__exact": "07"}
    ).content.decode()
    assert "07.351.01.0" in html and "01.511.01.0" not in html


def test_read_only(admin_client_: Client) -> None:
    assert admin_client_.get("/admin/geography/commune/add/").status_code == 403
    response = admin_client_.post(
        "/admin/geography/region/01/change/", {"name_fr": "X", "name_ar": "X", "population_2024": 1}
    )
    assert response.status_code == 403
    assert admin_client_.get("/admin/geography/region/01/delete/").status_code == 403
    # Viewing a row works.
    assert admin_client_.get("/admin/geography/commune/01.511.01.0/change/").status_code == 200
