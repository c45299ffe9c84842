"""Benchmark of inspection risk scoring and monthly planning (``himaya.inspection.risk``).

Synthetic data, seeded: 200,000 establishments over 1,503 communes, ~80
inspection offices (each commune belongs to one office) with 5–15 inspectors
of capacity 20–40 visits a month each; 3 % of the establishments have a
follow-up deadline around the month, 1 % are pinned to an inspector.

Measures, each the median of ``--runs`` runs: scoring every establishment,
scoring every commune, planning one month for every office (candidates grouped
by office), and the total. Target (issue): scoring and planning for 200,000
establishments in at most 10 s. Pure numpy: no database, no Django.

    .venv/bin/python bench/bench_inspection.py [--establishments 200000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from himaya.inspection.risk import (
    NO_PIN,
    SECTOR_WEIGHTS,
    CandidateTable,
    CommuneInputs,
    EstablishmentInputs,
    Inspector,
    Plan,
    RiskScores,
    explain,
    plan_month,
    score_communes,
    score_establishments,
)

COMMUNES = 1_503
OFFICES = 80
MONTH_START, MONTH_END = date(2026, 12, 1), date(2026, 12, 31)
TARGET_SECONDS = 10.0


@dataclass(frozen=True)
class World:
    establishments: EstablishmentInputs
    office: npt.NDArray[np.int64]  # per establishment
    follow_up_deadlines: npt.NDArray[np.datetime64]
    pinned: npt.NDArray[np.int64]
    inspectors: list[list[Inspector]]  # per office


def synthetic(establishments: int, seed: int = 11) -> World:
    """Communes with census-like figures, establishments spread by child population."""
    rng = np.random.default_rng(seed)
    children = np.round(rng.lognormal(np.log(2_500), 1.1, COMMUNES))
    schooling = np.clip(100 - rng.gamma(1.5, 2.5, COMMUNES), 0, 100)
    children[rng.choice(COMMUNES, 7, replace=False)] = np.nan
    schooling[rng.choice(COMMUNES, 6, replace=False)] = np.nan
    communes = CommuneInputs(
        ids=np.array([f"{i:02d}.{i:04d}" for i in range(COMMUNES)]),
        children_5_17=children,
        schooling_rate_6_11=schooling,
    )
    commune_office = np.sort(rng.integers(0, OFFICES, COMMUNES)).astype(np.int64)

    weight = np.nan_to_num(children, nan=float(np.nanmedian(children)))
    commune = rng.choice(COMMUNES, establishments, p=weight / weight.sum()).astype(np.int64)
    sectors = np.array(list(SECTOR_WEIGHTS))
    sector_share = np.array([0.25, 0.01, 0.12, 0.03, 0.04, 0.15, 0.03, 0.2, 0.1, 0.04, 0.03])
    months = rng.exponential(18.0, establishments)
    months[rng.random(establishments) < 0.3] = np.nan  # never visited
    table = EstablishmentInputs(
        ids=np.arange(1, establishments + 1, dtype=np.int64),
        sectors=rng.choice(sectors, establishments, p=sector_share / sector_share.sum()),
        children_found=rng.poisson(0.2, establishments),
        repeat_offences=rng.poisson(0.05, establishments),
        months_since_visit=months,
        informal=rng.random(establishments) < 0.4,
        commune=commune,
        communes=communes,
    )

    inspectors: list[list[Inspector]] = []
    next_id = 1
    for _ in range(OFFICES):
        size = int(rng.integers(5, 16))
        capacities = rng.integers(20, 41, size)
        inspectors.append([Inspector(next_id + k, int(c)) for k, c in enumerate(capacities)])
        next_id += size

    office = commune_office[commune]
    start = np.datetime64(MONTH_START, "D")
    deadlines = np.full(establishments, np.datetime64("NaT"), dtype="datetime64[D]")
    follow_up = rng.random(establishments) < 0.03
    deadlines[follow_up] = start + rng.integers(-30, 61, int(follow_up.sum())).astype(
        "timedelta64[D]"
    )
    pinned = np.full(establishments, NO_PIN, dtype=np.int64)
    for e in np.flatnonzero(rng.random(establishments) < 0.01).tolist():
        staff = inspectors[int(office[e])]
        pinned[e] = staff[int(rng.integers(0, len(staff)))].id
    return World(table, office, deadlines, pinned, inspectors)


def plan_offices(world: World, scores: RiskScores) -> list[Plan]:
    """One plan per office, from its establishments (grouped with one argsort)."""
    order = np.argsort(world.office, kind="stable")
    bounds = np.searchsorted(world.office[order], np.arange(OFFICES + 1))
    plans = []
    for office in range(OFFICES):
        rows = order[bounds[office] : bounds[office + 1]]
        candidates = CandidateTable(
            establishments=world.establishments.ids[rows],
            scores=scores.score[rows],
            follow_up_deadlines=world.follow_up_deadlines[rows],
            pinned_inspectors=world.pinned[rows],
        )
        plans.append(plan_month(candidates, world.inspectors[office], MONTH_START, MONTH_END))
    return plans


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--establishments", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    print(
        f"inspection risk and planning — {platform.node()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, numpy {np.__version__}, "
        f"{date.today().isoformat()}, "  # noqa: DTZ011
        f"load average {os.getloadavg()[0]:.1f}"
    )
    start = time.perf_counter()
    world = synthetic(args.establishments, args.seed)
    inspectors = sum(len(staff) for staff in world.inspectors)
    capacity = sum(i.capacity for staff in world.inspectors for i in staff)
    print(
        f"synthetic_data: {time.perf_counter() - start:.2f} s, {args.establishments:,} "
        f"establishments, {COMMUNES:,} communes, {OFFICES} offices, {inspectors:,} inspectors, "
        f"{capacity:,} visits of capacity (not counted in the total)"
    )

    timings: dict[str, list[float]] = {"scoring": [], "communes": [], "planning": [], "total": []}
    for _ in range(args.runs):
        t0 = time.perf_counter()
        scores = score_establishments(world.establishments)
        t1 = time.perf_counter()
        commune_scores = score_communes(world.establishments, scores)
        t2 = time.perf_counter()
        plans = plan_offices(world, scores)
        t3 = time.perf_counter()
        for name, seconds in zip(timings, (t1 - t0, t2 - t1, t3 - t2, t3 - t0), strict=True):
            timings[name].append(seconds)

    def median_ms(name: str) -> float:
        return statistics.median(timings[name]) * 1e3

    note = f"median of {args.runs} runs"
    print(
        f"score_establishments: {median_ms('scoring'):.1f} ms, {note}; "
        f"mean score {scores.score.mean():.1f}, max {scores.score.max():.1f}"
    )
    print(
        f"score_communes: {median_ms('communes'):.1f} ms, {note}; "
        f"mean score {np.nanmean(commune_scores.score):.1f}"
    )
    visits = sum(len(plan.visits) for plan in plans)
    follow_ups = sum(
        1 for plan in plans for visit in plan.visits if visit.reason == "follow_up_due"
    )
    reasons = Counter(item.reason for plan in plans for item in plan.unplanned)
    unplanned = ", ".join(f"{reason} {n:,}" for reason, n in sorted(reasons.items())) or "none"
    not_selected = sum(len(plan.not_selected) for plan in plans)
    print(
        f"plan_month, {OFFICES} offices: {median_ms('planning'):.1f} ms, {note}; "
        f"{visits:,} visits planned ({follow_ups:,} follow-ups due), unplanned: {unplanned}; "
        f"{not_selected:,} not selected"
    )
    total = median_ms("total") / 1e3
    print(f"total: {total:.2f} s, {note} (target ≤ {TARGET_SECONDS:.0f} s)")

    start = time.perf_counter()
    for i in range(1_000):
        explain(scores, i)
    elapsed_ms = (time.perf_counter() - start) * 1e3
    print(f"explain: {elapsed_ms / 1_000:.3f} ms per establishment, 1,000 in turn")
    assert visits <= capacity


if __name__ == "__main__":
    main()
