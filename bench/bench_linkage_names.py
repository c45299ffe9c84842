"""Benchmark of the name keys of record linkage (``himaya.linkage.names``, issue 5).

On the synthetic test set (``himaya.linkage.synthetic``, 350,000 records, seed 0),
times ``add_name_keys`` on the four name columns (first and family names in each
script), without and with the romanisation of Arabic names, in a fresh process
each (the functions' caches start empty), and prints the time and the peak
resident memory. Pure Python and Polars; no Django.

    .venv/bin/python bench/bench_linkage_names.py [--records 350000] [--seed 0]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import time

COLUMNS = ("first_name_ar", "family_name_ar", "first_name_lat", "family_name_lat")


def _run(records: int, seed: int, romanise: bool) -> None:
    from himaya.linkage.names import add_name_keys
    from himaya.linkage.synthetic import generate

    frame = generate(records, seed=seed).records.select(COLUMNS)
    distinct = sum(frame[c].n_unique() for c in COLUMNS)
    start = time.perf_counter()
    for column in COLUMNS:
        frame = add_name_keys(frame, column, romanise=romanise)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    label = "with romanisation" if romanise else "without romanisation"
    print(
        f"{records:,} records, 4 name columns ({distinct:,} distinct values), keys "
        f"{label}: {elapsed:.2f} s, peak memory {peak:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=350_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    for romanise in (False, True):
        process = context.Process(target=_run, args=(args.records, args.seed, romanise))
        process.start()
        process.join()
        if process.exitcode:
            raise SystemExit(process.exitcode)


if __name__ == "__main__":
    main()
