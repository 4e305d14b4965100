"""Result.timeline against its row-by-row definition (the peer), on one run's trace.

    .venv/bin/python bench/timeline_bench.py [SCENARIO] [--reps=5]

Prints the intervals, the median seconds of each way (the events DataFrame built beforehand, so
only the timeline is timed) and their ratio."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import pandas
import wlsim


def row_by_row(result: wlsim.Result, kinds: tuple[str, ...]) -> pandas.DataFrame:
    ev = result.events
    ev = ev[ev["kind"].isin(kinds)]
    end_of_run = float(result.summary["simulatedSeconds"])
    rows = []
    for (obj, kind), group in ev.groupby(["object", "kind"], sort=False):
        times = group["time"].tolist()
        for i, (t, state) in enumerate(zip(times, group["to"].tolist())):
            end = times[i + 1] if i + 1 < len(times) else end_of_run
            rows.append({"object": obj, "kind": kind, "state": state, "start": t, "end": end, "duration": end - t})
    return pandas.DataFrame(rows, columns=["object", "kind", "state", "start", "end", "duration"])


def main(argv: list[str]) -> int:
    reps = 5
    paths = []
    for a in argv:
        if a.startswith("--reps="):
            reps = int(a.split("=", 1)[1])
        else:
            paths.append(a)
    scenario = paths[0] if paths else str(Path(__file__).parents[1] / "scenarios/examples/fleet-rollout.yaml")
    result = wlsim.run(scenario)
    _ = result.events
    kinds = wlsim.Result.TIMELINE_KINDS

    def median(f) -> float:
        times = []
        for _ in range(reps):
            t = time.perf_counter()
            f()
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    columns = median(lambda: result.timeline(kinds))
    rows = median(lambda: row_by_row(result, kinds))
    print(f"{Path(scenario).name}: {len(result.timeline(kinds))} intervals from {len(result.events)} records")
    print(f"timeline (columns) {columns:.4f} s  row by row {rows:.4f} s  ratio {rows / columns:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
