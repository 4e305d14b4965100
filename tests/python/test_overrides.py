"""Scenario.with_overrides and to_dict (overrides by path), and pickling Scenario and Result."""

from __future__ import annotations

import concurrent.futures
import json
import pickle

import pytest
import wlsim
from helpers import EXAMPLES

HELLO = EXAMPLES / "hello.yaml"
PROBE = "artifacts[app-v1].containerGroups[0].containers[app].readinessProbe"


def test_with_overrides_returns_a_new_scenario_and_leaves_the_first_alone():
    base = wlsim.load(HELLO)
    # The first probe at 5 s fails (the app starts in about 20 s), the next comes 10 s later.
    faster = base.with_overrides({f"{PROBE}.periodSeconds": 10, f"{PROBE}.initialDelaySeconds": 5, "seed": 5})
    assert base.overrides == ()
    assert faster.overrides == (
        (f"{PROBE}.periodSeconds", "10"), (f"{PROBE}.initialDelaySeconds", "5"), ("seed", "5")
    )
    assert faster.seed == 5
    assert wlsim.run(base).trace_hash == wlsim.run(HELLO).trace_hash
    assert wlsim.run(base).summary["workloads"]["wl-1"]["timeToRunning"] == 66.2
    assert wlsim.run(faster, seed=42).summary["workloads"]["wl-1"]["timeToRunning"] == 61.2


def test_override_values_are_python_objects():
    s = wlsim.load(HELLO).with_overrides(
        {
            "duration": "1h",
            "workloads[wl-1].runtime.containerGroups[default].replicaCount": 2,
            f"{PROBE}.initialDelaySeconds": 5,
            "artifacts[app-v1].containerGroups[0].containers[app].resourceAllocation": {"cpu": 4, "memory": "8GB"},
            "cluster.nodePools": [{"name": "big", "count": 1, "allocatable": {"cpu": 32, "memory": "128GB"}}],
            "artifacts[app-v1].containerGroups[0].containers[app].primary": True,
        }
    )
    assert s.duration_seconds == 3600.0
    d = s.to_dict()
    assert d["workloads"][0]["runtime"]["containerGroups"][0]["replicaCount"] == 2
    container = d["artifacts"][0]["containerGroups"][0]["containers"][0]
    assert container["readinessProbe"] == {"path": "/healthz", "initialDelaySeconds": 5}
    assert container["resourceAllocation"] == {"cpu": 4, "memory": "8GB"}
    assert d["cluster"]["nodePools"] == [{"name": "big", "count": 1, "allocatable": {"cpu": 32, "memory": "128GB"}}]


def test_a_str_value_is_text_not_yaml():
    # "[a]" stays a string: the schema then refuses it where a list goes.
    with pytest.raises(wlsim.ScenarioError, match=r"serves"):
        wlsim.load(HELLO).with_overrides(
            {"artifacts[app-v1].containerGroups[0].containers[app].behavior.serves": "[/healthz]"}
        )


def test_overrides_are_checked_like_the_file():
    with pytest.raises(wlsim.ScenarioError) as err:
        wlsim.load(HELLO).with_overrides({f"{PROBE}.periodSeconds": 0})
    assert str(err.value).endswith(
        "artifacts[0].containerGroups[0].containers[0].readinessProbe.periodSeconds: 0 is not >= 1"
    )


def test_a_path_that_names_nothing_is_an_error_naming_it():
    with pytest.raises(wlsim.ScenarioError) as err:
        wlsim.load(HELLO).with_overrides({"artifacts[app-v2].status": "locked"})
    assert str(err.value) == (
        f"{HELLO}: override 'artifacts[app-v2].status': artifacts has no item with id or name "
        "'app-v2' (its items: app-v1)"
    )
    with pytest.raises(TypeError):
        wlsim.load(HELLO).with_overrides({1: 2})
    with pytest.raises(wlsim.ScenarioError, match="not representable as JSON"):
        wlsim.load(HELLO).with_overrides({"seed": object()})


def test_to_dict_round_trips_to_the_same_trace_hash():
    s = wlsim.load(HELLO).with_overrides({f"{PROBE}.periodSeconds": 10, f"{PROBE}.initialDelaySeconds": 5})
    d = s.to_dict()
    assert d["artifacts"][0]["containerGroups"][0]["containers"][0]["readinessProbe"]["periodSeconds"] == 10
    assert d["seed"] == 42
    assert d["duration"] == "10m"
    assert wlsim.run(d).trace_hash == wlsim.run(s).trace_hash != wlsim.run(HELLO).trace_hash
    json.dumps(d)  # plain data


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_every_example_round_trips_through_to_dict(name, monkeypatch):
    s = wlsim.load(EXAMPLES / name)
    monkeypatch.chdir(EXAMPLES)  # relative file names in the dict are found from here
    assert wlsim.run(s.to_dict(), events=False).trace_hash == wlsim.run(s, events=False).trace_hash


def test_a_scenario_pickles_as_its_source_and_overrides():
    s = wlsim.load(HELLO, limits={"max_replicas_per_group": 500}).with_overrides({"seed": 9})
    back = pickle.loads(pickle.dumps(s))
    assert back.overrides == s.overrides
    assert back.seed == 9
    assert back.to_dict() == s.to_dict()
    assert wlsim.run(back).trace_hash == wlsim.run(s).trace_hash
    # its limits come along: a group over them is still refused
    with pytest.raises(wlsim.ScenarioError, match="500"):
        back.with_overrides({"workloads[wl-1].runtime.containerGroups[0].replicaCount": 501})


def test_a_result_pickles_with_its_events_and_replicas():
    r = wlsim.run(EXAMPLES / "kpa-burst.yaml", seed=3)
    back = pickle.loads(pickle.dumps(r))
    assert (back.seed, back.trace_hash, back.summary) == (r.seed, r.trace_hash, r.summary)
    assert back.events.equals(r.events)
    assert back.replicas.equals(r.replicas)
    assert back.nodes.equals(r.nodes)
    again = pickle.loads(pickle.dumps(back))  # events already built: pickled from the DataFrame
    assert again.events.equals(r.events)
    quiet = pickle.loads(pickle.dumps(wlsim.run(HELLO, events=False)))
    with pytest.raises(RuntimeError):
        _ = quiet.events


def _run_in_child(scenario: wlsim.Scenario, seed: int) -> wlsim.Result:
    return wlsim.run(scenario, seed=seed)


def test_runs_in_a_process_pool_give_the_same_trace_hashes():
    s = wlsim.load(EXAMPLES / "azure-day-fluid.yaml").with_overrides({"duration": "30m"})
    seeds = [1, 2, 3]
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_run_in_child, [s] * len(seeds), seeds))
    assert [r.trace_hash for r in results] == [wlsim.run(s, seed=k).trace_hash for k in seeds]
    assert results[0].events.equals(wlsim.run(s, seed=1).events)
