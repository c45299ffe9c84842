"""Which workspace pages a user may open, and where each user starts.

One place for the rule, used by the views (a page not for the user's role
answers 404, like a record outside the scope), the main navigation and the
home page. Which records a page shows is decided by cases.selectors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Role, User
from himaya.inspection.selectors import is_inspection_staff
from himaya.linkage.selectors import is_reviewer
from himaya.survey.selectors import is_analyst


def does_casework(user: Any) -> bool:
    """Inspectors, social workers and case supervisors of an organisation."""
    return isinstance(user, User) and user.does_casework


def is_provider(user: Any) -> bool:
    return (
        isinstance(user, User) and user.role == Role.PROVIDER and user.organisation_id is not None
    )


def sees_dashboard(user: Any) -> bool:
    """Supervisors (their organisation's caseload) and analysts (aggregates)."""
    return isinstance(user, User) and user.role in (Role.SUPERVISOR, Role.ANALYST)


def start_page(user: Any) -> str | None:
    """The URL name of the page a user lands on after logging in; None: the welcome page."""
    if does_casework(user):
        return "workspace:my_work"
    if is_provider(user):
        return "workspace:inbox"
    if sees_dashboard(user):
        return "workspace:dashboard"
    return None


@dataclass(frozen=True)
class NavLink:
    label: str | Promise
    url: str
    #: URL names of the pages this link is "current" on.
    pages: tuple[str, ...] = field(default=())


def nav_links(user: Any) -> list[NavLink]:
    """The main navigation for this user, in order. Pages that do not exist yet are left out."""
    links: list[NavLink] = []

    def add(name: str, label: str | Promise, *also: str) -> None:
        try:
            url = reverse(name)
        except NoReverseMatch:
            return
        links.append(NavLink(label, url, (name, *also)))

    if not getattr(user, "is_authenticated", False):
        return links
    if does_casework(user):
        add("workspace:my_work", _("My work"), "workspace:my_work_section")
        add("cases:list", _("Cases"), "cases:detail")
        add("cases:identify", _("Identify a child"))
    if is_inspection_staff(user):
        add("inspection:day", _("My day"))
        add("inspection:visits", _("Visits"), "inspection:visit", "inspection:visit_create")
        add(
            "inspection:establishments",
            _("Establishments"),
            "inspection:establishment",
            "inspection:establishment_create",
            "inspection:establishment_import",
        )
        add("inspection:plan", _("Plan"), "inspection:risk")
        add("inspection:annual_report", _("Annual report"))
    if is_reviewer(user):
        add("linkage:queue", _("Duplicates"), "linkage:candidate", "linkage:run")
    if sees_dashboard(user):
        add("workspace:dashboard", _("Dashboard"))
    if is_analyst(user):
        add("survey:list", _("Survey statistics"), "survey:detail")
    if is_provider(user):
        add("workspace:inbox", _("Referral inbox"), "workspace:referral")
    if user.is_staff:
        add("admin:index", _("Admin"))
    return links
