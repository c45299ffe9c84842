"""A synthetic MICS6 child-labour file: a stratified two-stage sample (no Django).

Strata are the 12 regions crossed with urban and rural areas; in each stratum
clusters (PSUs, ``HH1``) are drawn, then about 20 households in each cluster,
and one child aged 5–17 in each household, as in the MICS6 ``fs`` file. The
child's work depends on its age, sex, area and on its cluster (a random
cluster effect), so that the design effect is well above 1. Variable names and
codes are those of ``mappings/mics6.yaml``; nothing here is real data.
"""

from __future__ import annotations

import numpy as np
import polars as pl

REGIONS = tuple(f"{i:02d}" for i in range(1, 13))
HOUSEHOLDS_PER_CLUSTER = 20


def _hours(rng: np.random.Generator, active: np.ndarray, scale: np.ndarray) -> np.ndarray:
    hours = np.minimum(np.round(rng.gamma(1.6, scale)), 97).astype(np.int64)
    return np.where(active, np.maximum(hours, 1), 0)


def generate(children: int, seed: int = 0) -> pl.DataFrame:
    """About ``children`` rows (whole clusters), MICS6 names, values as text as in a CSV."""
    rng = np.random.default_rng(seed)
    clusters = max(len(REGIONS) * 2 * 2, round(children / HOUSEHOLDS_PER_CLUSTER))
    strata = len(REGIONS) * 2
    # Unequal allocation: clusters per stratum proportional to a random size, at least 2.
    share = rng.uniform(0.5, 1.5, strata)
    per_stratum = np.maximum(2, np.round(share / share.sum() * clusters)).astype(np.int64)
    cluster_stratum = np.repeat(np.arange(strata), per_stratum)
    count = len(cluster_stratum)
    size = rng.integers(HOUSEHOLDS_PER_CLUSTER - 3, HOUSEHOLDS_PER_CLUSTER + 4, count)
    cluster_weight = rng.uniform(0.4, 2.5, count) * (1 + (cluster_stratum % 2))
    cluster_effect = rng.normal(0.0, 0.8, count)

    row_cluster = np.repeat(np.arange(count), size)
    n = len(row_cluster)
    stratum = cluster_stratum[row_cluster]
    region = stratum // 2
    rural = (stratum % 2) == 1
    age = rng.integers(5, 18, n)
    male = rng.random(n) < 0.51
    effect = cluster_effect[row_cluster]
    children_in_household = rng.integers(1, 5, n)
    weight = cluster_weight[row_cluster] * children_in_household
    weight = weight / weight.mean()

    logit = -2.6 + 1.1 * rural + 0.35 * male + 0.12 * (age - 11) + effect
    economic = rng.random(n) < 1 / (1 + np.exp(-logit))
    economic_hours = _hours(rng, economic, np.where(age >= 15, 14.0, 6.0))
    chores_logit = -0.4 + 0.3 * ~male + 0.08 * (age - 11) + 0.5 * effect
    chores = rng.random(n) < 1 / (1 + np.exp(-chores_logit))
    water = _hours(rng, chores & (rng.random(n) < 0.4), np.full(n, 2.0))
    wood = _hours(rng, chores & (rng.random(n) < 0.3), np.full(n, 2.0))
    tasks = _hours(rng, chores, np.full(n, 6.0 + 4.0 * ~male))

    def text(values: np.ndarray, present: np.ndarray | None = None) -> pl.Series:
        series = pl.Series(values.astype(str))
        return series if present is None else series.set(pl.Series(~present), None)

    def yes_no(p: float) -> np.ndarray:
        return np.where(rng.random(n) < p, "1", "2")

    def dont_know(hours: np.ndarray, present: np.ndarray) -> pl.Series:
        coded = np.where(rng.random(n) < 0.005, 98, hours)
        return text(coded, present)

    day = rng.integers(1, 29, n)
    month = rng.integers(1, 7, n)
    columns: dict[str, pl.Series] = {
        "HH1": text(row_cluster + 1),
        "HH2": text(np.concatenate([np.arange(1, s + 1) for s in size])),
        "stratum": text(stratum + 1),
        "HH6": pl.Series(np.where(rural, "2", "1")),
        "HH7": pl.Series(np.array(REGIONS)[region]),
        "FS7D": text(day),
        "FS7M": text(month),
        "FS7Y": text(np.full(n, 2025)),
        "HL4": pl.Series(np.where(male, "1", "2")),
        "CB3": text(age),
        "CL3": dont_know(economic_hours, economic),
    }
    hazard_p = {"CL4": 0.3, "CL5": 0.15, "CL6A": 0.2, "CL6B": 0.15, "CL6C": 0.1}
    hazard_p |= {"CL6D": 0.05, "CL6E": 0.08, "CL6X": 0.03}
    for name, p in hazard_p.items():
        columns[name] = text(yes_no(p), economic)
    columns["CL8"] = dont_know(water, water > 0)
    columns["CL10"] = text(wood, wood > 0)
    columns["CL13"] = dont_know(tasks, chores)
    columns["fsweight"] = pl.Series(np.round(weight, 6).astype(str))
    return pl.DataFrame(columns)
