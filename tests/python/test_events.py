"""Result.events: built from the C++ trace as columns (time as float64, text dictionary-encoded,
issue 11), equal to the plain definition: one row per record in the order the run wrote them,
read here from the records the CLI's `wlsim trace --format jsonl` prints, one at a time."""

from __future__ import annotations

import copy
import json
import pickle
import subprocess
import warnings
from pathlib import Path
from typing import Any

import numpy
import pandas
import pandas.testing
import pytest
import wlsim
from helpers import EXAMPLES, ONE_CONTAINER


_TEXT_COLUMNS = ("object", "kind", "from", "to", "reason", "message")


def _by_definition(cli: Path, path: Path) -> pandas.DataFrame:
    """The trace's records, row by row, as `wlsim trace` writes them."""
    proc = subprocess.run([str(cli), "trace", str(path), "--format", "jsonl"], capture_output=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    rows = []
    for line in proc.stdout.decode("utf-8").splitlines():
        record = json.loads(line)
        rows.append(tuple(float(record[c]) if c in ("time", "first", "last") else record[c]
                          for c in wlsim.EVENT_COLUMNS))
    return pandas.DataFrame(rows, columns=list(wlsim.EVENT_COLUMNS))


def _assert_events_are(frame: pandas.DataFrame, expected: pandas.DataFrame) -> None:
    pandas.testing.assert_frame_equal(frame, expected)
    assert frame["time"].dtype == "float64"
    assert frame["count"].dtype == "int64"
    for name in _TEXT_COLUMNS:
        # The dtype pandas gives a column of str: `str` from pandas 3, `object` before.
        assert frame[name].dtype == expected[name].dtype == _str_dtype(), name
        assert all(type(v) is str for v in frame[name]), name


def _str_dtype() -> Any:
    return pandas.DataFrame({"text": ["a", "b"]})["text"].dtype


def _non_ascii() -> dict[str, Any]:
    """One workload, and API calls whose request lines (the `from` of their records) and bodies
    (their messages) hold text outside ASCII."""
    s = copy.deepcopy(ONE_CONTAINER)
    s["actions"] = [
        {"at": "1m", "request": "GET /workloads/wl-ünïcode-ß/protons"},
        {"at": "2m", "request": "POST /workloads/wl-1/replacement",
         "body": {"artifactId": "app-✓-日本", "strategy": "rolling"}},
        {"at": "3m", "request": "GET /workloads/wl-1/history"},
    ]
    return s


@pytest.mark.parametrize("example", ["crash-loop.yaml", "rollback.yaml", "kpa-burst.yaml",
                                     "preemption.yaml", "settings-and-lifecycle.yaml"])
def test_events_are_the_records_row_by_row(example: str, cli: Path) -> None:
    _assert_events_are(wlsim.run(EXAMPLES / example).events, _by_definition(cli, EXAMPLES / example))


def test_events_keep_text_outside_ascii(tmp_path: Path, cli: Path) -> None:
    f = tmp_path / "non-ascii.json"
    f.write_text(json.dumps(_non_ascii(), ensure_ascii=False), encoding="utf-8")
    ev = wlsim.run(f).events
    _assert_events_are(ev, _by_definition(cli, f))
    assert "GET /workloads/wl-ünïcode-ß/protons" in set(ev["from"])
    assert ev["message"].str.contains("app-✓-日本").any()


def test_an_empty_trace_is_an_empty_frame_of_the_columns() -> None:
    ev = wlsim.Session(EXAMPLES / "hello.yaml").result().events  # nothing has run yet
    assert ev.empty and list(ev.columns) == list(wlsim.EVENT_COLUMNS)
    assert ev["time"].dtype == ev["first"].dtype == ev["last"].dtype == "float64"
    assert ev["count"].dtype == "int64"
    assert all(ev[name].dtype == _str_dtype() for name in _TEXT_COLUMNS)


def test_without_the_str_dtype_rows_share_one_str_per_distinct_text(cli: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas 3 deprecates turning str inference off
        with pandas.option_context("future.infer_string", False):
            ev = wlsim.run(EXAMPLES / "crash-loop.yaml").events
            _assert_events_are(ev, _by_definition(cli, EXAMPLES / "crash-loop.yaml"))
            assert ev["kind"].dtype == object
    kinds = ev["kind"].to_numpy()
    assert len({id(k) for k in kinds}) == len(set(kinds)) == 7


def test_a_session_result_snapshot_keeps_its_records(cli: Path, tmp_path: Path) -> None:
    s = wlsim.Session(_non_ascii())
    s.run_until("2m")
    early = s.result()
    s.run_until("10m")
    late = s.result().events
    f = tmp_path / "non-ascii.json"
    f.write_text(json.dumps(_non_ascii(), ensure_ascii=False), encoding="utf-8")
    _assert_events_are(late, _by_definition(cli, f))
    assert len(early.events) < len(late)
    pandas.testing.assert_frame_equal(early.events, late.iloc[: len(early.events)])


def test_events_pickle_before_and_after_they_are_built() -> None:
    r = wlsim.run(_non_ascii())
    back = pickle.loads(pickle.dumps(r))  # the C++ columns, encoded
    _assert_events_are(back.events, r.events)
    again = pickle.loads(pickle.dumps(back))  # from the DataFrame
    _assert_events_are(again.events, r.events)


def test_a_pickle_of_plain_lists_still_reads() -> None:
    # The state pickles held before the columns were encoded: one list per column.
    r = wlsim.run(EXAMPLES / "crash-loop.yaml")
    lists = {name: r.events[name].tolist() for name in wlsim.EVENT_COLUMNS}
    old = wlsim.Result(scenario=r.scenario, seed=r.seed, summary=r.summary, trace_hash=r.trace_hash,
                       event_columns=lists)
    _assert_events_are(old.events, r.events)
    assert numpy.array_equal(old.events["time"].to_numpy(), r.events["time"].to_numpy())


def test_a_repeated_event_is_one_record_then_its_series_at_the_end() -> None:
    # wrong-readiness-path: the readiness probe fails on every period, on the same pod, with the same
    # message (the trace rule of docs/architecture.md "The trace").
    r = wlsim.run(EXAMPLES / "wrong-readiness-path.yaml")
    ev = r.events
    unhealthy = ev[ev.reason == "Unhealthy"]
    assert len(unhealthy) >= 2
    first = unhealthy.groupby(["object", "message"]).head(1)
    assert (first["count"] == 1).all()
    series = unhealthy[unhealthy["count"] > 1]
    assert not series.empty
    end = r.summary["simulatedSeconds"]
    assert (series["time"] == end).all()
    assert (series["first"] < series["last"]).all()
    ordinary = ev[ev["count"] == 1]
    assert (ordinary["first"] == ordinary["time"]).all() and (ordinary["last"] == ordinary["time"]).all()
