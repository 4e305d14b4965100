"""Bounds: limits that a user can raise, an event budget, and a Session safe from several threads."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

import wlsim


def _crash_loop(one_container: dict[str, Any], duration: str) -> dict[str, Any]:
    one_container["duration"] = duration
    app = one_container["artifacts"][0]["containerGroups"][0]["containers"][0]
    app["behavior"] = {"exit": {"after": "5s", "code": 1}}
    return one_container


def test_run_past_its_event_budget_raises_naming_the_budget(one_container: dict[str, Any]) -> None:
    s = wlsim.load(_crash_loop(one_container, "1000d"))
    with pytest.raises(wlsim.ScenarioError, match=r"event budget of 300 events.*--max-events"):
        wlsim.run(s, max_events=300)
    with pytest.raises(ValueError, match="max_events"):
        wlsim.run(s, max_events=0)


def test_session_run_until_rejects_inf_nan_and_times_past_the_end(one_container: dict[str, Any]) -> None:
    s = wlsim.Session(one_container)
    for bad in (math.inf, math.nan, -math.inf):
        with pytest.raises(ValueError, match="not a finite time"):
            s.run_until(bad)
    with pytest.raises(wlsim.ScenarioError, match=r"after the scenario's duration \(10m\)"):
        s.run_until("11m")
    s.run_until("10m")
    assert s.now == 600.0


def test_status_rejects_a_time_that_is_not_finite(one_container: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        wlsim.status(one_container, at=math.nan)


def test_limits_can_be_raised_and_lowered_by_name(one_container: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="unknown limit 'max_replicas'.*max_replicas_per_group"):
        wlsim.load(one_container, limits={"max_replicas": 3})
    with pytest.raises(ValueError, match="is not >= 1"):
        wlsim.load(one_container, limits={"max_depth": 0})
    # A generous bound loads as before.
    assert wlsim.load(one_container, limits={"max_replicas_per_group": 10}).name == one_container["name"]


def test_events_stay_in_cpp_until_asked_for(one_container: dict[str, Any]) -> None:
    r = wlsim.run(one_container)
    assert r._events is None  # noqa: SLF001 - nothing converted yet
    ev = r.events
    assert len(ev) == r.summary["traceRecords"]
    assert r.events is ev


def test_three_threads_stepping_one_session_match_one_thread(one_container: dict[str, Any]) -> None:
    scenario = wlsim.load(_crash_loop(one_container, "2h"))

    def step(session: wlsim.Session, i: int) -> None:
        session.run_until(i * 7 % 7200)
        session.result()

    alone = wlsim.Session(scenario)
    for i in range(1000):
        step(alone, i)
    alone.run_until("2h")

    shared = wlsim.Session(scenario)
    errors: list[BaseException] = []

    def worker(t: int) -> None:
        try:
            for i in range(t, 1000, 3):
                step(shared, i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    shared.run_until("2h")
    assert shared.result().trace_hash == alone.result().trace_hash
    assert len(shared.result().events) == len(alone.result().events)


def test_a_thousand_day_crash_loop_streams_its_trace_in_flat_memory(
    one_container: dict[str, Any], cli: Path, tmp_path: Path
) -> None:
    """Peak memory of the CLI, not time: the trace streams to its sink, nothing grows with the run."""
    scenario = tmp_path / "crash-1000d.json"
    scenario.write_text(json.dumps(_crash_loop(one_container, "1000d")))
    # A child started by vfork (as subprocess starts it) takes the parent's peak as its own
    # ru_maxrss: a small Python starts the CLI and prints the CLI's peak alone, not pytest's.
    measure = ("import resource, subprocess, sys; "
               "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(done.returncode)")
    for command in (["trace"], ["run", "--out", str(tmp_path / "out")]):
        done = subprocess.run([sys.executable, "-c", measure, str(cli), *command, str(scenario)],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        peak_kb = int(done.stdout)
        assert peak_kb < 100 * 1024, f"wlsim {command[0]} peaked at {peak_kb} KB"
    assert (tmp_path / "out" / "trace.csv").stat().st_size > 50_000_000
