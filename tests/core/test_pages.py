"""Pages, language handling, login and the API contract."""

import json
import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_root_redirects_to_french_by_default(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_home_renders_in_french(client: Client) -> None:
    response = client.get("/fr/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    assert "Himaya" in html
    assert "Système d’information contre le travail des enfants." in html


def test_home_in_arabic_is_right_to_left(client: Client) -> None:
    response = client.get("/ar/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "نظام معلومات لمكافحة تشغيل الأطفال." in html


def test_home_in_english(client: Client) -> None:
    html = client.get("/en/").content.decode()

    assert '<html lang="en" dir="ltr">' in html
    assert "Information system against child labour." in html


def test_every_page_has_the_language_switcher_and_htmx(client: Client) -> None:
    for url in ("/fr/", "/fr/accounts/login/"):
        html = client.get(url).content.decode()
        assert 'action="/i18n/setlang/"' in html
        for code in ("fr", "ar", "en"):
            assert f'name="language" value="{code}"' in html
        assert "/static/vendor/htmx/htmx.min.js" in html


def test_language_switcher_redirects_to_the_same_page_in_arabic(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/fr/accounts/login/"})

    assert response.status_code == 302
    assert response["Location"] == "/ar/accounts/login/"


def test_login_with_valid_credentials(client: Client, user: Any, user_password: str) -> None:
    response = client.post(
        "/fr/accounts/login/", {"username": user.username, "password": user_password}
    )

    assert response.status_code == 302
    assert response["Location"] == "/fr/"
    home = client.get("/fr/").content.decode()
    assert f"Vous êtes connecté·e en tant que {user.username}." in home


def test_login_with_a_wrong_password_shows_an_error(client: Client, user: Any) -> None:
    response = client.post("/fr/accounts/login/", {"username": user.username, "password": "nope"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Veuillez saisir un nom d’utilisateur et un mot de passe corrects" in html
    assert "_auth_user_id" not in client.session


def test_logout(client: Client, user: Any) -> None:
    client.force_login(user)

    response = client.post("/fr/accounts/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_health_api(client: Client) -> None:
    response = client.get("/api/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_openapi_schema_is_served(client: Client) -> None:
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert "openapi" in schema
    assert schema["info"]["title"] == "Himaya API"
    assert "/api/health" in schema["paths"]


def test_api_docs_use_local_assets_only(client: Client) -> None:
    response = client.get("/api/docs")

    assert response.status_code == 200
    assert "cdn" not in response.content.decode().lower()


# --- The site shell: where each role lands, messages, layout -----------------------


def test_home_sends_each_role_to_its_own_page(client: Client, world: Any) -> None:
    for user, page in (
        (world.worker, "/fr/work/"),
        (world.inspector, "/fr/work/"),
        (world.supervisor, "/fr/work/"),
        (world.provider, "/fr/work/inbox/"),
        (world.analyst, "/fr/work/dashboard/"),
    ):
        client.force_login(user)
        response = client.get("/fr/")
        assert response.status_code == 302, user
        assert response["Location"] == page, user
        assert client.get(page).status_code == 200


def test_home_stays_the_welcome_page_for_other_accounts(client: Client, world: Any) -> None:
    client.force_login(world.administrator)

    response = client.get("/en/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "You are logged in as administrator." in html
    assert "Main navigation" not in html  # no page of its own: no links


def test_the_header_names_the_user_organisation_and_role(client: Client, world: Any) -> None:
    client.force_login(world.provider)

    html = client.get("/en/work/inbox/").content.decode()

    assert '<span class="site-account__name">school</span>' in html
    assert '<span class="site-account__detail">École Al Massira</span>' in html
    assert '<span class="site-account__detail">Service provider</span>' in html
    assert '<button type="submit" class="link-button">Log out</button>' in html


def test_every_page_has_a_messages_area(client: Client) -> None:
    for url in ("/fr/", "/fr/accounts/login/"):
        html = client.get(url).content.decode()
        assert '<div class="messages" role="status">' in html


def test_the_stylesheet_uses_logical_properties_only() -> None:
    """Physical directions would not follow the page into right-to-left."""
    from pathlib import Path

    import himaya.core

    css = (Path(himaya.core.__file__).parent / "static/himaya/site.css").read_text()
    physical = re.compile(
        r"(?:margin|padding|border)-(?:left|right|top|bottom)\b"
        r"|(?<![-\w])(?:left|right|top|bottom)\s*:"
        r"|text-align:\s*(?:left|right)|float:\s*(?:left|right)"
        r"|(?<![-\w])(?:width|height)\s*:"
    )
    assert physical.findall(css) == []
