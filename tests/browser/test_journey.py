"""The whole journey of a child's case in a real browser, in French and in Arabic.

The social worker identifies a child at work (chained territory selects, verdict
preview), assesses; the supervisor approves; the worker records the consent and
refers to a school and to social protection; the school accepts and delivers; the
worker follows up and asks for the closure, which the supervisor approves; the
supervisor's dashboard shows the map.

Interface texts are being translated: elements are found by id, name, href, form
action, ``data-*`` hooks and by data (the child's names), never by wording.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, ViewportSize, expect
from tests.conftest import USER_PASSWORD, World

from himaya.cases import services
from himaya.cases.models import Case, CaseStatus, Child, Observation, Referral, ReferralStatus

pytestmark = pytest.mark.browser

CHILD = {
    "first_name_ar": "يوسف",
    "family_name_ar": "العمراني",
    "first_name_latin": "Youssef",
    "family_name_latin": "El Amrani",
}
GUARDIAN = "Fatima Amrani"
PHONE: ViewportSize = {"width": 390, "height": 844}


# --- Helpers -----------------------------------------------------------------------------


def child_name(lang: str) -> str:
    """The child's name as the pages show it in this language (Child.name)."""
    if lang == "ar":
        return f"{CHILD['first_name_ar']} {CHILD['family_name_ar']}"
    return f"{CHILD['first_name_latin']} {CHILD['family_name_latin']}"


def fresh(case: Case) -> Case:
    """The case as the pages left it in the database."""
    return Case.objects.get(pk=case.pk)


def logout_form(page: Page, lang: str) -> Locator:
    return page.locator(f"header form[action='/{lang}/accounts/logout/']")


def login(page: Page, user: Any, lang: str) -> None:
    page.goto(f"/{lang}/accounts/login/")
    form = page.locator(f"main form[action='/{lang}/accounts/login/']")
    form.locator("input[name=username]").fill(user.username)
    form.locator("input[name=password]").fill(USER_PASSWORD)
    form.locator("button[type=submit]").click()
    expect(logout_form(page, lang)).to_be_visible()
    expect(page.locator("header")).to_contain_text(user.username)


def logout(page: Page, lang: str) -> None:
    logout_form(page, lang).locator("button[type=submit]").click()
    expect(page.locator(f"header a[href^='/{lang}/accounts/login/']")).to_be_visible()


def switch_user(page: Page, user: Any, lang: str) -> None:
    logout(page, lang)
    login(page, user, lang)


def nav_to(page: Page, href: str) -> None:
    """Follow a link of the main navigation."""
    page.locator(f"header nav a[href='{href}']").click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    page.wait_for_load_state("load")  # htmx set up: its requests follow the next change


def submit(page: Page, form: Locator, lands_on: str) -> None:
    """Send a form by its submit button: it must succeed and lead back to ``lands_on``
    (a refused form is shown again at its own address, with status 400)."""
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit]").click()
    response = navigation.value
    assert response is not None
    assert response.ok and page.url.endswith(lands_on), (
        f"{response.status} at {page.url}:\n{page.locator('main').inner_text()[:3000]}"
    )


def open_panel(page: Page, name: str) -> Locator:
    """An action panel of the case page (a <details>), opened."""
    panel = page.locator(f"#panel-{name}")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    expect(panel).to_have_attribute("open", "")
    # Most panels draw their form when opened (HTMX): wait until it is in and settled,
    # so that the controls inside it are wired up before they are used.
    expect(panel.locator("form").first).to_be_visible()
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    return panel


def case_status(page: Page, status: str) -> None:
    expect(page.locator("#case-head")).to_have_attribute("data-status", status)


def check_right_to_left(page: Page, lang: str) -> None:
    """html lang/dir, and the header laid out right to left: the brand (at the inline
    start) right of the logout button (at the inline end)."""
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    brand = page.locator(f"header a[href='/{lang}/']").bounding_box()
    logout_button = logout_form(page, lang).locator("button").bounding_box()
    assert brand is not None and logout_button is not None
    assert brand["x"] >= logout_button["x"] + logout_button["width"], (brand, logout_button)


def check_left_to_right(page: Page, lang: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    brand = page.locator(f"header a[href='/{lang}/']").bounding_box()
    logout_button = logout_form(page, lang).locator("button").bounding_box()
    assert brand is not None and logout_button is not None
    assert brand["x"] + brand["width"] <= logout_button["x"], (brand, logout_button)


def check_no_horizontal_scroll_on_a_phone(page: Page, lang: str) -> None:
    """The case list (with the child's row) fits a phone's width."""
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        page.goto(f"/{lang}/cases/")
        expect(page.get_by_role("link", name=child_name(lang))).to_be_visible()
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"horizontal scroll on a phone: {widths}"
    finally:
        if size is not None:
            page.set_viewport_size(size)


# --- The journey's steps ------------------------------------------------------------------


def identify(page: Page, world: World, lang: str) -> Case:
    """Step 2: the identification form, its verdict preview, then save."""
    nav_to(page, f"/{lang}/cases/identify/")
    today = services.today()
    born = today - datetime.timedelta(days=13 * 366)

    # Chained selects: region → provinces (HTMX), which reloads the communes; province →
    # communes. (A provincial worker's region and province come preselected.)
    region, province, commune = (
        page.locator(f"#id_{n}") for n in ("region", "province", "commune")
    )
    with page.expect_response(re.compile(r"/geo/communes/")):
        region.select_option(world.region.code)
    expect(province.locator(f"option[value='{world.province.code}']")).to_be_attached()
    with page.expect_response(
        re.compile(rf"/geo/communes/\?province={re.escape(world.province.code)}")
    ):
        province.select_option(world.province.code)
    expect(commune.locator(f"option[value='{world.commune.code}']")).to_be_attached()
    commune.select_option(world.commune.code)

    page.locator("#id_guardian_name").fill(GUARDIAN)
    for name, value in CHILD.items():
        page.locator(f"#id_{name}").fill(value)
    page.locator("input[name=sex][value=M]").check()
    page.locator("#id_birth_date").fill(born.isoformat())
    page.locator("#id_observed_on").fill(today.isoformat())
    page.locator("#id_economic_hours_week").fill("20")
    page.locator("#id_sector").select_option("trade")

    # The preview: the verdict and the rules applied, with their legal basis; nothing saved.
    expected = services.observation_classify(
        data=services.ObservationIn(observed_on=today, economic_hours_week=20.0, sector="trade"),
        birth_date=born,
        estimated=False,
        sex="M",
    )
    assert expected.verdict == "child_labour" and expected.rules
    form = page.locator("#identify-form")
    form.locator(f"button[formaction='/{lang}/cases/identify/preview/']").click()
    verdict = page.locator("#verdict-preview [data-verdict]")
    expect(verdict).to_have_attribute("data-verdict", "child_labour")
    expect(verdict.locator("code")).to_have_text(list(expected.rules))
    for code in verdict.locator("code").all():  # each rule with its citation
        expect(code.locator("xpath=following-sibling::*[1]")).not_to_be_empty()
    assert (Child.objects.count(), Observation.objects.count(), Case.objects.count()) == (0, 0, 0)

    with page.expect_navigation(url=re.compile(rf"/{lang}/cases/\d+/$")):
        form.locator("button[type=submit]:not([formaction])").click()
    case = Case.objects.get()
    assert page.url.endswith(f"/{lang}/cases/{case.pk}/")
    assert case.verdict == "child_labour"
    expect(page.get_by_role("heading", level=1)).to_contain_text(CHILD["first_name_latin"])
    case_status(page, CaseStatus.IDENTIFIED)
    return case


def assess(page: Page, case_url: str) -> None:
    """Step 3 (worker): risk level and text, submitted for approval."""
    panel = open_panel(page, "assess")
    panel.locator("input[name='assess-risk_level'][value=high]").check()
    panel.locator("#id_assess-assessment").fill("Porte des caisses au souk, 20 h par semaine.")
    submit(page, panel.locator("form"), case_url)


def approve_assessment(page: Page, case: Case, lang: str) -> None:
    """Step 3 (supervisor): from "my work", the case waiting for approval."""
    case_url = f"/{lang}/cases/{case.pk}/"
    nav_to(page, f"/{lang}/work/")
    page.get_by_role("link", name=child_name(lang)).first.click()
    expect(page).to_have_url(re.compile(re.escape(case_url) + "$"))
    submit(page, page.locator(f"form[action='{case_url}assessment/approve/']"), case_url)
    case_status(page, CaseStatus.ASSESSED)


def record_consent(page: Page, case_url: str) -> None:
    panel = open_panel(page, "consent")
    panel.locator("#id_consent-child_consent").check()
    panel.locator("#id_consent-guardian_consent").check()
    submit(page, panel.locator("form"), case_url)


def refer(page: Page, case_url: str, service: str, provider: Any, other: Any) -> None:
    """Choose the service: the provider select is reloaded (HTMX) with its providers
    only (``other`` offers another service and must go); choose the provider; send."""
    panel = open_panel(page, "refer")
    choices = panel.locator("#id_refer-provider")
    with page.expect_response(re.compile(rf"{re.escape(case_url)}providers/")):
        panel.locator("#id_refer-service").select_option(service)
    expect(choices.locator(f"option[value='{other.pk}']")).to_have_count(0)
    choices.select_option(str(provider.pk))
    submit(page, panel.locator("form"), case_url)


def provider_delivers(page: Page, referral: Referral, lang: str) -> None:
    """Step 5 (the school): inbox, the referral, accept, record the service delivered."""
    url = f"/{lang}/work/referrals/{referral.pk}/"
    nav_to(page, f"/{lang}/work/inbox/")
    page.get_by_role("link", name=child_name(lang)).click()
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
    expect(page.locator("#referral-status")).to_have_attribute("data-status", "sent")

    submit(page, page.locator(f"form[action='{url}accept/']"), url)
    expect(page.locator("#referral-status")).to_have_attribute("data-status", "accepted")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED

    deliver = page.locator(f"form[action='{url}deliver/']")
    expect(deliver.locator("#id_delivered_on")).to_have_value(services.today().isoformat())
    deliver.locator("#id_note").fill("Inscrit en 6e année.")
    submit(page, deliver, url)
    expect(page.locator("#referral-status")).to_have_attribute("data-status", "delivered")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DELIVERED


def follow_up(page: Page, case_url: str) -> None:
    """Step 6 (worker): today's visit, through the page: in school, no work."""
    panel = open_panel(page, "follow_up")
    panel.locator("#id_follow_up-observed_on").fill(services.today().isoformat())
    panel.locator("#id_follow_up-economic_hours_week").fill("0")
    panel.locator("input[name='follow_up-in_school_or_training'][value=yes]").check()
    submit(page, panel.locator("form"), case_url)


def request_closure(page: Page, case_url: str) -> None:
    panel = open_panel(page, "request_closure")
    panel.locator("input[name='closure-reason'][value=out_of_child_labour]").check()
    submit(page, panel.locator("form"), case_url)


# --- The test ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_whole_journey_in_the_browser(page: Page, browser_world: World, lang: str) -> None:
    world = browser_world

    # 1. The social worker logs in through the form.
    login(page, world.worker, lang)
    if lang == "ar":
        check_right_to_left(page, lang)
    else:
        check_left_to_right(page, lang)

    # 2. Identification.
    case = identify(page, world, lang)
    case_url = f"/{lang}/cases/{case.pk}/"
    if lang == "fr":
        check_no_horizontal_scroll_on_a_phone(page, lang)
        page.goto(case_url)

    # 3. Assessment, approved by the supervisor.
    assess(page, case_url)
    case = fresh(case)
    assert case.assessment_submitted and case.risk_level == "high"
    assert case.status == CaseStatus.IDENTIFIED
    switch_user(page, world.supervisor, lang)
    approve_assessment(page, case, lang)
    case = fresh(case)
    assert case.status == CaseStatus.ASSESSED and not case.assessment_submitted

    # 4. The worker: consent, then a referral to the school and one to social protection.
    switch_user(page, world.worker, lang)
    page.goto(case_url)
    record_consent(page, case_url)
    case = fresh(case)
    assert case.consent_given
    refer(page, case_url, "education", world.school, other=world.social_protection)
    case_status(page, CaseStatus.REFERRED)
    refer(page, case_url, "social_protection", world.social_protection, other=world.school)
    referrals = {r.provider_id: r for r in Referral.objects.filter(case=case)}
    assert set(referrals) == {world.school.pk, world.social_protection.pk}
    assert {r.service for r in referrals.values()} == {"education", "social_protection"}

    # 5. The school accepts and delivers.
    switch_user(page, world.provider, lang)
    provider_delivers(page, referrals[world.school.pk], lang)
    case = fresh(case)
    assert case.status == CaseStatus.MONITORING

    # 6. Two follow-ups 31 days apart: the first one (31 days ago) through the services,
    # since the page refuses dates in the future; today's through the page.
    services.follow_up_record(
        actor=world.worker,
        case=case,
        observation=services.ObservationIn(
            observed_on=services.today() - datetime.timedelta(days=31),
            economic_hours_week=0.0,
            in_school_or_training=True,
        ),
    )
    switch_user(page, world.worker, lang)
    page.goto(case_url)
    follow_up(page, case_url)
    follow_ups = case.observations.filter(kind=Observation.Kind.FOLLOW_UP)
    assert follow_ups.count() == 2
    assert all(o.in_school_or_training for o in follow_ups)
    case = fresh(case)
    assert case.verdict not in ("child_labour", "hazardous", "worst_form")
    expect(page.locator("#case-head")).to_have_attribute("data-verdict", case.verdict)

    # 7. Closure "out of child labour", approved by the supervisor.
    request_closure(page, case_url)
    case = fresh(case)
    assert case.closure_requested_reason == "out_of_child_labour"
    assert case.status != CaseStatus.CLOSED
    switch_user(page, world.supervisor, lang)
    page.goto(case_url)
    submit(page, page.locator(f"form[action='{case_url}closure/approve/']"), case_url)
    case_status(page, CaseStatus.CLOSED)
    case = fresh(case)
    assert case.status == CaseStatus.CLOSED
    assert case.closure_reason == "out_of_child_labour"
    assert case.closed_on == services.today()

    # 8. The supervisor's dashboard: the map of the regions.
    nav_to(page, f"/{lang}/work/dashboard/")
    regions = page.locator("svg[role=img] path[data-code]")
    expect(regions).to_have_count(2)
    assert sorted(p.get_attribute("data-code") or "" for p in regions.all()) == ["01", "07"]
    if lang == "ar":
        check_right_to_left(page, lang)
