"""Python and the C++ CLI agree: same summary, same trace hash."""

from __future__ import annotations

import json
from pathlib import Path

import wlsim
from helpers import cli_summary


def test_python_summary_is_the_cli_summary(tmp_path: Path, random_startup: dict, cli: Path) -> None:
    f = tmp_path / "s.json"
    f.write_text(json.dumps(random_startup))
    py = wlsim.run(f)
    assert py.summary == cli_summary(cli, f)
    assert py.trace_hash == py.summary["traceHash"]


def test_seeded_hash_matches_the_cli(tmp_path: Path, random_startup: dict, cli: Path) -> None:
    f = tmp_path / "s.json"
    f.write_text(json.dumps(random_startup))
    for seed in (1, 77):
        py = wlsim.run(random_startup, seed=seed)  # loaded from the dict, run with the file's content
        cli_json = cli_summary(cli, f, "--seed", str(seed))
        assert py.trace_hash == cli_json["traceHash"]
        assert py.summary == cli_json


def test_exact_time_matches_the_cli(tmp_path: Path, one_container: dict, cli: Path) -> None:
    f = tmp_path / "s.json"
    f.write_text(json.dumps(one_container))
    assert cli_summary(cli, f)["workloads"]["wl-1"]["timeToRunning"] == 30.0
