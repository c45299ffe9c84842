"""The annual report of the labour inspection services (ILO Convention 81, art. 21).

``annual_report`` reads, for any period and within the user's scope, what the
article asks a central inspection authority to publish: the inspection visits
(by region, by sector of the establishment, by type of visit), the
establishments visited, the children found at work and their verdicts, the
violations found (by breach, with the article breached) and the penalties
proposed, and what became of the violations.

It only reads. Scope comes from ``inspection.selectors``: visits and children
found through ``visit_visible_to``, violations through
``violation_visible_to``, formal notices and violation reports through the
visit they were issued at (which is what ``document_visible_to`` means; a
test holds the two to the same figures). The report of a user is made of the
records that user may see, and of nothing else. Every figure is an aggregate
computed by the database (seven ``GROUP BY`` or aggregate queries); Python only
orders and labels the groups, of which there are a few dozen at most. The
indexes ``visit_report_idx`` and ``violation_report_idx`` serve them
(``bench/bench_annual_report.py``: a million visits).

Definitions (all dates inclusive):

- an inspection visit counts when it was made (status "done") on a day of the
  period; a visit planned or cancelled does not count;
- the children found are those recorded in the visits that count;
- a violation counts as found when found on a day of the period; its
  repeat offences are the violations found that repeat an earlier one;
- formal notices and violation reports count when issued in the period; the
  fines proposed are the sums of the minimum and of the maximum fines of the
  violations listed in the reports issued in the period;
- outcomes: "corrected" when closed in the period; "persisting" when listed
  in a violation report issued in the period (sent to the court); "still
  open" when found by the end of the period and, at its end, neither closed
  nor listed in a violation report.

``report_tables`` lays the report out as titled tables, the one layout of the
page, the CSV file (``report_csv``) and the PDF file (``report_pdf``, French
or Arabic, with the font set up by ``inspection.documents``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from himaya.accounts.models import User
from himaya.audit.events import AuditEvent
from himaya.audit.services import audit_record
from himaya.cases.models import SECTOR_LABELS
from himaya.cases.workflow import CHILD_LABOUR_VERDICTS
from himaya.geography.models import Region
from himaya.geography.selectors import territory_get
from himaya.inspection.documents import FONT_FAMILY, font_files, format_date
from himaya.inspection.models import (
    BREACH_CHOICES,
    EnforcementDocument,
    Establishment,
    FoundChild,
    Visit,
    VisitKind,
    VisitStatus,
)
from himaya.inspection.selectors import violation_visible_to, visit_visible_to
from himaya_rules import VERDICT_LABELS

#: The verdicts in the order of the report: the gravest first.
VERDICT_ORDER: Final = (
    "worst_form",
    "hazardous",
    "child_labour",
    "permitted_work",
    "not_child_labour",
    "not_working",
    "insufficient_information",
    "out_of_scope",
)
PDF_LANGUAGES: Final = ("fr", "ar")

_T = TypeVar("_T")


# --- The figures ------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One group of a table: its code, its label (in the language active when
    the report was made) and its count."""

    code: str
    label: str
    count: int


@dataclass(frozen=True)
class BreachLine:
    """Violations of one breach found in the period, under one article."""

    code: str
    label: str
    article: str
    violations: int
    children: int  # children concerned
    repeat: int  # repeat offences


@dataclass(frozen=True)
class AnnualReport:
    start: date
    end: date
    office: str  # the user's inspection office ("" for nobody)
    territory: str  # the user's territory, named ("" for the whole country)
    # Inspections
    visits: int
    establishments: int
    visits_by_region: tuple[Line, ...]
    visits_by_sector: tuple[Line, ...]
    visits_by_kind: tuple[Line, ...]
    # Children found
    children_found: int
    children_in_child_labour: int
    children_removed: int
    children_by_verdict: tuple[Line, ...]
    # Violations and enforcement
    violations_found: int
    repeat_offences: int
    violations_by_breach: tuple[BreachLine, ...]
    formal_notices: int
    violation_reports: int
    fine_minimum: int  # MAD, over the violations of the reports issued
    fine_maximum: int
    # Outcomes
    violations_corrected: int
    violations_persisting: int  # listed in a violation report issued in the period
    violations_open: int  # at the end of the period

    def key_figures(self) -> list[tuple[str, str, int]]:
        """(code, label, value) of every single figure, in the order of the report."""
        return [
            ("visits", _("Inspection visits made"), self.visits),
            ("establishments", _("Establishments visited"), self.establishments),
            ("children_found", _("Children found at work"), self.children_found),
            (
                "children_in_child_labour",
                _("Children found in child labour"),
                self.children_in_child_labour,
            ),
            ("children_removed", _("Children removed from work at once"), self.children_removed),
            ("violations_found", _("Violations found"), self.violations_found),
            ("repeat_offences", _("Repeat offences"), self.repeat_offences),
            ("formal_notices", _("Formal notices issued"), self.formal_notices),
            ("violation_reports", _("Violation reports issued"), self.violation_reports),
            ("fine_minimum", _("Fines proposed in the reports, minimum (MAD)"), self.fine_minimum),
            ("fine_maximum", _("Fines proposed in the reports, maximum (MAD)"), self.fine_maximum),
            ("violations_corrected", _("Violations corrected"), self.violations_corrected),
            (
                "violations_persisting",
                _("Violations persisting, sent to the court in a violation report"),
                self.violations_persisting,
            ),
            (
                "violations_open",
                _("Violations still open at the end of the period"),
                self.violations_open,
            ),
        ]


def last_calendar_year(today: date) -> tuple[date, date]:
    """The default period: the calendar year before ``today``'s."""
    return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)


def _counts(rows: QuerySet[Any, dict[str, Any]], key: str) -> dict[str, int]:
    """{group: count} of a ``values(key).annotate(n=Count(...))`` query."""
    return {str(row[key]): int(row["n"]) for row in rows}


def _lines(counts: dict[str, int], labels: dict[str, Any], order: Sequence[str]) -> list[Line]:
    """Lines in ``order``, then any group not in it (by code); every group of
    ``order`` is shown, those with nothing too."""
    codes = list(order) + sorted(set(counts) - set(order))
    return [Line(code, str(labels.get(code, code)), counts.get(code, 0)) for code in codes]


def _verdict_label(verdict: str) -> str:
    labels = VERDICT_LABELS.get(verdict)
    language = (get_language() or "fr")[:2]
    return labels.get(language, labels["fr"]) if labels else verdict


def _scope_names(user: User) -> tuple[str, str]:
    organisation = user.organisation
    office = organisation.display_name if organisation is not None else ""
    place = territory_get(user.territory_code) if user.territory_code else None
    return office, (place.name if place is not None else "")


def _by_sector(visits: QuerySet[Visit]) -> dict[str, tuple[int, int]]:
    """{sector: (visits, establishments visited)} of the visits.

    The visits are first counted per establishment, then those counts joined
    to the establishments and summed by sector: joining each visit to its
    establishment would read the establishments' table once per visit, in no
    order (about 0.5 s more for half a million visits on SQLite). Django has
    no join to a subquery, so this one query is SQL around the selector's own
    (compiled, so scope is the selector's)."""
    per_establishment = visits.values("establishment_id").annotate(n=Count("*")).order_by()
    try:
        inner, params = per_establishment.query.sql_with_params()
    except EmptyResultSet:  # nobody's scope (``Visit.objects.none()``)
        return {}
    qn = connection.ops.quote_name
    sector = f"e.{qn('sector')}"
    # Names quoted by the backend, values as parameters.
    sql = (
        f"SELECT {sector}, SUM(g.{qn('n')}), COUNT(*) FROM ({inner}) g "  # noqa: S608
        f"INNER JOIN {qn(Establishment._meta.db_table)} e "
        f"ON e.{qn('id')} = g.{qn('establishment_id')} GROUP BY {sector}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {str(code): (int(n), int(places)) for code, n, places in cursor.fetchall()}


def annual_report(*, user: User, start: date, end: date) -> AnnualReport:
    """The figures of the period ``start``–``end`` (inclusive) within ``user``'s
    scope; labels in the active language. Seven aggregate queries, and small
    ones for the names of the regions, the office and the territory."""
    period = (start, end)
    visits = visit_visible_to(user).filter(status=VisitStatus.DONE, visited_on__range=period)
    # COUNT(*) rather than COUNT(id): PostgreSQL can then answer from the index
    # ``visit_report_idx`` alone.
    by_sector = _by_sector(visits)
    by_region = _counts(visits.values("region_id").annotate(n=Count("*")).order_by(), "region_id")
    by_kind = _counts(visits.values("kind").annotate(n=Count("*")).order_by(), "kind")
    regions = Region.objects.only("code", "name_fr", "name_ar").in_bulk(list(by_region))

    # Children found in those visits: the (fewer) rows of children found, each
    # checked against its visit, rather than every visit looked up for children.
    found = FoundChild.objects.filter(Exists(visits.filter(pk=OuterRef("visit_id"))))
    verdict_rows = {
        row["verdict"]: row
        for row in found.values("verdict")
        .annotate(n=Count("*"), removed=Count("id", filter=Q(removed=True)))
        .order_by()
    }

    violations = violation_visible_to(user)
    breach_rows = (
        violations.filter(found_on__range=period)
        .values("breach", "article")
        # Only columns of ``violation_report_idx``: PostgreSQL can read the index alone.
        .annotate(
            n=Count("*"), children=Sum("children"), repeat=Count("repeat", filter=Q(repeat=True))
        )
        .order_by()
    )
    reported = Q(report__issued_on__range=period)
    open_at_end = (
        Q(found_on__lte=end)
        & (Q(closed_on__isnull=True) | Q(closed_on__gt=end))
        & (Q(report__isnull=True) | Q(report__issued_on__gt=end))
    )
    outcomes = violations.aggregate(
        corrected=Count("id", filter=Q(closed_on__range=period)),
        persisting=Count("id", filter=reported),
        fine_minimum=Sum("fine_minimum", filter=reported),
        fine_maximum=Sum("fine_maximum", filter=reported),
        still_open=Count("id", filter=open_at_end),
    )
    # A document is in scope when its visit is (``document_visible_to``); asked
    # this way, the documents of the period are each checked against their
    # visit, whatever the database's statistics (SQLite has none unless told to
    # ANALYZE, and would otherwise go through every visit of the office).
    documents = _counts(
        EnforcementDocument.objects.filter(
            Exists(visit_visible_to(user).filter(pk=OuterRef("visit_id"))),
            issued_on__range=period,
        )
        .values("kind")
        .annotate(n=Count("*"))
        .order_by(),
        "kind",
    )

    breach_order = [code for code, _label in BREACH_CHOICES]
    breach_labels = dict(BREACH_CHOICES)
    breaches = sorted(
        breach_rows,
        key=lambda row: (
            breach_order.index(row["breach"]) if row["breach"] in breach_order else 99,
            row["breach"],
            row["article"],
        ),
    )
    verdicts = {verdict: int(row["n"]) for verdict, row in verdict_rows.items()}
    office, territory = _scope_names(user)
    return AnnualReport(
        start=start,
        end=end,
        office=office,
        territory=territory,
        visits=sum(n for n, _places in by_sector.values()),
        establishments=sum(places for _n, places in by_sector.values()),
        visits_by_region=tuple(
            Line(code, regions[code].name if code in regions else code, count)
            for code, count in sorted(by_region.items())
        ),
        visits_by_sector=tuple(
            line
            for line in _lines(
                {code: n for code, (n, _places) in by_sector.items()},
                SECTOR_LABELS,
                list(SECTOR_LABELS),
            )
            if line.count
        ),
        visits_by_kind=tuple(_lines(by_kind, dict(VisitKind.choices), VisitKind.values)),
        children_found=sum(verdicts.values()),
        children_in_child_labour=sum(
            count for verdict, count in verdicts.items() if verdict in CHILD_LABOUR_VERDICTS
        ),
        children_removed=sum(int(row["removed"]) for row in verdict_rows.values()),
        children_by_verdict=tuple(
            Line(code, _verdict_label(code), count)
            for code, count in sorted(
                verdicts.items(),
                key=lambda item: (
                    VERDICT_ORDER.index(item[0]) if item[0] in VERDICT_ORDER else 99,
                    item[0],
                ),
            )
        ),
        violations_found=sum(int(row["n"]) for row in breaches),
        repeat_offences=sum(int(row["repeat"]) for row in breaches),
        violations_by_breach=tuple(
            BreachLine(
                code=row["breach"],
                label=str(breach_labels.get(row["breach"], row["breach"])),
                article=row["article"],
                violations=int(row["n"]),
                children=int(row["children"] or 0),
                repeat=int(row["repeat"]),
            )
            for row in breaches
        ),
        formal_notices=documents.get(EnforcementDocument.Kind.FORMAL_NOTICE, 0),
        violation_reports=documents.get(EnforcementDocument.Kind.VIOLATION_REPORT, 0),
        fine_minimum=int(outcomes["fine_minimum"] or 0),
        fine_maximum=int(outcomes["fine_maximum"] or 0),
        violations_corrected=int(outcomes["corrected"]),
        violations_persisting=int(outcomes["persisting"]),
        violations_open=int(outcomes["still_open"]),
    )


# --- The report as tables ------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """One table of the report: a code (the CSV section), a title, column
    headings, rows of cells, and a last row of totals (or none)."""

    code: str
    title: str
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total: tuple[str, ...] = ()
    numeric: tuple[bool, ...] = ()  # per column: a number (aligned to the end)

    # The page and the PDF leave the code column out: it is for the CSV's readers.

    def shown_headings(self) -> list[tuple[str, bool]]:
        return list(zip(self.headings[1:], self.numeric[1:], strict=True))

    def shown_rows(self) -> list[list[tuple[str, bool]]]:
        return [list(zip(row[1:], self.numeric[1:], strict=True)) for row in self.rows]

    def shown_total(self) -> list[tuple[str, bool]]:
        return list(zip(self.total[1:], self.numeric[1:], strict=True)) if self.total else []


def _count_table(
    code: str, title: str, heading: str, column: str, lines: Sequence[Line], total: int
) -> Table:
    return Table(
        code=code,
        title=title,
        headings=(_("Code"), heading, column),
        rows=tuple((line.code, line.label, str(line.count)) for line in lines),
        total=("", _("In total"), str(total)),
        numeric=(False, False, True),
    )


def report_audit(user: User, event: AuditEvent, report: AnnualReport, **detail: str) -> None:
    """Record who read or exported the report, and for which period (and format)."""
    audit_record(
        event=event,
        actor=user,
        detail={"from": report.start.isoformat(), "to": report.end.isoformat(), **detail},
    )


def report_tables(report: AnnualReport) -> list[Table]:
    """The report as tables, labelled in the active language."""
    visits = _("Visits")
    figures = Table(
        code="summary",
        title=_("Key figures"),
        headings=(_("Code"), _("Figure"), _("Value")),
        rows=tuple((code, label, str(value)) for code, label, value in report.key_figures()),
        numeric=(False, False, True),
    )
    breaches = Table(
        code="violations_by_breach",
        title=_("Violations found, by breach"),
        headings=(
            _("Code"),
            _("Breach"),
            _("Article"),
            _("Violations"),
            _("Children concerned"),
            _("Repeat offences"),
        ),
        rows=tuple(
            (
                line.code,
                line.label,
                line.article,
                str(line.violations),
                str(line.children),
                str(line.repeat),
            )
            for line in report.violations_by_breach
        ),
        total=(
            "",
            _("In total"),
            "",
            str(report.violations_found),
            str(sum(line.children for line in report.violations_by_breach)),
            str(report.repeat_offences),
        ),
        numeric=(False, False, False, True, True, True),
    )
    enforcement = Table(
        code="enforcement",
        title=_("Formal notices and violation reports"),
        headings=(_("Code"), _("Document"), _("Issued")),
        rows=(
            (
                EnforcementDocument.Kind.FORMAL_NOTICE.value,
                _("Formal notices"),
                str(report.formal_notices),
            ),
            (
                EnforcementDocument.Kind.VIOLATION_REPORT.value,
                _("Violation reports"),
                str(report.violation_reports),
            ),
        ),
        numeric=(False, False, True),
    )
    outcomes = Table(
        code="outcomes",
        title=_("Outcome of the violations"),
        headings=(_("Code"), _("Outcome"), _("Violations")),
        rows=(
            ("corrected", _("Corrected (closed in the period)"), str(report.violations_corrected)),
            (
                "persisting",
                _("Persisting: listed in a violation report issued in the period"),
                str(report.violations_persisting),
            ),
            (
                "open",
                _("Still open at the end of the period"),
                str(report.violations_open),
            ),
        ),
        numeric=(False, False, True),
    )
    return [
        figures,
        _count_table(
            "visits_by_region",
            _("Inspection visits by region"),
            _("Region"),
            visits,
            report.visits_by_region,
            report.visits,
        ),
        _count_table(
            "visits_by_sector",
            _("Inspection visits by sector of the establishment"),
            _("Sector"),
            visits,
            report.visits_by_sector,
            report.visits,
        ),
        _count_table(
            "visits_by_kind",
            _("Inspection visits by type of visit"),
            _("Type of visit"),
            visits,
            report.visits_by_kind,
            report.visits,
        ),
        _count_table(
            "children_by_verdict",
            _("Children found at work, by verdict"),
            _("Verdict"),
            _("Children"),
            report.children_by_verdict,
            report.children_found,
        ),
        breaches,
        enforcement,
        outcomes,
    ]


def report_title() -> str:
    return _("Annual report of the labour inspection")


def period_text(report: AnnualReport) -> str:
    return _("From %(start)s to %(end)s") % {
        "start": format_date(report.start),
        "end": format_date(report.end),
    }


def scope_text(report: AnnualReport) -> str:
    territory = report.territory or _("Whole country")
    return f"{report.office} — {territory}" if report.office else territory


def report_file_name(report: AnnualReport, extension: str, language: str = "") -> str:
    suffix = f"-{language}" if language else ""
    return f"annual-report-{report.start.isoformat()}-{report.end.isoformat()}{suffix}.{extension}"


# --- CSV -----------------------------------------------------------------------------------


def report_csv(report: AnnualReport) -> bytes:
    """The report as CSV, UTF-8 with a byte order mark (for spreadsheet
    programs), comma-separated: one section per table, each made of a line
    with its code and title, a line of headings, its rows (and total), and an
    empty line. The first section is the period."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")

    def write(*rows: Sequence[str]) -> None:
        writer.writerows([_spreadsheet_safe(row) for row in rows])

    write(["period", report_title()], [_("From"), _("To"), _("Scope")])
    write([report.start.isoformat(), report.end.isoformat(), scope_text(report)])
    for table in report_tables(report):
        write([], [table.code, table.title], table.headings, *table.rows)
        if table.total:
            write(table.total)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def _spreadsheet_safe(cells: Sequence[str]) -> list[str]:
    """Cells a spreadsheet would read as a formula (an office named "=…")
    start with an apostrophe; the figures are never negative."""
    return [f"'{cell}" if cell.startswith(_FORMULA_START) else cell for cell in cells]


# --- PDF ------------------------------------------------------------------------------------

MARGIN: Final = 15.0
HEADING_FILL: Final = (230, 230, 230)
TOTAL_FILL: Final = (245, 245, 245)
GREY: Final = (90, 90, 90)
#: Column widths (shares of the text width) of each table, without the code column.
_WIDTHS: Final = {
    "summary": (0.8, 0.2),
    "violations_by_breach": (0.34, 0.3, 0.12, 0.12, 0.12),
}
_TWO_COLUMNS: Final = (0.75, 0.25)


def report_pdf(*, user: User, start: date, end: date, language: str) -> tuple[AnnualReport, bytes]:
    """The report made and drawn in ``language`` ("fr" or "ar"): a title, the
    period and scope, then each table (the codes left out)."""
    if language not in PDF_LANGUAGES:
        raise ValueError(f"Unknown report language {language!r}: expected one of {PDF_LANGUAGES}.")
    with translation.override(language):
        report = annual_report(user=user, start=start, end=end)
        return report, _ReportPdf(report, language).render()


class _ReportPdf:
    def __init__(self, report: AnnualReport, language: str) -> None:
        self.report = report
        self.rtl = language == "ar"
        self.start = "R" if self.rtl else "L"
        self.end = "L" if self.rtl else "R"
        self.pdf = pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        pdf.alias_nb_pages("")  # no alias: the page count is drawn once known
        for style, path in font_files().items():
            pdf.add_font(FONT_FAMILY, style, str(path))
        pdf.set_text_shaping(use_shaping_engine=True, direction="rtl" if self.rtl else "ltr")
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_auto_page_break(True, margin=MARGIN + 8)
        pdf.set_lang(language)
        pdf.set_creator("Himaya")
        pdf.set_title(f"{report_title()} {period_text(report)}")

    def ordered(self, cells: Sequence[_T]) -> list[_T]:
        """Cells in reading order, as placed from left to right on the page."""
        return list(reversed(cells)) if self.rtl else list(cells)

    def font(self, size: float, *, bold: bool = False) -> None:
        self.pdf.set_font(FONT_FAMILY, "B" if bold else "", size)

    def line(self, text: str, size: float, *, bold: bool = False, align: str = "") -> None:
        self.font(size, bold=bold)
        self.pdf.multi_cell(
            0, size * 0.55, text, align=align or self.start, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def render(self) -> bytes:
        pdf = self.pdf
        pdf.add_page()
        self.line(_("Kingdom of Morocco") + " — " + _("Labour inspectorate"), 10, align="C")
        pdf.ln(2)
        self.line(report_title(), 18, bold=True, align="C")
        self.line(period_text(self.report), 12, align="C")
        self.line(scope_text(self.report), 11, align="C")
        pdf.ln(2)
        self.line(
            _(
                "Under article 21 of the Labour Inspection Convention, 1947 (No. 81) of the "
                "International Labour Organization."
            ),
            9,
        )
        for table in report_tables(self.report):
            self.table(table)
        self.footers()
        return bytes(pdf.output())

    def table(self, table: Table) -> None:
        pdf = self.pdf
        if pdf.will_page_break(30):
            pdf.add_page()
        pdf.ln(4)
        self.line(table.title, 12, bold=True)
        pdf.ln(1)
        headings = table.shown_headings()
        rows = table.shown_rows()
        widths = _WIDTHS.get(table.code, _TWO_COLUMNS if len(headings) == 2 else ())
        if not rows:
            self.line(_("None in this period."), 10)
            return
        self.font(9.5)
        with pdf.table(
            col_widths=tuple(self.ordered(widths)) if widths else None,
            headings_style=FontFace(emphasis="BOLD", fill_color=HEADING_FILL),
            line_height=5.2,
            padding=(1.0, 1.5),
            repeat_headings=1,
        ) as drawn:
            heading_row = drawn.row()
            for text, _number in self.ordered(headings):
                heading_row.cell(text, align="C")
            for row in rows:
                cells = drawn.row()
                for text, number in self.ordered(row):
                    cells.cell(text, align=self.end if number else self.start)
            if table.total:
                total_row = drawn.row()
                style = FontFace(emphasis="BOLD", fill_color=TOTAL_FILL)
                for text, number in self.ordered(table.shown_total()):
                    total_row.cell(text, align=self.end if number else self.start, style=style)

    def footers(self) -> None:
        pdf = self.pdf
        pages = pdf.pages_count
        pdf.set_auto_page_break(False)
        half = (pdf.w - 2 * MARGIN) / 2
        start_x = MARGIN + half if self.rtl else MARGIN
        end_x = MARGIN if self.rtl else MARGIN + half
        for page in range(1, pages + 1):
            pdf.page = page
            # fpdf2 does not write a font already selected into the stream of a
            # page gone back to; without this, a page whose body ended in another
            # style draws the footer's glyphs in that style's font.
            pdf.font_family = ""
            pdf.set_text_color(*GREY)
            self.font(8.5)
            y = pdf.h - MARGIN
            pdf.set_xy(start_x, y)
            pdf.cell(half, 5, f"{report_title()} — {period_text(self.report)}", align=self.start)
            pdf.set_xy(end_x, y)
            label = _("Page %(page)s/%(pages)s") % {"page": page, "pages": pages}
            pdf.cell(half, 5, label, align=self.end)
            pdf.set_text_color(0)
        pdf.page = pages
