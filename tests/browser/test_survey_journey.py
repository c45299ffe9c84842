"""An analyst estimates a survey in a real browser: send the file, read the tables,
the map and the charts, download the estimates; on a phone and in Arabic too.

Elements are found by id, name, href and form action, never by wording.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from playwright.sync_api import Page, ViewportSize, expect
from tests.browser.test_inspection_journey import OVERFLOWING, download, login
from tests.conftest import World

from himaya.survey.models import SurveyRun, SurveyStatus
from himaya.survey.synthetic import generate

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any, tmp_path: Path) -> None:
    """The estimation runs as soon as it is queued (the live server runs the task)."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }
    settings.SURVEY_DIR = tmp_path / "surveys"


def test_an_analyst_estimates_a_survey_and_downloads_its_estimates(
    page: Page, browser_world: World, tmp_path: Path
) -> None:
    world = browser_world
    survey_file = tmp_path / "mics6.csv"
    generate(1200, seed=3).write_csv(survey_file)
    login(page, world.analyst, "fr")

    page.locator("nav.site-nav a[href='/fr/statistics/']").click()
    form = page.locator("main form[action='/fr/statistics/']")
    form.locator("input[name=title]").fill("MICS6 test")
    form.locator("input[name=file]").set_input_files(str(survey_file))
    form.locator("select[name=mapping]").select_option("mics6")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()

    survey = SurveyRun.objects.get()
    assert survey.status == SurveyStatus.DONE, survey.error
    assert page.url.endswith(f"/fr/statistics/{survey.pk}/")
    expect(page.locator("#table-1")).to_be_visible()
    expect(page.locator("figure.region-map svg path").first).to_be_attached()
    name, content = download(
        page, page.locator(f"a[href='/fr/statistics/{survey.pk}/files/estimates.csv']")
    )
    assert name == "estimates.csv"
    estimates = pl.read_csv(io.BytesIO(content))
    assert "child_labour" in estimates.get_column("indicator").to_list()

    page.set_viewport_size(PHONE)
    page.goto(f"/ar/statistics/{survey.pk}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    overflowing = [] if widths[0] <= widths[1] else page.evaluate(OVERFLOWING)
    assert widths[0] <= widths[1], f"horizontal scroll: {widths} {overflowing}"
