"""Every scenario in scenarios/examples/ loads from Python, runs deterministically, and agrees with the
CLI. A new example is a new test for free."""

from __future__ import annotations

from pathlib import Path

import pytest
import wlsim
from helpers import cli_summary, example_files


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.name)
def test_example_runs_deterministically_and_matches_the_cli(path: Path, cli: Path) -> None:
    s = wlsim.load(path)
    a = wlsim.run(s)
    b = wlsim.run(s)
    assert a.trace_hash == b.trace_hash
    assert len(a.events) == a.summary["traceRecords"]
    # Workloads created by the actions (POST /workloads) come after the scenario's own.
    assert set(s.workload_ids) <= set(a.summary["workloads"])
    assert a.summary == cli_summary(cli, path)
