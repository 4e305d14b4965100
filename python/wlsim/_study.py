"""wlsim.replicate and wlsim.sweep: studies as tidy pandas DataFrames.

A run's summary becomes long rows in C++ (``_core.run_rows``: workload, replacement, metric, value,
the one definition the CLI's ``wlsim sweep``, its SQLite store and these frames share); this module
only runs variants x seeds (in C++ threads, or as Dask tasks) and pivots the rows into one row per
variant x seed x workload.
"""

from __future__ import annotations

import itertools
import json
import numbers
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas

from wlsim import _core
from wlsim._api import ScenarioSource, _check_budget, load

#: The key columns of a study's workload frame, before the swept parameters' columns.
KEY_COLUMNS = ("variant", "seed", "workload")


def _seeds(scenario: _core.Scenario, seeds: Iterable[int] | int) -> list[int]:
    """`seeds` as a list: an int n means n seeds from the scenario's own seed, as the CLI's
    ``--replications n`` does."""
    if isinstance(seeds, bool):
        raise TypeError("seeds must be an int (how many) or an iterable of ints, not a bool")
    if isinstance(seeds, numbers.Integral):
        if seeds < 1:
            raise ValueError(f"seeds: {seeds} is not >= 1")
        return [scenario.seed + i for i in range(int(seeds))]
    out = []
    for s in seeds:
        if isinstance(s, bool) or not isinstance(s, numbers.Integral) or not 0 <= s < 2**64:
            raise ValueError(f"seeds: {s!r} is not a whole number in [0, 2^64)")
        out.append(int(s))
    if not out:
        raise ValueError("seeds: no seed given")
    if len(set(out)) != len(out):
        raise ValueError("seeds: a seed is given twice")
    return out


def _variants(parameters: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """The cartesian product of the values, the first path varying slowest (as the CLI's --set)."""
    paths = list(parameters)
    lists = []
    for path in paths:
        if not isinstance(path, str):
            raise TypeError(f"sweep: a path must be a str, not {type(path).__name__}")
        values = parameters[path]
        if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
            raise TypeError(f"sweep: the values of {path} must be a list, not {type(values).__name__}")
        values = list(values)
        if not values:
            raise ValueError(f"sweep: {path} has no values")
        lists.append(values)
    return [dict(zip(paths, combo)) for combo in itertools.product(*lists)]


# A str that YAML reads as the same str when written plainly, as on the CLI (`500MB`, `30s`,
# `lognormal(20s, 0.3)` is not: its comma and parentheses are kept quoted).
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_./-]*")
_NOT_TEXT = re.compile(
    r"[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+"
    r"|true|false|True|False|TRUE|FALSE|yes|no|Yes|No|YES|NO|on|off|On|Off|ON|OFF|null|Null|NULL"
)


def _value_text(value: Any) -> str:
    """A value as the YAML text of an override: JSON (which is YAML, so a str stays text, as in
    Scenario.with_overrides), except that a str the CLI would write plainly is written plainly, so
    that ``wlsim.sweep`` and ``wlsim sweep`` name their variants alike and share a result store."""
    if isinstance(value, str) and _PLAIN.fullmatch(value) and not _NOT_TEXT.fullmatch(value):
        return value
    return json.dumps(value)


def _as_text(variant: Mapping[str, Any]) -> dict[str, str]:
    return {path: _value_text(value) for path, value in variant.items()}


def _run_one(scenario: _core.Scenario, variant: dict[str, Any], seed: int, max_events: int | None):
    """One run of one variant: the task a Dask worker executes (module-level, so it pickles)."""
    return _core.run_rows(scenario.with_overrides(variant), seed, max_events)


def _rows_of_tasks(
    scenario: _core.Scenario,
    variants: list[dict[str, Any]],
    seeds: list[int],
    client: Any,
    store: Any,
    max_events: int | None,
) -> dict[str, dict[str, list]]:
    """Every run as Dask tasks; the rows gathered in the shape _core.sweep returns."""
    todo = [(v, s) for v in range(len(variants)) for s in seeds]
    if store is not None:
        done = set(store.done())
        todo = [t for t in todo if t not in done]
    futures = {
        client.submit(_run_one, scenario, variants[v], s, max_events, pure=False): (v, s)
        for v, s in todo
    }
    runs: dict[tuple[int, int], dict] = {}
    from dask.distributed import as_completed  # only with a client, so dask stays optional

    for future in as_completed(futures):
        key = futures[future]
        rows = future.result()
        if store is not None:
            store.add(key[0], key[1], rows)  # written as each run arrives: a killed sweep resumes
        else:
            runs[key] = rows
    if store is not None:
        return store.read()
    return _joined(runs, len(variants), seeds)


def _joined(runs: Mapping[tuple[int, int], dict], count: int, seeds: list[int]) -> dict:
    """Runs' rows in (variant, seed) order, with variant and seed columns, as _core.sweep gives."""
    out: dict[str, dict[str, list]] = {
        "metrics": {k: [] for k in ("variant", "seed", "workload", "replacement", "metric", "value")},
        "texts": {k: [] for k in ("variant", "seed", "workload", "replacement", "field", "text")},
        "runs": {k: [] for k in ("variant", "seed", "trace_hash", "events", "simulated_seconds")},
    }
    for v in range(count):
        for s in seeds:
            rows = runs[(v, s)]
            for part in ("metrics", "texts"):
                cols = rows[part]
                n = len(next(iter(cols.values())))
                out[part]["variant"].extend([v] * n)
                out[part]["seed"].extend([s] * n)
                for k, values in cols.items():
                    out[part][k].extend(values)
            out["runs"]["variant"].append(v)
            out["runs"]["seed"].append(s)
            for k, value in rows["run"].items():
                out["runs"][k].append(value)
    return out


def _frames(
    rows: Mapping[str, Mapping[str, list]], variants: list[dict[str, Any]]
) -> tuple[pandas.DataFrame, pandas.DataFrame]:
    """The long rows as (workloads, replacements) frames: one row per variant x seed x workload
    (x replacement), a column per swept path and per scalar metric, in the summary's order."""
    metrics = pandas.DataFrame(rows["metrics"])
    texts = pandas.DataFrame(rows["texts"])
    paths = list(variants[0]) if variants else []

    def frame_of(level: str) -> pandas.DataFrame:
        keys = ["variant", "seed", "workload"] + (["replacement"] if level == "replacement" else [])
        of_level = {
            name: long[(long["workload"] != "") & ((long["replacement"] != "") == (level == "replacement"))]
            for name, long in (("texts", texts), ("metrics", metrics))
        }
        # Rows keep the order they were made in: variants, seeds, then the summary's workloads.
        out = pandas.concat([of_level["texts"][keys], of_level["metrics"][keys]])
        out = out.drop_duplicates().reset_index(drop=True)
        for part, name, value in (("texts", "field", "text"), ("metrics", "metric", "value")):
            long = of_level[part]
            if long.empty:
                continue
            wide = long.pivot(index=keys, columns=name, values=value)
            wide = wide.reindex(columns=list(pandas.unique(long[name])))  # the summary's order
            if part == "metrics":
                wide = wide.astype("float64")  # a missing value is NaN
            wide.columns.name = None
            out = out.merge(wide.reset_index(), on=keys, how="left")
        for i, path in enumerate(paths):
            out.insert(1 + i, path, [variants[v][path] for v in out["variant"]])
        return out

    return frame_of("workload"), frame_of("replacement")


def sweep(
    scenario: ScenarioSource,
    parameters: Mapping[str, Sequence[Any]],
    *,
    seeds: Iterable[int] | int = 10,
    threads: int = 1,
    client: Any = None,
    store: str | None = None,
    max_events: int | None = None,
    replacements: bool = False,
) -> pandas.DataFrame | tuple[pandas.DataFrame, pandas.DataFrame]:
    """Run every combination of `parameters` ({path: [values]}, paths as in
    ``Scenario.with_overrides``) on the same seeds, and return one row per variant x seed x workload.

    Every variant runs on exactly the same seeds (common random numbers), so differences between
    variants are paired by seed. ``seeds`` is a list of seeds, or how many from the scenario's own
    seed (like ``wlsim sweep --replications``). ``threads`` runs that many at once in this process;
    ``client`` (a ``dask.distributed.Client``) runs each (variant, seed) as a task on its cluster
    instead: the rows are the same. ``store`` is a SQLite file that gets each run as it finishes;
    running the same sweep again with it resumes, running only what is missing.

    The frame's columns: ``variant``, one column per path (its value), ``seed``, ``workload``,
    ``status``, and every scalar metric of the workload's summary, named as in the summary with
    nested keys joined by '.' (``timeToRunning``, ``pendingTimeByCause.noCapacity``, ...); a metric
    without a value (``timeToRunning`` of a workload never running) is NaN. With
    ``replacements=True`` the result is ``(workloads, replacements)``, the second with one row per
    replacement and its metrics.
    """
    loaded = load(scenario)
    variants = _variants(parameters)
    seed_list = _seeds(loaded, seeds)
    budget = _check_budget(max_events)
    if not isinstance(threads, numbers.Integral) or isinstance(threads, bool) or threads < 1:
        raise ValueError(f"threads: {threads!r} is not a whole number >= 1")
    texts = [_as_text(v) for v in variants]
    if client is None:
        rows = _core.sweep(loaded, texts, seed_list, int(threads), store, budget)
    else:
        result_store = None if store is None else _core.ResultStore(store, loaded, texts, seed_list)
        rows = _rows_of_tasks(loaded, variants, seed_list, client, result_store, budget)
    workloads, replaced = _frames(rows, variants)
    return (workloads, replaced) if replacements else workloads


def replicate(
    scenario: ScenarioSource,
    *,
    seeds: Iterable[int] | int = 10,
    threads: int = 1,
    client: Any = None,
    max_events: int | None = None,
    replacements: bool = False,
) -> pandas.DataFrame | tuple[pandas.DataFrame, pandas.DataFrame]:
    """Run the scenario on several seeds: :func:`sweep` without parameters, one row per seed x
    workload (no ``variant`` column). ``seeds=n`` runs the scenario's seed and the n-1 after it,
    the seeds of ``wlsim run --replications n``."""
    out = sweep(
        scenario,
        {},
        seeds=seeds,
        threads=threads,
        client=client,
        max_events=max_events,
        replacements=True,
    )
    workloads, replaced = (frame.drop(columns="variant") for frame in out)
    return (workloads, replaced) if replacements else workloads
