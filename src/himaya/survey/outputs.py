"""What the analyst publishes (no Django): ``estimates.csv``, ``tables.xlsx`` laid out as
the MICS tables PR.3.1–PR.3.4, one chart per table (PNG and SVG), and ``sdmx.csv``
(SDMX-CSV of the SDG series SL_TLF_CHLDEC and SL_TLF_CHLDEA).

Small samples follow the MICS rule: an estimate based on 25–49 unweighted cases
is shown in parentheses (SDMX ``OBS_STATUS`` ``U``, low reliability), one based
on fewer than 25 is suppressed (an asterisk in the tables; left out of the
charts and of SDMX). ``estimates.csv`` keeps every figure with its
``n_unweighted``, for the analyst.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import polars as pl  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Alignment, Font  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402

from himaya.survey.classify import RULESETS  # noqa: E402
from himaya.survey.pipeline import Request, Result  # noqa: E402

ESTIMATE_COLUMNS = (
    "indicator",
    "domain",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "n_unweighted",
    "deff",
)
#: MICS: figures on fewer unweighted cases are suppressed, below ``PARENTHESES`` bracketed.
SUPPRESS_BELOW = 25
PARENTHESES_BELOW = 50


@dataclass(frozen=True)
class Table:
    code: str
    indicators: tuple[str, ...]


TABLES = (
    Table("PR.3.1", ("child_labour_economic", "household_chores", "child_labour")),
    Table("PR.3.2", ("child_labour_economic",)),
    Table("PR.3.3", ("household_chores",)),
    Table("PR.3.4", ("hazardous_conditions",)),
)


def _(text: str) -> str:
    """Marks an English text for translation (``makemessages`` reads it); the text is
    translated by ``himaya.survey.messages.output_labels``, this module being Django's
    no more than the rules are."""
    return text


@dataclass(frozen=True)
class Labels:
    """Every word the workbook and the charts print. :data:`ENGLISH` by default;
    ``himaya.survey.messages.output_labels`` gives them in the active language."""

    #: By table code: its title, and what its percentages are of.
    titles: Mapping[str, str]
    notes: Mapping[str, str]
    #: By indicator: its column's heading.
    headings: Mapping[str, str]
    #: By domain variable (``sex``, ``age_group``...): its heading; by sex code and by
    #: area (``urban``, ``rural``): their labels.
    domains: Mapping[str, str]
    sexes: Mapping[str, str]
    areas: Mapping[str, str]
    total: str
    table: str  # "Table %(code)s: %(title)s"
    chart: str  # "%(code)s: %(title)s"
    ci_low: str
    ci_high: str
    weighted: str
    unweighted: str
    footnotes: tuple[str, ...]
    axis: str
    right_to_left: bool = False

    def title(self, table: Table) -> str:
        return self.titles.get(table.code, table.code)

    def heading(self, indicator: str) -> str:
        return self.headings.get(indicator, indicator)

    def value(self, variable: str, value: str) -> str:
        if variable == "sex":
            return self.sexes.get(value, value)
        if variable == "area":
            return self.areas.get(value.lower(), value)
        return value

    def domain(self, variable: str) -> str:
        return self.domains.get(variable, variable)


ENGLISH = Labels(
    titles={
        "PR.3.1": _("Child labour"),
        "PR.3.2": _("Children's involvement in economic activities"),
        "PR.3.3": _("Children's involvement in household chores"),
        "PR.3.4": _("Hazardous working conditions"),
    },
    notes={
        "PR.3.1": _(
            "Percentage of children age 5-17 years by involvement in economic activities "
            "or household chores at or above the age-specific thresholds, and in child labour"
        ),
        "PR.3.2": _(
            "Percentage of children age 5-17 years in economic activities at or above "
            "the age-specific threshold (1 hour at 5-11, 14 at 12-14, 43 at 15-17)"
        ),
        "PR.3.3": _(
            "Percentage of children age 5-17 years doing household chores at or above "
            "the age-specific threshold"
        ),
        "PR.3.4": _("Percentage of children age 5-17 years working under hazardous conditions"),
    },
    headings={
        "child_labour": _("Total child labour (SDG 8.7.1)"),
        "child_labour_economic": _("Economic activities at or above the age-specific threshold"),
        "household_chores": _("Household chores at or above the age-specific threshold"),
        "hazardous_conditions": _("Working under hazardous conditions"),
    },
    domains={"sex": _("Sex"), "area": _("Area"), "region": _("Region"), "age_group": _("Age")},
    sexes={"M": _("Boys"), "F": _("Girls")},
    areas={"urban": _("Urban"), "rural": _("Rural")},
    total=_("Total"),
    table=_("Table %(code)s: %(title)s"),
    chart=_("%(code)s: %(title)s"),
    ci_low=_("95 % CI, lower"),
    ci_high=_("95 % CI, upper"),
    weighted=_("Number of children age 5-17 years (weighted)"),
    unweighted=_("Unweighted number"),
    footnotes=(
        _("( ) Figures that are based on 25-49 unweighted cases."),
        _("* Figures that are based on fewer than 25 unweighted cases and have been suppressed."),
        _(
            "Confidence intervals (95 %): Taylor-linearised standard errors, "
            "stratified two-stage design."
        ),
    ),
    axis=_("Percentage of children age 5-17 years"),
)


def flag(n_unweighted: int | None) -> str:
    """``suppressed`` below 25 unweighted cases, ``parentheses`` from 25 to 49, else ``""``."""
    n = n_unweighted or 0
    if n < SUPPRESS_BELOW:
        return "suppressed"
    if n < PARENTHESES_BELOW:
        return "parentheses"
    return ""


def _clean(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else value


def write_estimates(estimates: pl.DataFrame, path: Path) -> None:
    """``estimates.csv``: one row per indicator and domain, proportions between 0 and 1."""
    floats = ["estimate", "se", "ci_low", "ci_high", "deff"]
    estimates.select(ESTIMATE_COLUMNS).with_columns(
        [pl.col(name).fill_nan(None) for name in floats]
    ).write_csv(path, float_precision=None)


def _layout(estimates: pl.DataFrame, domains: Sequence[str]) -> list[tuple[str, str, str]]:
    """Rows of a table: (kind, variable, value), kind ``total``, ``heading`` or ``value``."""
    rows = [("total", "", "")]
    first = estimates.filter(pl.col("indicator") == estimates.get_column("indicator")[0])
    for variable in domains:
        values = first.filter(pl.col("variable") == variable).get_column("value").to_list()
        rows.append(("heading", variable, ""))
        rows.extend(("value", variable, value) for value in values)
    return rows


def _lookup(estimates: pl.DataFrame) -> dict[tuple[str, str], dict[str, object]]:
    return {(row["indicator"], row["domain"]): row for row in estimates.iter_rows(named=True)}


def _domain(variable: str, value: str) -> str:
    return "all" if not variable else f"{variable}={value}"


def write_tables(
    estimates: pl.DataFrame,
    domains: Sequence[str],
    path: Path,
    subtitle: str = "",
    labels: Labels = ENGLISH,
) -> None:
    """``tables.xlsx``: one sheet per MICS table, percentages with one decimal, in the
    language of ``labels`` (sheets right to left when it is written so)."""
    book = Workbook()
    book.remove(book.active) if book.active is not None else None
    found = _lookup(estimates)
    layout = _layout(estimates, domains)
    bold = Font(bold=True)
    for table in TABLES:
        sheet = book.create_sheet(table.code)
        sheet.sheet_view.rightToLeft = labels.right_to_left
        sheet["A1"] = labels.table % {"code": table.code, "title": labels.title(table)}
        sheet["A1"].font = Font(bold=True, size=12)
        sheet["A2"] = labels.notes.get(table.code, "") + (f" ({subtitle})" if subtitle else "")
        header = [""]
        for indicator in table.indicators:
            header += [labels.heading(indicator), labels.ci_low, labels.ci_high]
        header += [labels.weighted, labels.unweighted]
        for column, text in enumerate(header, start=1):
            cell = sheet.cell(row=4, column=column, value=text)
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        line = 5
        for kind, variable, value in layout:
            if kind == "heading":
                sheet.cell(row=line, column=1, value=labels.domain(variable)).font = bold
                line += 1
                continue
            label = labels.total if kind == "total" else labels.value(variable, value)
            sheet.cell(row=line, column=1, value=label)
            column = 2
            n = 0
            weighted = 0.0
            for indicator in table.indicators:
                row = found.get((indicator, _domain(variable, value)), {})
                n = int(row.get("n_unweighted") or 0)  # type: ignore[call-overload]
                weighted = float(row.get("weighted") or 0.0)  # type: ignore[arg-type]
                state = flag(n)
                cells = [row.get("estimate"), row.get("ci_low"), row.get("ci_high")]
                for offset, number in enumerate(cells):
                    target = sheet.cell(row=line, column=column + offset)
                    clean = _clean(number)  # type: ignore[arg-type]
                    if state == "suppressed" or clean is None:
                        target.value = "*" if offset == 0 else None
                        target.alignment = Alignment(horizontal="right")
                    elif state == "parentheses":
                        target.value = f"({clean * 100:.1f})"
                        target.alignment = Alignment(horizontal="right")
                    else:
                        target.value = round(clean * 100, 1)
                        target.number_format = "0.0"
                column += 3
            sheet.cell(row=line, column=column, value=round(weighted)).number_format = "#,##0"
            sheet.cell(row=line, column=column + 1, value=n).number_format = "#,##0"
            line += 1
        line += 1
        for note in labels.footnotes:
            sheet.cell(row=line, column=1, value=note)
            line += 1
        sheet.column_dimensions["A"].width = 28
        for column in range(2, len(header) + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 16
        sheet.freeze_panes = "B5"
    book.save(path)


def write_charts(
    estimates: pl.DataFrame,
    domains: Sequence[str],
    folder: Path,
    labels: Labels = ENGLISH,
) -> list[Path]:
    """One bar chart per table (its last indicator, the table's headline), with the
    95 % intervals; suppressed figures are left out, bracketed ones labelled so. In the
    language of ``labels``; mirrored (bars from the right) when it is written right to
    left."""
    found = _lookup(estimates)
    layout = [row for row in _layout(estimates, domains) if row[0] != "heading"]
    rtl = labels.right_to_left
    written: list[Path] = []
    for table in TABLES:
        indicator = table.indicators[-1]
        names: list[str] = []
        values: list[float] = []
        lows: list[float] = []
        highs: list[float] = []
        marks: list[bool] = []
        for kind, variable, value in layout:
            row = found.get((indicator, _domain(variable, value)), {})
            estimate = _clean(row.get("estimate"))  # type: ignore[arg-type]
            state = flag(row.get("n_unweighted"))  # type: ignore[arg-type]
            if estimate is None or state == "suppressed":
                continue
            # A left-to-right mark keeps a value such as 05-11 in its order in a
            # right-to-left label (matplotlib reversed it).
            text = ("\u200e" if rtl else "") + labels.value(variable, value)
            names.append(labels.total if kind == "total" else f"{labels.domain(variable)}: {text}")
            values.append(estimate * 100)
            low = _clean(row.get("ci_low"))  # type: ignore[arg-type]
            high = _clean(row.get("ci_high"))  # type: ignore[arg-type]
            lows.append(estimate * 100 - max(low if low is not None else estimate, 0.0) * 100)
            highs.append(min(high if high is not None else estimate, 1.0) * 100 - estimate * 100)
            marks.append(state == "parentheses")
        height = max(2.5, 0.32 * len(names) + 1.2)
        figure, axes = plt.subplots(figsize=(7.5, height))
        positions = list(range(len(names)))[::-1]
        bars = axes.barh(
            positions,
            values,
            xerr=[lows, highs],
            color="#4a7ab5",
            ecolor="#555555",
            capsize=2,
        )
        for bar, bracketed, shown, high in zip(bars, marks, values, highs, strict=True):
            label = f"({shown:.1f})" if bracketed else f"{shown:.1f}"
            axes.annotate(
                label,
                (bar.get_width() + high, bar.get_y() + bar.get_height() / 2),
                xytext=(-4 if rtl else 4, 0),
                textcoords="offset points",
                ha="right" if rtl else "left",
                va="center",
                fontsize=7,
            )
        axes.set_yticks(positions, names, fontsize=8)
        axes.set_xlabel(labels.axis)
        title = labels.chart % {"code": table.code, "title": labels.heading(indicator)}
        axes.set_title(title, fontsize=10)
        if rtl:
            axes.invert_xaxis()
            axes.yaxis.tick_right()
            axes.spines[["top", "left"]].set_visible(False)
        else:
            axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        for suffix in ("png", "svg"):
            target = folder / f"{table.code}.{suffix}"
            figure.savefig(target, dpi=150)
            written.append(target)
        plt.close(figure)
    return written


# ---------------------------------------------------------------------- SDMX

#: The SDG data structure (IAEG-SDGs), its dataflow, and the series of each indicator.
DATAFLOW = "IAEG-SDGs:DF_SDG_GLH(1.24)"
SERIES = {"child_labour": "SL_TLF_CHLDEC", "child_labour_economic": "SL_TLF_CHLDEA"}
DIMENSIONS = (
    "FREQ",
    "REPORTING_TYPE",
    "SERIES",
    "REF_AREA",
    "SEX",
    "AGE",
    "URBANISATION",
    "INCOME_WEALTH_QUANTILE",
    "EDUCATION_LEV",
    "OCCUPATION",
    "CUST_BREAKDOWN",
    "COMPOSITE_BREAKDOWN",
    "DISABILITY_STATUS",
    "ACTIVITY",
    "PRODUCT",
    "TIME_PERIOD",
)
ATTRIBUTES = (
    "UNIT_MEASURE",
    "UNIT_MULT",
    "NATURE",
    "OBS_STATUS",
    "LOWER_BOUND",
    "UPPER_BOUND",
    "SOURCE_DETAIL",
    "COMMENT_OBS",
)
SDMX_SEX = {"F": "F", "M": "M"}
SDMX_AREA = {"urban": "U", "u": "U", "rural": "R", "r": "R"}
TOTAL = "_T"


def _age_code(label: str) -> str:
    low, high = label.split("-")
    return f"Y{int(low)}T{int(high)}"


def sdmx_rows(
    estimates: pl.DataFrame,
    year: int,
    ref_area: str,
    region_prefix: str = "",
    source: str = "",
    comment: str = "",
) -> list[dict[str, str]]:
    """SDMX-CSV rows for the SDG series, one per publishable estimate."""
    ages = estimates.filter(pl.col("variable") == "age_group").get_column("value").unique()
    all_ages = (
        f"Y{min(int(a.split('-')[0]) for a in ages)}T{max(int(a.split('-')[1]) for a in ages)}"
        if len(ages)
        else "Y5T17"
    )
    rows: list[dict[str, str]] = []
    for record in estimates.iter_rows(named=True):
        series = SERIES.get(record["indicator"])
        estimate = _clean(record["estimate"])
        state = flag(record["n_unweighted"])
        if series is None or estimate is None or state == "suppressed":
            continue
        key = {name: TOTAL for name in DIMENSIONS}
        key |= {"FREQ": "A", "REPORTING_TYPE": "N", "SERIES": series, "REF_AREA": ref_area}
        key |= {"AGE": all_ages, "TIME_PERIOD": str(year)}
        variable, value = record["variable"], record["value"]
        if variable == "sex":
            if value not in SDMX_SEX:
                continue
            key["SEX"] = SDMX_SEX[value]
        elif variable == "age_group":
            key["AGE"] = _age_code(value)
        elif variable == "area":
            if value.lower() not in SDMX_AREA:
                continue
            key["URBANISATION"] = SDMX_AREA[value.lower()]
        elif variable == "region":
            if not region_prefix:
                continue
            key["REF_AREA"] = f"{region_prefix}{value}"
        elif variable:
            continue
        low, high = _clean(record["ci_low"]), _clean(record["ci_high"])
        notes = [comment] if comment else []
        if state == "parentheses":
            notes.append("Based on 25-49 unweighted cases")
        rows.append(
            {
                "DATAFLOW": DATAFLOW,
                **key,
                "OBS_VALUE": f"{estimate * 100:.2f}",
                "UNIT_MEASURE": "PT",
                "UNIT_MULT": "0",
                "NATURE": "C",
                "OBS_STATUS": "U" if state == "parentheses" else "A",
                "LOWER_BOUND": "" if low is None else f"{max(low, 0.0) * 100:.2f}",
                "UPPER_BOUND": "" if high is None else f"{min(high, 1.0) * 100:.2f}",
                "SOURCE_DETAIL": source,
                "COMMENT_OBS": "; ".join(notes),
            }
        )
    return rows


def write_sdmx(rows: list[dict[str, str]], path: Path) -> None:
    """``sdmx.csv``: SDMX-CSV (version 1.0: a DATAFLOW column, then the dimensions,
    the observation value and the attributes)."""
    columns = ("DATAFLOW", *DIMENSIONS, "OBS_VALUE", *ATTRIBUTES)
    frame = pl.DataFrame(
        {name: [row[name] for row in rows] for name in columns},
        schema={name: pl.String for name in columns},
    )
    frame.write_csv(path)


def write_all(
    result: Result,
    request: Request,
    folder: Path,
    *,
    year: int | None = None,
    ref_area: str = "504",
    region_prefix: str = "MA-",
    labels: Labels = ENGLISH,
) -> list[Path]:
    """Every output of a run into ``folder`` (made if missing): ``estimates.csv``,
    ``tables.xlsx``, ``sdmx.csv`` and the charts; the files written, in that order. The
    workbook and the charts speak the language of ``labels``; ``estimates.csv`` and
    SDMX, for machines, keep their codes."""
    folder.mkdir(parents=True, exist_ok=True)
    estimates = result.estimates
    written = [folder / "estimates.csv", folder / "tables.xlsx", folder / "sdmx.csv"]
    write_estimates(estimates, written[0])
    subtitle = result.mapping.description or result.mapping.name
    if request.ruleset != RULESETS[0]:
        subtitle = f"{subtitle}; {request.ruleset}" if subtitle else request.ruleset
    write_tables(estimates, result.domains, written[1], subtitle, labels)
    written += write_charts(estimates, result.domains, folder, labels)
    rows = sdmx_rows(
        estimates,
        year=year or result.year,
        ref_area=ref_area,
        region_prefix=region_prefix,
        source=subtitle,
        comment="" if request.ruleset == RULESETS[0] else request.ruleset,
    )
    write_sdmx(rows, written[2])
    return written
