"""wlsim.testing: a scenario's expect block checked from pytest, with the lines `wlsim check` prints."""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path
from typing import Any

import pytest

import wlsim
import wlsim.testing
from helpers import EXAMPLES


def _expecting(one_container: dict[str, Any], expect: dict[str, Any]) -> dict[str, Any]:
    scenario = copy.deepcopy(one_container)
    scenario["expect"] = expect
    return scenario


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_keeps_its_expectations(path: Path) -> None:
    wlsim.testing.assert_expectations(path)


def test_a_false_expectation_is_a_failure_line() -> None:
    failures = wlsim.testing.check(
        {**_hello_without_expect(), "expect": {"wl-1": {"timeToRunning": "<= 60s", "status": "running"}}}
    )
    assert failures == [wlsim.testing.Failure("hello", "wl-1.timeToRunning", "<= 60s", "66.2s")]
    assert str(failures[0]) == "hello: wl-1.timeToRunning: expected <= 60s, got 66.2s"


def test_a_path_names_the_file_in_the_line(tmp_path: Path) -> None:
    text = (EXAMPLES / "hello.yaml").read_text()
    f = tmp_path / "slow.yaml"
    f.write_text(text[: text.index("\nexpect:") + 1] + 'expect: {wl-1: {timeToRunning: "< 66.2s"}}\n')
    assert [str(x) for x in wlsim.testing.check(f)] == [
        f"{f}: wl-1.timeToRunning: expected < 66.2s, got 66.2s"
    ]
    assert [str(x) for x in wlsim.testing.check(str(f))] == [
        f"{f}: wl-1.timeToRunning: expected < 66.2s, got 66.2s"
    ]


def test_assert_expectations_raises_with_every_failure(one_container: dict[str, Any]) -> None:
    # one-container: running at 30 s exactly, never errored.
    scenario = _expecting(
        one_container,
        {
            "wl-1": {"timeToRunning": "< 30s", "erroredDwell": "0s", "status": "errored"},
            "fleet": {"allRunning": True},
            "at": {"29s": {"wl-1": "launching"}, "30s": {"wl-1": "running"}},
        },
    )
    with pytest.raises(AssertionError) as raised:
        wlsim.testing.assert_expectations(scenario)
    assert str(raised.value) == (
        "2 expectations failed\n"
        "one-container: wl-1.timeToRunning: expected < 30s, got 30s\n"
        "one-container: wl-1.status: expected errored, got running"
    )
    scenario["expect"]["wl-1"] = {"timeToRunning": 30}
    wlsim.testing.assert_expectations(scenario)


def test_a_seed_and_a_loaded_scenario_are_accepted() -> None:
    loaded = wlsim.load(EXAMPLES / "crash-loop.yaml")
    assert wlsim.testing.check(loaded, seed=5) == []
    assert wlsim.testing.check(loaded, seed=5) == wlsim.testing.check(loaded, seed=5)


def test_an_invalid_expect_block_raises_scenario_error(one_container: dict[str, Any]) -> None:
    with pytest.raises(wlsim.ScenarioError, match=r"^<dict>: expect\.wl-1\.timeToRun: 'timeToRun' is not a metric"):
        wlsim.testing.check(_expecting(one_container, {"wl-1": {"timeToRun": "1s"}}))


def test_python_and_the_cli_report_the_same_failures(tmp_path: Path, cli: Path) -> None:
    text = (EXAMPLES / "crash-loop.yaml").read_text()
    f = tmp_path / "c.yaml"
    f.write_text(
        text[: text.index("\nexpect:") + 1]
        + "expect: {crasher: {status: running, restarts: 7}, trace: {neverErrored: [crasher]}}\n"
    )
    out = subprocess.run([str(cli), "check", str(f)], capture_output=True, text=True, check=False)
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert lines[-1] == "2 of 3 expectations failed (1 file)"
    assert lines[:-1] == [str(x) for x in wlsim.testing.check(f)]
    assert lines[:-1] == [
        f"{f}: crasher.status: expected running, got errored",
        f"{f}: trace.neverErrored.crasher: expected never errored, got errored at 10s",
    ]


def _hello_without_expect() -> dict[str, Any]:
    # hello.yaml as a dict, without its own expect block (PyYAML is not a dependency: JSON below).
    return {
        "name": "hello",
        "seed": 42,
        "duration": "10m",
        "profile": "platform",
        "cluster": {
            "nodePools": [{"name": "cpu", "count": 3, "allocatable": {"cpu": 16, "memory": "64GB"}}],
            "registry": {"latency": "200ms", "bandwidth": "100MB/s"},
        },
        "artifacts": [
            {
                "id": "app-v1",
                "status": "locked",
                "containerGroups": [
                    {
                        "name": "default",
                        "containers": [
                            {
                                "name": "app",
                                "primary": True,
                                "imageUri": "registry.example/app:1",
                                "port": 8080,
                                "readinessProbe": {"path": "/healthz"},
                                "resourceAllocation": {"cpu": 2, "memory": "4GB"},
                                "behavior": {
                                    "imageSize": "1.2GB",
                                    "startup": "lognormal(20s, 0.3)",
                                    "serves": ["/healthz", "/predict"],
                                },
                            }
                        ],
                    }
                ],
            }
        ],
        "workloads": [
            {
                "id": "wl-1",
                "artifactId": "app-v1",
                "importance": "high",
                "runtime": {"containerGroups": [{"name": "default", "replicaCount": 3}]},
            }
        ],
    }
