"""Traffic and autoscaling from Python (issue 8): Result.replicas, the request counts of the summary,
autoscaling switched on by a settings call, the errors of the traffic fields, determinism and the
status's autoscaler block."""

from __future__ import annotations

import copy
import math
from typing import Any

import pandas as pd
import pytest
import wlsim
from helpers import EXAMPLES, ONE_CONTAINER

TRAFFIC_EXAMPLES = ["hpa-step", "kpa-burst", "scale-to-zero", "azure-day-fluid", "rollout-under-load"]
REQUEST_EXAMPLES = ["hpa-step", "kpa-burst", "scale-to-zero", "rollout-under-load"]
AUTOSCALER_KEYS = {"desired", "current", "ready", "policy", "mode"}

# The body of the platform's own example of a runtime-only replacement (docs, "Replace and roll
# out"): four replicas and autoscaling on concurrency, target 20, between 2 and 10 replicas.
SETTINGS_BODY: dict[str, Any] = {
    "runtime": {
        "containerGroups": [{
            "name": "default",
            "replicaCount": 4,
            "autoscaling": {
                "enabled": True,
                "policies": [{
                    "scalingMetric": "httpRequestsConcurrency",
                    "target": 20,
                    "minCount": 2,
                    "maxCount": 10,
                }],
            },
        }]
    }
}


def traffic_scenario(mode: str = "requests") -> dict[str, Any]:
    """ONE_CONTAINER's workload, renamed wl, with 20 requests a second of 1 s each (20 in flight),
    8 at a time per replica, and readiness probed every 2 s from 1 s; no autoscaling."""
    s = copy.deepcopy(ONE_CONTAINER)
    s["name"] = f"traffic-{mode}"
    container = s["artifacts"][0]["containerGroups"][0]["containers"][0]
    container["behavior"]["concurrency"] = 8
    container["readinessProbe"] = {"path": "/healthz", "initialDelaySeconds": 1, "periodSeconds": 2}
    s["workloads"][0]["id"] = "wl"
    s["traffic"] = [{"workload": "wl", "rate": "20/s", "serviceTime": "exponential(1s)", "mode": mode}]
    return s


@pytest.fixture(scope="module")
def example_results() -> dict[str, wlsim.Result]:
    """Each traffic example run once for the whole module (the Azure day takes a few seconds)."""
    return {name: wlsim.run(EXAMPLES / f"{name}.yaml") for name in TRAFFIC_EXAMPLES}


# --- Result.replicas ------------------------------------------------------------------------------


def test_replicas_is_a_dataframe_of_the_replica_columns(example_results: dict) -> None:
    rep = example_results["kpa-burst"].replicas
    assert isinstance(rep, pd.DataFrame)
    assert list(rep.columns) == ["workload", "time", "desired", "current", "ready", "mode"]
    assert set(rep["workload"]) == {"model"}
    assert rep["time"].dtype == "float64"
    assert rep["time"].is_monotonic_increasing
    assert rep["time"].iloc[0] == 0.0
    assert rep["time"].max() <= 1200.0
    assert set(rep["mode"]) == {"stable", "panic"}
    # Within one instant the rows step through the change (current first, then ready one replica
    # at a time); the last row of each instant is what holds, and never has more ready than current.
    held = rep.groupby(["workload", "time"]).tail(1)
    assert len(held) == 40
    assert (held["ready"] <= held["current"]).all()


@pytest.mark.parametrize("name", TRAFFIC_EXAMPLES)
def test_the_last_replica_row_of_each_workload_is_the_summarys_autoscaler(
    example_results: dict, name: str
) -> None:
    r = example_results[name]
    rep = r.replicas
    assert set(rep["workload"]) == set(r.summary["workloads"])
    for wl_id, metrics in r.summary["workloads"].items():
        last = rep[rep["workload"] == wl_id].iloc[-1]
        a = metrics["autoscaler"]
        assert AUTOSCALER_KEYS <= set(a)
        assert (last["desired"], last["current"], last["ready"], last["mode"]) == (
            a["desired"], a["current"], a["ready"], a["mode"]), wl_id


def test_a_run_without_traffic_or_autoscaling_has_no_replica_rows(one_container: dict) -> None:
    r = wlsim.run(one_container)
    assert r.replicas.empty
    assert list(r.replicas.columns) == ["workload", "time", "desired", "current", "ready", "mode"]
    assert "autoscaler" not in r.summary["workloads"]["wl-1"]
    assert "requests" not in r.summary["workloads"]["wl-1"]


# --- Requests add up ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", REQUEST_EXAMPLES)
def test_every_request_that_arrived_is_served_dropped_or_in_flight(example_results: dict, name: str) -> None:
    for wl_id, metrics in example_results[name].summary["workloads"].items():
        req = metrics["requests"]
        assert req["mode"] == "requests"
        assert req["arrived"] > 0
        dropped = req["dropped"]
        assert set(dropped) == {"timeout", "activatorFull", "tornDown"}
        assert req["arrived"] == req["served"] + sum(dropped.values()) + req["inFlight"], wl_id


def test_fluid_requests_not_yet_served_are_within_those_in_flight(example_results: dict) -> None:
    # A fluid queue that keeps up counts its arrivals served at once, and its inFlight is the
    # stationary mean in the system: only the backlog is arrived but neither served nor dropped,
    # and it is part of inFlight.
    for wl_id, metrics in example_results["azure-day-fluid"].summary["workloads"].items():
        req = metrics["requests"]
        assert req["mode"] == "fluid"
        waiting = req["arrived"] - req["served"] - sum(req["dropped"].values())
        assert -1e-6 <= waiting <= req["inFlight"] + 1e-6, wl_id


def test_request_metrics_are_finite_numbers(example_results: dict) -> None:
    for name, r in example_results.items():
        for wl_id, metrics in r.summary["workloads"].items():
            numbers = [metrics["requests"]["meanInFlight"], metrics["requests"]["meanWait"]]
            numbers += [v for v in metrics["requestLatency"].values() if v is not None]
            assert all(math.isfinite(v) for v in numbers), (name, wl_id)


# --- Autoscaling switched on by a settings call ---------------------------------------------------


def test_the_platforms_settings_example_turns_autoscaling_on() -> None:
    s = wlsim.Session(traffic_scenario())
    s.run_until("2m")
    before = s.result().summary["workloads"]["wl"]["autoscaler"]
    assert before == {"desired": 1, "current": 1, "ready": 1, "policy": None, "mode": "fixed"}
    answer = s.call("PATCH /workloads/wl/settings", SETTINGS_BODY)
    assert answer["status"] == 202
    assert (answer["body"]["id"], answer["body"]["status"]) == ("rep1", "initializing")
    s.run_until("10m")
    wl = s.result().summary["workloads"]["wl"]
    assert [r["outcome"] for r in wl["replacements"]] == ["completed"]
    # One replica of concurrency 8 fell behind 20 requests a second; the KPA (the concurrency
    # metric) scales within [2, 10] and is panicking at the end over the backlog it left.
    assert wl["autoscaler"] == {"desired": 5, "current": 5, "ready": 5,
                                "policy": "httpRequestsConcurrency", "mode": "panic"}


# --- Errors name the field ------------------------------------------------------------------------


def test_a_bad_traffic_mode_names_its_path() -> None:
    s = traffic_scenario()
    s["traffic"][0]["mode"] = "burst"
    with pytest.raises(wlsim.ScenarioError) as e:
        wlsim.load(s)
    assert str(e.value) == "<dict>: traffic[0].mode: 'burst' is not one of: requests, fluid"


def test_an_unknown_traffic_field_names_its_path() -> None:
    s = traffic_scenario()
    s["traffic"][0]["burst"] = 3
    with pytest.raises(wlsim.ScenarioError) as e:
        wlsim.load(s)
    assert str(e.value) == ("<dict>: traffic[0].burst: is not a known field "
                            "(allowed: arrivals, mode, rate, serviceTime, trace, workload)")


def test_a_bad_rate_names_its_path() -> None:
    s = traffic_scenario()
    s["traffic"][0]["rate"] = "50"
    with pytest.raises(wlsim.ScenarioError) as e:
        wlsim.load(s)
    assert str(e.value).startswith(
        "<dict>: traffic[0].rate: \"50\" is not a rate: '50' has no unit (N/s, N/m or N/h); ")


def test_a_bad_policy_bound_names_its_path() -> None:
    s = traffic_scenario()
    s["workloads"][0]["runtime"]["containerGroups"][0]["autoscaling"] = {
        "enabled": True,
        "policies": [{"scalingMetric": "httpRequestsConcurrency", "target": 5, "minCount": 3, "maxCount": 2}],
    }
    with pytest.raises(wlsim.ScenarioError) as e:
        wlsim.load(s)
    assert str(e.value) == (
        "<dict>: workloads[0].runtime.containerGroups[0].autoscaling.policies[0].maxCount: "
        "2 is not >= 3 (minCount, and at least one replica)")


def test_a_bad_platform_parameter_names_its_path() -> None:
    s = traffic_scenario()
    s["platform"] = {"kpa": {"stableWindow": "10s", "panicWindow": "20s"}}
    with pytest.raises(wlsim.ScenarioError) as e:
        wlsim.load(s)
    assert str(e.value) == ("<dict>: platform.kpa.panicWindow: is longer than stableWindow (10s); "
                            "it is the short window of the two")


# --- Determinism ----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["requests", "fluid"])
def test_same_seed_same_trace_hash_with_traffic(mode: str) -> None:
    s = wlsim.load(traffic_scenario(mode))
    a = wlsim.run(s, seed=7)
    b = wlsim.run(s, seed=7)
    assert a.trace_hash == b.trace_hash
    assert a.summary == b.summary
    pd.testing.assert_frame_equal(a.replicas, b.replicas)
    assert a.summary["workloads"]["wl"]["requests"]["mode"] == mode


def test_poisson_arrivals_depend_on_the_seed() -> None:
    s = wlsim.load(traffic_scenario("requests"))
    arrived = [wlsim.run(s, seed=seed).summary["workloads"]["wl"]["requests"]["arrived"] for seed in (1, 2, 3)]
    assert len(set(arrived)) == 3


# --- Status ---------------------------------------------------------------------------------------


def test_session_status_shows_the_autoscaler() -> None:
    s = wlsim.Session(EXAMPLES / "kpa-burst.yaml")
    s.run_until("5m")
    (w,) = s.status()["workloads"]
    assert w["autoscaler"] == {"desired": 2, "current": 2, "ready": 2,
                               "policy": "httpRequestsConcurrency", "mode": "stable", "scaleEvents": 7}
    # 5 s into the burst at 5 m the KPA panics and asks for 25; two replicas are ready yet.
    s.run_until("305s")
    (w,) = s.status()["workloads"]
    assert w["autoscaler"] == {"desired": 25, "current": 25, "ready": 2,
                               "policy": "httpRequestsConcurrency", "mode": "panic", "scaleEvents": 9}


def test_status_has_no_autoscaler_without_traffic_or_autoscaling(one_container: dict) -> None:
    s = wlsim.Session(one_container)
    s.run_until("1m")
    (w,) = s.status()["workloads"]
    assert "autoscaler" not in w
