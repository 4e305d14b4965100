"""Result.events built from the C++ columns (time as float64, text dictionary-encoded, each text
column gathered from its distinct str) against the list path it replaced (the peer: a str per cell,
then pandas from lists).

    .venv/bin/python bench/events_bench.py [SCENARIO] [--fleet-day=N] [--reps=3]

SCENARIO defaults to scenarios/examples/fleet-rollout.yaml; --fleet-day=N runs the generated
fleet-day of N workloads instead (`wlsim_fleet_day_bench --emit=N`, from $WLSIM_BENCH_BUILD_DIR or
build/release: `cmake --build --preset release --target wlsim_fleet_day_bench`). Runs the scenario
once, then prints the median wall (and CPU) seconds of: the C++ columns alone, Result.events
(columns and frame), the peer's lists and its frame, the ratio peer / Result.events, and (for
comparison only) the columns made into pandas Categorical instead. Both frames are checked equal."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import pandas
import wlsim
from wlsim import _core

REPO = Path(__file__).resolve().parents[1]


def fleet_day(workloads: int, directory: str) -> Path:
    build = Path(os.environ.get("WLSIM_BENCH_BUILD_DIR", REPO / "build/release"))
    exe = build / "bench/wlsim_fleet_day_bench"
    if not exe.exists():
        sys.exit(f"{exe} is missing: cmake --build --preset release --target wlsim_fleet_day_bench")
    path = Path(directory) / f"fleet-day-{workloads}.yaml"
    with path.open("wb") as out:
        subprocess.run([str(exe), f"--emit={workloads}"], stdout=out, check=True)
    return path


def peer_lists(cells: dict[str, Any]) -> dict[str, list[Any]]:
    """What the columns were before: one Python object per cell (a float, or a str decoded from the
    record's UTF-8 bytes, as PyUnicode_DecodeUTF8 made them in C++)."""
    out: dict[str, list[Any]] = {}
    for name, values in cells.items():
        out[name] = values.tolist() if name == "time" else list(map(bytes.decode, values))
    return out


def peer_frame(lists: dict[str, list[Any]]) -> pandas.DataFrame:
    return pandas.DataFrame(lists, columns=list(wlsim.EVENT_COLUMNS))


def categorical_frame(columns: dict[str, Any]) -> pandas.DataFrame:
    """For comparison only (Result.events keeps object columns of str): the same columns as pandas
    Categorical, which take the codes as they are."""
    data = {"time": columns["time"]}
    for name in wlsim.EVENT_COLUMNS[1:]:
        codes, texts = columns[name]
        data[name] = pandas.Categorical.from_codes(codes, categories=texts, validate=False)
    return pandas.DataFrame(data, columns=list(wlsim.EVENT_COLUMNS))


def median(f: Callable[[], Any], reps: int) -> tuple[float, float]:
    """Median wall and CPU seconds of f (CPU too: a busy machine stretches the wall time)."""
    walls, cpus = [], []
    for _ in range(reps):
        w, c = time.perf_counter(), time.process_time()
        f()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus)


def seconds(t: tuple[float, float]) -> str:
    return f"{t[0]:.3f} s (cpu {t[1]:.3f})"


def main(argv: list[str]) -> int:
    reps, workloads, paths = 3, 0, []
    for a in argv:
        if a.startswith("--reps="):
            reps = int(a.split("=", 1)[1])
        elif a.startswith("--fleet-day="):
            workloads = int(a.split("=", 1)[1])
        else:
            paths.append(a)
    with tempfile.TemporaryDirectory() as tmp:
        if workloads:
            scenario = fleet_day(workloads, tmp)
        else:
            scenario = Path(paths[0]) if paths else REPO / "scenarios/examples/fleet-rollout.yaml"
        loaded = wlsim.load(scenario)
    t = time.perf_counter()
    out = _core.run(loaded, None, True, None)
    run_s = time.perf_counter() - t
    trace = out["events"]

    def result() -> wlsim.Result:
        return wlsim.Result(scenario=loaded, seed=out["seed"], summary={}, trace_hash=out["trace_hash"],
                            event_columns=trace)

    frame = result().events
    # The peer's input, made untimed: each cell's UTF-8 bytes, as the records hold them.
    columns = trace.columns()
    cells: dict[str, Any] = {"time": columns["time"]}
    for name in wlsim.EVENT_COLUMNS[1:]:
        codes, texts = columns[name]
        encoded = [s.encode() for s in texts]
        cells[name] = [encoded[c] for c in codes.tolist()]
    lists = peer_lists(cells)
    pandas.testing.assert_frame_equal(peer_frame(lists), frame)
    del lists

    cols_s = median(trace.columns, reps)
    events_s = median(lambda: result().events, reps)
    lists_s = median(lambda: peer_lists(cells), reps)
    lists = peer_lists(cells)
    frame_s = median(lambda: peer_frame(lists), reps)
    peer_s = (lists_s[0] + frame_s[0], lists_s[1] + frame_s[1])
    categorical_s = median(lambda: categorical_frame(trace.columns()), reps)
    print(f"{scenario.name}: {len(frame):,} records, run {run_s:.2f} s, median of {reps}, pandas "
          f"{pandas.__version__} (text columns {frame['object'].dtype!r})")
    print(f"columns (C++, encoded) {seconds(cols_s)}  Result.events {seconds(events_s)}")
    print(f"peer: lists {seconds(lists_s)} + frame {seconds(frame_s)} = {seconds(peer_s)}")
    print(f"ratio peer / Result.events: wall {peer_s[0] / events_s[0]:.1f}x, "
          f"cpu {peer_s[1] / events_s[1]:.1f}x")
    print(f"(comparison) columns + Categorical frame {seconds(categorical_s)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
