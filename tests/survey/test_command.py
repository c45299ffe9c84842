"""``himaya survey estimate`` on a synthetic file in MICS6 variable names, and bad input."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import polars as pl
import pyreadstat
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from himaya.survey.synthetic import generate

COLUMNS = "indicator,domain,estimate,se,ci_low,ci_high,n_unweighted,deff"


@pytest.fixture(scope="module")
def mics() -> pl.DataFrame:
    return generate(3000, seed=5)


def _estimate(*args: str) -> str:
    """The command's report, in English (the messages are translated)."""
    out = io.StringIO()
    with translation.override("en"):
        call_command("survey", "estimate", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("suffix", [".csv", ".sav", ".dta"])
def test_mics6_mapping_on_a_synthetic_mics6_file(
    mics: pl.DataFrame, tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"fs{suffix}"
    if suffix == ".csv":
        mics.write_csv(path)
    else:
        numeric = [c for c in mics.columns if c not in ("HH7",)]
        typed = mics.with_columns(pl.col(numeric).cast(pl.Float64))
        writer = pyreadstat.write_sav if suffix == ".sav" else pyreadstat.write_dta
        writer(typed, str(path))
    out = tmp_path / "out"
    text = _estimate(str(path), "--mapping", "mics6", "--output", str(out))
    assert "child_labour:" in text
    estimates = pl.read_csv(out / "estimates.csv", infer_schema=False)
    assert ",".join(estimates.columns) == COLUMNS
    domains = set(estimates.get_column("domain"))
    assert {"all", "sex=F", "sex=M", "area=urban", "area=rural"} <= domains
    assert {"age_group=05-11", "age_group=12-14", "age_group=15-17"} <= domains
    assert "region=01" in domains  # kept as written, leading zero included
    assert set(estimates.get_column("indicator")) >= {
        "child_labour",
        "child_labour_economic",
        "hazardous_conditions",
    }
    values = estimates.get_column("estimate").cast(pl.Float64).drop_nulls()
    assert ((values >= 0) & (values <= 1)).all()

    book = openpyxl.load_workbook(out / "tables.xlsx")
    assert book.sheetnames == ["PR.3.1", "PR.3.2", "PR.3.3", "PR.3.4"]
    assert book["PR.3.1"]["A5"].value == "Total"
    for table in book.sheetnames:
        assert (out / f"{table}.png").stat().st_size > 0
        assert (out / f"{table}.svg").read_text().lstrip().startswith("<?xml")

    sdmx = pl.read_csv(out / "sdmx.csv", infer_schema=False)
    assert sdmx.columns[0] == "DATAFLOW"
    assert set(sdmx.get_column("SERIES")) == {"SL_TLF_CHLDEC", "SL_TLF_CHLDEA"}
    national = sdmx.filter(
        (pl.col("SERIES") == "SL_TLF_CHLDEC")
        & (pl.col("REF_AREA") == "504")
        & (pl.col("SEX") == "_T")
        & (pl.col("URBANISATION") == "_T")
        & (pl.col("AGE") == "Y5T17")
    )
    assert national.height == 1
    overall = estimates.filter(
        (pl.col("indicator") == "child_labour") & (pl.col("domain") == "all")
    )
    assert float(national["OBS_VALUE"][0]) == pytest.approx(
        float(overall["estimate"][0]) * 100, abs=0.006
    )
    assert set(sdmx.get_column("AGE")) == {"Y5T17", "Y5T11", "Y12T14", "Y15T17"}
    assert {"U", "R"} <= set(sdmx.get_column("URBANISATION"))
    assert "MA-01" in set(sdmx.get_column("REF_AREA"))


def test_by_names_another_column_and_the_mics5_variant(mics: pl.DataFrame, tmp_path: Path) -> None:
    path = tmp_path / "fs.csv"
    mics.write_csv(path)
    _estimate(str(path), "--mapping", "mics6", "--by", "HH2", "--output", str(tmp_path / "a"))
    domains = set(pl.read_csv(tmp_path / "a" / "estimates.csv").get_column("domain"))
    assert "HH2=1" in domains
    _estimate(
        str(path),
        "--mapping",
        "mics6",
        "--ruleset",
        "sdg-8.7.1-mics5",
        "--output",
        str(tmp_path / "b"),
    )

    def overall(folder: str) -> float:
        frame = pl.read_csv(tmp_path / folder / "estimates.csv")
        row = frame.filter((pl.col("indicator") == "child_labour") & (pl.col("domain") == "all"))
        return float(row["estimate"][0])

    # MICS5 counts any hazardous condition as child labour: never fewer children.
    assert overall("b") > overall("a")


def test_small_samples_in_parentheses_and_suppressed(tmp_path: Path) -> None:
    from himaya.survey.outputs import flag

    assert flag(24) == "suppressed"
    assert flag(25) == "parentheses"
    assert flag(49) == "parentheses"
    assert flag(50) == ""
    # 30 children in region 02, 10 in region 03.
    count = 140
    frame = pl.DataFrame(
        {
            "s": [str(i % 4) for i in range(count)],
            "c": [f"{i % 4}-{i % 8}" for i in range(count)],
            "w": ["1"] * count,
            "age": [str(5 + i % 13) for i in range(count)],
            "economic_hours_week": [str(i % 50) for i in range(count)],
            "region": ["01"] * 100 + ["02"] * 30 + ["03"] * 10,
        }
    )
    path = tmp_path / "small.csv"
    frame.write_csv(path)
    out = tmp_path / "out"
    _estimate(str(path), "--stratum", "s", "--psu", "c", "--weight", "w", "--output", str(out))
    sheet = openpyxl.load_workbook(out / "tables.xlsx")["PR.3.2"]
    cells = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=5) if row[0].value}
    assert isinstance(cells["01"], int | float)
    assert isinstance(cells["02"], str) and cells["02"].startswith("(")
    assert cells["03"] == "*"
    sdmx = pl.read_csv(out / "sdmx.csv", infer_schema=False)
    areas = dict(
        zip(
            sdmx.filter(pl.col("SERIES") == "SL_TLF_CHLDEA").get_column("REF_AREA"),
            sdmx.filter(pl.col("SERIES") == "SL_TLF_CHLDEA").get_column("OBS_STATUS"),
            strict=True,
        )
    )
    assert areas["MA-01"] == "A" and areas["MA-02"] == "U" and "MA-03" not in areas


@pytest.mark.parametrize(
    ("language", "total", "unweighted", "right_to_left"),
    [
        ("en", "Total", "Unweighted number", False),
        ("fr", "Total", "Effectif non pondéré", False),
        ("ar", "المجموع", "العدد غير المرجح", True),
    ],
)
def test_the_report_tables_and_charts_speak_the_language_asked_for(
    mics: pl.DataFrame,
    tmp_path: Path,
    language: str,
    total: str,
    unweighted: str,
    right_to_left: bool,
) -> None:
    path = tmp_path / "fs.csv"
    mics.write_csv(path)
    out = tmp_path / "out"
    report = io.StringIO()
    call_command(
        "survey", "estimate", str(path), "--mapping", "mics6", "--output", str(out),
        "--language", language, stdout=report,
    )  # fmt: skip

    sheet = openpyxl.load_workbook(out / "tables.xlsx")["PR.3.1"]
    assert sheet["A5"].value == total
    assert unweighted in [cell.value for cell in sheet[4]]
    assert bool(sheet.sheet_view.rightToLeft) is right_to_left
    assert (out / "PR.3.1.png").stat().st_size > 0
    # For machines, whatever the language: codes.
    assert "sex=F" in (out / "estimates.csv").read_text()
    with translation.override(language):
        assert translation.gettext("Written: %(path)s") % {"path": out} in report.getvalue()


def _refused(*args: str) -> CommandError:
    with pytest.raises(CommandError) as caught:
        _estimate(*args)
    assert caught.value.returncode == 2
    return caught.value


def _small(tmp_path: Path, **columns: list[str]) -> Path:
    frame = pl.DataFrame(
        {
            "s": ["A", "A", "B", "B"],
            "c": ["1", "2", "3", "4"],
            "w": ["1", "2", "1", "1"],
            "age": ["7", "9", "13", "16"],
            **columns,
        }
    )
    path = tmp_path / "small.csv"
    frame.write_csv(path)
    return path


def test_bad_input_is_refused_naming_the_column(tmp_path: Path) -> None:
    path = _small(tmp_path)
    design = ["--stratum", "s", "--psu", "c", "--output", str(tmp_path / "out")]
    assert "poids" in str(_refused(str(path), *design, "--weight", "poids"))
    assert "weight" in str(_refused(str(path), "--stratum", "s", "--psu", "c", "--output", "x"))
    negative = _small(tmp_path, w2=["1", "-2", "1", "1"])
    error = _refused(str(negative), *design, "--weight", "w2")
    assert "w2" in str(error) and "-2" in str(error)
    text = _small(tmp_path, w3=["1", "un", "1", "1"])
    assert "w3" in str(_refused(str(text), *design, "--weight", "w3"))
    blank = _small(tmp_path, w4=["1", "", "1", "1"])
    assert "w4" in str(_refused(str(blank), *design, "--weight", "w4"))
    assert "HH99" in str(_refused(str(path), *design, "--weight", "w", "--by", "HH99"))
    assert "nowhere" in str(_refused(str(path), *design, "--weight", "w", "--mapping", "nowhere"))


def test_unknown_mapping_variables_are_refused(mics: pl.DataFrame, tmp_path: Path) -> None:
    path = tmp_path / "fs.csv"
    mics.drop("CL13").write_csv(path)
    error = _refused(str(path), "--mapping", "mics6", "--output", str(tmp_path / "out"))
    assert "CL13" in str(error)
    mapping = tmp_path / "mine.yaml"
    mapping.write_text("fields:\n  age: CB3\n  hours_of_play: CL3\n")
    error = _refused(str(path), "--mapping", str(mapping), "--output", str(tmp_path / "o"))
    assert "hours_of_play" in str(error)


def test_rows_the_engine_rejects_are_listed_and_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _small(tmp_path, economic_hours_week=["2", "200", "0", "", ""][:4])
    with pytest.raises(SystemExit) as exited:
        _estimate(
            str(path), "--stratum", "s", "--psu", "c", "--weight", "w", "--output", str(tmp_path)
        )
    assert exited.value.code == 1
    assert "row 2: economic_hours_week" in capsys.readouterr().err
    estimates = pl.read_csv(tmp_path / "estimates.csv")
    overall = estimates.filter(pl.col("domain") == "all").row(0, named=True)
    assert overall["n_unweighted"] == 3
