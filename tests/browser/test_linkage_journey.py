"""One child, one record, in a real browser.

(a) A social worker identifies a child; a linkage run trains the model; the worker
starts identifying the same child under another spelling: the children already
known who may be this child appear as the form is filled in (HTMX), with the
explanation under "Why"; the worker records the observation for the known child,
and no second child is created.

(b) In Arabic: a case supervisor opens the probable duplicates from the main
navigation, compares the two records of a child (which fits a phone's width),
merges them keeping record 1, then undoes the merge from the recent merges: two
children again.

The runs are made by calling the service (the task worker's part), with the small
synthetic padding of the linkage tests. Elements are found by id, name, href, form
action and by data, never by wording (the interface is being translated).
"""

from __future__ import annotations

import datetime
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, ViewportSize, expect
from tests.conftest import USER_PASSWORD, World
from tests.linkage.conftest import identify_child

from himaya.cases.models import Case, Child, Observation
from himaya.cases.services import today
from himaya.linkage import model
from himaya.linkage.models import (
    CandidateStatus,
    ChildMerge,
    DuplicateCandidate,
    LinkageRun,
    RunStatus,
    RunTrigger,
)
from himaya.linkage.services import linkage_run_execute

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}
#: The elements sticking out of the window, to say what makes a page scroll sideways.
OVERFLOWING = """() => [...document.querySelectorAll('main *')]
  .filter(e => { const box = e.getBoundingClientRect();
                 return box.right > innerWidth + 1 || box.left < -1; })
  .slice(-5).map(e => `${e.tagName}.${e.className}: ${e.textContent.trim().slice(0, 40)}`)"""

#: The child as the first social worker wrote him, and as the second writes him.
FIRST = {
    "first_name_ar": "يوسف",
    "family_name_ar": "العمراني",
    "first_name_latin": "Youssef",
    "family_name_latin": "El Amrani",
}
AGAIN = {
    "first_name_ar": "يوسف",
    "family_name_ar": "عمراني",
    "first_name_latin": "Youssouf",
    "family_name_latin": "Amrani",
}
#: Splink scores a new record against the known ones in the live server's thread.
SCORING_TIMEOUT = 30_000


@pytest.fixture
def small_padding(monkeypatch: pytest.MonkeyPatch) -> None:
    """As tests/linkage/conftest.py: runs borrow 2,000 synthetic records, not 5,000."""
    monkeypatch.setattr(model, "MIN_TRAINING_RECORDS", 2000)


# --- Helpers -----------------------------------------------------------------------------


def login(page: Page, user: Any, lang: str) -> None:
    page.goto(f"/{lang}/accounts/login/")
    form = page.locator(f"main form[action='/{lang}/accounts/login/']")
    form.locator("input[name=username]").fill(user.username)
    form.locator("input[name=password]").fill(USER_PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page.locator(f"header form[action='/{lang}/accounts/logout/']")).to_be_visible()


def nav_to(page: Page, href: str) -> None:
    """Follow a link of the main navigation."""
    page.locator(f"header nav a[href='{href}']").click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    page.wait_for_load_state("load")  # htmx set up: its requests follow the next change


def submit(page: Page, button: Locator, lands_on: str) -> None:
    """Press a submit button: the form must succeed and land on ``lands_on``."""
    with page.expect_navigation() as navigation:
        button.click()
    response = navigation.value
    assert response is not None
    assert response.ok and urlsplit(page.url).path == lands_on, (
        f"{response.status} at {page.url}:\n{page.locator('main').inner_text()[:3000]}"
    )


def run_linkage() -> LinkageRun:
    """A run, as the task worker makes it: it trains the model."""
    run = LinkageRun.objects.create(trigger=RunTrigger.SCHEDULED)
    linkage_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.model is not None
    return run


def fill_child(page: Page, world: World, names: dict[str, str], born: datetime.date) -> None:
    """The household's and the child's fields of the identification form. (A
    provincial worker's region and province come preselected.)"""
    province, commune = page.locator("#id_province"), page.locator("#id_commune")
    expect(province).to_have_value(world.province.code)
    expect(commune.locator(f"option[value='{world.commune.code}']")).to_be_attached()
    commune.select_option(world.commune.code)
    page.locator("#id_guardian_name").fill("Fatima Amrani")
    for name, value in names.items():
        page.locator(f"#id_{name}").fill(value)
    page.locator("#id_birth_date").fill(born.isoformat())
    page.locator("input[name=sex][value=M]").check()


def fill_observation(page: Page) -> None:
    page.locator("#id_observed_on").fill(today().isoformat())
    page.locator("#id_economic_hours_week").fill("20")
    page.locator("#id_sector").select_option("trade")


def check_no_horizontal_scroll_on_a_phone(page: Page, url: str) -> None:
    """The page fits a phone's width."""
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        page.goto(url)
        expect(page.locator("main h1")).to_be_visible()
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        overflowing = [] if widths[0] <= PHONE["width"] else page.evaluate(OVERFLOWING)
        assert widths[0] <= PHONE["width"], f"horizontal scroll at {url}: {widths} {overflowing}"
    finally:
        if size is not None:
            page.set_viewport_size(size)


# --- The tests ---------------------------------------------------------------------------


def test_the_child_already_known_is_offered_while_identifying(
    page: Page, browser_world: World, small_padding: None
) -> None:
    world = browser_world
    born = today() - datetime.timedelta(days=13 * 366)

    # 1. The social worker identifies Youssef: a new child, a case opened.
    login(page, world.worker, "fr")
    nav_to(page, "/fr/cases/identify/")
    fill_child(page, world, FIRST, born)
    fill_observation(page)
    expect(page.locator("#known-children section")).to_have_count(0)  # no model yet
    form = page.locator("#identify-form")
    with page.expect_navigation(url=re.compile(r"/fr/cases/\d+/$")):
        form.locator("button[type=submit]:not([formaction])").click()
    known = Child.objects.get()
    case = Case.objects.get(child=known)
    assert known.first_name_latin == "Youssef"

    # 2. His sister is identified too (a run needs two children at least); a linkage
    # run trains the model.
    sister = identify_child(world, first=("خديجة", "Khadija"), sex="F", years=15)
    run_linkage()

    # 3. Weeks later, another spelling: the known child is offered as the form is filled.
    nav_to(page, "/fr/cases/identify/")
    fill_child(page, world, AGAIN, born)
    panel = page.locator("#known-children section")
    expect(panel).to_be_visible(timeout=SCORING_TIMEOUT)
    same = f"/fr/cases/children/{known.pk}/identify/"
    offered = panel.locator("li").filter(has=page.locator(f"button[formaction='{same}']"))
    expect(offered).to_have_count(1)
    expect(offered).to_contain_text(known.name_latin)
    expect(offered).to_contain_text(known.name_ar)
    # The explanation, under "Why": each comparison with its weight.
    why = offered.locator("details")
    expect(why.locator("table")).not_to_be_visible()
    why.locator("summary").click()
    expect(why).to_have_attribute("open", "")
    expect(why.locator("table")).to_be_visible()
    expect(why.locator("tbody tr").first).to_be_visible()
    assert why.locator("tbody tr").count() >= 3

    # 4. "This is the same child": the observation goes to the known child, no new child.
    fill_observation(page)
    submit(page, offered.locator(f"button[formaction='{same}']"), f"/fr/cases/{case.pk}/")
    assert list(Child.objects.order_by("pk")) == [known, sister]
    observations = Observation.objects.filter(child=known)
    assert observations.count() == 2
    assert {o.case_id for o in observations} == {case.pk}
    assert Case.objects.count() == 1


def test_a_supervisor_merges_two_records_then_undoes_it_in_arabic(
    page: Page, browser_world: World, small_padding: None
) -> None:
    world = browser_world
    # The same boy, recorded twice by the association under two spellings.
    first = identify_child(world)
    second = identify_child(
        world,
        first=(AGAIN["first_name_ar"], AGAIN["first_name_latin"]),
        family=(AGAIN["family_name_ar"], AGAIN["family_name_latin"]),
    )
    run_linkage()
    pair = DuplicateCandidate.objects.get(child_a=first, child_b=second)

    # 1. The supervisor, in Arabic: right to left; the duplicates from the navigation.
    login(page, world.supervisor, "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    nav_to(page, "/ar/linkage/")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    pair_url = f"/ar/linkage/pairs/{pair.pk}/"
    page.locator(f"main a[href='{pair_url}']").click()
    expect(page).to_have_url(re.compile(re.escape(pair_url) + "$"))

    # 2. Both records side by side, and the model's explanation.
    records = page.locator("main table").first
    expect(records.locator("thead th")).to_have_count(3)
    names = records.locator("tbody tr").first.locator("td")
    expect(names).to_have_text([first.name_ar, second.name_ar])
    latin = records.locator("tbody tr").nth(1).locator("td")
    expect(latin).to_have_text([first.name_latin, second.name_latin])
    explanation = page.locator("main table").nth(1)
    expect(explanation.locator("caption")).to_be_visible()
    assert explanation.locator("tbody tr").count() >= 3
    check_no_horizontal_scroll_on_a_phone(page, pair_url)

    # 3. Merged, record 1 kept.
    merge = page.locator(f"main form[action='{pair_url}merge/']")
    expect(merge.locator(f"#survivor-{first.pk}")).to_be_checked()
    submit(page, merge.locator("button[type=submit]"), "/ar/linkage/")
    expect(page.locator(".messages .message--success")).to_be_visible()
    done = ChildMerge.objects.get()
    assert (done.survivor_id, done.merged_id) == (first.pk, second.pk)
    assert Child.objects.get(pk=second.pk).merged_into_id == first.pk
    assert Observation.objects.filter(child=first).count() == 2
    assert DuplicateCandidate.objects.get(pk=pair.pk).status == CandidateStatus.MERGED
    expect(page.locator(f"main a[href='{pair_url}']")).to_have_count(0)  # reviewed

    # 4. Undone from the recent merges: two children again, each with their records.
    undo = page.locator(f"main form[action='/ar/linkage/merges/{done.pk}/undo/']")
    submit(page, undo.locator("button[type=submit]"), "/ar/linkage/")
    expect(page.locator(".messages .message--success")).to_be_visible()
    expect(undo).to_have_count(0)
    done.refresh_from_db()
    assert done.undone_at is not None and done.undone_by_id == world.supervisor.pk
    assert list(Child.objects.filter(merged_into__isnull=False)) == []
    for child in (first, second):
        assert Observation.objects.filter(child=child).count() == 1
        assert Case.objects.get(child=child).status != "closed"
    assert DuplicateCandidate.objects.get(pk=pair.pk).status == CandidateStatus.DISMISSED
