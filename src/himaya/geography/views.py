"""HTMX partials for chained region -> province -> commune selects.

A region ``<select name="region">`` with
``hx-get="{% url 'geography:provinces' %}" hx-target="#id_province"`` sends
``?region=01`` and gets the ``<option>`` list of its provinces; a province
select does the same with ``geography:communes`` and ``?province=01.511``.
``selected`` marks one option as chosen. Unknown codes give only the empty
option. Only units within (or containing) the user's territory are offered.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from himaya.geography import selectors


def _within(user: object, code: str) -> bool:
    """Whether the unit ``code`` lies within, or contains, the user's territory
    (HCP codes are hierarchical: compare them part by part)."""
    territory = getattr(user, "territory_code", "") or ""
    if not territory:
        return True
    mine, theirs = territory.split("."), code.split(".")
    shorter = min(len(mine), len(theirs))
    return mine[:shorter] == theirs[:shorter]


@login_required
@require_GET
def provinces(request: HttpRequest) -> HttpResponse:
    region = request.GET.get("region", "").strip()
    options = (
        [p for p in selectors.province_list(region) if _within(request.user, p.code)]
        if region
        else []
    )
    return render(
        request,
        "geography/options.html",
        {"options": options, "selected": request.GET.get("selected", "")},
    )


@login_required
@require_GET
def communes(request: HttpRequest) -> HttpResponse:
    province = request.GET.get("province", "").strip()
    options = (
        [c for c in selectors.commune_list(province) if _within(request.user, c.code)]
        if province
        else []
    )
    return render(
        request,
        "geography/options.html",
        {"options": options, "selected": request.GET.get("selected", "")},
    )
