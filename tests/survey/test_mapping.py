"""Mapping files: shipped by name or read from a path; values recoded, summed, coded."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from himaya.survey import mapping
from himaya.survey.errors import SurveyRefused
from himaya.survey.reader import read_survey


def test_the_mics6_mapping_is_shipped() -> None:
    mics6 = mapping.load("mics6")
    assert "mics6" in mapping.shipped()
    assert mics6.design == {"stratum": "stratum", "psu": "HH1", "weight": "fsweight"}
    assert {"CL3", "CL4", "CL6A", "CL8", "CL10", "CL13", "CB3", "HL4"} <= set(mics6.columns)


def test_values_are_recoded_summed_and_coded() -> None:
    mics6 = mapping.load("mics6")
    raw = pl.DataFrame({column: ["", ""] for column in mics6.columns}).with_columns(
        FS7Y=pl.Series(["2025", "2025"]),
        FS7M=pl.Series(["3", "11"]),
        FS7D=pl.Series(["9", "30"]),
        CB3=pl.Series(["12", "98"]),
        HL4=pl.Series(["2", "1"]),
        HH7=pl.Series(["01", "12"]),
        CL8=pl.Series(["3", "98"]),
        CL10=pl.Series(["", "4"]),
        CL13=pl.Series(["20", ""]),
        CL4=pl.Series(["1", "2"]),
        CL6E=pl.Series(["1", "2"]),
    )
    fields = mapping.apply(raw, mics6)
    assert fields.get_column("observed_on").to_list() == ["2025-03-09", "2025-11-30"]
    assert fields.get_column("age").to_list() == ["12", None]
    assert fields.get_column("sex").to_list() == ["F", "M"]
    assert fields.get_column("region").to_list() == ["01", "12"]
    assert fields.get_column("chores_hours_week").to_list() == ["23.0", "4.0"]
    assert fields.get_column("economic_hours_week").to_list() == [None, None]
    assert fields.get_column("hazards").to_list()[0] == (
        "heavy_loads;pesticides_chemicals;fire_gas_explosives"
    )


def test_a_mapping_file_by_path_json_and_toml(tmp_path: Path) -> None:
    (tmp_path / "m.json").write_text('{"fields": {"age": "AGE"}, "design": {"weight": "W"}}')
    (tmp_path / "m.toml").write_text('[fields]\nage = "AGE"\n')
    assert mapping.load(str(tmp_path / "m.json")).design == {"weight": "W"}
    assert mapping.load(str(tmp_path / "m.toml")).columns == ("AGE",)


def test_unknown_fields_and_codes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("fields:\n  hazards: {codes: {Q1: [volcanoes]}}\n")
    with pytest.raises(SurveyRefused) as caught:
        mapping.load(str(path))
    assert "volcanoes" in str(caught.value)
    path.write_text("fields:\n  salary: Q9\n")
    with pytest.raises(SurveyRefused) as caught:
        mapping.load(str(path))
    assert caught.value.column == "salary"


def test_non_numeric_hours_are_found_by_column() -> None:
    mics6 = mapping.load("mics6")
    raw = pl.DataFrame({column: ["1", "2", ""] for column in mics6.columns}).with_columns(
        CL10=pl.Series(["1", "beaucoup", "98"])
    )
    assert mapping.not_numbers(raw, mics6) == [(1, "CL10", "beaucoup")]


def test_values_are_kept_as_written(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("region,age\n01,7\n002,8\n")
    frame = read_survey(path)
    assert frame.get_column("region").to_list() == ["01", "002"]
