"""Reading the geography. Configuration data, the same for every user."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from himaya.geography.models import Commune, Province, Region
from himaya.geography.text import fold

REGION_CODE = re.compile(r"\d{2}")
PROVINCE_CODE = re.compile(r"\d{2}\.\d{3}(?:\.\d{2}\.\d{2})?")
COMMUNE_CODE = re.compile(r"\d{2}\.\d{3}\.\d{2}\.\d{1,2}")


def region_list() -> QuerySet[Region]:
    return Region.objects.order_by("code")


def province_list(region_code: str | None = None) -> QuerySet[Province]:
    """The provinces and prefectures, of one region when ``region_code`` is given."""
    provinces = Province.objects.order_by("code")
    if region_code is not None:
        provinces = provinces.filter(region_id=region_code)
    return provinces


def commune_list(province_code: str | None = None) -> QuerySet[Commune]:
    """The communes, of one province when ``province_code`` is given."""
    communes = Commune.objects.order_by("code")
    if province_code is not None:
        communes = communes.filter(province_id=province_code)
    return communes


def commune_search(q: str, limit: int = 20) -> list[Commune]:
    """Communes whose French or Arabic name contains ``q``, ignoring case, accents and hamza.

    Names that start with ``q`` come first, each group by French name. At most
    ``limit``; none for an empty query.
    """
    query = q.strip()
    folded = fold(query)
    if not folded or limit <= 0:
        return []
    communes = Commune.objects.select_related("province", "region").order_by("name_fr", "code")
    starting = Q(search_key__startswith=folded) | Q(search_key__contains=f" | {folded}")
    containing = (
        Q(search_key__contains=folded) | Q(name_fr__icontains=query) | Q(name_ar__icontains=query)
    )
    found = list(communes.filter(starting)[:limit])
    if len(found) < limit:
        found += communes.filter(containing).exclude(starting)[: limit - len(found)]
    return found


def territory_get(code: str) -> Region | Province | Commune | None:
    """The region, province or commune with this HCP code, told apart by its shape; None if none.

    2 characters: a region; 6: a province; 11: a commune; 12: a commune, or one
    of the prefectures of arrondissements of Casablanca (``06.141.01.00``).
    """
    code = code.strip()
    if REGION_CODE.fullmatch(code):
        return Region.objects.filter(code=code).first()
    if len(code) == 6 and PROVINCE_CODE.fullmatch(code):
        return Province.objects.filter(code=code).first()
    if COMMUNE_CODE.fullmatch(code):
        commune = Commune.objects.filter(code=code).first()
        if commune is not None or len(code) != 12:
            return commune
        return Province.objects.filter(code=code).first()
    return None
