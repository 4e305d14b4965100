#!/usr/bin/env python3
"""The classical hold model in SimPy, to set wlsim's figures beside a real peer.

N processes each loop ``yield env.timeout(increment)``; the queue therefore always holds N pending
timeouts, and every event processed is one hold: pop the earliest timeout, resume its process, which
schedules the next one. Increments are exponential (mean 1 s, in integer microseconds, as in
wlsim_hold_bench), drawn up front and reused cyclically, so random-number cost is excluded. The
only extra work per event is one C-level counter call that also indexes the increments.

Usage: simpy_hold.py [--json] [--quick] [--sizes=100,10000,1000000] [--reps=5] [--events=200000]
  --json   one JSON object per size on stdout (bench/run combines them with wlsim_hold_bench --json)
  --quick  smoke run: 1e2 and 1e4 only, 2e4 events per repetition, 3 repetitions
  1e6 pending processes take about 1 GB of memory and 30-40 s (most of it set-up and warm-up).
Each repetition is timed with time.perf_counter_ns(); the headline is the median (min also given).
Process CPU time is taken alongside; wall_over_cpu > 1.05 means the machine was busy and the figures
are inflated.
"""

from __future__ import annotations

import gc
import itertools
import json
import random
import statistics
import sys
import time

try:
    import simpy
except ImportError:  # pragma: no cover - reported by bench/run
    sys.stderr.write(
        "simpy is not installed. Install it into the project's venv with\n"
        "  .venv/bin/pip install simpy==4.1.2\n"
        "(it is pinned in pyproject's test extras: .venv/bin/pip install -e '.[test]').\n"
    )
    sys.exit(3)

MEAN_US = 1_000_000  # exponential(1s) in microseconds
INCREMENT_COUNT = 1 << 20


def draw(n: int, rng: random.Random) -> list[int]:
    return [round(rng.expovariate(1.0 / MEAN_US)) for _ in range(n)]


def measure(n: int, events: int, reps: int) -> dict:
    rng = random.Random(20240601)
    incs = draw(INCREMENT_COUNT, rng)
    initial = draw(n, rng)
    mask = INCREMENT_COUNT - 1
    counter = itertools.count()
    tick = counter.__next__

    env = simpy.Environment()
    timeout = env.timeout

    def holder(first: int):
        yield timeout(first)
        while True:
            yield timeout(incs[tick() & mask])

    for t0 in initial:
        env.process(holder(t0))

    # In steady state the hold model processes N / mean events per unit of time; runs are bounded by
    # time (SimPy has no event-count limit) and the exact count is read from the counter.
    def run_events(target: int) -> tuple[int, int, int]:
        before = next(counter)
        until = env.now + target * MEAN_US / n
        cpu_start = time.process_time_ns()
        start = time.perf_counter_ns()
        env.run(until=until)
        elapsed = time.perf_counter_ns() - start
        cpu = time.process_time_ns() - cpu_start
        done = next(counter) - before - 1
        return elapsed, cpu, done

    gc.collect()
    gc.disable()  # the steady state allocates no cycles; keep the collector's pauses out
    try:
        run_events(max(events, 2 * n))  # warm-up: past the prefill transient
        per_event = []
        total = wall = cpu = 0
        for _ in range(reps):
            elapsed, cpu_ns, done = run_events(events)
            per_event.append(elapsed / done)
            total += done
            wall += elapsed
            cpu += cpu_ns
    finally:
        gc.enable()
    return {
        "bench": "simpy_hold",
        "pending": n,
        "events": total // reps,
        "reps": reps,
        "simpy_ns": round(statistics.median(per_event), 1),
        "simpy_min_ns": round(min(per_event), 1),
        "wall_over_cpu": round(wall / cpu, 3) if cpu else 1.0,
        "simpy_version": simpy.__version__,
        "python": sys.version.split()[0],
    }


def main(argv: list[str]) -> int:
    as_json = False
    sizes = [100, 10_000, 1_000_000]
    reps = 5
    events = 200_000
    for a in argv:
        if a == "--json":
            as_json = True
        elif a == "--quick":
            events, reps = 20_000, 3
            sizes = [s for s in sizes if s <= 10_000]
        elif a.startswith("--sizes="):
            sizes = [int(float(s)) for s in a[len("--sizes="):].split(",") if s]
        elif a.startswith("--reps="):
            reps = int(a[len("--reps="):])
        elif a.startswith("--events="):
            events = int(float(a[len("--events="):]))
        else:
            sys.stderr.write(__doc__)
            return 2
    if not as_json:
        print(f"SimPy {simpy.__version__} on Python {sys.version.split()[0]}: hold model, "
              "median of the repetitions (min in brackets)")
        print(f"{'pending':>9} {'events/rep':>10} {'reps':>4}  SimPy ns/event")
    for n in sizes:
        row = measure(n, events, reps)
        if as_json:
            print(json.dumps(row), flush=True)
        else:
            print(f"{n:>9} {row['events']:>10} {reps:>4}  {row['simpy_ns']:.0f} ({row['simpy_min_ns']:.0f})",
                  flush=True)
            if row["wall_over_cpu"] > 1.05:
                print(f"          warning: busy machine, wall time was {(row['wall_over_cpu'] - 1) * 100:.0f}% "
                      "above CPU time; figures inflated", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
