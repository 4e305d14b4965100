"""wlsim._core's study pieces: a run's rows, a sweep of variants × seeds, the SQLite result store."""

from __future__ import annotations

import pytest
import wlsim
from helpers import EXAMPLES
from wlsim import _core

HELLO = EXAMPLES / "hello.yaml"
PERIOD = "artifacts[app-v1].containerGroups[0].containers[app].readinessProbe.periodSeconds"
VARIANTS = [{PERIOD: "10"}, {PERIOD: "30"}]
SEEDS = [3, 4, 5]


def rows_of(columns: dict, index: list[int]) -> list[tuple]:
    keys = [k for k in columns if k not in ("variant", "seed")]
    return [tuple(columns[k][i] for k in keys) for i in index]


def run_of(result: dict, variant: int, seed: int) -> dict:
    """One run's rows out of a sweep's columns, in run_rows' shape."""
    out = {}
    for table in ("metrics", "texts"):
        cols = result[table]
        index = [i for i in range(len(cols["seed"])) if cols["variant"][i] == variant and cols["seed"][i] == seed]
        out[table] = rows_of(cols, index)
    runs = result["runs"]
    i = next(i for i in range(len(runs["seed"])) if runs["variant"][i] == variant and runs["seed"][i] == seed)
    out["run"] = {k: runs[k][i] for k in ("trace_hash", "events", "simulated_seconds")}
    return out


def plain(rows: dict) -> dict:
    return {
        "metrics": rows_of(rows["metrics"], list(range(len(rows["metrics"]["metric"])))),
        "texts": rows_of(rows["texts"], list(range(len(rows["texts"]["field"])))),
        "run": rows["run"],
    }


def test_run_rows_flattens_the_summary():
    rows = _core.run_rows(wlsim.load(HELLO), 42)
    m = rows["metrics"]
    assert list(m) == ["workload", "replacement", "metric", "value"]
    at = {(m["workload"][i], m["metric"][i]): m["value"][i] for i in range(len(m["metric"]))}
    assert at[("wl-1", "timeToRunning")] == 66.2
    assert ("wl-1", "timeToRunningBreakdown.pulling") in at
    assert at[("wl-1", "erroredRecovered")] == 0.0
    t = rows["texts"]
    assert (t["workload"][0], t["field"][0], t["text"][0]) == ("wl-1", "status", "running")
    assert rows["run"]["trace_hash"] == wlsim.run(HELLO).trace_hash


def test_a_sweep_has_each_variant_and_seed_as_its_own_run(tmp_path):
    base = wlsim.load(HELLO)
    result = _core.sweep(base, VARIANTS, SEEDS, threads=2)
    assert list(result["metrics"])[:2] == ["variant", "seed"]
    assert sorted(set(zip(result["runs"]["variant"], result["runs"]["seed"]))) == [
        (v, s) for v in range(2) for s in SEEDS
    ]
    for v, overrides in enumerate(VARIANTS):
        scenario = base.with_overrides({PERIOD: int(overrides[PERIOD])})
        for s in SEEDS:
            assert run_of(result, v, s) == plain(_core.run_rows(scenario, s))


def test_a_store_resumes_with_the_rows_of_an_uninterrupted_sweep(tmp_path):
    base = wlsim.load(HELLO)
    whole = _core.sweep(base, VARIANTS, SEEDS, store=str(tmp_path / "whole.db"))
    # A parent that received two runs before it stopped.
    path = str(tmp_path / "resumed.db")
    store = _core.ResultStore(path, base, VARIANTS, SEEDS)
    for v, s in [(1, 4), (0, 3)]:
        scenario = base.with_overrides({PERIOD: int(VARIANTS[v][PERIOD])})
        store.add(v, s, _core.run_rows(scenario, s))
    assert store.done() == [(0, 3), (1, 4)]
    del store
    resumed = _core.sweep(base, VARIANTS, SEEDS, store=path)
    assert resumed == whole
    assert _core.ResultStore(path, base, VARIANTS, SEEDS).read() == whole
    with pytest.raises(_core.StoreError, match="holds the results of another sweep"):
        _core.ResultStore(path, base, VARIANTS, [3, 4])
