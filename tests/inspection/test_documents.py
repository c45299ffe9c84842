"""The formal notice and the violation report as PDF (inspection.documents).

The assertions read the text back with pypdf and look only at what the
snapshot supplies (numbers, names, dates, articles): the fixed wording depends
on the catalogues. Each document is drawn once per module, to keep this fast.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader

from himaya.inspection.documents import (
    DocumentSnapshot,
    ViolationLine,
    format_date,
    render_pdf,
)

ARABIC = re.compile(r"[\u0600-\u06ff\ufb50-\ufeff]")


def snapshot(**changes: Any) -> DocumentSnapshot:
    base = DocumentSnapshot(
        kind="formal_notice",
        number="MD-2026-000012",
        issued_on=date(2026, 3, 5),
        office="Direction provinciale de l'emploi de Fès",
        inspectors=("Nadia Bennani", "Youssef El Idrissi"),
        establishment="Atelier Chouara SARL",
        ice="001525489000088",
        address="12, derb Chouara",
        commune="Fès-Médina",
        visit_on=date(2026, 2, 27),
        deadline=date(2026, 4, 6),
        violations=(
            ViolationLine("Emploi d'un enfant", "Code du travail, art. 143", 2, "", False),
            ViolationLine("Travaux dangereux", "Code du travail, art. 181", 1, "", True),
        ),
    )
    return replace(base, **changes)


def report_lines(count: int) -> tuple[ViolationLine, ...]:
    return tuple(
        ViolationLine(
            breach=f"Infraction {index}",
            article=f"Code du travail, art. {200 + index}",
            children=1 + index % 3,
            fine="25 000 – 30 000 MAD (Code du travail, art. 151)" if index == 1 else "2 000 MAD",
            repeat=index % 7 == 0,
        )
        for index in range(1, count + 1)
    )


class Document:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.reader = PdfReader(BytesIO(data))
        self.pages = [_normalise(page.extract_text()) for page in self.reader.pages]
        self.text = "\n".join(self.pages)

    def fonts(self) -> list[Any]:
        fonts: list[Any] = []
        for page in self.reader.pages:
            resources: Any = page["/Resources"]
            fonts += [font.get_object() for font in resources["/Font"].values()]
        return fonts

    def x_of(self, fragment: str, page: int = 0) -> float:
        """Leftmost x (points) of the text pieces containing ``fragment`` on ``page``."""
        found: list[float] = []

        def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
            if fragment in _normalise(text):
                found.append(float(tm[4]) * float(cm[0]) + float(cm[4]))

        self.reader.pages[page].extract_text(visitor_text=visit)
        assert found, fragment
        return min(found)


def _normalise(text: str) -> str:
    """No-break spaces (digit groups) read as plain spaces."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture(scope="module")
def notice_fr() -> Document:
    return Document(render_pdf(snapshot(), "fr"))


@pytest.fixture(scope="module")
def report_fr_long() -> Document:
    return Document(
        render_pdf(
            snapshot(
                kind="violation_report",
                number="PV-2026-000345",
                deadline=None,
                violations=report_lines(60),
                total_fine="1 500 000 – 1 800 000 MAD",
            ),
            "fr",
        )
    )


@pytest.fixture(scope="module")
def notice_ar() -> Document:
    return Document(
        render_pdf(
            snapshot(
                office="المديرية الإقليمية للتشغيل بفاس",
                inspectors=("نادية بناني",),
                establishment="دار الدباغة شوارة",
                address="12، درب شوارة",
                commune="فاس المدينة",
                violations=(
                    ViolationLine(
                        "تشغيل طفل لم يبلغ السن الأدنى (Code du travail, art. 143)",
                        "Code du travail, art. 143",
                        2,
                        "25 000 – 30 000 MAD",
                        False,
                    ),
                    ViolationLine("أشغال خطيرة", "مدونة الشغل، المادة 181", 1, "", True),
                ),
            ),
            "ar",
        )
    )


@pytest.fixture(scope="module")
def report_ar_informal() -> Document:
    return Document(
        render_pdf(
            snapshot(
                kind="violation_report",
                number="PV-2026-000099",
                ice="",
                deadline=None,
                establishment="ورشة غير مهيكلة",
                violations=(
                    ViolationLine(
                        "تشغيل طفل", "مدونة الشغل، المادة 143", 3, "25 000 – 30 000 درهم", True
                    ),
                ),
                total_fine="50 000 – 60 000 درهم",
            ),
            "ar",
        )
    )


def test_every_document_is_a_pdf(
    notice_fr: Document,
    report_fr_long: Document,
    notice_ar: Document,
    report_ar_informal: Document,
) -> None:
    for document in (notice_fr, report_fr_long, notice_ar, report_ar_informal):
        assert document.data.startswith(b"%PDF-")
        assert document.fonts()
        for font in document.fonts():  # a TrueType font embedded (subset) in the file
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object()


def test_formal_notice_shows_the_snapshot(notice_fr: Document) -> None:
    text = notice_fr.text
    for expected in (
        "MD-2026-000012",
        "Direction provinciale de l'emploi de Fès",
        "Atelier Chouara SARL",
        "001525489000088",
        "12, derb Chouara",
        "Fès-Médina",
        "Nadia Bennani",
        "Youssef El Idrissi",
        "Emploi d'un enfant",
        "Code du travail, art. 143",
        "Code du travail, art. 181",
        "05/03/2026",  # issued
        "27/02/2026",  # visit
        "06/04/2026",  # deadline
    ):
        assert expected in text, expected


def test_every_page_carries_the_number_and_page_n_of_n(
    notice_fr: Document, report_fr_long: Document, notice_ar: Document
) -> None:
    for document, number in (
        (notice_fr, "MD-2026-000012"),
        (report_fr_long, "PV-2026-000345"),
        (notice_ar, "MD-2026-000012"),
    ):
        total = len(document.pages)
        for index, page in enumerate(document.pages, start=1):
            assert number in page
            assert re.search(rf"(?<!\d){index}/{total}(?!\d)", page), (index, total)


def test_a_long_list_breaks_over_pages_and_loses_no_line(report_fr_long: Document) -> None:
    assert len(report_fr_long.pages) >= 3
    for index in range(1, 61):
        assert f"Code du travail, art. {200 + index}" in report_fr_long.text
    # The table goes on past the first page.
    assert "Code du travail, art. 260" not in report_fr_long.pages[0]


def test_violation_report_shows_fines_and_total(report_fr_long: Document) -> None:
    text = report_fr_long.text
    assert "25 000 – 30 000 MAD" in text
    assert "Code du travail, art. 151" in text
    assert "1 500 000 – 1 800 000 MAD" in text


def test_arabic_is_shaped_and_keeps_latin_and_digits_in_order(notice_ar: Document) -> None:
    text = notice_ar.text
    assert ARABIC.search(text)
    # A French article reference inside an Arabic line reads left to right.
    assert "(Code du travail, art. 143)" in text or "Code du travail, art. 143" in text
    assert "341 .tra" not in text
    # Digit groups stay whole ("25 000", not "000 25").
    assert "25 000" in text and "30 000" in text
    assert "000 25" not in text
    for expected in ("MD-2026-000012", "001525489000088", "05/03/2026", "27/02/2026", "06/04/2026"):
        assert expected in text, expected


def test_arabic_is_laid_out_right_to_left(notice_fr: Document, notice_ar: Document) -> None:
    # Columns: French breach | article | ... | fine ; Arabic mirrored.
    assert notice_ar.x_of("Code du travail, art. 143") > notice_ar.x_of("25 000")
    # Values are aligned right in Arabic (next to their label, on the right),
    # left in French.
    assert notice_ar.x_of("001525489000088") > notice_fr.x_of("001525489000088") + 50


def test_arabic_report_of_an_informal_workplace(report_ar_informal: Document) -> None:
    text = report_ar_informal.text
    assert ARABIC.search(text)
    assert "PV-2026-000099" in text
    assert "001525489000088" not in text
    assert "50 000" in text and "60 000" in text
    assert "1/1" in text


def test_dates_are_day_month_year() -> None:
    assert format_date(date(2026, 3, 5)) == "05/03/2026"
    assert format_date(date(987, 12, 31)) == "31/12/0987"


@pytest.mark.parametrize("language", ["en", "", "FR", "ar-ma"])
def test_unknown_language_is_refused(language: str) -> None:
    with pytest.raises(ValueError, match="language"):
        render_pdf(snapshot(), language)


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="kind"):
        render_pdf(snapshot(kind="warning"), "fr")


def test_incomplete_documents_are_refused() -> None:
    with pytest.raises(ValueError, match="deadline"):
        render_pdf(snapshot(deadline=None), "fr")
    with pytest.raises(ValueError, match="violation"):
        render_pdf(snapshot(violations=()), "ar")
