"""The caseworker's pages render for the right roles, in French, Arabic and English,
and refuse everybody else."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry


@pytest.fixture
def case(world: Any) -> Any:
    return world.identify().case


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


CASEWORKERS = ("worker", "supervisor")


@pytest.mark.parametrize("who", CASEWORKERS)
def test_every_page_renders_for_caseworkers_in_french(
    client: Client, world: Any, case: Any, who: str
) -> None:
    _as(client, getattr(world, who))
    for url in (
        "/fr/cases/",
        "/fr/cases/identify/",
        f"/fr/cases/{case.pk}/",
        f"/fr/cases/children/{case.child_id}/identify/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="fr" dir="ltr">' in html
        assert "/static/himaya/cases.css" in html


def test_the_inspector_identifies_and_lists_within_the_inspectorate(
    client: Client, world: Any
) -> None:
    case = world.identify(actor=world.inspector).case
    _as(client, world.inspector)

    assert client.get("/fr/cases/identify/").status_code == 200
    assert client.get(f"/fr/cases/{case.pk}/").status_code == 200
    html = client.get("/fr/cases/").content.decode()
    assert f'href="/fr/cases/{case.pk}/"' in html


def test_the_case_page_in_arabic_is_right_to_left(client: Client, world: Any, case: Any) -> None:
    html = _as(client, world.worker).get(f"/ar/cases/{case.pk}/").content.decode()

    assert '<html lang="ar" dir="rtl">' in html
    # Names in Arabic script are marked as such, whatever the page's language.
    assert '<span lang="ar" dir="rtl">يوسف العمراني</span>' in html


def test_the_identification_form_in_english(client: Client, world: Any) -> None:
    html = _as(client, world.worker).get("/en/cases/identify/").content.decode()

    assert '<html lang="en" dir="ltr">' in html
    assert "Identify a child" in html
    assert "Check the verdict" in html
    # Arabic names are typed right to left, Latin names left to right.
    assert 'name="first_name_ar" dir="rtl" lang="ar"' in html
    assert 'name="first_name_latin" dir="ltr"' in html


def test_the_list_in_arabic_and_english(client: Client, world: Any, case: Any) -> None:
    _as(client, world.worker)

    assert '<html lang="ar" dir="rtl">' in client.get("/ar/cases/").content.decode()
    html = client.get("/en/cases/").content.decode()
    assert "1 case." in html
    assert "Youssef El Amrani" in html


def test_every_field_has_a_label_and_groups_have_a_legend(client: Client, world: Any) -> None:
    import re

    html = _as(client, world.worker).get("/en/cases/identify/").content.decode()

    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html)
    assert len(ids) > 30
    for field_id in ids:
        assert f'for="{field_id}"' in html, field_id
    for legend in ("Household", "Child", "Observation", "Hazards observed", "Sex"):
        assert f"<legend>{legend}" in html


@pytest.mark.parametrize("who", ["provider", "analyst", "administrator"])
def test_the_list_and_the_identification_form_are_refused_to_non_caseworkers(
    client: Client, world: Any, case: Any, who: str
) -> None:
    _as(client, getattr(world, who))

    assert client.get("/fr/cases/").status_code == 403
    assert client.post("/fr/cases/", {"q": "Youssef"}).status_code == 403
    assert client.get("/fr/cases/identify/").status_code == 403
    assert client.post("/fr/cases/identify/", {}).status_code == 403
    assert client.post("/fr/cases/identify/preview/", {}).status_code == 403
    assert not AuditEntry.objects.filter(event=AuditEvent.CHILD_LIST_VIEWED).exists()


def test_anonymous_visitors_are_sent_to_the_login_page(
    client: Client, world: Any, case: Any
) -> None:
    for url in ("/fr/cases/", "/fr/cases/identify/", f"/fr/cases/{case.pk}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/fr/accounts/login/")
    response = client.post(f"/fr/cases/{case.pk}/consent/", {})
    assert response.status_code == 302
