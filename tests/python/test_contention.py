"""Issue 9 from Python: the cluster's nodes over time, and the contention metrics of the summary."""

from __future__ import annotations

import wlsim
from helpers import EXAMPLES


def test_nodes_over_time_follow_the_cluster_autoscaler() -> None:
    r = wlsim.run(EXAMPLES / "pool-autoscaling.yaml")
    assert list(r.nodes.columns) == list(wlsim.NODE_COLUMNS)
    assert r.nodes.values.tolist() == [[0.0, "cpu", 2], [130.0, "cpu", 3], [930.0, "cpu", 2]]
    cluster = r.summary["cluster"]
    assert cluster["scaleUps"] == 1 and cluster["scaleDowns"] == 1
    assert cluster["pools"]["cpu"] == {"nodes": 2, "peakNodes": 3, "nodeSeconds": 3800}
    assert r.summary["workloads"]["wide"]["pendingTimeByCause"] == {
        "noCapacity": 10,
        "waitingForVictims": 0,
        "waitingForNode": 120,
    }


def test_preemption_counts_victims_and_preemptors() -> None:
    w = wlsim.run(EXAMPLES / "preemption.yaml").summary["workloads"]
    assert w["batch"]["preemptions"] == {"asVictim": 2, "asPreemptor": 0}
    assert w["batch"]["evictions"] == {"preemption": 2, "nodeFailure": 0, "scaleDown": 0}
    assert w["urgent"]["preemptions"] == {"asVictim": 0, "asPreemptor": 1}
    assert w["urgent"]["pendingTimeByCause"]["waitingForVictims"] == 30


def test_a_fixed_cluster_has_one_node_count_per_pool() -> None:
    r = wlsim.run(EXAMPLES / "hello.yaml")
    assert r.nodes.values.tolist() == [[0.0, "cpu", 3]]
    assert r.summary["cluster"]["scaleUps"] == 0
    assert r.summary["workloads"]["wl-1"]["degradedTime"] == 0
