"""The main navigation and who may open which workspace page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.workspace.conftest import logged_in

MY_WORK = 'href="/en/work/"'
INBOX = 'href="/en/work/inbox/"'
DASHBOARD = 'href="/en/work/dashboard/"'
ADMIN = 'href="/admin/"'

#: role attribute of the world -> (links shown, links not shown)
NAV = {
    "worker": ({MY_WORK}, {INBOX, DASHBOARD, ADMIN}),
    "inspector": ({MY_WORK}, {INBOX, DASHBOARD, ADMIN}),
    "supervisor": ({MY_WORK, DASHBOARD}, {INBOX, ADMIN}),
    "provider": ({INBOX}, {MY_WORK, DASHBOARD, ADMIN}),
    "analyst": ({DASHBOARD}, {MY_WORK, INBOX, ADMIN}),
    "administrator": (set(), {MY_WORK, INBOX, DASHBOARD, ADMIN}),
}


@pytest.mark.parametrize("who", sorted(NAV))
def test_navigation_shows_the_links_of_the_role(client: Client, world: Any, who: str) -> None:
    user = getattr(world, who)
    shown, hidden = NAV[who]

    # The home page sends each role on to its own page (others stay on the welcome page).
    response = logged_in(client, user).get("/en/", follow=True)
    html = response.content.decode()

    assert response.status_code == 200
    for link in shown:
        assert link in html
    for link in hidden:
        assert link not in html
    assert 'aria-label="Main navigation"' in html or not shown


def test_caseworkers_also_get_the_case_pages(client: Client, world: Any) -> None:
    cases = f'href="{reverse("cases:list")}"'
    identify = f'href="{reverse("cases:identify")}"'

    for who in ("worker", "inspector", "supervisor"):
        html = logged_in(client, getattr(world, who)).get("/en/work/").content.decode()
        assert cases in html and identify in html, who
    for who in ("provider", "analyst"):
        html = logged_in(client, getattr(world, who)).get("/en/", follow=True).content.decode()
        assert cases not in html and identify not in html, who


def test_navigation_shows_who_is_logged_in(client: Client, world: Any) -> None:
    html = logged_in(client, world.supervisor).get("/en/work/").content.decode()

    assert "supervisor" in html
    assert "Association Amal" in html
    assert "Case supervisor" in html
    assert 'action="/en/accounts/logout/"' in html


def test_the_current_page_is_marked(client: Client, world: Any) -> None:
    html = logged_in(client, world.supervisor).get("/en/work/dashboard/").content.decode()

    assert f'<a {DASHBOARD} aria-current="page">' in html
    assert f"<a {MY_WORK}>" in html


def test_staff_see_the_admin_link(client: Client, world: Any) -> None:
    world.administrator.is_staff = True
    world.administrator.save()

    html = logged_in(client, world.administrator).get("/en/").content.decode()

    assert ADMIN in html


def test_anonymous_visitors_see_no_navigation_and_are_sent_to_log_in(
    client: Client, world: Any
) -> None:
    html = client.get("/en/").content.decode()
    assert "Main navigation" not in html

    for url in ("/en/work/", "/en/work/inbox/", "/en/work/dashboard/", "/en/work/referrals/1/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/login/")


#: page -> roles that may open it (every other role gets 404)
PAGES = {
    "/en/work/": {"worker", "inspector", "supervisor"},
    "/en/work/mine/overdue/": {"worker", "inspector", "supervisor"},
    "/en/work/mine/approvals/": {"supervisor"},
    "/en/work/inbox/": {"provider", "other_provider"},
    "/en/work/dashboard/": {"supervisor", "analyst"},
}
ROLES = [
    "worker",
    "inspector",
    "supervisor",
    "provider",
    "other_provider",
    "analyst",
    "administrator",
]


@pytest.mark.parametrize("url", sorted(PAGES))
def test_each_page_opens_for_its_roles_only(client: Client, world: Any, url: str) -> None:
    for who in ROLES:
        client.force_login(getattr(world, who))
        expected = 200 if who in PAGES[url] else 404
        assert client.get(url).status_code == expected, (url, who)


def test_an_unknown_section_of_my_work_is_not_found(client: Client, world: Any) -> None:
    assert logged_in(client, world.worker).get("/en/work/mine/nothing/").status_code == 404


def test_arabic_pages_are_right_to_left(client: Client, world: Any) -> None:
    for user, url in (
        (world.worker, "/ar/work/"),
        (world.provider, "/ar/work/inbox/"),
        (world.analyst, "/ar/work/dashboard/"),
    ):
        html = logged_in(client, user).get(url).content.decode()
        assert '<html lang="ar" dir="rtl">' in html
