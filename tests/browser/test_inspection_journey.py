"""A labour inspection in a real browser, from the plan to the violation report.

The inspector of an office looks at the monthly plan, plans the visit of an
establishment of the register, records it (date and checklist) and adds the two
children found at work: a 16-year-old on hazardous work, who is removed at once
and whose breach goes straight to the violation report, and a 13-year-old below
the minimum age, whose breach gets a formal notice with a deadline. The follow-up
visit planned on the deadline (opened from the plan, in Arabic) finds the breach
persisting: the violation report is issued and downloaded in French and in Arabic.

Only the world (office, inspector, establishment) comes from fixtures; everything
else goes through the pages. The first visit is dated four weeks back (recorded
after the fact: the pages refuse dates in the future), so that its follow-up falls
due today. Elements are found by id, name, href, form action, ``data-*`` hooks and
by data, never by wording (the interface is being translated).
"""

from __future__ import annotations

import datetime
import io
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import Locator, Page, ViewportSize, expect
from pypdf import PdfReader
from tests.conftest import USER_PASSWORD, World
from tests.inspection.conftest import make_establishment

from himaya.accounts.models import Organisation, OrganisationKind
from himaya.cases.models import Case, CaseEvent, Referral, ReferralStatus, RiskLevel
from himaya.cases.services import today
from himaya.inspection.models import (
    CHECKLIST,
    EnforcementDocument,
    Establishment,
    FoundChild,
    Stage,
    Violation,
    Visit,
    VisitKind,
    VisitStatus,
)

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}
#: Arabic letters, and their presentation forms (a PDF may keep the shaped glyphs).
ARABIC = re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")
#: The elements sticking out of the window, to say what makes a page scroll sideways.
OVERFLOWING = """() => [...document.querySelectorAll('main *')]
  .filter(e => { const box = e.getBoundingClientRect();
                 return box.right > innerWidth + 1 || box.left < -1; })
  .slice(-5).map(e => `${e.tagName}.${e.className}: ${e.textContent.trim().slice(0, 40)}`)"""

#: The two children found at work.
OMAR = {  # 16 years old, at dangerous heights: hazardous work
    "first_name_ar": "عمر",
    "family_name_ar": "البقالي",
    "first_name_latin": "Omar",
    "family_name_latin": "Bakkali",
}
YOUSSEF = {  # 13 years old: below the minimum age (15)
    "first_name_ar": "يوسف",
    "family_name_ar": "العمراني",
    "first_name_latin": "Youssef",
    "family_name_latin": "El Amrani",
}


# --- Helpers -----------------------------------------------------------------------------


def login(page: Page, user: Any, lang: str) -> None:
    page.goto(f"/{lang}/accounts/login/")
    form = page.locator(f"main form[action='/{lang}/accounts/login/']")
    form.locator("input[name=username]").fill(user.username)
    form.locator("input[name=password]").fill(USER_PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page.locator(f"header form[action='/{lang}/accounts/logout/']")).to_be_visible()


def submit(page: Page, form: Locator, lands_on: str | re.Pattern[str]) -> None:
    """Send a form by its submit button: it must succeed and land on ``lands_on``
    (a refused form is shown again with its errors, status 400)."""
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit]:not([name=preview])").click()
    response = navigation.value
    assert response is not None
    path = urlsplit(page.url).path
    landed = path == lands_on if isinstance(lands_on, str) else bool(lands_on.fullmatch(path))
    assert response.ok and landed, (
        f"{response.status} at {page.url}:\n{page.locator('main').inner_text()[:3000]}"
    )


def follow(page: Page, link: Locator, href: str) -> None:
    """Click a link and land on its address."""
    link.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))


def visit_status(page: Page, status: str) -> None:
    expect(page.locator("#visit-head")).to_have_attribute("data-status", status)


def record_visit(page: Page, visit: Visit, lang: str, on: datetime.date, **answers: str) -> None:
    """The checklist panel of the visit page: the date, every question answered
    (yes, unless told), findings."""
    url = f"/{lang}/inspection/visits/{visit.pk}/"
    panel = page.locator("#panel-record")
    expect(panel).to_have_attribute("open", "")
    form = panel.locator(f"form[action='{url}record/']")
    form.locator("#id_visited_on").fill(on.isoformat())
    for code, _label in CHECKLIST:
        form.locator(f"input[name=check_{code}][value={answers.get(code, 'yes')}]").check()
    form.locator("#id_notes").fill("Registre du personnel présenté.")
    submit(page, form, url)
    visit_status(page, VisitStatus.DONE)


def add_child(
    page: Page,
    visit: Visit,
    lang: str,
    names: dict[str, str],
    age: int,
    hours: int,
    verdict: str,
    hazards: tuple[str, ...] = (),
) -> FoundChild:
    """The child-found form (the visit fixes the date and the place): saved, then
    the page of its verdict."""
    form = page.locator(
        f"form#child-found-form[action='/{lang}/inspection/visits/{visit.pk}/children/new/']"
    )
    # The territory comes preselected from the visit (the establishment's commune).
    expect(form.locator("#id_region")).to_have_value(visit.region_id)
    expect(form.locator("#id_province")).to_have_value(visit.province_id)
    expect(form.locator("#id_commune")).to_have_value(visit.commune_id)
    assert form.locator("input[name=observed_on]").count() == 0
    assert visit.visited_on is not None
    born = visit.visited_on - datetime.timedelta(days=age * 366)
    for name, value in names.items():
        form.locator(f"#id_{name}").fill(value)
    form.locator("input[name=sex][value=M]").check()
    form.locator("#id_birth_date").fill(born.isoformat())
    form.locator("#id_guardian_name").fill(f"Famille {names['family_name_latin']}")
    form.locator("#id_economic_hours_week").fill(str(hours))
    for hazard in hazards:
        form.locator(f"input[name=hazards][value={hazard}]").check()
    before = set(FoundChild.objects.values_list("pk", flat=True))
    # The verdict, checked before saving (HTMX), saves nothing.
    form.locator("button[name=preview]").click()
    expect(form.locator("#verdict-preview [data-verdict]")).to_have_attribute(
        "data-verdict", verdict
    )
    assert set(FoundChild.objects.values_list("pk", flat=True)) == before
    submit(page, form, re.compile(rf"/{lang}/inspection/visits/{visit.pk}/children/\d+/"))
    found = FoundChild.objects.exclude(pk__in=before).select_related("child", "case").get()
    assert page.url.endswith(f"/{lang}/inspection/visits/{visit.pk}/children/{found.pk}/")
    assert found.child.first_name_latin == names["first_name_latin"]
    assert found.observation.observed_on == visit.visited_on
    return found


def violation_of(visit: Visit, breach: str) -> Violation:
    return Violation.objects.get(visit=visit, breach=breach)


def stages(page: Page, section: str) -> list[str]:
    rows = page.locator(f"#{section} tr[data-stage]")
    return [row.get_attribute("data-stage") or "" for row in rows.all()]


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF"), data[:20]
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


def download(page: Page, link: Locator) -> tuple[str, bytes]:
    """Click a download link: the file's suggested name and its bytes."""
    with page.expect_download() as info:
        link.click()
    file = info.value
    path = file.path()
    assert file.failure() is None and path is not None
    with open(path, "rb") as stream:
        return file.suggested_filename, stream.read()


def check_no_horizontal_scroll_on_a_phone(page: Page, url: str) -> None:
    """The visit page fits a phone's width."""
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        page.goto(url)
        expect(page.locator("#visit-head")).to_be_visible()
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        overflowing = [] if widths[0] <= widths[1] else page.evaluate(OVERFLOWING)
        assert widths[0] <= widths[1], f"horizontal scroll at {url}: {widths} {overflowing}"
    finally:
        if size is not None:
            page.set_viewport_size(size)


# --- The journey's steps ------------------------------------------------------------------


def plan_the_visit(
    page: Page, world: World, establishment: Establishment, first_day: datetime.date
) -> Visit:
    """Step 1: the plan of next month puts the establishment in the inspector's
    visits; from its page, the visit is planned through the form."""
    page.locator("header nav a[href='/fr/inspection/plan/']").click()
    expect(page).to_have_url(re.compile(r"/fr/inspection/plan/$"))
    row = page.locator(
        f"#plan-inspector-{world.inspector.pk} tr[data-establishment='{establishment.pk}']"
    )
    expect(row).to_be_visible()
    assert row.get_attribute("data-diary") is None  # not in the diary yet
    detail = f"/fr/inspection/establishments/{establishment.pk}/"
    follow(page, row.locator(f"a[href='{detail}']"), detail)
    create = f"/fr/inspection/visits/new/?establishment={establishment.pk}"
    follow(page, page.locator(f"main a[href='{create}']"), create)

    form = page.locator("main form[action='/fr/inspection/visits/new/']")
    expect(form.locator("#id_establishment")).to_have_value(str(establishment.pk))
    expect(form.locator(f"input[name=kind][value={VisitKind.PLANNED}]")).to_be_checked()
    expect(form.locator(f"input[name=inspectors][value='{world.inspector.pk}']")).to_be_checked()
    form.locator("#id_scheduled_on").fill(first_day.isoformat())
    assert not Visit.objects.exists()
    submit(page, form, re.compile(r"/fr/inspection/visits/\d+/"))
    visit = Visit.objects.get()
    assert page.url.endswith(f"/fr/inspection/visits/{visit.pk}/")
    assert (visit.establishment_id, visit.kind, visit.status, visit.scheduled_on) == (
        establishment.pk,
        VisitKind.PLANNED,
        VisitStatus.PLANNED,
        first_day,
    )
    assert list(visit.inspectors.all()) == [world.inspector]
    visit_status(page, VisitStatus.PLANNED)
    return visit


# --- The test ---------------------------------------------------------------------------


def test_an_inspection_from_the_plan_to_the_violation_report(
    page: Page, browser_world: World
) -> None:
    world = browser_world
    establishment = make_establishment(world, name="Atelier Al Amal", sector="manufacturing")
    unit = Organisation.objects.create(
        name="UPE", kind=OrganisationKind.CHILD_PROTECTION, territory_code=world.province.code
    )
    now = today()
    first_day = now - datetime.timedelta(days=28)

    # 1. The inspector logs in; the plan; the visit planned through the form.
    login(page, world.inspector, "fr")
    visit = plan_the_visit(page, world, establishment, first_day)
    visit_url = f"/fr/inspection/visits/{visit.pk}/"

    # 2. The visit recorded: its date and its checklist (children under age at work).
    record_visit(page, visit, "fr", first_day, minimum_age="no", hazardous="no")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE and visit.visited_on == first_day
    assert visit.checklist["minimum_age"] == "no" and visit.checklist["register"] == "yes"
    expect(page.locator("#checklist [data-answer='no']")).to_have_count(2)

    # 3. Two children found. Omar, 16, at dangerous heights: hazardous work; he is
    # removed from work at once and the breach skips advice, straight to the report.
    child_form = f"{visit_url}children/new/"
    follow(page, page.locator(f"#children a[href='{child_form}']"), child_form)
    omar = add_child(
        page, visit, "fr", OMAR, age=16, hours=30, verdict="hazardous", hazards=("heights",)
    )
    expect(page.locator("main [data-verdict]")).to_have_attribute("data-verdict", "hazardous")
    expect(page.locator("main .verdict__explanation li").first).to_be_visible()
    expect(page.locator("main .badge--removed")).to_be_visible()
    assert omar.verdict == "hazardous" and omar.removed
    assert omar.case is not None
    omar_case = Case.objects.get(pk=omar.case.pk)
    assert omar_case.child_id == omar.child_id and omar_case.risk_level == RiskLevel.HIGH
    removal = CaseEvent.objects.get(case=omar_case, kind="removed")
    assert removal.detail == {"visit": visit.pk} and removal.actor_id == world.inspector.pk
    # ... and referred at once to the child protection unit of his province.
    urgent = Referral.objects.get(case=omar_case)
    assert (urgent.provider, urgent.status) == (unit, ReferralStatus.SENT)
    hazardous = violation_of(visit, "hazardous_work")
    assert (hazardous.stage, hazardous.children, hazardous.found_on) == (
        Stage.VIOLATION_REPORT,
        1,
        first_day,
    )
    expect(page.locator(f"main a[href='/fr/cases/{omar_case.pk}/']")).to_be_visible()

    # Youssef, 13, below the minimum age: child labour, a case, the advice stage.
    follow(page, page.locator(f"main a[href='{child_form}']"), child_form)
    youssef = add_child(page, visit, "fr", YOUSSEF, age=13, hours=20, verdict="child_labour")
    expect(page.locator("main [data-verdict]")).to_have_attribute("data-verdict", "child_labour")
    expect(page.locator("main .badge--removed")).to_have_count(0)
    assert youssef.verdict == "child_labour" and not youssef.removed
    assert youssef.case is not None and youssef.case.pk != omar_case.pk
    assert not CaseEvent.objects.filter(case=youssef.case, kind="removed").exists()
    assert not Referral.objects.filter(case=youssef.case).exists()
    below_age = violation_of(visit, "below_minimum_age")
    assert (below_age.stage, below_age.children) == (Stage.ADVICE, 1)
    assert Case.objects.count() == 2
    establishment.refresh_from_db()
    assert establishment.children_found == 2 and establishment.last_visit_on == first_day

    # The visit page: both children, the removal, both violations at their stage.
    follow(page, page.locator(f"main a[href='{visit_url}']").first, visit_url)
    children = page.locator("#children li[data-verdict]")
    expect(children).to_have_count(2)
    assert [c.get_attribute("data-verdict") for c in children.all()] == [
        "hazardous",
        "child_labour",
    ]
    expect(children.nth(0).locator(".badge--removed")).to_be_visible()
    expect(children.nth(1).locator(".badge--removed")).to_have_count(0)
    for case in (omar_case, youssef.case):
        expect(page.locator(f"#children a[href='/fr/cases/{case.pk}/']")).to_be_visible()
    assert sorted(stages(page, "violations")) == [Stage.ADVICE, Stage.VIOLATION_REPORT]
    check_no_horizontal_scroll_on_a_phone(page, visit_url)

    # 4. The hazardous work goes to the violation report at once.
    report_panel = page.locator("#panel-report")
    assert stages(page, "panel-report") == [Stage.VIOLATION_REPORT]  # only that breach
    submit(page, report_panel.locator(f"form[action='{visit_url}report/']"), visit_url)
    first_report = EnforcementDocument.objects.get(kind=EnforcementDocument.Kind.VIOLATION_REPORT)
    hazardous.refresh_from_db()
    assert hazardous.report == first_report and first_report.visit_id == visit.pk
    assert first_report.number == f"PV-{now.year}-{world.inspectorate.pk:03d}-00001"
    expect(page.locator("#panel-report")).to_have_count(0)  # nothing left to report

    # 5. The formal notice for the breach at the advice stage, with a deadline: today.
    notice_panel = page.locator("#panel-notice")
    form = notice_panel.locator(f"form[action='{visit_url}notice/']")
    offered = form.locator("input[name=violations]")
    expect(offered).to_have_count(1)  # hazardous work gets no notice
    expect(offered).to_have_value(str(below_age.pk))
    expect(form.locator("#id_deadline")).to_have_value(
        (first_day + datetime.timedelta(days=settings.HIMAYA_NOTICE_DAYS)).isoformat()
    )
    offered.check()
    form.locator("#id_deadline").fill(now.isoformat())
    submit(page, form, visit_url)
    notice = EnforcementDocument.objects.get(kind=EnforcementDocument.Kind.FORMAL_NOTICE)
    assert notice.number == f"MD-{now.year}-{world.inspectorate.pk:03d}-00001"
    assert notice.deadline == now and notice.visit_id == visit.pk
    below_age.refresh_from_db()
    assert below_age.stage == Stage.FORMAL_NOTICE and below_age.notice == notice
    follow_up = Visit.objects.get(kind=VisitKind.FOLLOW_UP)
    assert below_age.follow_up == follow_up and below_age.deadline == now
    assert (follow_up.status, follow_up.scheduled_on, follow_up.establishment_id) == (
        VisitStatus.PLANNED,
        now,
        establishment.pk,
    )
    assert list(follow_up.inspectors.all()) == [world.inspector]
    documents = page.locator("#documents li")
    expect(documents).to_have_count(2)
    for document in (first_report, notice):
        expect(page.locator("#documents bdi", has_text=document.number)).to_be_visible()
    expect(page.locator("#panel-notice")).to_have_count(0)

    # 6. In Arabic: the plan of this month has the follow-up in the diary; open it.
    plan_url = f"/ar/inspection/plan/?month={now:%Y-%m}"
    page.goto(plan_url)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    due = page.locator(f"tr[data-establishment='{establishment.pk}'][data-diary='{follow_up.pk}']")
    expect(due).to_be_visible()
    follow_up_url = f"/ar/inspection/visits/{follow_up.pk}/"
    follow(page, due.locator(f"a[href='{follow_up_url}']"), follow_up_url)
    visit_status(page, VisitStatus.PLANNED)
    expect(
        page.locator(f"#history a[href='/ar/inspection/visits/{visit.pk}/']").first
    ).to_be_visible()

    # The follow-up recorded today: the child below the minimum age is still at work.
    record_visit(page, follow_up, "ar", now, minimum_age="no")
    follow_up.refresh_from_db()
    assert follow_up.visited_on == now and follow_up.status == VisitStatus.DONE
    panel = page.locator("#panel-follow_up")
    outcome = panel.locator(f"input[name=outcome_{below_age.pk}]")
    expect(outcome).to_have_count(2)  # corrected or persisting, for that breach only
    expect(panel.locator("input[type=radio]")).to_have_count(2)
    panel.locator(f"input[name=outcome_{below_age.pk}][value=persisting]").check()
    submit(page, panel.locator(f"form[action='{follow_up_url}follow-up/']"), follow_up_url)
    below_age.refresh_from_db()
    assert below_age.stage == Stage.VIOLATION_REPORT and below_age.follow_up == follow_up
    assert below_age.closed_on is None and below_age.report is None
    hazardous.refresh_from_db()
    assert hazardous.stage == Stage.VIOLATION_REPORT and hazardous.report == first_report

    # 7. The violation report for the persisting breach.
    report_panel = page.locator("#panel-report")
    assert stages(page, "panel-report") == [Stage.VIOLATION_REPORT]  # the persisting one
    submit(page, report_panel.locator(f"form[action='{follow_up_url}report/']"), follow_up_url)
    report = EnforcementDocument.objects.exclude(pk=first_report.pk).get(
        kind=EnforcementDocument.Kind.VIOLATION_REPORT
    )
    assert report.number == f"PV-{now.year}-{world.inspectorate.pk:03d}-00002"
    assert report.visit_id == follow_up.pk and report.issued_by_id == world.inspector.pk
    below_age.refresh_from_db()
    assert below_age.report == report
    assert [line["breach"] for line in report.snapshot["violations"]] == ["below_minimum_age"]
    expect(page.locator("#documents li")).to_have_count(1)
    expect(page.locator("#documents bdi[dir=ltr]")).to_have_text(report.number)
    check_no_horizontal_scroll_on_a_phone(page, follow_up_url)

    # 8. Its PDF, in French and in Arabic, from the links of the visit page.
    texts = {}
    for language in ("fr", "ar"):
        link = page.locator(
            f"#documents a[href='/ar/inspection/documents/{report.pk}/{language}.pdf']"
        )
        expect(link).to_have_attribute("hreflang", language)
        name, data = download(page, link)
        assert name == f"{report.number}-{language}.pdf"
        texts[language] = pdf_text(data)
        assert report.number in texts[language], (language, texts[language][:500])
        assert establishment.name in texts[language] and "art. 151" in texts[language]
    assert not ARABIC.search(texts["fr"])
    assert ARABIC.search(texts["ar"]), texts["ar"][:500]
    # The state at the end: every breach of the establishment in a report.
    assert set(
        Violation.objects.filter(establishment=establishment).values_list("stage", flat=True)
    ) == {Stage.VIOLATION_REPORT}
    assert Violation.objects.filter(establishment=establishment, report__isnull=True).count() == 0
    assert EnforcementDocument.objects.count() == 3
