"""wlsim.load and wlsim.run."""

from __future__ import annotations

import json
import math
import operator
import os
import warnings
from collections.abc import Mapping
from typing import Any, Union

from wlsim import _core
from wlsim._core import Scenario, ScenarioError
from wlsim._result import Result

#: What :func:`load` (and so :func:`run`) accepts.
ScenarioSource = Union[Scenario, str, "os.PathLike[str]", Mapping[str, Any]]

_DICT_ORIGIN = "<dict>"
_MAX_SEED = 2**64 - 1


class UnsupportedFieldWarning(UserWarning):
    """A field :func:`load` skipped with ``ignore_unsupported=True``: wlsim does not simulate it."""


def load(
    source: ScenarioSource,
    *,
    limits: Mapping[str, int] | None = None,
    ignore_unsupported: bool = False,
) -> Scenario:
    """Load a scenario.

    ``source`` is a path (``str`` or ``os.PathLike``) to a YAML or JSON scenario file, or a mapping in
    the same format (camelCase field names, durations as text such as ``"30s"``), or an already
    loaded :class:`Scenario`, which is returned as is.

    Raises :class:`ScenarioError` (a ``ValueError``) for a missing file or invalid content; its
    message names the field path, e.g.
    ``<dict>: workloads[0].runtime.containerGroups[0].replicaCount: -1 is not >= 0``.

    Every input is bounded (file size, list length, nesting depth, replicas per group and in total,
    nodes, durations, sizes); ``limits`` raises or lowers a bound by name: ``max_file_bytes``,
    ``max_list_length``, ``max_depth``, ``max_replicas_per_group``, ``max_replicas_total``,
    ``max_nodes``, ``max_bytes``, ``max_duration_seconds``, e.g.
    ``wlsim.load(path, limits={"max_replicas_per_group": 500_000})``.

    A real export often has fields wlsim does not simulate (``metadata``, ``tolerations``, ...);
    they are errors unless ``ignore_unsupported=True``, which skips them and warns once per field
    (:class:`UnsupportedFieldWarning`; the lines are also in ``Scenario.warnings``).
    """
    if isinstance(source, Scenario):
        return source
    lim = None if limits is None else dict(limits)
    ignore = bool(ignore_unsupported)
    if isinstance(source, Mapping):
        try:
            text = json.dumps(source, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ScenarioError(f"{_DICT_ORIGIN}: not representable as JSON: {exc}") from exc
        return _warned(_core.load_text(text, _DICT_ORIGIN, lim, ignore))
    if isinstance(source, (str, os.PathLike)):
        return _warned(_core.load_file(os.fsdecode(source), lim, ignore))
    raise TypeError(
        "wlsim.load() takes a path (str or os.PathLike), a dict or a wlsim.Scenario, "
        f"not {type(source).__name__}"
    )


def _warned(scenario: Scenario) -> Scenario:
    for line in scenario.warnings:
        warnings.warn(line, UnsupportedFieldWarning, stacklevel=3)
    return scenario


def _check_seed(seed: Any) -> int | None:
    if seed is None:
        return None
    if isinstance(seed, bool):
        raise TypeError("seed must be an int or None, not bool")
    try:
        value = operator.index(seed)
    except TypeError:
        raise TypeError(f"seed must be an int or None, not {type(seed).__name__}") from None
    if not 0 <= value <= _MAX_SEED:
        raise ValueError(f"seed must be in [0, 2**64 - 1], got {value}")
    return value


def _check_budget(max_events: int | None) -> int | None:
    if max_events is None:
        return None
    if isinstance(max_events, bool) or operator.index(max_events) < 1:
        raise ValueError(f"max_events must be a whole number >= 1, got {max_events!r}")
    return operator.index(max_events)


def run(
    scenario: ScenarioSource, seed: int | None = None, *, events: bool = True, max_events: int | None = None
) -> Result:
    """Run a scenario once, to its duration, and return its :class:`Result`.

    ``scenario`` is a :class:`Scenario` or anything :func:`load` accepts. ``seed`` overrides the
    scenario's own seed; the same scenario and seed always give the same result and trace hash.
    With ``events=False`` the trace records are not kept (less memory for large runs); the summary
    and trace hash are the same either way. With ``events=True`` they stay in C++ until
    :attr:`Result.events` is first read. ``max_events`` is the run's event budget (default 20
    million): a run that needs more raises :class:`ScenarioError` naming the budget.

    The simulation runs with the GIL released, so runs in several threads proceed in parallel.
    """
    loaded = load(scenario)
    out = _core.run(loaded, _check_seed(seed), events, _check_budget(max_events))
    return Result(
        scenario=loaded,
        seed=out["seed"],
        summary=json.loads(out["summary"]),
        trace_hash=out["trace_hash"],
        event_columns=out["events"],
        replica_columns=out["replicas"],
    )


def status(scenario: ScenarioSource, at: float | str, seed: int | None = None) -> dict[str, Any]:
    """The status details of every workload at simulated time ``at``.

    ``at`` is seconds (a number) or a duration text such as ``"10m"``. Returns the same object as
    ``wlsim status FILE --at T --format json``: ``{"at": seconds, "workloads": [{"id", "status",
    "protons": [{"id", "role", "status", "replicas": [{"name", "status", "phase", "node",
    "conditions", "containers": [{"name", "state", "reason", "message", "ready", "restartCount",
    "lastState"}], "messages"}]}]}]}``.
    """
    loaded = load(scenario)
    return json.loads(_core.status(loaded, _seconds(at), _check_seed(seed)))


def _seconds(t: float | str) -> float:
    seconds = _core.parse_duration(t) if isinstance(t, str) else float(t)
    if not math.isfinite(seconds):
        raise ValueError(f"{t!r} is not a finite time (seconds, or a duration text such as '10m')")
    return seconds


class Session:
    """One run that advances step by step, for notebooks: run to a time, call the Workload API as a
    user of the platform would, look, run on::

        s = wlsim.Session("scenarios/examples/hello.yaml", seed=1)
        s.run_until("10m")
        s.call("POST /workloads/wl-1/replacement", {"artifactId": "app-v2", "strategy": "rolling"})
        s.run_until("30m")
        s.result().replacements

    The scenario's own ``actions`` run at their times too. ``call`` returns ``{"status": 202, "body":
    {...}}``: the platform's refusals (404, 422, ...) are answers, not exceptions; a malformed call
    raises :class:`ScenarioError`.
    """

    def __init__(
        self,
        scenario: ScenarioSource,
        seed: int | None = None,
        *,
        events: bool = True,
        max_events: int | None = None,
    ) -> None:
        self.scenario = load(scenario)
        self._session = _core._Session(self.scenario, _check_seed(seed), events, _check_budget(max_events))

    @property
    def now(self) -> float:
        """The current simulated time, in seconds."""
        return self._session.now

    def run_until(self, t: float | str) -> None:
        """Runs every event up to and including ``t`` (seconds, or a duration text such as "10m").

        ``t`` must be finite and within the scenario's duration (else ``ValueError``/
        :class:`ScenarioError`). A Session may be used from several threads: its calls are serialised.
        """
        self._session.run_until(_seconds(t))

    def call(self, endpoint: str, body: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """A Workload API call now, e.g. ``call("GET /workloads/wl-1/history")``."""
        text = "" if body is None else json.dumps(body, allow_nan=False)
        answer = self._session.call(endpoint, text)
        return {"status": answer["status"], "body": json.loads(answer["body"])}

    def result(self) -> Result:
        """The results so far, measured now (the same shape as :func:`run`'s)."""
        out = self._session.result(False)
        return Result(scenario=self.scenario, seed=out["seed"], summary=json.loads(out["summary"]),
                      trace_hash=out["trace_hash"], event_columns=out["events"],
                      replica_columns=out["replicas"])

    def status(self) -> dict[str, Any]:
        """Every workload's status details now (as :func:`status`)."""
        return json.loads(self._session.result(True)["status"])
