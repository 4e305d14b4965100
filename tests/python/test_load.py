"""wlsim.load: from a path, from a dict; the Scenario it returns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import wlsim

YAML_TEXT = """\
name: from-yaml
seed: 7
duration: 2h
profile: kubernetes
cluster:
  nodePools: [{name: cpu, count: 1, allocatable: {cpu: 4, memory: 16GB}}]
artifacts:
  - id: app
    status: locked
    containerGroups:
      - name: default
        containers:
          - name: app
            imageUri: registry.example/app:1
            readinessProbe: {path: /healthz}
            behavior: {startup: "lognormal(20s, 0.3)"}
workloads:
  - {id: a, artifactId: app}
  - {id: b, artifactId: app, runtime: {containerGroups: [{name: default, replicaCount: 2}]}}
"""


def test_load_from_a_str_path(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text(YAML_TEXT)
    s = wlsim.load(str(f))
    assert isinstance(s, wlsim.Scenario)
    assert s.name == "from-yaml"
    assert s.seed == 7
    assert s.duration_seconds == 7200.0
    assert s.profile == "kubernetes"
    assert s.workload_ids == ("a", "b")


def test_load_from_a_pathlike(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text(YAML_TEXT)
    assert wlsim.load(f).name == "from-yaml"


def test_load_a_json_file(tmp_path: Path, one_container: dict) -> None:
    f = tmp_path / "s.json"
    f.write_text(json.dumps(one_container, indent=2))
    s = wlsim.load(f)
    assert s.name == "one-container"
    assert s.seed == 42
    assert s.duration_seconds == 600.0


def test_load_from_a_dict(one_container: dict) -> None:
    s = wlsim.load(one_container)
    assert s.name == "one-container"
    assert s.seed == 42
    assert s.duration_seconds == 600.0
    assert s.profile == "platform"
    assert s.workload_ids == ("wl-1",)


def test_a_loaded_scenario_passes_through_load(one_container: dict) -> None:
    s = wlsim.load(one_container)
    assert wlsim.load(s) is s


def test_the_scenario_is_immutable(one_container: dict) -> None:
    s = wlsim.load(one_container)
    with pytest.raises(AttributeError):
        s.seed = 3  # type: ignore[misc]


def test_the_dict_is_read_once(one_container: dict) -> None:
    s = wlsim.load(one_container)
    one_container["name"] = "changed afterwards"
    assert s.name == "one-container"


def test_repr_names_the_scenario(one_container: dict) -> None:
    r = repr(wlsim.load(one_container))
    assert "one-container" in r and "seed=42" in r


def test_load_rejects_other_types() -> None:
    with pytest.raises(TypeError, match="path"):
        wlsim.load(42)  # type: ignore[arg-type]


def test_duration_helpers() -> None:
    assert wlsim.parse_duration("1.5m") == 90.0
    assert wlsim.parse_duration("250ms") == 0.25
    assert wlsim.format_duration(30.0) == "30s"
    with pytest.raises(ValueError):
        wlsim.parse_duration("30")


def _exported() -> dict:
    """hello.yaml as a real export might carry it: with fields wlsim does not simulate."""
    doc = wlsim.load(Path(__file__).parents[2] / "scenarios/examples/hello.yaml").to_dict()
    doc["metadata"] = {"name": "hello"}
    doc["artifacts"][0]["containerGroups"][0]["containers"][0]["securityContext"] = {"runAsUser": 1}
    return doc


def test_ignore_unsupported_loads_an_export_warning_once_per_field() -> None:
    with pytest.raises(wlsim.ScenarioError, match=r"<dict>: .*is not a known field"):
        wlsim.load(_exported())
    with pytest.warns(wlsim.UnsupportedFieldWarning) as caught:
        scenario = wlsim.load(_exported(), ignore_unsupported=True)
    container = "artifacts[0].containerGroups[0].containers[0]."
    expected = (
        f"<dict>: {container}securityContext: not a field wlsim reads; ignored",
        "<dict>: metadata: not a field wlsim reads; ignored",
    )
    assert scenario.warnings == expected
    assert tuple(str(w.message) for w in caught) == expected
    plain = wlsim.load(Path(__file__).parents[2] / "scenarios/examples/hello.yaml")
    assert plain.warnings == ()
    assert wlsim.run(scenario).trace_hash == wlsim.run(plain).trace_hash


def test_ignore_unsupported_survives_pickling() -> None:
    import pickle

    with pytest.warns(wlsim.UnsupportedFieldWarning):
        scenario = wlsim.load(_exported(), ignore_unsupported=True)
    again = pickle.loads(pickle.dumps(scenario))
    assert again.warnings == scenario.warnings
