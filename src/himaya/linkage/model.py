"""One child, one record: a Splink model on DuckDB over prepared records (no Django).

``link(frame, threshold)`` takes the records as :func:`himaya.linkage.inputs.prepare`
leaves them, trains the model (:func:`train`: the prior from deterministic rules, u by
random sampling on a capped number of pairs, m by expectation maximisation on blocked
pairs of a sample), scores the blocked pairs and clusters them by average linkage (pairs
at or above ``threshold`` join two clusters only when the pairs between them are, on
average, probable enough, and never when they hold two children: two Massar codes, or
two birth dates or two first names written by the civil-status sources). It returns
every record with its cluster and the scored pairs, each with its match probability, the
match weight of every comparison (``bf_*`` as log2 weights) and the comparisons that
agreed.

Names are compared on the keys of decision 0007: Buckwalter between Arabic spellings,
``normalise_lat`` between Latin ones, the romanisations of an Arabic name against a Latin
one, and the phonetic key between either; never Levenshtein on raw Arabic. Common first
and family names weigh less than rare ones (term frequencies of the phonetic key). First
and family names swapped are weighed once, on the first name. An estimated age is
compared with a date, a year or another age by how far apart the two guesses of the
birth are (``birth_point``). The RSU number and the guardian's CNIE identify a
household: they count only when the first names and the birth years already agree, so
they never join two siblings. Whether two records come from one source or two is a
comparison too, learnt like the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import duckdb
import polars as pl
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator

#: Pairs scored at or above this probability may join two records' clusters.
DEFAULT_THRESHOLD = 0.05

#: Two clusters merge only when the mean probability of all the pairs between them (a pair
#: not scored counts as 0) reaches :func:`cluster_mean_probability`: one strong link no
#: longer chains two children. It is this at 35,000 records, and falls with the number
#: of records as ``(35,000 / records) ** CLUSTER_MEAN_EXPONENT``, within the bounds.
CLUSTER_MEAN_PROBABILITY = 0.22
CLUSTER_MEAN_EXPONENT = 0.6
CLUSTER_MEAN_BOUNDS = (0.05, 0.5)

#: An estimated age against a date, a year or another age: how far apart (in years) the
#: two guesses of the birth may be at each level. Half a year holds an age estimated
#: right against a date, 1.5 and 2.5 an age a year or two out (``inputs.prepare``).
AGE_APART_YEARS = (0.5, 1.5, 2.5)

#: How much a first name's frequency adjusts the weight of the same phonetic key
#: spelled otherwise (1 the full term-frequency adjustment), measured on synthetic sets
#: of other seeds than the benchmark's.
FIRST_NAME_KEY_TF_WEIGHT = 0.25

#: Share of the true pairs the deterministic rules of the prior find (on the
#: synthetic set, about 0.7).
PRIOR_RULES_RECALL = 0.7

#: Caps on what training reads, so that memory stays bounded whatever the input.
U_MAX_PAIRS = 2e6
EM_MAX_PAIRS = 1e6

#: The comparisons, by output name (``bf_<name>`` in the pairs).
COMPARISONS = (
    "first_name",
    "family_name",
    "father_name",
    "birth",
    "sex",
    "commune",
    "massar_code",
    "household",
    "source",
)


Levels = list[ComparisonLevelCreator | dict[str, Any]]


def _levels(*levels: ComparisonLevelCreator) -> Levels:
    return list(levels)


def _same_spelling(p: str, q: str | None = None) -> str:
    """Name ``p`` of the left record and name ``q`` (``p`` by default) of the right one
    spelled alike: the same normalised spelling in one script, or an Arabic one
    romanised as the Latin."""
    q = q or p
    return (
        f"coalesce({p}_bw_l = {q}_bw_r, true) AND coalesce({p}_lat_l = {q}_lat_r, true) "
        f"AND coalesce({p}_bw_l = {q}_bw_r OR {p}_lat_l = {q}_lat_r "
        f"OR list_has_any({p}_lats_l, {q}_lats_r), false)"
    )


#: The first and family names swapped (phonetic keys), which a pair's first-name
#: comparison weighs for both names; the family-name comparison then counts nothing.
SWAPPED = "fn_key_l = sn_key_r AND sn_key_l = fn_key_r"


def _name_levels(p: str) -> Levels:
    """Levels of the first (``fn``) or family (``sn``) name.

    Names swapped between the two records are weighed once, by the first name's
    levels: both names spelled alike crosswise, or only their phonetic keys swapped
    (coarse keys swap by chance: Hassan Amrani, Marwane El Houssine). For the family
    name a swapped pair is as if blank.
    """
    both = f"{_same_spelling('fn', 'sn')} AND {_same_spelling('sn', 'fn')}"
    swapped: Levels = (
        [
            cll.CustomLevel(f"{SWAPPED} AND {both}", "swapped, spelled alike"),
            cll.CustomLevel(SWAPPED, "swapped phonetic keys"),
        ]
        if p == "fn"
        else []
    )
    spelled_apart: ComparisonLevelCreator = cll.CustomLevel(
        f"{p}_key_l = {p}_key_r AND (coalesce(levenshtein({p}_bw_l, {p}_bw_r) > 1, false) "
        f"OR coalesce(jaro_winkler_similarity({p}_lat_l, {p}_lat_r) < 0.85, false))",
        "same phonetic key, spelled apart in one script",
    )
    if p == "fn":
        # Two first names written apart in the same script are two children (twins
        # Hassan and Houssine share the key HSN): fixed, not learnt, stronger than a
        # disagreement. Not so the family name, which twins share.
        spelled_apart = spelled_apart.configure(m_probability=1e-7, fix_m_probability=True)
    null = f"{p}_key_l IS NULL OR {p}_key_r IS NULL"
    if p == "sn":
        null = f"{null} OR ({SWAPPED} AND NOT ({_same_spelling('sn')}))"
    lats_jw = (
        f"list_max(list_transform({p}_lats_l, lambda x: list_max(list_transform({p}_lats_r, "
        f"lambda y: jaro_winkler_similarity(x, y)))))"
    )
    keys_agree = (
        f"({p}_key_l = {p}_key_r OR {p}_key_l = {p}_key2_r OR {p}_key2_l = {p}_key_r "
        f"OR {p}_key2_l = {p}_key2_r)"
    )
    return [
        cll.CustomLevel(null).configure(is_null_level=True, label_for_charts="null"),
        cll.CustomLevel(_same_spelling(p), "same spelling").configure(
            tf_adjustment_column=f"{p}_key",
            tf_adjustment_weight=1.0,
            # A first name's frequency adjusts this level's own u. A family name's
            # adjusts the u of the exact key below (Splink's default), about 2.5 bits
            # less: siblings share it, and their commune, so among different children
            # a shared family name is less rare than its frequency says.
            disable_tf_exact_match_detection=p == "fn",
        ),
        spelled_apart,
        cll.ExactMatchLevel(f"{p}_key", term_frequency_adjustments=True).configure(
            label_for_charts="same phonetic key",
            # A first name's key is shared by its spellings in both scripts: a Latin
            # record against an Arabic one agrees here when the romanisations miss, and
            # the key's full frequency would make a common name count for nothing.
            tf_adjustment_weight=FIRST_NAME_KEY_TF_WEIGHT if p == "fn" else 1.0,
        ),
        cll.CustomLevel(keys_agree, "same phonetic key in one script").configure(
            tf_adjustment_column=f"{p}_key",
            tf_adjustment_weight=0.5,
            disable_tf_exact_match_detection=p == "fn",
        ),
        cll.CustomLevel(
            f"levenshtein({p}_bw_l, {p}_bw_r) <= 1 "
            f"OR jaro_winkler_similarity({p}_lat_l, {p}_lat_r) >= 0.9 "
            f"OR coalesce({lats_jw} >= 0.9, false)",
            "close spelling",
        ),
        *swapped,
        # A typo that changed a consonant, in either script (محمد MHMD, ححمد HHMD): the
        # keys are ASCII, one character a sound; two-letter keys one apart are too
        # often two names.
        cll.CustomLevel(
            f"levenshtein({p}_key_l, {p}_key_r) <= 1 "
            f"AND least(length({p}_key_l), length({p}_key_r)) >= 3",
            "phonetic keys one sound apart",
        ),
        cll.ElseLevel(),
    ]


def _birth_levels() -> Levels:
    both_days = "birth_day_l IS NOT NULL AND birth_day_r IS NOT NULL"
    same_year = "birth_year_l = birth_year_r"
    # An estimated age (no birth year) against anything: how far apart the two best
    # guesses of the birth are (``inputs.prepare``'s ``birth_point``).
    an_age = "(birth_year_l IS NULL OR birth_year_r IS NULL)"
    return [
        cll.CustomLevel("birth_year_lo_l IS NULL OR birth_year_lo_r IS NULL").configure(
            is_null_level=True, label_for_charts="null"
        ),
        cll.CustomLevel(
            f"{both_days} AND {same_year} AND birth_month_l = birth_month_r "
            "AND birth_day_l = birth_day_r",
            "same date",
        ),
        cll.CustomLevel(
            f"{both_days} AND {same_year} AND birth_month_l = birth_day_r "
            "AND birth_day_l = birth_month_r",
            "day and month swapped",
        ),
        cll.CustomLevel(
            f"{both_days} AND ((({same_year}) AND (birth_month_l = birth_month_r "
            "OR birth_day_l = birth_day_r)) OR (abs(birth_year_l - birth_year_r) = 1 "
            "AND birth_month_l = birth_month_r AND birth_day_l = birth_day_r))",
            "one part differs",
        ),
        cll.CustomLevel(
            f"NOT ({both_days}) AND birth_year_l IS NOT NULL AND birth_year_r IS NOT NULL "
            f"AND {same_year}",
            "same year",
        ),
        *(
            cll.CustomLevel(
                f"{an_age} AND abs(birth_point_l - birth_point_r) <= {apart}",
                f"age: births within {apart} years",
            )
            for apart in AGE_APART_YEARS
        ),
        cll.CustomLevel(
            f"NOT ({an_age}) AND abs(birth_year_l - birth_year_r) <= 1",
            "years one apart",
        ),
        cll.ElseLevel(),
    ]


def _household_levels() -> Levels:
    # Household identifiers count only between children of the same first name and
    # compatible birth years: otherwise they are as if blank (weight 0).
    child_agrees = (
        f"({_same_spelling('fn')}) AND birth_year_lo_l <= birth_year_hi_r "
        "AND birth_year_lo_r <= birth_year_hi_l"
    )
    return [
        cll.CustomLevel(
            f"NOT coalesce({child_agrees}, false) "
            "OR ((rsu_id_l IS NULL OR rsu_id_r IS NULL) "
            "AND (guardian_cnie_l IS NULL OR guardian_cnie_r IS NULL))"
        ).configure(is_null_level=True, label_for_charts="null or another child"),
        cll.CustomLevel(
            "rsu_id_l = rsu_id_r OR guardian_cnie_l = guardian_cnie_r", "same household"
        ),
        cll.ElseLevel(),
    ]


def settings() -> SettingsCreator:
    """The model: comparisons, blocking for prediction, term frequencies."""
    comparisons: list[ComparisonCreator | dict[str, Any]] = [
        cl.CustomComparison(_name_levels("fn"), "first_name"),
        cl.CustomComparison(_name_levels("sn"), "family_name"),
        cl.CustomComparison(
            _levels(
                cll.CustomLevel("fa_key_l IS NULL OR fa_key_r IS NULL").configure(
                    is_null_level=True
                ),
                cll.CustomLevel(
                    "fa_key_l = fa_key_r OR fa_key_l = fa_key2_r OR fa_key2_l = fa_key_r",
                    "same phonetic key",
                ),
                cll.ElseLevel(),
            ),
            "father_name",
        ),
        cl.CustomComparison(_birth_levels(), "birth"),
        cl.ExactMatch("sex"),
        cl.CustomComparison(
            _levels(
                cll.NullLevel("commune_code"),
                cll.ExactMatchLevel("commune_code"),
                cll.ExactMatchLevel("province_code"),
                cll.ElseLevel(),
            ),
            "commune",
        ),
        cl.CustomComparison(
            _levels(
                cll.NullLevel("massar_code"),
                cll.ExactMatchLevel("massar_code"),
                cll.LevenshteinLevel("massar_code", 1),
                cll.ElseLevel(),
            ),
            "massar_code",
        ),
        cl.CustomComparison(_household_levels(), "household"),
        # Two records of one source are less often one child than two of different
        # sources (a school's list or the registry's extract names a child once; an
        # inspector or an association sometimes twice): learnt, not asserted, so that
        # a source that records children twice keeps its duplicates.
        cl.CustomComparison(
            _levels(
                cll.NullLevel("source"),
                cll.ExactMatchLevel("source").configure(label_for_charts="same source"),
                cll.ElseLevel(),
            ),
            "source",
        ),
    ]
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=_prediction_blocking(),
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
        additional_columns_to_retain=[],
    )


def _prediction_blocking() -> list[Any]:
    return [
        block_on("massar_code"),
        block_on("fn_key", "sn_key"),
        block_on("fn_key", "sn_key2"),
        block_on("fn_key2", "sn_key"),
        block_on("fn_key", "commune_code"),
        block_on("sn_key", "commune_code"),
        block_on("rsu_id"),
        block_on("guardian_cnie"),
        block_on("fn_key", "birth_year"),
        # An inspector may write the commune of the workplace rather than the home.
        block_on("sn_key", "province_code"),
        # Names swapped.
        "l.fn_key = r.sn_key AND l.sn_key = r.fn_key",
    ]


@dataclass(frozen=True)
class Linkage:
    """``clusters``: ``record_id``, ``cluster_id`` (every record); ``pairs``: scored pairs;
    ``model``: the trained model as Splink's JSON settings (``None`` when there was nothing
    to train on), to score new records against these with :func:`score_new`."""

    clusters: pl.DataFrame
    pairs: pl.DataFrame
    model: dict[str, Any] | None = None


_MODEL_COLUMNS = (
    "record_id",
    "source",
    "sex",
    "commune_code",
    "province_code",
    "massar_code",
    "guardian_cnie",
    "rsu_id",
    "birth_year",
    "birth_month",
    "birth_day",
    "birth_year_lo",
    "birth_year_hi",
    "birth_point",
    *(f"{p}_{k}" for p in ("fn", "sn", "fa") for k in ("key", "key2", "bw", "lat", "lats")),
)


def link(
    frame: pl.DataFrame,
    threshold: float = DEFAULT_THRESHOLD,
    *,
    seed: int = 1,
    memory_limit: str | None = None,
) -> Linkage:
    """Link prepared records; see the module's docstring.

    Fewer than :data:`MIN_TRAINING_RECORDS` records are too few to learn the model
    from: they are linked together with a synthetic population that makes up the
    number (:func:`_padding`), which is then dropped from the pairs and the clusters.
    """

    def on_duckdb(data: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, Any]]:
        connection = duckdb.connect()
        if memory_limit:
            connection.execute(f"SET memory_limit = '{memory_limit}'")
        _table(connection, "himaya_records", data)
        db_api = DuckDBAPI(connection)
        records = db_api.register("himaya_records")
        linker = Linker(records, settings(), log_level=logging.ERROR)
        train(linker, data.height, seed)
        predictions = linker.inference.predict(threshold_match_probability=0.01)
        # Table names come from Splink, never from the input.
        pairs = _pairs(connection, predictions.physical_name)
        model = linker.misc.save_model_to_json()
        connection.close()
        return pairs, model

    return link_with(on_duckdb, frame, threshold, seed)


#: Trains the model on the records it is given and scores their blocked pairs:
#: the pairs (as :func:`_pairs` gives them) and the trained model.
Engine = Callable[[pl.DataFrame], tuple[pl.DataFrame, dict[str, Any]]]


def link_with(engine: Engine, frame: pl.DataFrame, threshold: float, seed: int) -> Linkage:
    """What :func:`link` does whatever runs Splink (DuckDB here, Spark in
    :mod:`himaya.linkage.spark`): the synthetic padding of a small input, the
    engine, the padding's pairs dropped, the clusters."""
    ids = frame.get_column("record_id")
    data = frame.select(_MODEL_COLUMNS)
    if data.height == 0:
        return Linkage(_singletons(ids), _empty_pairs())
    # One record has no pair, but the model trained beside it scores the next ones.
    padding = _padding(data.height, seed)
    if padding is not None:
        data = pl.concat([data, padding])
    pairs, model = engine(data)
    if padding is not None:
        pairs = pairs.filter(
            pl.col("record_id_l").is_in(ids.implode()) & pl.col("record_id_r").is_in(ids.implode())
        )
    return Linkage(_clusters(ids, pairs, threshold, frame, data.height), pairs, model)


def train(linker: Linker, size: int, seed: int) -> None:
    """Train ``linker`` (built on :func:`settings`) on its ``size`` records: the prior,
    u by random sampling, m by expectation maximisation. :func:`link` and the Spark
    backend share it."""
    training = linker.training
    # Same Massar code, or same first and family names in the same commune: about
    # two thirds of the true pairs of the synthetic set, nearly all of them true (a full
    # birth date in both records is too rare among the sources to serve).
    training.estimate_probability_two_random_records_match(
        [block_on("massar_code"), block_on("fn_key", "sn_key", "commune_code")],
        recall=PRIOR_RULES_RECALL,
    )
    training.estimate_u_using_random_sampling(max_pairs=min(U_MAX_PAIRS, size**2 / 2), seed=seed)
    sample = min(1.0, 200_000 / max(1, size))
    for rule in (block_on("fn_key", "sn_key"), block_on("birth_year_lo", "commune_code")):
        training.estimate_parameters_using_expectation_maximisation(
            rule, max_pairs=EM_MAX_PAIRS, record_sample_proportion=sample
        )


#: Below this many records, training borrows a synthetic population (see :func:`link`).
MIN_TRAINING_RECORDS = 5_000

#: Record identifiers of the synthetic population; an input's own never start so.
PADDING_PREFIX = "\u2063synthetic:"


def _padding(size: int, seed: int) -> pl.DataFrame | None:
    """Prepared synthetic records that make ``size`` up to :data:`MIN_TRAINING_RECORDS`."""
    if size >= MIN_TRAINING_RECORDS:
        return None
    # Imported here: only small inputs need the generator.
    from himaya.linkage.inputs import clean, prepare  # noqa: PLC0415
    from himaya.linkage.synthetic import generate  # noqa: PLC0415

    records = generate(MIN_TRAINING_RECORDS - size, seed=seed).records.drop("cluster")
    records = records.with_columns((PADDING_PREFIX + pl.col("record_id")).alias("record_id"))
    return prepare(clean(records).frame).select(_MODEL_COLUMNS)


def score_new(
    model: dict[str, Any],
    new: pl.DataFrame,
    existing: pl.DataFrame,
    threshold: float = 0.01,
) -> pl.DataFrame:
    """Score prepared ``new`` records against prepared ``existing`` ones with a model
    trained by :func:`link` (its ``model``): the pairs the model's blocking finds between
    the two, never within either, as :func:`link` gives them (``record_id_l`` a new
    record, ``record_id_r`` an existing one), most probable first. Term frequencies are
    those of the existing records.
    """
    if new.height == 0 or existing.height == 0:
        return _empty_pairs()
    connection = duckdb.connect()
    _table(connection, "himaya_existing", existing.select(_MODEL_COLUMNS))
    _table(connection, "himaya_new", new.select(_MODEL_COLUMNS))
    db_api = DuckDBAPI(connection)
    known = db_api.register("himaya_existing")
    linker = Linker([known], model, log_level=logging.ERROR)
    for column in ("fn_key", "sn_key"):
        linker.table_management.compute_tf_table(column)
    predictions = linker.inference.predict_between(
        db_api.register("himaya_new"), known, threshold_match_probability=threshold
    )
    pairs = _pairs(connection, predictions.physical_name)
    connection.close()
    return pairs


def _table(connection: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> None:
    """Copy ``frame`` into the table ``name`` (one of ours, never from the input)."""
    connection.register("himaya_arrow", frame.to_arrow())
    connection.execute(f"CREATE TABLE {name} AS SELECT * FROM himaya_arrow")  # noqa: S608
    connection.unregister("himaya_arrow")


def cluster_mean_probability(records: int) -> float:
    """The mean probability two clusters need to merge, among ``records`` records.

    The prior (two records match) falls as 1 / ``records``, and every pair's probability
    with it; but the different children who look most alike, siblings, are as many per
    child at any size. So the probabilities of true pairs fall with the size, and those
    of siblings' pairs too, while the mean that separates them falls more slowly than
    the prior. Measured on synthetic sets of other seeds than the benchmark's: best
    about 0.5 at 5,000 records, 0.22 at 35,000, 0.1 at 100,000, 0.05 at 350,000.
    """
    low, high = CLUSTER_MEAN_BOUNDS
    scaled = CLUSTER_MEAN_PROBABILITY * float((35_000 / max(1, records)) ** CLUSTER_MEAN_EXPONENT)
    return min(high, max(low, scaled))


def _clusters(
    ids: pl.Series,
    pairs: pl.DataFrame,
    threshold: float,
    frame: pl.DataFrame | None = None,
    records: int | None = None,
) -> pl.DataFrame:
    """Average-linkage clusters: the pairs from the most probable down to ``threshold``,
    each joining its two records' clusters when the mean probability of every pair
    between them reaches :func:`cluster_mean_probability` (of ``records``, the records
    the model was trained on: by default ``ids``) and no two of their records cannot be
    one child (:meth:`_Identity.excludes`); every record, in input order.
    """
    mean = cluster_mean_probability(len(ids) if records is None else records)
    names = ids.to_list()
    position = {name: i for i, name in enumerate(names)}
    left = [position[x] for x in pairs.get_column("record_id_l").to_list()]
    right = [position[x] for x in pairs.get_column("record_id_r").to_list()]
    probability = pairs.get_column("match_probability").to_list()
    scored: list[dict[int, float]] = [{} for _ in names]
    for a, b, p in zip(left, right, probability, strict=True):
        scored[a][b] = p
        scored[b][a] = p
    parent = list(range(len(names)))
    members: list[list[int]] = [[i] for i in range(len(names))]
    identities = _identities(frame, len(names))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    # The pairs are sorted by probability, most probable first.
    for a, b, p in zip(left, right, probability, strict=True):
        if p < threshold:
            break
        ra, rb = root(a), root(b)
        if ra == rb:
            continue
        if len(members[ra]) > len(members[rb]):
            ra, rb = rb, ra
        if identities[ra].excludes(identities[rb]):
            continue
        other = set(members[rb])
        total = sum(q for x in members[ra] for y, q in scored[x].items() if y in other)
        if total < mean * len(members[ra]) * len(members[rb]):
            continue
        parent[ra] = rb
        members[rb].extend(members[ra])
        members[ra] = []
        identities[rb].absorb(identities[ra])
    return pl.DataFrame(
        {"record_id": ids, "cluster_id": [names[root(i)] for i in range(len(names))]},
        schema={"record_id": pl.String, "cluster_id": pl.String},
    )


Date = tuple[int, int, int]
Name = tuple[str | None, str | None]

#: Sources whose exact birth dates come from the civil status (a wrong one is rare and
#: differs from the true one by a single part, or by day and month swapped).
CIVIL_STATUS_SOURCES = ("school", "rsu")


@dataclass
class _Identity:
    """What a cluster's records say of who its child is: Massar codes, the birth dates
    and first names written by the civil-status sources, and who was born the same day
    into which family under which first name (twins share the rest)."""

    codes: set[str]
    dates: set[Date]
    names: set[Name]
    #: (birth date, family-name key, first-name key) of the records with a full date.
    born: set[tuple[Date, str, str]]

    def excludes(self, other: _Identity) -> bool:
        """The two clusters hold two children (see :func:`_clusters`)."""
        return (
            any(_codes_differ(x, y) for x in self.codes for y in other.codes)
            or any(_dates_differ(x, y) for x in self.dates for y in other.dates)
            or any(_names_differ(x, y) for x in self.names for y in other.names)
            or any(
                d == e and f == g and _typos_apart(x, y) > 1
                for d, f, x in self.born
                for e, g, y in other.born
            )
        )

    def absorb(self, other: _Identity) -> None:
        self.codes |= other.codes
        self.dates |= other.dates
        self.names |= other.names
        self.born |= other.born


def _identities(frame: pl.DataFrame | None, size: int) -> list[_Identity]:
    """Per record: its Massar code, its civil-status birth date and first name, and its
    full birth date with its family and first names' keys."""
    identities = [_Identity(set(), set(), set(), set()) for _ in range(size)]
    if frame is None or frame.height != size:
        return identities

    def column(name: str) -> list[Any]:
        return frame.get_column(name).to_list() if name in frame.columns else [None] * size

    rows = zip(
        column("massar_code"),
        column("source"),
        column("birth_year"),
        column("birth_month"),
        column("birth_day"),
        column("fn_bw"),
        column("fn_lat"),
        column("fn_key"),
        column("sn_key"),
        strict=True,
    )
    for identity, (code, origin, year, month, day, arabic, latin, key, family) in zip(
        identities, rows, strict=True
    ):
        if code:
            identity.codes.add(code)
        if day is not None and key and family:
            # Born the same day into the same family with two first names: twins.
            identity.born.add(((year, month, day), family, key))
        if origin not in CIVIL_STATUS_SOURCES:
            continue
        if day is not None:
            identity.dates.add((year, month, day))
        if arabic or latin:
            identity.names.add((arabic, latin))
    return identities


def _codes_differ(a: str, b: str) -> bool:
    """Two Massar codes of two children: more than one character apart (a typo is one)."""
    return len(a) != len(b) or sum(x != y for x, y in zip(a, b, strict=True)) > 1


def _dates_differ(a: Date, b: Date) -> bool:
    """Two civil-status birth dates of two children: not one part apart, nor swapped."""
    if a[0] == b[0] and a[1] == b[2] and a[2] == b[1]:
        return False
    return sum(x != y for x, y in zip(a, b, strict=True)) > 1


def _names_differ(a: Name, b: Name) -> bool:
    """Two civil-status first names (Buckwalter, ``normalise_lat``) of two children.

    Both sources copy the civil register, so one child's two records differ by a typo
    (one letter, or two letters swapped) or a compound name cut short, not more. The
    Arabic decides; one letter apart in Arabic (حسن, حسين) is two children when the
    Latin spellings are also more than a typo apart (Hassan, Houssine). Without Arabic
    on both sides, nothing is decided: Latin spellings vary more.
    """
    if not (a[0] and b[0]):
        return False
    arabic = _typos_apart(a[0], b[0])
    if arabic != 1:
        return arabic > 1
    return bool(a[1] and b[1]) and _typos_apart(str(a[1]), str(b[1])) > 1


@lru_cache(maxsize=65_536)
def _typos_apart(a: str, b: str) -> int:
    """Edits between two names (0, 1 or 2 for more), a transposition one edit; a name
    that begins the other (Fatima, Fatimazahra) is 0."""
    if a.startswith(b) or b.startswith(a):
        return 0
    if abs(len(a) - len(b)) > 1:
        return 2
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return min(previous[-1], 2)


def _pairs(connection: duckdb.DuckDBPyConnection, table: str) -> pl.DataFrame:
    columns = {row[0] for row in connection.sql(f"DESCRIBE {table}").fetchall()}

    def weight(c: str) -> str:  # log2 Bayes factor, with its term-frequency adjustment
        if f"mw_{c}" not in columns:
            # A model trained before this comparison existed (``score_new`` with the
            # last run's model): it weighs nothing until the next run.
            return "(0.0)"
        tf = f" + coalesce(mw_tf_adj_{c}, 0)" if f"mw_tf_adj_{c}" in columns else ""
        return f"(mw_{c}{tf})"

    weights = ", ".join(f"round({weight(c)}, 2) AS weight_{c}" for c in COMPARISONS)
    agreeing = ", ".join(f"CASE WHEN {weight(c)} > 0 THEN '{c}' END" for c in COMPARISONS)
    sql = (
        f"SELECT record_id_l, record_id_r, match_probability, match_weight, "  # noqa: S608
        f"concat_ws(';', {agreeing}) AS agreeing, {weights} FROM {table} "
        "ORDER BY match_probability DESC, record_id_l, record_id_r"
    )
    return _frame(connection.sql(sql).arrow())


def _frame(table: Any) -> pl.DataFrame:
    result = pl.from_arrow(table)
    if not isinstance(result, pl.DataFrame):
        raise TypeError("expected a table")
    return result


def _empty_pairs() -> pl.DataFrame:
    schema: dict[str, Any] = {
        "record_id_l": pl.String,
        "record_id_r": pl.String,
        "match_probability": pl.Float64,
        "match_weight": pl.Float64,
        "agreeing": pl.String,
        **{f"weight_{c}": pl.Float64 for c in COMPARISONS},
    }
    return pl.DataFrame(schema=schema)


def _singletons(ids: pl.Series) -> pl.DataFrame:
    return pl.DataFrame({"record_id": ids, "cluster_id": ids})
