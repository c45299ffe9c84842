"""How well a record linkage found the children: pairwise and B-cubed scores (no Django).

Clusters are given as one label per record, aligned by position: ``truth[i]`` and
``predicted[i]`` are record ``i``'s true and predicted cluster. Labels may be any
integers or strings (a numpy array, a list or a Polars series), never null::

    from himaya.linkage.evaluation import evaluate, evaluate_pairs

    evaluate(records["cluster"], predicted).line()
    evaluate_pairs(records["cluster"], left, right, scores, threshold=0.9,
                   record_ids=records["record_id"])

Both scores come from the contingency table of the two clusterings (how many records
each pair of true and predicted clusters share), never from the pairs themselves, so
350,000 records cost a sort:

- **pairwise**: a pair of records is *predicted* when both are in one predicted cluster
  and *true* when both are the same child. With ``n_ij`` the records true cluster ``i``
  and predicted cluster ``j`` share, ``n_i`` and ``n_j`` the clusters' sizes and
  ``C(n, 2) = n (n - 1) / 2``: correct pairs ``Σ C(n_ij, 2)``, predicted pairs
  ``Σ C(n_j, 2)``, true pairs ``Σ C(n_i, 2)``; precision = correct / predicted,
  recall = correct / true. With no predicted pairs precision is 1 (nothing was
  claimed wrongly); with no true pairs recall is 1; F1 is 0 when both are 0.
- **B-cubed** (Bagga and Baldwin, 1998): each record's precision is the share of its
  predicted cluster that is its own child, its recall the share of its child's records
  that are in its predicted cluster; both are averaged over records:
  ``P = Σ n_ij² / n_j / N`` and ``R = Σ n_ij² / n_i / N``.

Scored pairs (a linker's output) become clusters by connected components at a
threshold (``clusters_from_pairs``), with a vectorised union-find.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

IntArray = npt.NDArray[np.int64]
Labels = npt.ArrayLike | pl.Series


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, precision: float, recall: float) -> Scores:
        total = precision + recall
        return cls(precision, recall, 2 * precision * recall / total if total else 0.0)


@dataclass(frozen=True)
class Evaluation:
    """Pairwise and B-cubed scores of one predicted clustering, with its counts."""

    pairwise: Scores
    bcubed: Scores
    records: int
    true_clusters: int
    predicted_clusters: int
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    def line(self) -> str:
        p, b = self.pairwise, self.bcubed
        return (
            f"pairwise P {p.precision:.4f} R {p.recall:.4f} F1 {p.f1:.4f}; "
            f"B-cubed P {b.precision:.4f} R {b.recall:.4f} F1 {b.f1:.4f}; "
            f"{self.records:,} records, {self.true_clusters:,} children, "
            f"{self.predicted_clusters:,} predicted clusters, "
            f"{self.correct_pairs:,} of {self.predicted_pairs:,} predicted pairs correct, "
            f"{self.true_pairs:,} true pairs"
        )


def codes(labels: Labels) -> IntArray:
    """Cluster labels as integers 0..k-1 (equal labels, equal codes)."""
    if isinstance(labels, pl.Series):
        if labels.null_count():
            raise ValueError("cluster labels must not be null")
        labels = labels.to_numpy()
    values = np.asarray(labels)
    if values.ndim != 1:
        raise ValueError("cluster labels must be one-dimensional")
    if values.dtype == object and any(value is None for value in values.tolist()):
        raise ValueError("cluster labels must not be null")
    _, inverse = np.unique(values, return_inverse=True)
    return inverse.astype(np.int64).reshape(-1)


@dataclass(frozen=True)
class Contingency:
    """Sizes of the true clusters, of the predicted ones, and of their non-empty overlaps."""

    true_sizes: IntArray
    predicted_sizes: IntArray
    cell_sizes: IntArray
    cell_true: IntArray  # the true cluster of each cell
    cell_predicted: IntArray  # the predicted cluster of each cell

    @classmethod
    def of(cls, truth: Labels, predicted: Labels) -> Contingency:
        t, p = codes(truth), codes(predicted)
        if len(t) != len(p):
            raise ValueError(f"{len(t)} true labels but {len(p)} predicted ones")
        if not len(t):
            raise ValueError("no records to evaluate")
        width = int(p.max()) + 1
        cells, sizes = np.unique(t * width + p, return_counts=True)
        return cls(
            true_sizes=np.bincount(t).astype(np.int64),
            predicted_sizes=np.bincount(p).astype(np.int64),
            cell_sizes=sizes.astype(np.int64),
            cell_true=(cells // width).astype(np.int64),
            cell_predicted=(cells % width).astype(np.int64),
        )

    @property
    def records(self) -> int:
        return int(self.true_sizes.sum())


def _pairs(sizes: IntArray) -> int:
    return int((sizes * (sizes - 1) // 2).sum())


def pairwise_scores(truth: Labels, predicted: Labels) -> Scores:
    """Pairwise precision, recall and F1 of ``predicted`` against ``truth``."""
    return _pairwise(Contingency.of(truth, predicted))


def bcubed_scores(truth: Labels, predicted: Labels) -> Scores:
    """B-cubed precision, recall and F1 of ``predicted`` against ``truth``."""
    return _bcubed(Contingency.of(truth, predicted))


def _pairwise(table: Contingency) -> Scores:
    correct = _pairs(table.cell_sizes)
    predicted, true = _pairs(table.predicted_sizes), _pairs(table.true_sizes)
    return Scores.of(correct / predicted if predicted else 1.0, correct / true if true else 1.0)


def _bcubed(table: Contingency) -> Scores:
    squares = table.cell_sizes.astype(np.float64) ** 2
    precision = float((squares / table.predicted_sizes[table.cell_predicted]).sum())
    recall = float((squares / table.true_sizes[table.cell_true]).sum())
    return Scores.of(precision / table.records, recall / table.records)


def evaluate(truth: Labels, predicted: Labels) -> Evaluation:
    """Pairwise and B-cubed scores of ``predicted`` against ``truth``, with the counts."""
    table = Contingency.of(truth, predicted)
    return Evaluation(
        pairwise=_pairwise(table),
        bcubed=_bcubed(table),
        records=table.records,
        true_clusters=len(table.true_sizes),
        predicted_clusters=len(table.predicted_sizes),
        true_pairs=_pairs(table.true_sizes),
        predicted_pairs=_pairs(table.predicted_sizes),
        correct_pairs=_pairs(table.cell_sizes),
    )


# --- From scored pairs to clusters -----------------------------------------------------


def connected_components(n_records: int, left: npt.ArrayLike, right: npt.ArrayLike) -> IntArray:
    """Each record's component, labelled by its smallest record position.

    ``left[k]`` and ``right[k]`` are the positions (0..n_records-1) of the two records of
    pair ``k``. Union-find in numpy: every round hooks each tree's root under the
    smallest root it has an edge to, then compresses the paths; the roots with an edge
    at least halve each round, so there are O(log n) rounds of O(n + pairs) each.
    """
    a = np.asarray(left, dtype=np.int64).reshape(-1)
    b = np.asarray(right, dtype=np.int64).reshape(-1)
    if len(a) != len(b):
        raise ValueError(f"{len(a)} left records but {len(b)} right ones")
    if len(a) and (min(a.min(), b.min()) < 0 or max(a.max(), b.max()) >= n_records):
        raise ValueError(f"record positions must lie in 0..{n_records - 1}")
    parent = np.arange(n_records, dtype=np.int64)
    while len(a):
        a, b = parent[a], parent[b]  # every node's parent is its root here
        apart = a != b
        low = np.minimum(a[apart], b[apart])
        high = np.maximum(a[apart], b[apart])
        if not len(low):
            break
        np.minimum.at(parent, high, low)  # a root hooks under a smaller root: no cycle
        while True:
            grand = parent[parent]
            if np.array_equal(grand, parent):
                break
            parent = grand
        a, b = low, high  # the same connections, between roots
    return parent


def positions(record_ids: Labels, ids: Labels) -> IntArray:
    """Where each of ``ids`` is in ``record_ids`` (which must be distinct)."""
    known = np.asarray(record_ids.to_numpy() if isinstance(record_ids, pl.Series) else record_ids)
    wanted = np.asarray(ids.to_numpy() if isinstance(ids, pl.Series) else ids)
    order = np.argsort(known, kind="stable")
    ordered = known[order]
    if len(ordered) > 1 and bool((ordered[1:] == ordered[:-1]).any()):
        raise ValueError("record ids must be distinct")
    found = np.minimum(np.searchsorted(ordered, wanted), max(len(ordered) - 1, 0))
    known_here = ordered[found] == wanted if len(ordered) else np.zeros(len(wanted), bool)
    if not bool(np.all(known_here)):
        raise ValueError(f"unknown record id: {wanted[~known_here].tolist()[0]!r}")
    return order[found].astype(np.int64)


def clusters_from_pairs(
    n_records: int,
    left: npt.ArrayLike,
    right: npt.ArrayLike,
    scores: npt.ArrayLike | None = None,
    threshold: float | None = None,
) -> IntArray:
    """Predicted clusters: the connected components of the pairs scoring ``threshold`` or
    more (all pairs when no threshold is given)."""
    a = np.asarray(left, dtype=np.int64).reshape(-1)
    b = np.asarray(right, dtype=np.int64).reshape(-1)
    if threshold is not None:
        if scores is None:
            raise ValueError("a threshold needs scores")
        kept = np.asarray(scores, dtype=np.float64).reshape(-1) >= threshold
        if len(kept) != len(a):
            raise ValueError(f"{len(a)} pairs but {len(kept)} scores")
        a, b = a[kept], b[kept]
    return connected_components(n_records, a, b)


def _pair_positions(
    n_records: int, left: Labels, right: Labels, record_ids: Labels | None
) -> tuple[IntArray, IntArray]:
    if record_ids is None:
        return (
            np.asarray(left, dtype=np.int64).reshape(-1),
            np.asarray(right, dtype=np.int64).reshape(-1),
        )
    if len(np.asarray(record_ids)) != n_records:
        raise ValueError(f"{n_records} true labels but {len(np.asarray(record_ids))} record ids")
    return positions(record_ids, left), positions(record_ids, right)


def evaluate_pairs(
    truth: Labels,
    left: Labels,
    right: Labels,
    scores: npt.ArrayLike,
    threshold: float,
    *,
    record_ids: Labels | None = None,
) -> Evaluation:
    """The scores of a linker's pairs at a threshold, after connected components.

    ``left``/``right`` are record positions, or record ids when ``record_ids`` (aligned
    with ``truth``) is given.
    """
    return evaluate_thresholds(truth, left, right, scores, [threshold], record_ids=record_ids)[0][1]


def evaluate_thresholds(
    truth: Labels,
    left: Labels,
    right: Labels,
    scores: npt.ArrayLike,
    thresholds: Iterable[float],
    *,
    record_ids: Labels | None = None,
) -> list[tuple[float, Evaluation]]:
    """``evaluate_pairs`` at each threshold, the pairs' positions found once."""
    t = codes(truth)
    a, b = _pair_positions(len(t), left, right, record_ids)
    values = np.asarray(scores, dtype=np.float64).reshape(-1)
    if len(values) != len(a) or len(a) != len(b):
        raise ValueError(f"{len(a)} left records, {len(b)} right ones and {len(values)} scores")
    return [
        (threshold, evaluate(t, clusters_from_pairs(len(t), a, b, values, threshold)))
        for threshold in thresholds
    ]


def true_pairs(truth: Labels) -> tuple[IntArray, IntArray]:
    """Every pair of records of the same child, as positions with left < right.

    There are Σ C(n_i, 2) of them: an oracle for tests and small sets, not a way to score.
    """
    t = codes(truth)
    order = np.argsort(t, kind="stable")
    sizes = np.bincount(t)
    size = sizes[t[order]]  # the size of each sorted record's cluster
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])[t[order]]
    rank = np.arange(len(t)) - first  # its place within its cluster
    after = size - 1 - rank  # how many records of its cluster come after it
    total = int(after.sum())
    left = np.repeat(np.arange(len(t)), after)
    step = np.arange(total) - np.repeat(np.cumsum(after) - after, after)
    a, b = order[left], order[left + 1 + step]
    return np.minimum(a, b).astype(np.int64), np.maximum(a, b).astype(np.int64)
