"""``himaya link``: clusters for every good row, pairs explained, bad rows reported."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from himaya.linkage.inputs import BAD_AGE, BAD_DATE, BAD_SEX, DUPLICATE, NO_NAME, clean
from himaya.linkage.synthetic import generate


@pytest.fixture(scope="module")
def input_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("link") / "records.csv"
    records = generate(400, seed=5).records.drop("cluster")
    # Any column order.
    records.select(list(reversed(records.columns))).write_csv(path)
    return path


def test_clusters_and_pairs(input_csv: Path, tmp_path: Path) -> None:
    output, pairs = tmp_path / "clusters.csv", tmp_path / "pairs.csv"
    call_command("link", str(input_csv), "--output", str(output), "--pairs", str(pairs))
    clusters = pl.read_csv(output, infer_schema=False)
    records = pl.read_csv(input_csv, infer_schema=False)
    assert clusters.columns == ["record_id", "cluster_id"]
    good = clean(records).frame
    assert clusters["record_id"].to_list() == good["record_id"].to_list()
    assert clusters["cluster_id"].n_unique() < clusters.height
    scored = pl.read_csv(pairs)
    assert {"record_id_l", "record_id_r", "match_probability", "agreeing"} <= set(scored.columns)
    assert scored["match_probability"].is_between(0, 1).all()


def test_bad_rows_are_reported_and_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    rows = generate(60, seed=7).records.drop("cluster")
    rows = rows.with_columns(
        pl.when(pl.int_range(pl.len()) == 1).then(pl.lit("X")).otherwise("sex").alias("sex"),
        pl.when(pl.int_range(pl.len()) == 2)
        .then(pl.lit("2010-13-45"))
        .otherwise("birth_date")
        .alias("birth_date"),
        pl.when(pl.int_range(pl.len()) == 2)
        .then(pl.lit("day"))
        .otherwise("birth_date_precision")
        .alias("birth_date_precision"),
        pl.when(pl.int_range(pl.len()) == 3).then(pl.lit("ten")).otherwise("age").alias("age"),
    )
    duplicate = rows.head(1)
    nameless = rows.slice(4, 1).with_columns(
        [pl.lit(None, pl.String).alias(c) for c in rows.columns if "_name_" in c]
    )
    pl.concat([rows, duplicate, nameless]).write_csv(path)
    output = tmp_path / "clusters.csv"
    with pytest.raises(SystemExit) as exit_:
        call_command("link", str(path), "--output", str(output))
    assert exit_.value.code == 1
    err = capsys.readouterr().err.splitlines()
    assert f"row 2: sex: {BAD_SEX}" in err
    assert f"row 3: birth_date: {BAD_DATE}" in err
    assert f"row 4: age: {BAD_AGE}" in err
    assert f"row 61: record_id: {DUPLICATE}" in err
    assert f"row 62: first_name: {NO_NAME}" in err
    assert pl.read_csv(output).height == 62 - 5


def test_file_refused(tmp_path: Path) -> None:
    path = tmp_path / "no_id.csv"
    path.write_text("name\nAli\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("link", str(path))
    assert error.value.returncode == 2


def test_engine_spark_runs_the_model_on_spark(
    input_csv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The Spark run itself is tested in test_spark.py; here, that the command hands the
    # prepared records, the threshold and the session of --spark-master to it.
    from himaya.linkage import model, spark

    calls: list[tuple[int, float, object]] = []
    sessions: list[str | None] = []

    def fake_session(master: str | None = None, **_: object) -> object:
        sessions.append(master)
        return "session"

    def fake_link(frame: pl.DataFrame, threshold: float, *, spark: object) -> model.Linkage:
        calls.append((frame.height, threshold, spark))
        assert "fn_key" in frame.columns  # prepared
        return model.link(frame, threshold)

    monkeypatch.setattr(spark, "spark_session", fake_session)
    monkeypatch.setattr(spark, "link", fake_link)
    output = tmp_path / "clusters.csv"
    call_command(
        "link",
        str(input_csv),
        "--output",
        str(output),
        "--engine",
        "spark",
        "--spark-master",
        "local[2]",
        "--threshold",
        "0.5",
    )
    good = clean(pl.read_csv(input_csv, infer_schema=False)).frame
    assert calls == [(good.height, 0.5, "session")]
    assert sessions == ["local[2]"]
    assert pl.read_csv(output, infer_schema=False)["record_id"].to_list() == (
        good["record_id"].to_list()
    )


def test_engine_must_be_known(input_csv: Path) -> None:
    with pytest.raises(CommandError):
        call_command("link", str(input_csv), "--engine", "postgres")
