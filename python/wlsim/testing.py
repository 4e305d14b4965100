"""Regression checks of a scenario's ``expect`` block from Python, for pytest.

A scenario's ``expect`` block says what a run of it must show (its final statuses and metrics, a
status at a time, states in an order; docs/scenario-format.md). ``wlsim check FILE`` evaluates it
from the command line; the same from a test::

    import wlsim.testing

    def test_hello_keeps_its_promises():
        wlsim.testing.assert_expectations("scenarios/examples/hello.yaml")

    def test_a_slower_registry():
        failures = wlsim.testing.check(slow_registry_dict, seed=3)
        assert [f.name for f in failures] == ["wl-1.timeToRunning"]
"""

from __future__ import annotations

import os
from typing import Any, NamedTuple

from wlsim import _core
from wlsim._api import ScenarioSource, _check_budget, _check_seed, load

__all__ = ["Failure", "assert_expectations", "check"]


class Failure(NamedTuple):
    """One expectation that did not hold: ``str(failure)`` is the line ``wlsim check`` prints."""

    origin: str  #: the file, or the scenario's name when it was not loaded from a file
    name: str  #: the expectation's path in the block, e.g. ``wl-1.timeToRunning``
    expected: str  #: the condition as written, e.g. ``<= 60s``
    actual: str  #: the run's value, e.g. ``66.2s``, ``errored``, ``none``

    def __str__(self) -> str:
        return f"{self.origin}: {self.name}: expected {self.expected}, got {self.actual}"


def _origin(source: Any, name: str) -> str:
    if isinstance(source, (str, os.PathLike)):
        return os.fsdecode(source)
    return name


def check(
    source: ScenarioSource, *, seed: int | None = None, max_events: int | None = None
) -> list[Failure]:
    """Run a scenario once and return its expectations that failed (empty when all hold).

    ``source`` is a path, a dict or a :class:`wlsim.Scenario` (as :func:`wlsim.load` takes); ``seed``
    overrides the scenario's own. Invalid input, an invalid ``expect`` block included, raises
    :class:`wlsim.ScenarioError` naming the field path.
    """
    scenario = load(source)
    outcomes = _core.check(scenario, _check_seed(seed), _check_budget(max_events))
    origin = _origin(source, scenario.name)
    return [
        Failure(origin, name, expected, actual)
        for name, expected, actual, held in outcomes
        if not held
    ]


def assert_expectations(
    source: ScenarioSource, *, seed: int | None = None, max_events: int | None = None
) -> None:
    """Raise ``AssertionError`` listing every failed expectation, one line each, as ``wlsim check``."""
    failures = check(source, seed=seed, max_events=max_events)
    if failures:
        count = f"{len(failures)} expectation{'s' if len(failures) != 1 else ''} failed"
        raise AssertionError("\n".join([count, *map(str, failures)]))
