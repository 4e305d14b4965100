"""wlsim.Session: API calls from Python at any simulated time (issue 4)."""

from __future__ import annotations

import pytest

import wlsim

from helpers import EXAMPLES

TWO_VERSIONS = {
    "name": "two-versions",
    "duration": "1h",
    "cluster": {"nodePools": [{"name": "n", "count": 2, "allocatable": {"cpu": 8, "memory": "32GB"},
                               "cachedImages": ["r/a:1", "r/a:2"]}]},
    "artifacts": [
        {"id": v, "status": "locked", "containerGroups": [{"name": "default", "containers": [
            {"name": "a", "imageUri": f"r/a:{i}", "readinessProbe": {"path": "/h"},
             "resourceAllocation": {"cpu": 1, "memory": "1GB"}}]}]}
        for i, v in ((1, "v1"), (2, "v2"))
    ],
    "workloads": [{"id": "w", "artifactId": "v1", "runtime": {"containerGroups": [{"name": "default", "replicaCount": 2}]}}],
}


def test_a_replacement_posted_from_python_runs_on_the_exact_schedule() -> None:
    s = wlsim.Session(TWO_VERSIONS)
    s.run_until("10m")
    assert s.now == 600
    answer = s.call("POST /workloads/w/replacement",
                    {"artifactId": "v2", "strategy": "rolling", "config": {"warmupDurationMinutes": 5}})
    assert answer["status"] == 202
    assert answer["body"]["status"] == "initializing"
    assert s.call("POST /workloads/w/replacement", {"artifactId": "v1", "strategy": "rolling"})["status"] == 422
    s.run_until("12m")
    protons = s.call("GET /workloads/w/protons")["body"]["data"]
    assert [(p["id"], p["role"], p["status"]) for p in protons] == [("p1", "active", "running"),
                                                                   ("p2", "candidate", "warming")]
    s.run_until("1h")
    rep = s.result().replacements.iloc[0]
    assert (rep["outcome"], rep["timeToSwitch"], rep["replacementDuration"]) == ("completed", 330, 330)


def test_a_session_run_straight_through_equals_run() -> None:
    path = EXAMPLES / "rolling-replacement.yaml"
    s = wlsim.Session(path)
    s.run_until(3600)
    assert s.result().trace_hash == wlsim.run(path).trace_hash


def test_a_malformed_call_raises_and_a_refusal_is_an_answer() -> None:
    s = wlsim.Session(TWO_VERSIONS)
    with pytest.raises(wlsim.ScenarioError, match=r"^call: request: 'POST /nowhere' is not an endpoint"):
        s.call("POST /nowhere")
    with pytest.raises(wlsim.ScenarioError, match=r"^call: body\.strategy: is required$"):
        s.call("POST /workloads/w/replacement", {"artifactId": "v2"})
    assert s.call("GET /workloads/nope")["status"] == 404


def test_session_status_shows_both_protons_during_a_replacement() -> None:
    s = wlsim.Session(TWO_VERSIONS)
    s.run_until("5m")
    s.call("PATCH /workloads/w/settings", {"runtime": {"containerGroups": [{"name": "default", "replicaCount": 3}]}})
    s.run_until("310s")
    snap = s.status()
    (w,) = snap["workloads"]
    assert [p["role"] for p in w["protons"]] == ["active", "candidate"]
    assert len(w["protons"][1]["replicas"]) == 3
