"""Invalid input raises wlsim.ScenarioError carrying the C++ message, which names the field path."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import wlsim


def test_scenario_error_is_a_value_error() -> None:
    assert issubclass(wlsim.ScenarioError, ValueError)


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(wlsim.ScenarioError) as e:
        wlsim.load(missing)
    assert str(e.value).startswith(f"{missing}: ")


def test_run_of_a_missing_file_raises_too(tmp_path: Path) -> None:
    with pytest.raises(wlsim.ScenarioError):
        wlsim.run(tmp_path / "nope.yaml")


def test_unknown_field_names_its_path(one_container: dict) -> None:
    one_container["workloads"][0]["replicas"] = 3
    with pytest.raises(wlsim.ScenarioError) as e:
        wlsim.load(one_container)
    assert str(e.value).startswith("<dict>: workloads[0].replicas: is not a known field")


def test_unknown_nested_field_names_its_path(one_container: dict) -> None:
    container = one_container["artifacts"][0]["containerGroups"][0]["containers"][0]
    container["behavior"]["colour"] = "blue"
    with pytest.raises(wlsim.ScenarioError) as e:
        wlsim.load(one_container)
    assert "artifacts[0].containerGroups[0].containers[0].behavior.colour" in str(e.value)


def test_bad_type_names_its_path(one_container: dict) -> None:
    one_container["workloads"][0]["runtime"]["containerGroups"][0]["replicaCount"] = "three"
    with pytest.raises(wlsim.ScenarioError) as e:
        wlsim.load(one_container)
    assert str(e.value) == (
        "<dict>: workloads[0].runtime.containerGroups[0].replicaCount: 'three' is not an integer"
    )


def test_out_of_range_value_names_its_path(one_container: dict) -> None:
    one_container["workloads"][0]["runtime"]["containerGroups"][0]["replicaCount"] = -1
    with pytest.raises(wlsim.ScenarioError, match=r"replicaCount: -1 is not >= 0"):
        wlsim.load(one_container)


def test_bad_enum_lists_the_allowed_values(one_container: dict) -> None:
    one_container["profile"] = "openshift"
    with pytest.raises(wlsim.ScenarioError, match=r"<dict>: profile: 'openshift' is not one of"):
        wlsim.load(one_container)


def test_missing_required_field(one_container: dict) -> None:
    del one_container["duration"]
    with pytest.raises(wlsim.ScenarioError, match=r"^<dict>: duration: is required$"):
        wlsim.load(one_container)


def test_error_in_a_file_names_the_file(tmp_path: Path, one_container: dict) -> None:
    one_container["workloads"][0]["importance"] = "urgent"
    f = tmp_path / "bad.json"
    f.write_text(json.dumps(one_container))
    with pytest.raises(wlsim.ScenarioError) as e:
        wlsim.load(f)
    assert str(e.value).startswith(f"{f}: workloads[0].importance: 'urgent' is not one of")


def test_malformed_yaml(tmp_path: Path) -> None:
    f = tmp_path / "broken.yaml"
    f.write_text("name: [unclosed\n")
    with pytest.raises(wlsim.ScenarioError, match="malformed"):
        wlsim.load(f)


def test_dict_that_is_not_json(one_container: dict) -> None:
    one_container["name"] = object()
    with pytest.raises(wlsim.ScenarioError, match="^<dict>: "):
        wlsim.load(one_container)


def test_the_message_is_the_cli_message(tmp_path: Path, one_container: dict, cli: Path) -> None:
    one_container["workloads"][0]["runtime"]["containerGroups"][0]["replicaCount"] = -1
    f = tmp_path / "bad.json"
    f.write_text(json.dumps(one_container))
    with pytest.raises(wlsim.ScenarioError) as e:
        wlsim.load(f)
    proc = subprocess.run(
        [str(cli), "validate", str(f)], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode != 0
    assert proc.stdout == ""
    assert str(e.value) in proc.stderr


def test_platform_numbers_are_checked(one_container: dict) -> None:
    one_container["platform"] = {"podEvictionTimeout": "-5m"}
    with pytest.raises(wlsim.ScenarioError, match=r"^<dict>: platform\.podEvictionTimeout: "):
        wlsim.load(one_container)


def test_a_fault_without_its_kind_names_the_kinds(one_container: dict) -> None:
    one_container["faults"] = [{"at": "5m"}]
    with pytest.raises(
        wlsim.ScenarioError,
        match=r"^<dict>: faults\[0\]: needs exactly one of registryOutage, nodeFailure$",
    ):
        wlsim.load(one_container)


@pytest.mark.parametrize("seed", [-1, 2**64])
def test_seed_out_of_range(one_container: dict, seed: int) -> None:
    with pytest.raises(ValueError, match="seed"):
        wlsim.run(one_container, seed=seed)


@pytest.mark.parametrize("seed", ["1", 1.0, True])
def test_seed_of_the_wrong_type(one_container: dict, seed: object) -> None:
    with pytest.raises(TypeError, match="seed"):
        wlsim.run(one_container, seed=seed)  # type: ignore[arg-type]


def test_a_fault_after_the_end_of_the_scenario_is_an_error(one_container: dict) -> None:
    one_container["faults"] = [{"at": "30m", "registryOutage": {"for": "1m"}}]
    with pytest.raises(wlsim.ScenarioError, match=r"^<dict>: faults\[0\]\.at: 30m is after the scenario's duration"):
        wlsim.load(one_container)
