"""Replacements and API actions from Python (issue 4)."""

from __future__ import annotations

import wlsim

from helpers import EXAMPLES


def test_rolling_replacement_metrics_from_python() -> None:
    result = wlsim.run(EXAMPLES / "rolling-replacement.yaml")
    reps = result.replacements
    assert list(reps["id"]) == ["rep1"]
    row = reps.iloc[0]
    assert row["workload"] == "wl-1"
    assert row["outcome"] == "completed"
    assert row["postedAt"] == 600
    assert row["timeToSwitch"] == 330
    assert row["replacementDuration"] == 2130
    assert row["candidateTimeToRunning"] == 30
    assert row["peakSurgeCpu"] == 12
    assert row["peakSurgeMemory"] == 24e9


def test_actions_record_the_platforms_answers() -> None:
    result = wlsim.run(EXAMPLES / "rolling-replacement.yaml")
    actions = result.actions
    assert list(actions["status"]) == [202, 422, 200, 200]
    assert list(actions["at"]) == [600, 660, 720, 3000]
    history = actions.iloc[3]["body"]
    assert history["count"] == 1
    assert history["data"][0]["outcome"] == "completed"


def test_an_action_can_be_added_to_a_scenario_dict() -> None:
    scenario = {
        "name": "cancel",
        "duration": "30m",
        "cluster": {"nodePools": [{"name": "n", "count": 1, "allocatable": {"cpu": 4, "memory": "16GB"},
                                   "cachedImages": ["r/a:1", "r/a:2"]}]},
        "artifacts": [
            {"id": v, "status": "locked", "containerGroups": [{"name": "default", "containers": [
                {"name": "a", "imageUri": f"r/a:{i}", "readinessProbe": {"path": "/h"}}]}]}
            for i, v in ((1, "v1"), (2, "v2"))
        ],
        "workloads": [{"id": "w", "artifactId": "v1"}],
        "actions": [
            {"at": "5m", "request": "POST /workloads/w/replacement",
             "body": {"artifactId": "v2", "strategy": "rolling", "config": {"warmupDurationMinutes": 10}}},
            {"at": "8m", "request": "DELETE /workloads/w/replacement"},
        ],
    }
    result = wlsim.run(scenario)
    assert list(result.actions["status"]) == [202, 202]
    assert result.replacements.iloc[0]["outcome"] == "cancelled"
    assert result.summary["workloads"]["w"]["status"] == "running"
