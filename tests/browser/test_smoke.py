"""End-to-end smoke test in a real browser."""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_home_in_french_then_switch_to_arabic(page: Page) -> None:
    page.goto("/")

    expect(page).to_have_url(re.compile(r"/fr/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("heading", name="Himaya")).to_be_visible()
    assert page.evaluate("typeof window.htmx") == "object", "htmx did not load"

    page.get_by_role("button", name="العربيّة").click()

    expect(page).to_have_url(re.compile(r"/ar/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_text("نظام معلومات لمكافحة تشغيل الأطفال.")).to_be_visible()


def test_log_in_through_the_form(page: Page, user: Any, user_password: str) -> None:
    page.goto("/fr/")
    page.get_by_role("link", name="Se connecter").first.click()

    page.get_by_label("Nom d’utilisateur").fill(user.username)
    page.get_by_label("Mot de passe").fill(user_password)
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_text(f"Vous êtes connecté·e en tant que {user.username}.")).to_be_visible()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
