"""Project-wide settings that other code relies on."""

from django.conf import settings
from django.contrib.staticfiles import finders


def test_argon2_is_the_first_password_hasher() -> None:
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_cookies_are_http_only_and_same_site_lax() -> None:
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_languages_and_time_zone() -> None:
    assert settings.LANGUAGE_CODE == "fr"
    assert [code for code, _ in settings.LANGUAGES] == ["fr", "ar", "en"]
    assert settings.USE_TZ
    assert settings.TIME_ZONE == "Africa/Casablanca"


def test_tasks_use_the_database_backend() -> None:
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_htmx_is_served_from_the_npm_package() -> None:
    found = finders.find("vendor/htmx/htmx.min.js")

    assert found is not None
    assert "node_modules" in str(found)
