"""The Splink model (himaya.linkage.model) on small synthetic sets and hand-made records."""

from __future__ import annotations

import polars as pl
import pytest

from himaya.linkage.evaluation import evaluate
from himaya.linkage.inputs import COLUMNS, clean, prepare
from himaya.linkage.model import COMPARISONS, Linkage, _clusters, link
from himaya.linkage.synthetic import generate

# Hand-made records, appended to a synthetic set so that the model has data to learn from.
# Twins: same family, birth date and household, different first names. Their elder
# sibling: same household, another year. Then one child written in Latin by an
# inspector (age only) and in Arabic by an association (birth year only).
HAND_MADE = [
    {
        "record_id": "T1",
        "source": "rsu",
        "first_name_ar": "حسن",
        "family_name_ar": "الزرهوني",
        "first_name_lat": "HASSAN",
        "family_name_lat": "ZERHOUNI",
        "sex": "M",
        "birth_date": "2010-04-12",
        "birth_date_precision": "day",
        "observed_on": "2025-03-31",
        "commune_code": "04.281.09.15",
        "guardian_cnie": "QA123456",
        "rsu_id": "998877665544",
    },
    {
        "record_id": "T2",
        "source": "rsu",
        "first_name_ar": "حسين",
        "family_name_ar": "الزرهوني",
        "first_name_lat": "HOUSSINE",
        "family_name_lat": "ZERHOUNI",
        "sex": "M",
        "birth_date": "2010-04-12",
        "birth_date_precision": "day",
        "observed_on": "2025-03-31",
        "commune_code": "04.281.09.15",
        "guardian_cnie": "QA123456",
        "rsu_id": "998877665544",
    },
    {
        "record_id": "T3",
        "source": "rsu",
        "first_name_ar": "خديجة",
        "family_name_ar": "الزرهوني",
        "first_name_lat": "KHADIJA",
        "family_name_lat": "ZERHOUNI",
        "sex": "F",
        "birth_date": "2008-09-01",
        "birth_date_precision": "day",
        "observed_on": "2025-03-31",
        "commune_code": "04.281.09.15",
        "guardian_cnie": "QA123456",
        "rsu_id": "998877665544",
    },
    {
        "record_id": "L1",
        "source": "inspection",
        "first_name_lat": "Abderrahim",
        "family_name_lat": "Oukili",
        "sex": "M",
        "age": "14",
        "observed_on": "2024-05-10",
        "commune_code": "07.427.07.19",
    },
    {
        "record_id": "A1",
        "source": "association",
        "first_name_ar": "عبد الرحيم",
        "family_name_ar": "الوكيلي",
        "sex": "M",
        "birth_date": "2010",
        "birth_date_precision": "year",
        "observed_on": "2024-02-01",
        "commune_code": "07.427.07.19",
    },
]


def _hand_made() -> pl.DataFrame:
    rows = [{c: row.get(c) for c in COLUMNS} for row in HAND_MADE]
    return pl.DataFrame(rows, schema=dict.fromkeys(COLUMNS, pl.String))


@pytest.fixture(scope="module")
def synthetic() -> tuple[pl.DataFrame, Linkage]:
    records = generate(2000, seed=3).records
    frame = pl.concat([records.drop("cluster"), _hand_made()])
    checked = clean(frame)
    return records, link(prepare(checked.frame))


def _baseline(records: pl.DataFrame) -> pl.Series:
    """Exact agreement on the names as written and the birth date."""
    key = pl.concat_str(
        [
            pl.coalesce("first_name_lat", "first_name_ar"),
            pl.coalesce("family_name_lat", "family_name_ar"),
            pl.col("birth_date"),
        ],
        separator="|",
    )
    return records.select(
        pl.when(key.is_null()).then(pl.col("record_id")).otherwise(key).alias("b")
    ).to_series()


def test_beats_exact_matching_by_a_wide_margin(synthetic: tuple[pl.DataFrame, Linkage]) -> None:
    records, result = synthetic
    joined = records.join(result.clusters, on="record_id", how="inner")
    model = evaluate(joined["cluster"].to_numpy(), joined["cluster_id"].to_numpy())
    baseline = evaluate(records["cluster"].to_numpy(), _baseline(records).to_numpy())
    assert model.pairwise.f1 >= 0.7
    assert model.pairwise.f1 >= baseline.pairwise.f1 + 0.3
    assert model.bcubed.f1 >= 0.85
    assert model.pairwise.precision >= 0.9


def test_every_record_has_a_cluster(synthetic: tuple[pl.DataFrame, Linkage]) -> None:
    records, result = synthetic
    ids = set(result.clusters["record_id"].to_list())
    assert {"T1", "T2", "T3", "L1", "A1"} <= ids
    assert result.clusters["record_id"].is_unique().all()
    assert result.clusters["cluster_id"].null_count() == 0


def _cluster(result: Linkage, record_id: str) -> str:
    found = result.clusters.filter(pl.col("record_id") == record_id)["cluster_id"]
    return str(found.item())


def test_twins_and_siblings_stay_apart(synthetic: tuple[pl.DataFrame, Linkage]) -> None:
    _, result = synthetic
    clusters = {_cluster(result, r) for r in ("T1", "T2", "T3")}
    assert len(clusters) == 3


def test_household_identifiers_weigh_nothing_between_siblings(
    synthetic: tuple[pl.DataFrame, Linkage],
) -> None:
    _, result = synthetic
    pairs = result.pairs.filter(
        pl.col("record_id_l").is_in(["T1", "T2", "T3"])
        & pl.col("record_id_r").is_in(["T1", "T2", "T3"])
    )
    assert pairs.height >= 1
    assert (pairs["weight_household"] == 0).all()
    assert (pairs["match_probability"] < 0.5).all()


def test_latin_only_links_to_arabic_only(synthetic: tuple[pl.DataFrame, Linkage]) -> None:
    _, result = synthetic
    assert _cluster(result, "L1") == _cluster(result, "A1")
    pair = result.pairs.filter(
        pl.col("record_id_l").is_in(["L1", "A1"]) & pl.col("record_id_r").is_in(["L1", "A1"])
    )
    assert pair.height == 1
    agreeing = str(pair["agreeing"].item()).split(";")
    assert {"first_name", "family_name", "birth"} <= set(agreeing)


def test_pairs_carry_their_explanation(synthetic: tuple[pl.DataFrame, Linkage]) -> None:
    _, result = synthetic
    assert {f"weight_{c}" for c in COMPARISONS} <= set(result.pairs.columns)
    top = result.pairs.row(0, named=True)
    assert top["match_probability"] > 0.99
    total = sum(top[f"weight_{c}"] for c in COMPARISONS)
    # The match weight is the prior plus the weight of every comparison.
    assert top["match_weight"] > total - 20


def test_one_record_is_its_own_cluster() -> None:
    frame = prepare(clean(_hand_made().head(1)).frame)
    result = link(frame)
    assert result.clusters.to_dicts() == [{"record_id": "T1", "cluster_id": "T1"}]
    assert result.pairs.height == 0


def test_two_children_never_share_a_cluster() -> None:
    # A, B: different Massar codes; C, D: RSU records born on different days and months.
    # E, F: one typo apart in the code, a day apart in the date: one child.
    frame = pl.DataFrame(
        {
            "record_id": ["A", "B", "C", "D", "E", "F"],
            "source": ["school", "association", "rsu", "rsu", "school", "rsu"],
            "massar_code": ["J130000001", "J130000777", None, None, "K1", "K2"],
            "birth_year": [2012, 2012, 2010, 2010, 2011, 2011],
            "birth_month": [3, None, 4, 5, 6, 6],
            "birth_day": [1, None, 12, 20, 7, 8],
        }
    )
    pairs = pl.DataFrame(
        {
            "record_id_l": ["A", "C", "E"],
            "record_id_r": ["B", "D", "F"],
            "match_probability": [0.99, 0.98, 0.97],
        }
    )
    clusters = _clusters(frame["record_id"], pairs, 0.5, frame)
    found = dict(clusters.iter_rows())
    assert found["A"] != found["B"]
    assert found["C"] != found["D"]
    assert found["E"] == found["F"]
