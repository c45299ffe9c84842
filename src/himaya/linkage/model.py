"""One child, one record: a Splink model on DuckDB over prepared records (no Django).

``link(frame, threshold)`` takes the records as :func:`himaya.linkage.inputs.prepare`
leaves them, trains the model (u by random sampling on a capped number of pairs, m by
expectation maximisation on blocked pairs of a sample), scores the blocked pairs and
clusters them by average linkage (pairs at or above ``threshold`` join two clusters
only when the pairs between them are, on average, probable enough, and never when they
hold two Massar codes or two civil-status birth dates of two children). It returns every
record with its cluster and the scored pairs, each with its match probability, the match
weight of every comparison (``bf_*`` as log2 weights) and the comparisons that agreed.

Names are compared on the keys of decision 0007: Buckwalter between Arabic spellings,
``normalise_lat`` between Latin ones, the romanisations of an Arabic name against a Latin
one, and the phonetic key between either; never Levenshtein on raw Arabic. Common first
and family names weigh less than rare ones (term frequencies of the phonetic key). The
RSU number and the guardian's CNIE identify a household: they count only when the first
names and the birth years already agree, so they never join two siblings.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import duckdb
import polars as pl
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator

#: Pairs scored at or above this probability may join two records' clusters.
DEFAULT_THRESHOLD = 0.2

#: Two clusters merge only when the mean probability of all the pairs between them (a pair
#: not scored counts as 0) reaches this: one strong link no longer chains two children.
CLUSTER_MEAN_PROBABILITY = 0.22

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
)


Levels = list[ComparisonLevelCreator | dict[str, Any]]


def _levels(*levels: ComparisonLevelCreator) -> Levels:
    return list(levels)


def _same_spelling(p: str) -> str:
    """Same normalised spelling in one script, or an Arabic one romanised as the Latin."""
    return (
        f"coalesce({p}_bw_l = {p}_bw_r, true) AND coalesce({p}_lat_l = {p}_lat_r, true) "
        f"AND coalesce({p}_bw_l = {p}_bw_r OR {p}_lat_l = {p}_lat_r "
        f"OR list_has_any({p}_lats_l, {p}_lats_r), false)"
    )


def _name_levels(p: str, other: str) -> Levels:
    """Levels of one name (``fn``, ``sn`` or ``fa``); ``other`` is the name it swaps with."""
    lats_jw = (
        f"list_max(list_transform({p}_lats_l, lambda x: list_max(list_transform({p}_lats_r, "
        f"lambda y: jaro_winkler_similarity(x, y)))))"
    )
    keys_agree = (
        f"({p}_key_l = {p}_key_r OR {p}_key_l = {p}_key2_r OR {p}_key2_l = {p}_key_r "
        f"OR {p}_key2_l = {p}_key2_r)"
    )
    return [
        cll.CustomLevel(f"{p}_key_l IS NULL OR {p}_key_r IS NULL").configure(
            is_null_level=True, label_for_charts="null"
        ),
        cll.CustomLevel(_same_spelling(p), "same spelling").configure(
            tf_adjustment_column=f"{p}_key", tf_adjustment_weight=1.0
        ),
        cll.CustomLevel(
            f"{p}_key_l = {p}_key_r AND (coalesce(levenshtein({p}_bw_l, {p}_bw_r) > 1, false) "
            f"OR coalesce(jaro_winkler_similarity({p}_lat_l, {p}_lat_r) < 0.85, false))",
            "same phonetic key, spelled apart in one script",
        ).configure(
            # Two first names written apart in the same script are two children (twins
            # Hassan and Houssine share the key HSN): fixed, not learnt, stronger than a
            # disagreement.
            m_probability=1e-7,
            fix_m_probability=True,
        ),
        cll.ExactMatchLevel(f"{p}_key", term_frequency_adjustments=True).configure(
            label_for_charts="same phonetic key"
        ),
        cll.CustomLevel(keys_agree, "same phonetic key in one script").configure(
            tf_adjustment_column=f"{p}_key", tf_adjustment_weight=0.5
        ),
        cll.CustomLevel(
            f"levenshtein({p}_bw_l, {p}_bw_r) <= 1 "
            f"OR jaro_winkler_similarity({p}_lat_l, {p}_lat_r) >= 0.9 "
            f"OR coalesce({lats_jw} >= 0.9, false)",
            "close spelling",
        ),
        cll.CustomLevel(
            f"{p}_key_l = {other}_key_r AND {other}_key_l = {p}_key_r",
            "swapped with the other name",
        ),
        cll.ElseLevel(),
    ]


def _birth_levels() -> Levels:
    both_days = "birth_day_l IS NOT NULL AND birth_day_r IS NOT NULL"
    same_year = "birth_year_l = birth_year_r"
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
        cll.CustomLevel(
            f"NOT ({both_days}) AND birth_year_lo_l <= birth_year_hi_r "
            "AND birth_year_lo_r <= birth_year_hi_l",
            "years compatible (age)",
        ),
        cll.CustomLevel(
            "birth_year_lo_l <= birth_year_hi_r + 1 AND birth_year_lo_r <= birth_year_hi_l + 1",
            "within a year",
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
        cl.CustomComparison(_name_levels("fn", "sn"), "first_name"),
        cl.CustomComparison(_name_levels("sn", "fn"), "family_name"),
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
        # Names swapped.
        "l.fn_key = r.sn_key AND l.sn_key = r.fn_key",
    ]


@dataclass(frozen=True)
class Linkage:
    """``clusters``: ``record_id``, ``cluster_id`` (every record); ``pairs``: scored pairs."""

    clusters: pl.DataFrame
    pairs: pl.DataFrame


_MODEL_COLUMNS = (
    "record_id",
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
    *(f"{p}_{k}" for p in ("fn", "sn", "fa") for k in ("key", "key2", "bw", "lat", "lats")),
)


def link(
    frame: pl.DataFrame,
    threshold: float = DEFAULT_THRESHOLD,
    *,
    seed: int = 1,
    memory_limit: str | None = None,
) -> Linkage:
    """Link prepared records; see the module's docstring."""
    ids = frame.get_column("record_id")
    data = frame.select(_MODEL_COLUMNS)
    if data.height < 2:
        return Linkage(_singletons(ids), _empty_pairs())
    connection = duckdb.connect()
    if memory_limit:
        connection.execute(f"SET memory_limit = '{memory_limit}'")
    connection.register("himaya_records_arrow", data.to_arrow())
    connection.execute("CREATE TABLE himaya_records AS SELECT * FROM himaya_records_arrow")
    connection.unregister("himaya_records_arrow")
    db_api = DuckDBAPI(connection)
    records = db_api.register("himaya_records")
    linker = Linker(records, settings(), log_level=logging.ERROR)
    training = linker.training
    # Same Massar code, or same first and family names in the same commune: about
    # two thirds of the true pairs of the synthetic set, nearly all of them true (a full
    # birth date in both records is too rare among the sources to serve).
    training.estimate_probability_two_random_records_match(
        [block_on("massar_code"), block_on("fn_key", "sn_key", "commune_code")],
        recall=PRIOR_RULES_RECALL,
    )
    training.estimate_u_using_random_sampling(
        max_pairs=min(U_MAX_PAIRS, data.height**2 / 2), seed=seed
    )
    sample = min(1.0, 200_000 / max(1, data.height))
    for rule in (block_on("fn_key", "sn_key"), block_on("birth_year_lo", "commune_code")):
        training.estimate_parameters_using_expectation_maximisation(
            rule, max_pairs=EM_MAX_PAIRS, record_sample_proportion=sample
        )
    predictions = linker.inference.predict(threshold_match_probability=0.01)
    # Table names come from Splink, never from the input.
    pairs = _pairs(connection, predictions.physical_name)
    connection.close()
    return Linkage(_clusters(ids, pairs, threshold, frame), pairs)


def _clusters(
    ids: pl.Series, pairs: pl.DataFrame, threshold: float, frame: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Average-linkage clusters: the pairs from the most probable down to ``threshold``,
    each joining its two records' clusters when the mean probability of every pair
    between them reaches :data:`CLUSTER_MEAN_PROBABILITY` and no two of their records
    cannot be one child (:func:`_cannot_link`); every record, in input order.
    """
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
    codes, dates = _identities(frame, len(names))

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
        if _cannot_link(codes[ra], codes[rb], dates[ra], dates[rb]):
            continue
        other = set(members[rb])
        total = sum(q for x in members[ra] for y, q in scored[x].items() if y in other)
        if total < CLUSTER_MEAN_PROBABILITY * len(members[ra]) * len(members[rb]):
            continue
        parent[ra] = rb
        members[rb].extend(members[ra])
        members[ra] = []
        codes[rb] |= codes[ra]
        dates[rb] |= dates[ra]
    return pl.DataFrame(
        {"record_id": ids, "cluster_id": [names[root(i)] for i in range(len(names))]},
        schema={"record_id": pl.String, "cluster_id": pl.String},
    )


Date = tuple[int, int, int]

#: Sources whose exact birth dates come from the civil status (a wrong one is rare and
#: differs from the true one by a single part, or by day and month swapped).
CIVIL_STATUS_SOURCES = ("school", "rsu")


def _identities(frame: pl.DataFrame | None, size: int) -> tuple[list[set[str]], list[set[Date]]]:
    """Per record: its Massar code, and its civil-status birth date (empty sets if none)."""
    codes: list[set[str]] = [set() for _ in range(size)]
    dates: list[set[Date]] = [set() for _ in range(size)]
    if frame is None or frame.height != size:
        return codes, dates
    source = frame.get_column("source").to_list() if "source" in frame.columns else [None] * size
    rows = zip(
        frame.get_column("massar_code").to_list(),
        source,
        frame.get_column("birth_year").to_list(),
        frame.get_column("birth_month").to_list(),
        frame.get_column("birth_day").to_list(),
        strict=True,
    )
    for i, (code, origin, year, month, day) in enumerate(rows):
        if code:
            codes[i].add(code)
        if origin in CIVIL_STATUS_SOURCES and day is not None:
            dates[i].add((year, month, day))
    return codes, dates


def _codes_differ(a: str, b: str) -> bool:
    """Two Massar codes of two children: more than one character apart (a typo is one)."""
    return len(a) != len(b) or sum(x != y for x, y in zip(a, b, strict=True)) > 1


def _dates_differ(a: Date, b: Date) -> bool:
    """Two civil-status birth dates of two children: not one part apart, nor swapped."""
    if a[0] == b[0] and a[1] == b[2] and a[2] == b[1]:
        return False
    return sum(x != y for x, y in zip(a, b, strict=True)) > 1


def _cannot_link(
    codes_a: set[str], codes_b: set[str], dates_a: set[Date], dates_b: set[Date]
) -> bool:
    """Two clusters that hold two children: different Massar codes, or different
    civil-status birth dates (school and RSU records)."""
    return any(_codes_differ(x, y) for x in codes_a for y in codes_b) or any(
        _dates_differ(x, y) for x in dates_a for y in dates_b
    )


def _pairs(connection: duckdb.DuckDBPyConnection, table: str) -> pl.DataFrame:
    columns = {row[0] for row in connection.sql(f"DESCRIBE {table}").fetchall()}

    def weight(c: str) -> str:  # log2 Bayes factor, with its term-frequency adjustment
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
