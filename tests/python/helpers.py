"""Scenario dicts (the scenario format of DESIGN.md, written inline) and helpers shared by the tests."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "scenarios" / "examples"

IMAGE = "registry.example/app:1"

# One workload, one replica, one container whose image is cached on every node and which starts
# serving at once; readiness uses the platform profile's defaults (30 s delay, 30 s period).
ONE_CONTAINER: dict[str, Any] = {
    "name": "one-container",
    "seed": 42,
    "duration": "10m",
    "profile": "platform",
    "cluster": {
        "nodePools": [
            {
                "name": "cpu",
                "count": 2,
                "allocatable": {"cpu": 16, "memory": "64GB"},
                "cachedImages": [IMAGE],
            }
        ],
        "registry": {"latency": "200ms", "bandwidth": "100MB/s"},
    },
    "artifacts": [
        {
            "id": "app-v1",
            "status": "locked",
            "type": "service",
            "containerGroups": [
                {
                    "name": "default",
                    "containers": [
                        {
                            "name": "app",
                            "primary": True,
                            "imageUri": IMAGE,
                            "port": 8080,
                            "readinessProbe": {"path": "/healthz"},
                            "resourceAllocation": {"cpu": 2, "memory": "4GB"},
                            "behavior": {
                                "imageSize": "1.2GB",
                                "startup": "0s",
                                "serves": ["/healthz"],
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
            "runtime": {"containerGroups": [{"name": "default", "replicaCount": 1}]},
        }
    ],
}


def random_scenario() -> dict[str, Any]:
    """Three workloads of three replicas each, images not cached, lognormal start-up probed every
    second: the trace depends on the seed."""
    s = copy.deepcopy(ONE_CONTAINER)
    s["name"] = "random-startup"
    s["duration"] = "30m"
    s["cluster"]["nodePools"][0]["cachedImages"] = []
    s["cluster"]["nodePools"][0]["count"] = 4
    container = s["artifacts"][0]["containerGroups"][0]["containers"][0]
    container["behavior"]["startup"] = "lognormal(20s, 0.3)"
    # Probe every second: with the 30 s default period most draws would end at the same probe.
    container["readinessProbe"] = {"path": "/healthz", "initialDelaySeconds": 1, "periodSeconds": 1}
    s["workloads"] = [
        {
            "id": f"wl-{i}",
            "artifactId": "app-v1",
            "importance": "moderate",
            "runtime": {"containerGroups": [{"name": "default", "replicaCount": 3}]},
        }
        for i in range(1, 4)
    ]
    return s



def example_files() -> list[Path]:
    return sorted(EXAMPLES.glob("*.yaml")) + sorted(
        p for p in EXAMPLES.glob("*.json") if not p.name.endswith(".expected.json")
    )


def cli_summary(cli: Path, path: Path, *extra: str) -> dict[str, Any]:
    """The summary `wlsim run PATH --format json` prints."""
    proc = subprocess.run(
        [str(cli), "run", str(path), "--format", "json", *extra],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)
