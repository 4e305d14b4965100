"""wlsim.run: the summary, the events DataFrame, the trace hash, exact times."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
import wlsim

SUMMARY_KEYS = {"scenario", "seed", "simulatedSeconds", "events", "traceHash", "workloads"}


def test_summary_has_the_contract_keys(one_container: dict) -> None:
    r = wlsim.run(one_container)
    assert SUMMARY_KEYS <= set(r.summary)
    assert r.summary["scenario"] == "one-container"
    assert r.summary["seed"] == 42  # the scenario's own
    assert r.seed == 42
    assert r.summary["simulatedSeconds"] == 600
    assert r.summary["events"] > 0
    assert set(r.summary["workloads"]) == {"wl-1"}
    wl = r.summary["workloads"]["wl-1"]
    assert {"status", "timeToRunning"} <= set(wl)


def test_one_cached_container_is_running_after_the_first_readiness_probe(one_container: dict) -> None:
    # Image cached, start-up 0, platform probe defaults: initialDelay 30 s, so ready at exactly 30 s.
    r = wlsim.run(one_container)
    wl = r.summary["workloads"]["wl-1"]
    assert wl["timeToRunning"] == 30.0
    assert wl["status"] == "running"


def test_kubernetes_profile_probes_at_once(one_container: dict) -> None:
    # Kubernetes' defaults: initialDelay 0, so the first probe at 0 s finds the app serving.
    one_container["profile"] = "kubernetes"
    r = wlsim.run(one_container)
    assert r.summary["workloads"]["wl-1"]["timeToRunning"] == 0.0


def test_trace_hash_is_the_summary_hash(one_container: dict) -> None:
    r = wlsim.run(one_container)
    assert re.fullmatch(r"[0-9a-f]{16}", r.trace_hash)
    assert r.trace_hash == r.summary["traceHash"]


def test_seed_is_passed_through(random_startup: dict) -> None:
    r = wlsim.run(random_startup, seed=12345)
    assert r.seed == 12345
    assert r.summary["seed"] == 12345


def test_largest_seed(one_container: dict) -> None:
    r = wlsim.run(one_container, seed=2**64 - 1)
    assert r.summary["seed"] == 2**64 - 1


def test_same_scenario_and_seed_same_hash(random_startup: dict) -> None:
    s = wlsim.load(random_startup)
    a = wlsim.run(s, seed=3)
    b = wlsim.run(s, seed=3)
    assert a.trace_hash == b.trace_hash
    assert a.summary == b.summary
    pd.testing.assert_frame_equal(a.events, b.events)


def test_loading_again_gives_the_same_hash(random_startup: dict) -> None:
    assert wlsim.run(random_startup, seed=9).trace_hash == wlsim.run(random_startup, seed=9).trace_hash


def test_a_different_seed_gives_a_different_hash(random_startup: dict) -> None:
    s = wlsim.load(random_startup)
    hashes = {wlsim.run(s, seed=seed).trace_hash for seed in (1, 2, 3)}
    assert len(hashes) == 3


def test_the_default_seed_is_the_scenarios(random_startup: dict) -> None:
    s = wlsim.load(random_startup)
    assert wlsim.run(s).trace_hash == wlsim.run(s, seed=s.seed).trace_hash


def test_random_startup_delays_time_to_running(random_startup: dict) -> None:
    r = wlsim.run(random_startup, seed=5)
    for wl_id in ("wl-1", "wl-2", "wl-3"):
        ttr = r.summary["workloads"][wl_id]["timeToRunning"]
        assert ttr is not None and ttr > 1.0


def test_events_is_a_dataframe_of_trace_records(one_container: dict) -> None:
    r = wlsim.run(one_container)
    ev = r.events
    assert isinstance(ev, pd.DataFrame)
    assert list(ev.columns) == ["time", "object", "kind", "from", "to", "reason", "message", "count",
                               "first", "last"]
    assert list(ev.columns) == list(wlsim.EVENT_COLUMNS)
    assert len(ev) > 0
    assert len(ev) == r.summary["traceRecords"]
    assert ev["time"].dtype == "float64"
    assert ev["time"].is_monotonic_increasing
    assert ev["time"].min() >= 0.0
    assert ev["time"].max() <= r.summary["simulatedSeconds"]
    for col in ("object", "kind", "from", "to", "reason", "message"):
        assert all(isinstance(v, str) for v in ev[col]), col
    assert (ev["object"].str.startswith("wl-1")).any()
    assert r.events is ev  # built once


def test_the_workload_becomes_running_in_the_trace_at_30s(one_container: dict) -> None:
    ev = wlsim.run(one_container).events
    running = ev[(ev["object"] == "wl-1") & (ev["kind"] == "workload") & (ev["to"] == "running")]
    assert list(running["time"]) == [30.0]


def test_events_can_be_left_out(random_startup: dict) -> None:
    full = wlsim.run(random_startup, seed=4)
    lean = wlsim.run(random_startup, seed=4, events=False)
    assert lean.trace_hash == full.trace_hash
    assert lean.summary == full.summary
    with pytest.raises(RuntimeError, match="events=False"):
        _ = lean.events


def test_run_accepts_a_loaded_scenario_a_dict_or_a_path(tmp_path, one_container: dict) -> None:
    import json

    f = tmp_path / "s.json"
    f.write_text(json.dumps(one_container))
    hashes = {
        wlsim.run(wlsim.load(one_container)).trace_hash,
        wlsim.run(one_container).trace_hash,
        wlsim.run(f).trace_hash,
        wlsim.run(str(f)).trace_hash,
    }
    assert len(hashes) == 1


def test_result_keeps_its_scenario(one_container: dict) -> None:
    s = wlsim.load(one_container)
    r = wlsim.run(s, seed=1)
    assert r.scenario is s
    assert "one-container" in repr(r) and r.trace_hash in repr(r)


def test_a_workload_that_cannot_fit_never_runs(one_container: dict) -> None:
    one_container["artifacts"][0]["containerGroups"][0]["containers"][0]["resourceAllocation"]["cpu"] = 64
    wl = wlsim.run(one_container).summary["workloads"]["wl-1"]
    assert wl["timeToRunning"] is None
    assert wl["status"] != "running"
    assert not math.isnan(wl["pendingTime"])


def test_timeline_gives_status_intervals_that_cover_the_run() -> None:
    from helpers import EXAMPLES

    result = wlsim.run(EXAMPLES / "registry-outage.yaml")
    tl = result.timeline()
    workload = tl[(tl.kind == "workload") & (tl.object == "web")]
    # Errored from 0 to 350 s, then running to the end of the run (900 s).
    errored = workload[workload.state == "errored"].iloc[0]
    assert (errored.start, errored.end, errored.duration) == (0.0, 350.0, 350.0)
    last = workload.iloc[-1]
    assert (last.state, last.start, last.end) == ("running", 350.0, 900.0)
    # Every object's intervals follow each other without gaps.
    for _, group in tl.groupby(["object", "kind"]):
        assert (group["start"].iloc[1:].to_numpy() == group["end"].iloc[:-1].to_numpy()).all()
