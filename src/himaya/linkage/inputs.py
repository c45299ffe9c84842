"""Records to link: read and check a CSV, then derive the keys the model compares (no Django).

``read_records(path)`` reads every column as text, checks each row field by field and
keeps the good rows; each bad row is reported as ``row N: FIELD: REASON`` (N counts data
rows from 1, as ``himaya classify`` does) and skipped. ``prepare(frame)`` adds the name
keys of decision 0007 (``names.add_name_keys``) and the date features:

- ``fn_*``, ``sn_*`` (family name), ``fa_*`` (father's name): ``_key`` the phonetic key
  (Arabic first, else Latin; ``""`` is null), ``_key2`` the Latin one when both scripts
  are written, ``_bw`` Buckwalter of the Arabic, ``_lat`` ``normalise_lat`` of the Latin,
  ``_lats`` the Latin keys of either script (the Latin name, the Arabic romanisations);
- ``birth_year``, ``birth_month``, ``birth_day`` (month and day with precision ``day``
  only) and ``birth_year_lo``/``birth_year_hi``: the years the child may have been born
  in, one year when written, ``observed_on`` − ``age`` − 1 − 1 to ``observed_on`` −
  ``age`` + 1 for an age (estimated ages are a year out either way);
- ``birth_point``: the best guess of the birth as a year with its fraction: the date,
  the middle of the year, or ``observed_on`` − ``age`` − ½ (a child of 12 was born
  12 to 13 years before), to compare an age with a date or a year to within months.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from himaya.linkage.names import add_name_keys

#: The input columns, in any order; only ``record_id`` is required.
COLUMNS: tuple[str, ...] = (
    "record_id",
    "source",
    "first_name_ar",
    "family_name_ar",
    "first_name_lat",
    "family_name_lat",
    "father_name_ar",
    "father_name_lat",
    "sex",
    "birth_date",
    "birth_date_precision",
    "age",
    "observed_on",
    "commune_code",
    "massar_code",
    "guardian_cnie",
    "rsu_id",
)

#: An estimated age may be this many years out, either way.
AGE_ERROR_YEARS = 1

# Reasons (constants, asserted on by the tests).
REQUIRED = "required"
DUPLICATE = "duplicate record_id"
NO_NAME = "no first or family name in either script"
BAD_DATE = "not a date (YYYY-MM-DD, or YYYY with precision year)"
BAD_PRECISION = "expected day, year or blank"
PRECISION_MISMATCH = "does not match birth_date"
BAD_AGE = "not an age in whole years (0-25)"
AGE_WITHOUT_DATE = "an age needs observed_on"
BAD_SEX = "expected M or F"
BAD_COMMUNE = "not an HCP commune code (NN.NNN.NN.N)"
BAD_MASSAR = "not a Massar code (a letter and 9 digits)"
BAD_CNIE = "not a CNIE number (1-2 letters and digits)"
BAD_RSU = "not an RSU number (digits)"


class FileRefused(Exception):
    """The file as a whole cannot be read."""


@dataclass(frozen=True)
class RowError:
    row: int  # data rows from 1
    field: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}: {self.reason}"


@dataclass
class Records:
    """The good rows (text columns, cleaned) and the errors of the others."""

    frame: pl.DataFrame
    errors: list[RowError] = field(default_factory=list)
    total_rows: int = 0

    @property
    def rejected_rows(self) -> int:
        return len({e.row for e in self.errors})


def _blank_to_null(name: str) -> pl.Expr:
    text = pl.col(name).str.strip_chars()
    return pl.when(text == "").then(None).otherwise(text).alias(name)


def _date(expr: pl.Expr) -> pl.Expr:
    return expr.str.strptime(pl.Date, "%Y-%m-%d", strict=False)


def _checks() -> list[tuple[str, pl.Expr, str]]:
    """(field, failing condition, reason); conditions are null-safe (null is false)."""
    bd = pl.col("birth_date")
    precision = pl.col("birth_date_precision")
    is_day = bd.str.contains(r"^\d{4}-\d{2}-\d{2}$") & _date(bd).is_not_null()
    is_year = bd.str.contains(r"^\d{4}$")
    age = pl.col("age").cast(pl.Int64, strict=False)
    names = [
        "first_name_ar",
        "family_name_ar",
        "first_name_lat",
        "family_name_lat",
    ]
    checks = {
        "record_id": (pl.col("record_id").is_null(), REQUIRED),
        "first_name": (pl.all_horizontal(pl.col(n).is_null() for n in names), NO_NAME),
        "birth_date": (bd.is_not_null() & ~(is_day | is_year).fill_null(False), BAD_DATE),
        "birth_date_precision": (
            precision.is_not_null() & ~precision.is_in(["day", "year"]),
            BAD_PRECISION,
        ),
        "precision": (
            bd.is_not_null()
            & precision.is_in(["day", "year"]).fill_null(False)
            & (((precision == "day") & ~is_day) | ((precision == "year") & ~is_year)),
            PRECISION_MISMATCH,
        ),
        "age": (
            pl.col("age").is_not_null() & ~age.is_between(0, 25).fill_null(False),
            BAD_AGE,
        ),
        "observed_on": (
            (pl.col("observed_on").is_not_null() & _date(pl.col("observed_on")).is_null())
            | (pl.col("age").is_not_null() & pl.col("observed_on").is_null()),
            BAD_DATE,
        ),
        "sex": (pl.col("sex").is_not_null() & ~pl.col("sex").is_in(["M", "F"]), BAD_SEX),
        "commune_code": (
            pl.col("commune_code").is_not_null()
            & ~pl.col("commune_code").str.contains(r"^\d{2}\.\d{3}(\.\d{1,2}){0,2}$"),
            BAD_COMMUNE,
        ),
        "massar_code": (
            pl.col("massar_code").is_not_null()
            & ~pl.col("massar_code").str.contains(r"^[A-Z]\d{9}$"),
            BAD_MASSAR,
        ),
        "guardian_cnie": (
            pl.col("guardian_cnie").is_not_null()
            & ~pl.col("guardian_cnie").str.contains(r"^[A-Z]{1,2}\d{1,7}$"),
            BAD_CNIE,
        ),
        "rsu_id": (
            pl.col("rsu_id").is_not_null() & ~pl.col("rsu_id").str.contains(r"^\d{6,20}$"),
            BAD_RSU,
        ),
    }
    rename = {"precision": "birth_date_precision"}
    return [(rename.get(name, name), cond, reason) for name, (cond, reason) in checks.items()]


def clean(raw: pl.DataFrame) -> Records:
    """Check a frame of text columns (missing ones are blank); keep the good rows."""
    frame = raw.with_columns(
        [pl.lit(None, pl.String).alias(c) for c in COLUMNS if c not in raw.columns]
    ).select([pl.col(c).cast(pl.String) for c in COLUMNS])
    frame = frame.with_columns([_blank_to_null(c) for c in COLUMNS]).with_columns(
        pl.col("sex").str.to_uppercase(),
        pl.col("massar_code").str.to_uppercase(),
        pl.col("guardian_cnie").str.to_uppercase().str.replace_all(r"[\s\-]", ""),
        pl.col("rsu_id").str.replace_all(r"\s", ""),
        pl.col("birth_date_precision").str.to_lowercase(),
    )
    checks = _checks()
    flagged = frame.with_row_index("_row", offset=1).with_columns(
        [cond.fill_null(False).alias(f"_bad{i}") for i, (_, cond, _) in enumerate(checks)]
    )
    flagged = flagged.with_columns(
        (pl.col("record_id").is_duplicated() & ~pl.col("record_id").is_first_distinct())
        .fill_null(False)
        .alias("_dup")
    )
    bad_columns = [f"_bad{i}" for i in range(len(checks))] + ["_dup"]
    bad_rows = flagged.filter(pl.any_horizontal(bad_columns))
    errors: list[RowError] = []
    names = [*(name for name, _, _ in checks), "record_id"]
    reasons = [*(reason for _, _, reason in checks), DUPLICATE]
    for row in bad_rows.select(["_row", *bad_columns]).iter_rows():
        for flag, name, reason in zip(row[1:], names, reasons, strict=True):
            if flag:
                errors.append(RowError(int(row[0]), name, reason))
    good = flagged.filter(~pl.any_horizontal(bad_columns)).select(COLUMNS)
    return Records(good, errors, raw.height)


def read_records(path: Path) -> Records:
    """Read a CSV of records (UTF-8, header row); :class:`FileRefused` if unreadable."""
    try:
        raw = pl.read_csv(path, infer_schema=False, encoding="utf8")
    except (OSError, pl.exceptions.PolarsError) as error:
        raise FileRefused(f"{path}: {error}") from error
    if "record_id" not in raw.columns:
        raise FileRefused(f"{path}: no record_id column")
    return clean(raw)


def _keys(frame: pl.DataFrame, prefix: str, kind: str) -> pl.DataFrame:
    ar, lat = f"{kind}_name_ar", f"{kind}_name_lat"
    frame = add_name_keys(frame, ar, romanise=True)
    frame = add_name_keys(frame, lat, romanise=False)

    def key(column: str) -> pl.Expr:
        return pl.when(pl.col(column) == "").then(None).otherwise(pl.col(column))

    lat_key = pl.when(pl.col(f"{lat}_script") == "lat").then(key(f"{lat}_phon"))
    ar_key = pl.when(pl.col(f"{ar}_script") == "ar").then(key(f"{ar}_phon"))
    # Compound names are compared joined (Fatima Zahra = Fatimazahra).
    bw = pl.when(pl.col(f"{ar}_script") == "ar").then(key(f"{ar}_bw").str.replace_all(" ", ""))
    latin = pl.when(pl.col(f"{lat}_script") == "lat").then(
        key(f"{lat}_lat").str.replace_all(" ", "")
    )
    frame = frame.with_columns(
        pl.coalesce(ar_key, lat_key).alias(f"{prefix}_key"),
        pl.when(ar_key.is_not_null() & (lat_key != ar_key)).then(lat_key).alias(f"{prefix}_key2"),
        bw.alias(f"{prefix}_bw"),
        latin.alias(f"{prefix}_lat"),
        pl.concat_list(
            latin,
            pl.col(f"{ar}_rom")
            .list.eval(pl.element().str.replace_all(" ", ""))
            .fill_null(pl.lit([], pl.List(pl.String))),
        )
        .list.drop_nulls()
        .list.unique(maintain_order=True)
        .alias(f"{prefix}_lats"),
    )
    extra = [c for c in frame.columns if c.startswith((f"{ar}_", f"{lat}_"))]
    frame = frame.drop(extra)
    return frame.with_columns(
        pl.when(pl.col(f"{prefix}_lats").list.len() == 0)
        .then(None)
        .otherwise(pl.col(f"{prefix}_lats"))
        .alias(f"{prefix}_lats")
    )


def _year_fraction(day: pl.Expr) -> pl.Expr:
    """A date as a year with its fraction (2010-07-02 is about 2010.5)."""
    return day.dt.year().cast(pl.Float64) + (day.dt.ordinal_day().cast(pl.Float64) - 1) / 365.25


def prepare(frame: pl.DataFrame) -> pl.DataFrame:
    """Clean records (as :func:`clean` leaves them) with the keys the model compares."""
    for prefix, kind in (("fn", "first"), ("sn", "family"), ("fa", "father")):
        frame = _keys(frame, prefix, kind)
    bd = pl.col("birth_date")
    day = _date(bd)
    year = pl.coalesce(day.dt.year(), bd.str.slice(0, 4).cast(pl.Int32, strict=False))
    age = pl.col("age").cast(pl.Int32, strict=False)
    observed = _date(pl.col("observed_on")).dt.year()
    from_age = observed - age
    point = pl.coalesce(
        _year_fraction(day),
        year.cast(pl.Float64) + 0.5,
        _year_fraction(_date(pl.col("observed_on"))) - age.cast(pl.Float64) - 0.5,
    )
    return frame.with_columns(
        point.alias("birth_point"),
        year.cast(pl.Int32).alias("birth_year"),
        day.dt.month().cast(pl.Int32).alias("birth_month"),
        day.dt.day().cast(pl.Int32).alias("birth_day"),
        pl.coalesce(year, from_age - 1 - AGE_ERROR_YEARS).cast(pl.Int32).alias("birth_year_lo"),
        pl.coalesce(year, from_age + AGE_ERROR_YEARS).cast(pl.Int32).alias("birth_year_hi"),
        pl.col("commune_code").str.slice(0, 6).alias("province_code"),
    )
