"""``himaya classify``: the command line, from CSV to CSV, run as a user runs it."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

HIMAYA = str(Path(sys.executable).with_name("himaya"))
HEADER = "id,ruleset,verdict,rules,citations,hazardous_conditions"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [HIMAYA, "classify", *map(str, args)], capture_output=True, text=True, check=False
    )  # noqa: S603


def write(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_classifies_in_input_order_with_columns_in_any_order(tmp_path: Path) -> None:
    source = write(
        tmp_path,
        "sector,age,observed_on,id,hazards,extra\n"
        "trade,13,2024-05-01,c1,,ignored\n"
        "construction,16,2024-05-01,c2,heights;HEAVY_LOADS,x\n"
        ",,2024-05-01,c3,,\n",
    )
    done = run("--ruleset", "ma-labour-code", source)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert done.stdout.splitlines()[0] == HEADER
    assert [(r["id"], r["verdict"], r["rules"]) for r in rows] == [
        ("c1", "child_labour", "ma.below_minimum_age"),
        ("c2", "hazardous", "ma.hazardous"),
        ("c3", "insufficient_information", ""),
    ]
    assert rows[0]["citations"] == "Code du travail art. 143"
    assert rows[0]["ruleset"] == "ma-labour-code" and rows[0]["hazardous_conditions"] == ""


def test_rejected_rows_are_reported_and_the_others_classified(tmp_path: Path) -> None:
    source = write(
        tmp_path,
        "id,observed_on,age,economic_hours_week,sector\n"
        "a,2024-05-01,10,5,trade\n"
        "b,2024-05-01,10,-3,farming\n"
        "c,2024-13-01,10,5,trade\n"
        "d,2024-05-01,16,50,trade\n",
    )
    target = tmp_path / "out.csv"
    done = run("--ruleset", "sdg-8.7.1", source, "--output", target, "--language", "en")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "row 2: economic_hours_week: negative number of hours",
        "row 2: sector: unknown code 'farming'",
        "row 3: observed_on: not a valid date (expected YYYY-MM-DD)",
    ]
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [(r["id"], r["verdict"], r["hazardous_conditions"]) for r in rows] == [
        ("a", "child_labour", "false"),
        ("d", "child_labour", "false"),
    ]


def test_messages_are_in_french_by_default(tmp_path: Path) -> None:
    source = write(tmp_path, "id,observed_on,age\na,2024-05-01,douze\n")
    done = run("--ruleset", "ma-labour-code", source)
    assert done.returncode == 1
    assert done.stderr.strip() == "row 1: age: l'âge doit être un nombre entier d'années"
    assert done.stdout.strip() == HEADER


def test_the_ilo_option(tmp_path: Path) -> None:
    source = write(tmp_path, "id,observed_on,age,economic_hours_week\na,2024-05-01,12,10\n")
    default = run("--ruleset", "ilo-c138-c182", source)
    declared = run("--ruleset", "ilo-c138-c182", "--option", "minimum_age=14", source)
    assert ",child_labour," in default.stdout
    assert ",permitted_work," in declared.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "n'est pas un fichier CSV lisible"),
        (b"id;observed_on;age\na;2024-05-01;12\n", "colonnes obligatoires absentes"),
        (b"name,age\nx,3\n", "id, observed_on"),
        (b"id,observed_on\n\xff\xfe,2024\n", "n'est pas un fichier CSV lisible"),
        (b"", "n'est pas un fichier CSV lisible"),
    ],
)
def test_a_file_that_is_not_usable_is_refused_as_a_whole(
    tmp_path: Path, content: bytes, message: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(content)
    done = run("--ruleset", "ma-labour-code", source)
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1


def test_bad_options_are_refused(tmp_path: Path) -> None:
    source = write(tmp_path, "id,observed_on\na,2024-05-01\n")
    done = run("--ruleset", "ilo-c138-c182", "--option", "minimum_age=13", source)
    assert done.returncode == 2 and "minimum_age=13" in done.stderr
    done = run("--ruleset", "nowhere", source)
    assert done.returncode == 2 and "nowhere" in done.stderr
    done = run("--ruleset", "ma-labour-code", source, "--option", "oops")
    assert done.returncode == 2 and "KEY=VALUE" in done.stderr
