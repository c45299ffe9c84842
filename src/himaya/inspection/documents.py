"""The inspector's legal documents as numbered PDF files, in French or Arabic.

Two kinds of document (decision 0005):

``formal_notice``
    The formal notice ("mise en demeure"): the breaches found at a visit and
    the date by which the employer must remedy them, issued under articles 532
    and 539 of the Labour Code (prevention before repression).
``violation_report``
    The violation report ("procès-verbal d'infraction") sent to the court: the
    breaches, the fine each carries and the total.

``render_pdf`` draws one document from a ``DocumentSnapshot``: plain frozen
data, taken by the services when the document is issued, so that a document
drawn again later is the same. This module reads no database and imports no
Django but ``django.utils.translation``, for the fixed wording (msgids in
English, translated by the catalogues). Texts from the snapshot (breaches,
articles, fines, names) are already in the document's language and are drawn
as given. No child is named: the snapshot has no child's name.

Layout: fpdf2 with text shaping by HarfBuzz (uharfbuzz), so Arabic letters
take their joined forms and ligatures, and fpdf2's implementation of the
Unicode bidirectional algorithm, so an Arabic line that embeds digits, dates
or a French article reference ("Code du travail, art. 143") keeps each of them
readable. In Arabic every paragraph is right to left, aligned right, and the
columns of the tables run from right to left. One font, Amiri (Debian package
``fonts-hosny-amiri``), has both Arabic and Latin glyphs; it is embedded,
subset, in the file.

Every page carries the document's number (large, in the page header) and
"page n/N" in its footer. The document is laid out twice: the first layout
only counts the pages (a page-count placeholder filled in afterwards would
leave a gap in a shaped, right-to-left line).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final, TypeVar

from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace

FORMAL_NOTICE: Final = "formal_notice"
VIOLATION_REPORT: Final = "violation_report"
KINDS: Final = (FORMAL_NOTICE, VIOLATION_REPORT)
LANGUAGES: Final = ("fr", "ar")
RTL_LANGUAGES: Final = frozenset({"ar"})

_T = TypeVar("_T")


@dataclass(frozen=True)
class ViolationLine:
    """One breach found, as it appears on the document."""

    breach: str  # in the document's language
    article: str  # the article breached, e.g. "Code du travail, art. 143"
    children: int  # children concerned
    fine: str  # the fine and its article, as text; "" when none (notice)
    repeat: bool  # a repeat offence


@dataclass(frozen=True)
class DocumentSnapshot:
    """Everything a document shows, frozen when it is issued."""

    kind: str  # FORMAL_NOTICE | VIOLATION_REPORT
    number: str  # e.g. "MD-2026-000012"
    issued_on: date
    office: str  # inspection office name
    inspectors: tuple[str, ...]
    establishment: str
    ice: str  # "" for an informal workplace
    address: str
    commune: str
    visit_on: date
    deadline: date | None  # formal notice: date by which to comply
    violations: tuple[ViolationLine, ...]
    total_fine: str = ""  # report: "xx – yy MAD" or ""


# --- font -------------------------------------------------------------------

FONT_FAMILY: Final = "Amiri"
FONT_PACKAGE: Final = "fonts-hosny-amiri"
FONT_FILES: Final = {"": "Amiri-Regular.ttf", "B": "Amiri-Bold.ttf"}
# Where Debian's package puts the files; other systems: any folder under FONT_ROOT.
FONT_DIRS: Final = (
    Path("/usr/share/fonts/opentype/fonts-hosny-amiri"),
    Path("/usr/share/fonts/truetype/fonts-hosny-amiri"),
)
FONT_ROOT: Final = Path("/usr/share/fonts")


class FontNotFound(RuntimeError):
    """The document font is not installed."""


@functools.cache
def font_files() -> dict[str, Path]:
    """The font file of each style ("" regular, "B" bold)."""
    found: dict[str, Path] = {}
    for style, name in FONT_FILES.items():
        candidates = [folder / name for folder in FONT_DIRS]
        path = next((path for path in candidates if path.is_file()), None)
        if path is None and FONT_ROOT.is_dir():
            path = next(iter(sorted(FONT_ROOT.rglob(name))), None)
        if path is None:
            raise FontNotFound(
                f"{name} not found: install the Debian package {FONT_PACKAGE} (make install)."
            )
        found[style] = path
    return found


# --- page geometry (millimetres) and type sizes (points) --------------------

MARGIN: Final = 18.0
HEADER_TOP: Final = 10.0
BODY_TOP: Final = 36.0  # below the page header
FOOTER_HEIGHT: Final = 16.0  # the body stops above it
LABEL_WIDTH: Final = 0.3  # label column of the key-value blocks, share of the width
GREY: Final = (90, 90, 90)
RULE_GREY: Final = (150, 150, 150)
HEADING_FILL: Final = (230, 230, 230)
SIGNATURE_HEIGHT: Final = 17.0  # a name, room to sign, a line

# A space between digit groups ("25 000") becomes a narrow no-break space: the
# number neither breaks across lines nor, in an Arabic line, splits into
# separate runs drawn in reverse order (a plain space is a bidi separator, the
# no-break space joins the digits as one number).
_DIGIT_GROUP_SPACE = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
NARROW_NO_BREAK_SPACE: Final = "\u202f"


def _amount(text: str) -> str:
    return _DIGIT_GROUP_SPACE.sub(NARROW_NO_BREAK_SPACE, text)


def format_date(day: date) -> str:
    """dd/mm/yyyy, in both languages."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _title(kind: str) -> str:
    if kind == FORMAL_NOTICE:
        return _("Formal notice")
    return _("Violation report")


# --- rendering ---------------------------------------------------------------


def render_pdf(snapshot: DocumentSnapshot, language: str) -> bytes:
    """The document as PDF bytes; ``language`` is "fr" or "ar".

    Raises ``ValueError`` for an unknown language or kind, a document without
    violations, or a formal notice without a deadline.
    """
    if language not in LANGUAGES:
        raise ValueError(f"Unknown document language {language!r}: expected one of {LANGUAGES}.")
    if snapshot.kind not in KINDS:
        raise ValueError(f"Unknown document kind {snapshot.kind!r}: expected one of {KINDS}.")
    if not snapshot.violations:
        raise ValueError("A document lists at least one violation.")
    if snapshot.kind == FORMAL_NOTICE and snapshot.deadline is None:
        raise ValueError("A formal notice needs a deadline.")
    with translation.override(language):
        return _Document(snapshot, language).render()


class _Document:
    """One document being drawn: the fpdf2 object and the direction."""

    def __init__(self, snapshot: DocumentSnapshot, language: str) -> None:
        self.snapshot = snapshot
        self.language = language
        self.rtl = language in RTL_LANGUAGES
        self.start = "R" if self.rtl else "L"  # where lines begin
        self.end = "L" if self.rtl else "R"
        self.list_separator = "، " if self.rtl else ", "  # Arabic comma in Arabic
        self.pages = 0  # the page count, once known
        self.pdf = self.new_pdf()

    def new_pdf(self) -> _Pdf:
        pdf = _Pdf(self)
        # No "{nb}" alias: the page count is known from a first layout, and a
        # snapshot text that happens to contain "{nb}" stays as it is.
        pdf.alias_nb_pages("")
        for style, path in font_files().items():
            pdf.add_font(FONT_FAMILY, style, str(path))
        pdf.set_text_shaping(use_shaping_engine=True, direction="rtl" if self.rtl else "ltr")
        pdf.set_margins(MARGIN, BODY_TOP, MARGIN)
        pdf.set_auto_page_break(True, margin=FOOTER_HEIGHT + 6)
        pdf.set_lang(self.language)
        pdf.set_creator("Himaya")
        pdf.set_title(f"{_title(self.snapshot.kind)} {self.snapshot.number}")
        return pdf

    # -- whole document --

    def render(self) -> bytes:
        """Lay the document out twice: once to count its pages, then for good."""
        self.body()
        self.pages = self.pdf.pages_count
        self.pdf = self.new_pdf()
        self.body()
        if self.pdf.pages_count != self.pages:  # pragma: no cover - the layout is deterministic
            raise RuntimeError("The page count changed between two layouts of one document.")
        return bytes(self.pdf.output())

    def body(self) -> None:
        snapshot = self.snapshot
        self.pdf.add_page()
        self.title_block()
        self.section(_("Establishment"))
        self.fields(
            [
                (_("Name"), snapshot.establishment),
                (_("ICE number"), snapshot.ice or _("Informal (no ICE number)")),
                (_("Address"), snapshot.address),
                (_("Commune"), snapshot.commune),
            ]
        )
        self.section(_("Inspection visit"))
        self.fields(
            [
                (_("Date of the visit"), format_date(snapshot.visit_on)),
                (_("Inspected by"), self.list_separator.join(snapshot.inspectors) or "—"),
            ]
        )
        self.section(_("Breaches found"))
        self.violations_table()
        if snapshot.kind == VIOLATION_REPORT:
            self.report_terms()
        elif snapshot.deadline is not None:  # always, for a notice (render_pdf)
            self.notice_terms(snapshot.deadline)
        self.signatures()

    def title_block(self) -> None:
        pdf = self.pdf
        snapshot = self.snapshot
        self.font(20, bold=True)
        pdf.multi_cell(0, 10, _title(snapshot.kind), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.font(13, bold=True)
        number = _("No. %(number)s") % {"number": snapshot.number}
        pdf.multi_cell(0, 7, number, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.font(11)
        issued = _("Issued on %(date)s") % {"date": format_date(snapshot.issued_on)}
        pdf.multi_cell(0, 7, issued, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)

    # -- building blocks --

    def font(self, size: float, *, bold: bool = False) -> None:
        self.pdf.set_font(FONT_FAMILY, "B" if bold else "", size)

    def ordered(self, cells: Sequence[_T]) -> list[_T]:
        """Cells given in reading order, as placed from left to right on the page."""
        return list(reversed(cells)) if self.rtl else list(cells)

    def align(self, aligns: Sequence[str]) -> tuple[str, ...]:
        """Alignments written for a left-to-right page ("L", "C", "R"), for this one."""
        mirror = {"L": self.start, "R": self.end, "C": "C"}
        return tuple(mirror[a] for a in self.ordered(aligns))

    def paragraph(self, text: str, *, size: float = 11, bold: bool = False) -> None:
        self.font(size, bold=bold)
        self.pdf.multi_cell(
            0, size * 0.55, text, align=self.start, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def section(self, heading: str, *, keep: float = 22) -> None:
        """A heading, on a new page unless ``keep`` millimetres fit below it."""
        pdf = self.pdf
        if pdf.will_page_break(keep):
            pdf.add_page()
        pdf.ln(3)
        self.paragraph(heading, size=13, bold=True)
        pdf.set_draw_color(*RULE_GREY)
        pdf.set_line_width(0.3)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(1.5)

    def fields(
        self, rows: Sequence[tuple[str, str]], *, size: float = 11, bold_values: bool = False
    ) -> None:
        """Label and value pairs, the label on the side where lines begin."""
        self.font(size)
        widths = self.ordered([LABEL_WIDTH, 1 - LABEL_WIDTH])
        with self.pdf.table(
            col_widths=tuple(widths),
            borders_layout=TableBordersLayout.NONE,
            first_row_as_headings=False,
            text_align=self.align(["L", "L"]),
            v_align="TOP",
            line_height=size * 0.55,
            padding=(0.6, 1.0),
        ) as table:
            for label, value in rows:
                row = table.row()
                for text, bold in self.ordered([(label, True), (value, bold_values)]):
                    row.cell(text, style=FontFace(emphasis="BOLD" if bold else ""))

    def violations_table(self) -> None:
        snapshot = self.snapshot
        with_fine = snapshot.kind == VIOLATION_REPORT or any(v.fine for v in snapshot.violations)
        # Widths in millimetres (scaled to the text width), in reading order.
        headings = [_("No."), _("Breach"), _("Article"), _("Children concerned")]
        aligns = ["C", "L", "L", "C"]
        if with_fine:
            widths = [9.0, 44.0, 38.0, 19.0]
            headings.append(_("Fine"))
            widths.append(47.0)
            aligns.append("L")
        else:
            widths = [9.0, 80.0, 49.0, 19.0]
        headings.append(_("Repeat offence"))
        widths.append(17.0)
        aligns.append("C")
        yes, none = _("Yes"), "—"
        self.font(9.5)
        with self.pdf.table(
            col_widths=tuple(self.ordered(widths)),
            text_align=self.align(aligns),
            headings_style=FontFace(emphasis="BOLD", fill_color=HEADING_FILL),
            line_height=5.2,
            padding=(1.0, 1.2),
            repeat_headings=1,
        ) as table:
            heading_row = table.row()
            for text in self.ordered(headings):
                heading_row.cell(text, align="C")
            for index, line in enumerate(snapshot.violations, start=1):
                cells = [str(index), line.breach, line.article, str(line.children)]
                if with_fine:
                    cells.append(_amount(line.fine) or none)
                cells.append(yes if line.repeat else none)
                row = table.row()
                for text in self.ordered(cells):
                    row.cell(text)
        totals = [
            (_("Children concerned, in total"), str(sum(v.children for v in snapshot.violations)))
        ]
        if snapshot.kind == VIOLATION_REPORT:
            totals.append((_("Total fine"), _amount(snapshot.total_fine) or none))
        self.pdf.ln(2)
        self.fields(totals, bold_values=True)

    def notice_terms(self, deadline_on: date) -> None:
        deadline = format_date(deadline_on)
        self.section(_("Deadline for compliance"))
        self.fields([(_("Deadline"), deadline)], size=12, bold_values=True)
        self.paragraph(
            _("The employer must remedy the breaches listed above by %(deadline)s.")
            % {"deadline": deadline}
        )
        self.paragraph(
            _(
                "Breaches still found at a visit after this date will be recorded in a "
                "violation report sent to the competent court."
            )
        )
        self.section(_("Legal basis"))
        self.paragraph(
            _(
                "This formal notice is issued under articles 532 and 539 of the Labour Code: "
                "the labour inspector advises employers and, before drawing up a violation "
                "report, may give them formal notice to comply with the law (prevention "
                "before repression)."
            )
        )

    def report_terms(self) -> None:
        self.section(_("Legal basis"))
        self.paragraph(
            _(
                "This report is drawn up under article 539 of the Labour Code. It is "
                "authoritative until proven otherwise and is sent to the competent court."
            )
        )

    def signatures(self) -> None:
        pdf = self.pdf
        labels = list(self.snapshot.inspectors) or [_("Labour inspector")]
        if self.snapshot.kind == FORMAL_NOTICE:
            labels.append(_("Received by the employer or their representative (name, date)"))
        # The whole block on one page when it fits on one.
        self.section(_("Signatures"), keep=min(len(labels) * SIGNATURE_HEIGHT + 14, 120))
        pdf.set_draw_color(*RULE_GREY)
        pdf.set_line_width(0.2)
        for label in labels:
            if pdf.will_page_break(SIGNATURE_HEIGHT):
                pdf.add_page()
            self.paragraph(label, size=10)
            pdf.ln(8)
            y = pdf.get_y()
            if self.rtl:
                pdf.line(pdf.w - pdf.r_margin - 70, y, pdf.w - pdf.r_margin, y)
            else:
                pdf.line(pdf.l_margin, y, pdf.l_margin + 70, y)
            pdf.ln(3)

    def page_header(self) -> None:
        """Office and number at the top of every page (from ``_Pdf.header``)."""
        pdf = self.pdf
        half = (pdf.w - 2 * MARGIN) / 2
        start_x, end_x = (MARGIN + half, MARGIN) if self.rtl else (MARGIN, MARGIN + half)
        with pdf.local_context(text_color=GREY):
            self.font(9)
            pdf.set_xy(start_x, HEADER_TOP)
            pdf.cell(
                half, 5, f"{_('Kingdom of Morocco')} — {_('Labour inspectorate')}", align=self.start
            )
            pdf.set_xy(end_x, HEADER_TOP)
            pdf.cell(half, 5, _title(self.snapshot.kind), align=self.end)
        self.font(11, bold=True)
        pdf.set_xy(start_x, HEADER_TOP + 6)
        pdf.multi_cell(half, 5.5, self.snapshot.office, align=self.start)
        self.font(17, bold=True)
        pdf.set_xy(end_x, HEADER_TOP + 5)
        pdf.cell(half, 9, self.snapshot.number, align=self.end)
        pdf.set_draw_color(*RULE_GREY)
        pdf.set_line_width(0.4)
        pdf.line(MARGIN, BODY_TOP - 4, pdf.w - MARGIN, BODY_TOP - 4)
        pdf.set_xy(MARGIN, BODY_TOP)

    def page_footer(self) -> None:
        """Title, number and "page n/N" at the foot of every page (from ``_Pdf.footer``)."""
        pdf = self.pdf
        half = (pdf.w - 2 * MARGIN) / 2
        start_x, end_x = (MARGIN + half, MARGIN) if self.rtl else (MARGIN, MARGIN + half)
        footer_y = pdf.h - FOOTER_HEIGHT
        pdf.set_draw_color(*RULE_GREY)
        pdf.set_line_width(0.4)
        pdf.line(MARGIN, footer_y, pdf.w - MARGIN, footer_y)
        with pdf.local_context(text_color=GREY):
            self.font(9)
            pdf.set_xy(start_x, footer_y + 2)
            pdf.cell(
                half, 5, f"{_title(self.snapshot.kind)} {self.snapshot.number}", align=self.start
            )
            # The first layout only counts the pages.
            pages = str(self.pages) if self.pages else "?"
            page = _("Page %(page)s/%(pages)s") % {"page": pdf.page_no(), "pages": pages}
            pdf.set_xy(end_x, footer_y + 2)
            pdf.cell(half, 5, page, align=self.end)


class _Pdf(FPDF):
    """fpdf2's document, drawing its page header and footer through a ``_Document``."""

    def __init__(self, document: _Document) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.document = document

    def header(self) -> None:
        self.document.page_header()

    def footer(self) -> None:
        self.document.page_footer()
