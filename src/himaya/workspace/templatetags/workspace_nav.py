"""``{% main_navigation as links %}``: the links of the main navigation (see workspace.access)."""

from __future__ import annotations

from typing import Any

from django import template

from himaya.workspace.access import NavLink, nav_links

register = template.Library()


@register.simple_tag(takes_context=True)
def main_navigation(context: template.Context) -> list[dict[str, Any]]:
    """Each link with ``current`` true on the page it leads to (for aria-current)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    here = match.view_name if match is not None else ""
    links: list[NavLink] = nav_links(context.get("user"))
    return [{"label": link.label, "url": link.url, "current": here in link.pages} for link in links]
