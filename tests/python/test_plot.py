"""wlsim.plot: each plot of a real run holds the artists it should (checks a blank or wrong plot fails)."""

from __future__ import annotations

import math

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from helpers import EXAMPLES  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

import wlsim  # noqa: E402
from wlsim import plot  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def _bars(ax) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def test_timeline_draws_one_bar_per_status_interval_in_the_status_colour():
    result = wlsim.run(EXAMPLES / "crash-loop.yaml")
    ax = plot.timeline(result)
    intervals = result.timeline(kinds=plot.TIMELINE_KINDS)
    intervals = intervals[intervals["duration"] > 0]
    names = list(dict.fromkeys(intervals.sort_values("kind", key=lambda k: k.map(
        {k: i for i, k in enumerate(plot.TIMELINE_KINDS)}), kind="stable")["object"]))
    bars = _bars(ax)
    assert len(bars) == len(intervals) > 0
    drawn = sorted((round(b.get_x(), 6), round(b.get_width(), 6), round(b.get_y() + b.get_height() / 2),
                    b.get_facecolor()) for b in bars)
    expected = sorted((round(r.start, 6), round(r.duration, 6), names.index(r.object),
                       to_rgba(plot.STATUS_COLOURS.get(r.state, plot.OTHER_COLOUR)))
                      for r in intervals.itertuples())
    assert drawn == expected
    assert [t.get_text() for t in ax.get_yticklabels()] == names
    # crash-loop's workload ends errored: its last bar is red and reaches the end of the run.
    wl = next(iter(result.summary["workloads"]))
    assert result.summary["workloads"][wl]["status"] == "errored"
    row = names.index(wl)
    last = max((b for b in bars if round(b.get_y() + b.get_height() / 2) == row), key=Rectangle.get_x)
    assert last.get_facecolor() == to_rgba("#d62728") == to_rgba(plot.STATUS_COLOURS["errored"])
    assert last.get_x() + last.get_width() == pytest.approx(result.summary["simulatedSeconds"])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert set(legend) == set(intervals["state"]) and "errored" in legend


def test_timeline_fixed_colours_of_the_three_named_statuses():
    assert to_rgba(plot.STATUS_COLOURS["errored"])[:3] == pytest.approx((0.839, 0.153, 0.157), abs=0.01)
    assert to_rgba(plot.STATUS_COLOURS["running"])[:3] == pytest.approx((0.173, 0.627, 0.173), abs=0.01)
    assert to_rgba(plot.STATUS_COLOURS["launching"])[:3] == pytest.approx((1.0, 0.749, 0.0), abs=0.01)


def test_timeline_of_chosen_objects_draws_those_rows_on_the_given_axes():
    import matplotlib.pyplot as plt

    result = wlsim.run(EXAMPLES / "hello.yaml")
    _, given = plt.subplots()
    wl = next(iter(result.summary["workloads"]))
    ax = plot.timeline(result, objects=[wl], ax=given)
    assert ax is given
    assert [t.get_text() for t in ax.get_yticklabels()] == [wl]
    own = result.timeline(kinds=("workload",))
    own = own[(own["object"] == wl) & (own["duration"] > 0)]
    assert len(_bars(ax)) == len(own) > 0
    # hello's workload ends running: its last bar is green.
    assert max(_bars(ax), key=Rectangle.get_x).get_facecolor() == to_rgba(plot.STATUS_COLOURS["running"])
    with pytest.raises(ValueError, match="no status records of 'nope'"):
        plot.timeline(result, objects=["nope"])


def _tidy(seeds: range) -> pd.DataFrame:
    """A tidy frame as wlsim.sweep makes it, built by hand: two variants of random start-up (the
    second probes every 3 s) over the seeds, one row per variant × seed × workload."""
    from helpers import random_scenario

    base = wlsim.load(random_scenario())
    path = "artifacts[app-v1].containerGroups[0].containers[app].readinessProbe.periodSeconds"
    rows = []
    for variant, period in enumerate((1, 3)):
        scenario = base.with_overrides({path: period})
        for seed in seeds:
            summary = wlsim.run(scenario, seed=seed, events=False).summary
            for wid, m in summary["workloads"].items():
                rows.append({"variant": variant, path: period, "seed": seed, "workload": wid,
                             "status": m["status"], "timeToRunning": m["timeToRunning"],
                             "restarts": m["restarts"]})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def tidy() -> pd.DataFrame:
    return _tidy(range(4))


def test_ecdf_draws_one_step_line_per_variant_from_its_smallest_value_at_0_to_its_largest_at_1(tidy):
    ax = plot.ecdf(tidy, "timeToRunning")
    lines = ax.get_lines()
    assert len(lines) == 2
    for line, (variant, group) in zip(lines, tidy.groupby("variant")):
        x, y = line.get_xdata(), line.get_ydata()
        values = np.sort(group["timeToRunning"].to_numpy(dtype=float))
        assert (x[0], y[0]) == (values[0], 0.0)
        assert (x[-1], y[-1]) == (values[-1], 1.0)
        assert list(x[1:]) == list(values)
        assert list(y) == pytest.approx([i / len(values) for i in range(len(values) + 1)])
        assert line.get_drawstyle() == "steps-post"
        assert line.get_label() == f"variant={variant}"
    # Probing every 3 s rather than every second cannot make a replica ready sooner.
    assert lines[1].get_xdata()[-1] >= lines[0].get_xdata()[-1]


def test_ecdf_counts_a_missing_value_as_larger_than_all_so_the_line_ends_below_1():
    frame = pd.DataFrame(
        {"variant": [0, 0, 0, 0, 1, 1], "timeToRunning": [3.0, 1.0, None, 2.0, 5.0, 4.0]}
    )
    ax = plot.ecdf(frame, "timeToRunning")
    first, second = ax.get_lines()
    assert list(first.get_xdata()) == [1.0, 1.0, 2.0, 3.0]
    assert list(first.get_ydata()) == [0.0, 0.25, 0.5, 0.75]
    assert first.get_label() == "variant=0 (1 missing)"
    assert (second.get_xdata()[-1], second.get_ydata()[-1]) == (5.0, 1.0)
    one = plot.ecdf(frame, "timeToRunning", by=None)
    assert len(one.get_lines()) == 1 and one.get_lines()[0].get_ydata()[-1] == pytest.approx(5 / 6)
    with pytest.raises(KeyError, match="no metric column 'nope'"):
        plot.ecdf(frame, "nope")


def test_sweep_band_draws_the_mean_and_a_95_percent_band_per_parameter_value(tidy):
    path = "artifacts[app-v1].containerGroups[0].containers[app].readinessProbe.periodSeconds"
    ax = plot.sweep_band(tidy, "timeToRunning", path)
    (line,) = ax.get_lines()
    assert list(line.get_xdata()) == [1.0, 3.0]
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 1
    vertices = bands[0].get_paths()[0].vertices
    for period, mean_y in zip((1, 3), line.get_ydata()):
        v = tidy.loc[tidy[path] == period, "timeToRunning"].to_numpy(dtype=float)
        half = 1.96 * v.std(ddof=1) / math.sqrt(len(v))
        assert mean_y == pytest.approx(v.mean())
        at = vertices[np.isclose(vertices[:, 0], period)][:, 1]
        assert half > 0
        assert at.min() == pytest.approx(v.mean() - half) and at.max() == pytest.approx(v.mean() + half)


def test_sweep_band_puts_a_text_parameter_on_categories_in_sweep_order():
    frame = pd.DataFrame({"size": ["2GB", "2GB", "500MB", "500MB"], "pendingTime": [4.0, 6.0, 1.0, 1.0]})
    ax = plot.sweep_band(frame, "pendingTime", "size")
    (line,) = ax.get_lines()
    assert list(line.get_ydata()) == [5.0, 1.0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2GB", "500MB"]
    table = plot.interval_table(frame, "pendingTime", "size")
    assert table["high"].tolist() == pytest.approx([5.0 + 1.96 * math.sqrt(2) / math.sqrt(2), 1.0])


def test_replicas_draws_desired_and_ready_steps_and_the_load_on_a_twin_axis():
    result = wlsim.run(EXAMPLES / "kpa-burst.yaml")
    ax = plot.replicas(result)
    frame = result.replicas
    own = frame[frame["workload"] == "model"]
    end = result.summary["simulatedSeconds"]
    desired, ready = ax.get_lines()
    assert desired.get_label() == "desired" and ready.get_label() == "ready"
    assert list(desired.get_xdata()) == own["time"].tolist() + [end]
    assert list(desired.get_ydata())[:-1] == own["desired"].tolist()
    assert list(ready.get_ydata())[:-1] == own["ready"].tolist()
    # The KPA scales up for each burst: the count is not flat.
    assert max(own["desired"]) > min(own["desired"])
    twins = [a for a in ax.figure.axes if a is not ax]
    assert len(twins) == 1
    (load,) = twins[0].get_lines()
    assert load.get_label() == "arrivals /s"
    series = plot.load_series(result, "model")
    assert len(series) == 120
    assert list(load.get_xdata()) == [0.0] + series["time"].tolist()
    assert list(load.get_ydata())[:-1] == series["rate"].tolist()
    # The same run measured again: every request of the summary arrived by the last sample.
    assert series["arrived"].iloc[-1] == result.summary["workloads"]["model"]["requests"]["arrived"]
    # kpa-burst offers 40 requests/s with bursts of 160/s from 5m to 320s: the measured rate shows it.
    at = series.set_index("time")["rate"]
    assert 30 < at[120.0] < 50 and 140 < at[310.0] < 180
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {"desired", "ready", "arrivals /s"}


def test_replicas_without_autoscaling_or_traffic_says_so():
    result = wlsim.run(EXAMPLES / "hello.yaml")
    with pytest.raises(ValueError, match="no workload with autoscaling or traffic"):
        plot.replicas(result)


def test_without_matplotlib_wlsim_imports_and_a_plot_says_what_to_install():
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "import wlsim\n"
        "result = wlsim.run(sys.argv[1])\n"
        "try:\n"
        "    wlsim.plot.timeline(result)\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(EXAMPLES / "hello.yaml")],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "wlsim.plot needs matplotlib: pip install 'wlsim[plot]'\n"
