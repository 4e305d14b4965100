"""Result.timeline: the status intervals, built from columns (issue 11), equal to the plain
definition: per (object, kind) in order of first record, each record's state lasts until the next
record of that object, the last until the end of the run."""

from __future__ import annotations

import pandas
import pandas.testing
import pytest
import wlsim
from helpers import EXAMPLES


def _by_definition(result: wlsim.Result, kinds: tuple[str, ...]) -> pandas.DataFrame:
    ev = result.events
    ev = ev[ev["kind"].isin(kinds)]
    end_of_run = float(result.summary["simulatedSeconds"])
    rows = []
    for (obj, kind), group in ev.groupby(["object", "kind"], sort=False):
        times = group["time"].tolist()
        for i, (t, state) in enumerate(zip(times, group["to"].tolist())):
            end = times[i + 1] if i + 1 < len(times) else end_of_run
            rows.append({"object": obj, "kind": kind, "state": state, "start": t, "end": end,
                         "duration": end - t})
    return pandas.DataFrame(rows, columns=["object", "kind", "state", "start", "end", "duration"])


@pytest.mark.parametrize("example", ["crash-loop.yaml", "rolling-replacement.yaml", "kpa-burst.yaml",
                                     "preemption.yaml", "capacity-study.yaml"])
def test_timeline_is_the_intervals_by_definition(example: str) -> None:
    result = wlsim.run(EXAMPLES / example)
    for kinds in (wlsim.Result.TIMELINE_KINDS, ("replica", "workload")):
        pandas.testing.assert_frame_equal(result.timeline(kinds), _by_definition(result, kinds))
    empty = result.timeline(("none",))
    assert empty.empty and list(empty.columns) == ["object", "kind", "state", "start", "end", "duration"]
    assert empty["start"].dtype == "float64"  # numbers even with no rows


def test_timeline_of_crash_loop_has_exact_intervals() -> None:
    tl = wlsim.run(EXAMPLES / "crash-loop.yaml").timeline(("workload",))
    assert tl["state"].tolist() == ["initializing", "submitted", "provisioning", "launching", "errored"]
    assert tl["start"].tolist() == [0.0, 0.0, 0.0, 0.0, 10.0]
    assert tl["end"].tolist() == [0.0, 0.0, 0.0, 10.0, 720.0]  # errored (sticky) to the end of the run
    assert (tl["end"].iloc[:-1].to_numpy() == tl["start"].iloc[1:].to_numpy()).all()
