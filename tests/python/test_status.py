"""wlsim.status: the status-details snapshot at a simulated time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import wlsim

from helpers import EXAMPLES

CRASHING = {
    "name": "crash",
    "duration": "10m",
    "cluster": {"nodePools": [{"name": "n", "count": 1, "allocatable": {"cpu": 4, "memory": "8GB"},
                               "cachedImages": ["r/app:1"]}]},
    "artifacts": [{"id": "a", "containerGroups": [{"name": "default", "containers": [
        {"name": "app", "imageUri": "r/app:1", "readinessProbe": {"path": "/healthz"},
         "behavior": {"exit": {"after": "5s", "code": 1}}}]}]}],
    "workloads": [{"id": "wl", "artifactId": "a"}],
}


def test_status_shows_crash_loop_details_at_an_exact_time() -> None:
    # Exits at 5, 10, 25 s; at 30 s it waits in CrashLoopBackOff (20 s from 25 s) with 2 restarts.
    snap = wlsim.status(CRASHING, at="30s")
    assert snap["at"] == 30
    (wl,) = snap["workloads"]
    assert wl["status"] == "errored"
    (proton,) = wl["protons"]
    assert proton["role"] == "active"
    (replica,) = proton["replicas"]
    assert replica["phase"] == "Running"
    (container,) = replica["containers"]
    assert container["state"] == "waiting"
    assert container["reason"] == "CrashLoopBackOff"
    assert container["restartCount"] == 2
    assert container["lastState"] == {"terminated": {"reason": "Error", "exitCode": 1}}
    ready = {c["type"]: c["status"] for c in replica["conditions"]}
    assert ready == {"PodScheduled": "True", "Initialized": "True", "ContainersReady": "False", "Ready": "False"}
    assert replica["messages"][-1]["reason"] == "BackOff"


def test_status_accepts_seconds_and_matches_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "crash.json"
    path.write_text(json.dumps(CRASHING))
    cli = Path(sys.executable).parent / "wlsim"
    out = subprocess.run([str(cli), "status", str(path), "--at", "30s", "--format", "json"],
                         check=True, capture_output=True, text=True).stdout
    assert json.loads(out) == wlsim.status(str(path), at=30)


def test_status_refuses_a_time_after_the_duration() -> None:
    with pytest.raises(ValueError, match="duration"):
        wlsim.status(CRASHING, at="11m")


def test_status_of_an_example_lists_every_workload() -> None:
    snap = wlsim.status(EXAMPLES / "small-cluster.yaml", at="5m")
    assert [w["id"] for w in snap["workloads"]] == ["api-prod", "model-a", "batch-1", "web-dev"]
    batch = snap["workloads"][2]["protons"][0]["replicas"][0]
    assert batch["node"] is None
    scheduled = batch["conditions"][0]
    assert (scheduled["type"], scheduled["status"], scheduled["reason"]) == ("PodScheduled", "False", "Unschedulable")
    assert scheduled["message"].startswith("0/3 nodes are available: 3 Insufficient cpu")
