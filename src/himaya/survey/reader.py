"""Reading survey microdata: CSV, SPSS ``.sav`` or Stata ``.dta``, every column as text.

Values are kept exactly as written: a region coded ``01`` in a CSV or in a
text variable stays ``01``. Numeric variables of SPSS and Stata files are
written as numbers are (``1``, not ``1.0``); system-missing values are blank.
Only the columns the analysis needs are read.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl
import pyreadstat

from himaya.survey.errors import SurveyRefused

FORMATS = (".csv", ".sav", ".dta")

#: What reading a file raises when it is not what its name says (refused as unreadable).
UNREADABLE = (
    OSError,
    ValueError,
    pl.exceptions.PolarsError,
    pyreadstat.ReadstatError,
    pyreadstat.PyreadstatError,
)


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise SurveyRefused("unknown_format", path=str(path))
    if not path.is_file():
        raise SurveyRefused("unreadable", path=str(path), detail="no such file")
    return suffix


def columns_of(path: Path) -> list[str]:
    """The names of the file's columns, without reading its rows."""
    suffix = _format(path)
    try:
        if suffix == ".csv":
            return pl.read_csv(path, n_rows=0, infer_schema=False).columns
        reader = pyreadstat.read_sav if suffix == ".sav" else pyreadstat.read_dta
        _, meta = reader(str(path), metadataonly=True, output_format="polars")
        return list(meta.column_names)
    except UNREADABLE as error:
        raise SurveyRefused("unreadable", path=str(path), detail=str(error)) from error


def _as_text(series: pl.Series) -> pl.Series:
    """A column as text: whole numbers without a decimal point, NaN as blank."""
    if series.dtype == pl.String:
        return series
    if series.dtype.is_float():
        whole = series.is_finite() & (series == series.round(0)) & (series.abs() < 2**53)
        as_int = series.fill_nan(None).cast(pl.Int64, strict=False).cast(pl.String)
        return (
            pl.select(
                pl.when(whole)
                .then(as_int)
                .otherwise(series.fill_nan(None).cast(pl.String))
                .alias(series.name)
            )
            .to_series()
            .rename(series.name)
        )
    return series.cast(pl.String)


def read_survey(path: Path, columns: Sequence[str] | None = None) -> pl.DataFrame:
    """The file's rows as a frame of text columns (``columns`` only, when given)."""
    suffix = _format(path)
    wanted = list(dict.fromkeys(columns)) if columns is not None else None
    try:
        if suffix == ".csv":
            frame = pl.read_csv(path, columns=wanted, infer_schema=False)
        else:
            reader = pyreadstat.read_sav if suffix == ".sav" else pyreadstat.read_dta
            options: dict[str, Any] = {"output_format": "polars"}
            if wanted is not None:
                options["usecols"] = wanted
            raw, _ = reader(str(path), **options)
            frame = pl.DataFrame([_as_text(raw.get_column(name)) for name in raw.columns])
    except UNREADABLE as error:
        raise SurveyRefused("unreadable", path=str(path), detail=str(error)) from error
    if frame.height == 0:
        raise SurveyRefused("empty", path=str(path))
    return frame
