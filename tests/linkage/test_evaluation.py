"""Pairwise and B-cubed scores, and scored pairs made into clusters (himaya.linkage.evaluation)."""

from __future__ import annotations

import random
from itertools import combinations

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from himaya.linkage.evaluation import (
    bcubed_scores,
    clusters_from_pairs,
    codes,
    connected_components,
    evaluate,
    evaluate_pairs,
    evaluate_thresholds,
    pairwise_scores,
    positions,
    true_pairs,
)

# --- Worked by hand ---------------------------------------------------------------------


def test_split_and_merge_worked_by_hand() -> None:
    # Children {0,1,2} {3,4} {5}; the linker found {0,1} {2,3,4} {5}.
    # True pairs: C(3,2) + C(2,2) = 4; predicted pairs: C(2,2) + C(3,2) = 4;
    # correct: (0,1) and (3,4) = 2. Pairwise P = 2/4, R = 2/4, F1 = 0.5.
    # B-cubed precision per record: 0,1 -> 2/2; 2 -> 1/3; 3,4 -> 2/3; 5 -> 1: sum 14/3, / 6.
    # B-cubed recall per record: 0,1 -> 2/3; 2 -> 1/3; 3,4 -> 2/2; 5 -> 1: sum 14/3, / 6.
    result = evaluate([0, 0, 0, 1, 1, 2], ["x", "x", "y", "y", "y", "z"])
    assert result.pairwise.precision == 0.5
    assert result.pairwise.recall == 0.5
    assert result.pairwise.f1 == 0.5
    assert result.bcubed.precision == pytest.approx(14 / 18)
    assert result.bcubed.recall == pytest.approx(14 / 18)
    assert result.bcubed.f1 == pytest.approx(14 / 18)
    assert (result.true_pairs, result.predicted_pairs, result.correct_pairs) == (4, 4, 2)
    assert (result.records, result.true_clusters, result.predicted_clusters) == (6, 3, 3)


def test_everything_in_one_cluster_worked_by_hand() -> None:
    # Children {a,b} {c,d} {e}, all five records put together.
    # True pairs 1 + 1 = 2, predicted C(5,2) = 10, correct 2: P = 0.2, R = 1, F1 = 1/3.
    # B-cubed P: a,b,c,d -> 2/5, e -> 1/5: (4 * 0.4 + 0.2) / 5 = 0.36; R = 1;
    # F1 = 2 * 0.36 / 1.36.
    result = evaluate(["a", "a", "c", "c", "e"], [7, 7, 7, 7, 7])
    assert result.pairwise.precision == pytest.approx(0.2)
    assert result.pairwise.recall == 1.0
    assert result.pairwise.f1 == pytest.approx(1 / 3)
    assert result.bcubed.precision == pytest.approx(0.36)
    assert result.bcubed.recall == 1.0
    assert result.bcubed.f1 == pytest.approx(0.72 / 1.36)


def test_each_record_alone_worked_by_hand() -> None:
    # Children {0,1} {2}; every record alone. No predicted pair: precision 1 by
    # convention, recall 0/1 = 0, F1 0. B-cubed: P = 1; R = (1/2 + 1/2 + 1) / 3 = 2/3;
    # F1 = 2 * (2/3) / (5/3) = 0.8.
    result = evaluate([0, 0, 1], [0, 1, 2])
    assert (result.pairwise.precision, result.pairwise.recall, result.pairwise.f1) == (1, 0, 0)
    assert result.bcubed.precision == 1.0
    assert result.bcubed.recall == pytest.approx(2 / 3)
    assert result.bcubed.f1 == pytest.approx(0.8)


def test_labels_from_polars_series_and_strings() -> None:
    truth = pl.Series(["c1", "c1", "c2"])
    predicted = pl.Series([10, 10, 10])
    # True pairs 1, predicted 3, correct 1.
    assert pairwise_scores(truth, predicted).precision == pytest.approx(1 / 3)
    assert codes(pl.Series(["b", "a", "b"])).tolist() == [1, 0, 1]


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="2 true labels but 3"):
        evaluate([0, 0], [0, 0, 1])
    with pytest.raises(ValueError, match="no records"):
        evaluate([], [])
    with pytest.raises(ValueError, match="null"):
        evaluate(pl.Series([1, None]), pl.Series([1, 1]))
    with pytest.raises(ValueError, match="null"):
        codes(np.array(["a", None], dtype=object))


# --- Scored pairs -----------------------------------------------------------------------

IDS = ["r1", "r2", "r3", "r4", "r5", "r6"]
TRUTH = [0, 0, 0, 1, 1, 2]  # r1 r2 r3 | r4 r5 | r6
LEFT = ["r1", "r2", "r4", "r3", "r5"]
RIGHT = ["r2", "r3", "r5", "r4", "r6"]
SCORES = [0.95, 0.6, 0.9, 0.55, 0.1]


def test_pairs_at_a_high_threshold() -> None:
    # At 0.8: r1-r2 and r4-r5, so {r1,r2} {r3} {r4,r5} {r6}: 2 predicted pairs, both
    # correct, of 4 true pairs: P = 1, R = 0.5, F1 = 2/3.
    result = evaluate_pairs(TRUTH, LEFT, RIGHT, SCORES, 0.8, record_ids=IDS)
    assert result.pairwise.precision == 1.0
    assert result.pairwise.recall == 0.5
    assert result.pairwise.f1 == pytest.approx(2 / 3)


def test_pairs_at_several_thresholds() -> None:
    # 0.58 adds r2-r3: exactly the truth. 0.5 adds r3-r4: {r1..r5} {r6}, 10 predicted
    # pairs, 4 correct: P = 0.4, R = 1. The threshold is inclusive (0.6 keeps r2-r3).
    results = dict(
        evaluate_thresholds(TRUTH, LEFT, RIGHT, SCORES, [0.6, 0.58, 0.5], record_ids=IDS)
    )
    assert results[0.6].pairwise.f1 == 1.0
    assert results[0.58].bcubed.f1 == 1.0
    assert results[0.5].pairwise.precision == pytest.approx(0.4)
    assert results[0.5].pairwise.recall == 1.0


def test_pairs_by_position() -> None:
    result = evaluate_pairs(TRUTH, [0, 1, 3], [1, 2, 4], [1.0, 1.0, 1.0], 0.5)
    assert result.pairwise.f1 == 1.0


def test_unknown_or_repeated_record_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown record id: 'r9'"):
        evaluate_pairs(TRUTH, ["r1"], ["r9"], [1.0], 0.5, record_ids=IDS)
    with pytest.raises(ValueError, match="distinct"):
        positions(["a", "a"], ["a"])
    with pytest.raises(ValueError, match="0..2"):
        connected_components(3, [0], [3])


def test_clusters_from_pairs_with_and_without_threshold() -> None:
    assert clusters_from_pairs(4, [0, 2], [1, 3]).tolist() == [0, 0, 2, 2]
    assert clusters_from_pairs(4, [0, 2], [1, 3], [0.9, 0.1], 0.5).tolist() == [0, 0, 2, 3]
    with pytest.raises(ValueError, match="needs scores"):
        clusters_from_pairs(4, [0], [1], threshold=0.5)


def test_connected_components_of_a_long_shuffled_chain() -> None:
    order = np.random.default_rng(0).permutation(200_000)
    labels = connected_components(200_000, order[:-1], order[1:])
    assert set(labels.tolist()) == {0}


# --- Properties -------------------------------------------------------------------------

labellings = st.lists(st.integers(0, 6), min_size=1, max_size=40)


@st.composite
def two_labellings(draw: st.DrawFn) -> tuple[list[int], list[int]]:
    truth = draw(labellings)
    predicted = draw(st.lists(st.integers(0, 6), min_size=len(truth), max_size=len(truth)))
    return truth, predicted


def brute_pairwise(truth: list[int], predicted: list[int]) -> tuple[int, int, int]:
    pairs = list(combinations(range(len(truth)), 2))
    true = {(i, j) for i, j in pairs if truth[i] == truth[j]}
    found = {(i, j) for i, j in pairs if predicted[i] == predicted[j]}
    return len(true), len(found), len(true & found)


@given(two_labellings())
def test_pairwise_matches_counting_every_pair(labels: tuple[list[int], list[int]]) -> None:
    truth, predicted = labels
    result = evaluate(truth, predicted)
    assert (result.true_pairs, result.predicted_pairs, result.correct_pairs) == brute_pairwise(
        truth, predicted
    )


@given(two_labellings())
def test_bcubed_matches_record_by_record(labels: tuple[list[int], list[int]]) -> None:
    truth, predicted = labels
    n = len(truth)
    precision = recall = 0.0
    for i in range(n):
        same_cluster = [j for j in range(n) if predicted[j] == predicted[i]]
        same_child = [j for j in range(n) if truth[j] == truth[i]]
        both = len(set(same_cluster) & set(same_child))
        precision += both / len(same_cluster)
        recall += both / len(same_child)
    scores = bcubed_scores(truth, predicted)
    assert scores.precision == pytest.approx(precision / n)
    assert scores.recall == pytest.approx(recall / n)


@given(labellings, st.permutations(range(7)))
def test_a_perfect_prediction_scores_one_whatever_its_labels(
    truth: list[int], relabel: list[int]
) -> None:
    predicted = [relabel[label] for label in truth]
    result = evaluate(truth, predicted)
    for scores in (result.pairwise, result.bcubed):
        assert (scores.precision, scores.recall, scores.f1) == (1.0, 1.0, 1.0)


@given(labellings)
def test_each_record_alone_finds_no_pair(truth: list[int]) -> None:
    result = evaluate(truth, list(range(len(truth))))
    assert result.pairwise.precision == 1.0
    assert result.bcubed.precision == 1.0
    if len(set(truth)) == len(truth):  # the truth is singletons too
        assert result.pairwise.recall == result.pairwise.f1 == 1.0
    else:
        assert result.pairwise.recall == result.pairwise.f1 == 0.0
        assert result.bcubed.recall < 1.0


@given(two_labellings())
def test_swapping_truth_and_prediction_swaps_precision_and_recall(
    labels: tuple[list[int], list[int]],
) -> None:
    truth, predicted = labels
    forward, backward = evaluate(truth, predicted), evaluate(predicted, truth)
    for a, b in ((forward.pairwise, backward.pairwise), (forward.bcubed, backward.bcubed)):
        assert a.precision == pytest.approx(b.recall)
        assert a.recall == pytest.approx(b.precision)
        assert a.f1 == pytest.approx(b.f1)


@given(two_labellings(), st.randoms(use_true_random=False))
def test_record_order_does_not_matter(
    labels: tuple[list[int], list[int]], rnd: random.Random
) -> None:
    truth, predicted = labels
    order = list(range(len(truth)))
    rnd.shuffle(order)
    a = evaluate(truth, predicted)
    b = evaluate([truth[i] for i in order], [predicted[i] for i in order])
    assert a.pairwise == b.pairwise
    assert a.bcubed.precision == pytest.approx(b.bcubed.precision)
    assert a.bcubed.recall == pytest.approx(b.bcubed.recall)


@given(two_labellings())
def test_scores_lie_between_zero_and_one(labels: tuple[list[int], list[int]]) -> None:
    result = evaluate(*labels)
    for scores in (result.pairwise, result.bcubed):
        for value in (scores.precision, scores.recall, scores.f1):
            assert 0.0 <= value <= 1.0 + 1e-12


@given(two_labellings(), st.integers(0, 6), st.integers(0, 6))
def test_merging_two_predicted_clusters_never_lowers_recall(
    labels: tuple[list[int], list[int]], keep: int, merged: int
) -> None:
    truth, predicted = labels
    coarser = [keep if label == merged else label for label in predicted]
    assert evaluate(truth, coarser).pairwise.recall >= evaluate(truth, predicted).pairwise.recall
    assert (
        evaluate(truth, coarser).bcubed.recall >= evaluate(truth, predicted).bcubed.recall - 1e-12
    )


def reference_components(n: int, pairs: list[tuple[int, int]]) -> list[int]:
    parent = list(range(n))

    def root(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = root(a), root(b)
        parent[max(ra, rb)] = min(ra, rb)
    return [root(x) for x in range(n)]


@given(
    st.integers(1, 30).flatmap(
        lambda n: st.tuples(
            st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)))
        )
    )
)
def test_components_match_a_plain_union_find(graph: tuple[int, list[tuple[int, int]]]) -> None:
    n, pairs = graph
    left = [a for a, _ in pairs]
    right = [b for _, b in pairs]
    assert connected_components(n, left, right).tolist() == reference_components(n, pairs)


@given(labellings)
def test_the_true_pairs_give_back_the_truth(truth: list[int]) -> None:
    left, right = true_pairs(truth)
    assert len(left) == brute_pairwise(truth, truth)[0]
    assert bool((left < right).all())
    result = evaluate_pairs(truth, left, right, np.ones(len(left)), 1.0)
    assert result.pairwise.f1 == result.bcubed.f1 == 1.0
