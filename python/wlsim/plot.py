"""Plots of runs and studies, drawn with matplotlib (``pip install 'wlsim[plot]'``).

Every function draws on ``ax`` (a new figure's Axes when None) and returns that Axes, so it can be
restyled, combined in subplots or saved: ``wlsim.plot.timeline(result).figure.savefig("t.png")``.
Nothing is shown: call ``matplotlib.pyplot.show()`` yourself outside a notebook.

- :func:`timeline`: the status of each workload, proton and replica over time, as a Gantt chart in
  fixed colours (:data:`STATUS_COLOURS`).
- :func:`ecdf`: the empirical distribution of a metric of a tidy frame, one step line per variant.
- :func:`sweep_band`: a metric's mean against a swept parameter, with its 95 % interval as a band.
- :func:`replicas`: a workload's desired and ready replicas over time, with its load on a twin axis.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas
    from matplotlib.axes import Axes

    from wlsim._result import Result

#: The colour of each status on a :func:`timeline`: trouble in red, serving in green, starting in
#: amber, the way there in blues, the way out in greys. A state not listed is drawn in
#: :data:`OTHER_COLOUR`.
STATUS_COLOURS: dict[str, str] = {
    "errored": "#d62728",
    "restarting": "#ff7f0e",
    "running": "#2ca02c",
    "launching": "#ffbf00",
    "warming": "#ffe08a",
    "submitted": "#c6dbef",
    "provisioning": "#9ecae1",
    "initializing": "#6baed6",
    "draining": "#bdbdbd",
    "stopping": "#a6a6a6",
    "stopped": "#737373",
    "suspended": "#969696",
    "interrupted": "#8c8c8c",
    "terminated": "#525252",
    "unknown": "#e0e0e0",
}
#: The colour of a state that :data:`STATUS_COLOURS` does not list.
OTHER_COLOUR = "#cccccc"

#: The kinds of object :func:`timeline` draws by default, in this order.
TIMELINE_KINDS = ("workload", "proton", "replica")

#: z for a two-sided 95 % interval: the same normal interval as ``wlsim run --replications``.
_Z95 = 1.96


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("wlsim.plot needs matplotlib: pip install 'wlsim[plot]'") from exc
    return plt


def _axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    _, ax = _pyplot().subplots()
    return ax


def status_colour(state: str) -> str:
    """The colour :func:`timeline` draws ``state`` in."""
    return STATUS_COLOURS.get(state, OTHER_COLOUR)


def timeline(
    result: Result,
    objects: Iterable[str] | None = None,
    ax: Axes | None = None,
    *,
    kinds: Iterable[str] = TIMELINE_KINDS,
) -> Axes:
    """A Gantt chart of the status of objects over the run: one row per object (workloads first,
    then protons, then replicas, each in the order they first appear in the trace), one bar per
    interval of :meth:`Result.timeline`, coloured by :data:`STATUS_COLOURS`, with a legend of the
    states drawn.

    ``objects`` chooses the rows (object names such as ``"wl-1"``, in the order given); by default
    every object of ``kinds``. Intervals of no duration are not drawn. The x axis is seconds.
    """
    _pyplot()
    ax = _axes(ax)
    kinds = tuple(kinds)
    frame = result.timeline(kinds=kinds)
    if objects is None:
        order = {k: i for i, k in enumerate(kinds)}
        names = (
            frame.assign(_k=frame["kind"].map(order))
            .drop_duplicates("object")
            .sort_values("_k", kind="stable")["object"]
            .tolist()
        )
    else:
        names = list(objects)
        missing = [n for n in names if n not in set(frame["object"])]
        if missing:
            raise ValueError(f"timeline: no status records of {', '.join(map(repr, missing))}")
    rows = {name: i for i, name in enumerate(names)}
    drawn = frame[frame["object"].isin(rows) & (frame["duration"] > 0)]
    for state, group in drawn.groupby("state", sort=False):
        ax.barh(
            group["object"].map(rows).to_numpy(),
            group["duration"].to_numpy(),
            left=group["start"].to_numpy(),
            height=0.8,
            color=status_colour(str(state)),
            edgecolor="none",
            label=str(state),
        )
    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(len(names) - 0.5, -0.5)  # the first object on top
    ax.set_xlim(0, float(result.summary["simulatedSeconds"]))
    ax.set_xlabel("time (s)")
    ax.set_title(f"{result.summary.get('scenario', '')} (seed {result.seed}): status over time")
    if len(drawn):
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), borderaxespad=0, title="status")
    if len(names) > 40:
        ax.tick_params(axis="y", labelsize=6)
    return ax


def _groups(frame: pandas.DataFrame, by: str | None) -> list[tuple[Any, pandas.DataFrame]]:
    import pandas as pd

    if by is None:
        return [(None, frame)]
    if by not in frame.columns:
        raise KeyError(f"no column {by!r} to group by (columns: {', '.join(map(str, frame.columns))})")
    # Numbers in order; anything else (a swept "25MB/s") in the order of the sweep, as given.
    numeric = pd.api.types.is_numeric_dtype(frame[by])
    return list(frame.groupby(by, sort=numeric, dropna=False))


def _check_metric(frame: pandas.DataFrame, metric: str) -> None:
    if metric not in frame.columns:
        raise KeyError(f"no metric column {metric!r} (columns: {', '.join(map(str, frame.columns))})")


def ecdf(
    frame: pandas.DataFrame, metric: str, by: str | None = "variant", ax: Axes | None = None
) -> Axes:
    """The empirical cumulative distribution of ``metric`` (a column of a tidy frame such as
    :func:`wlsim.sweep` returns), one step line per value of the column ``by`` (None: one line).

    A missing value (a workload that never reached running has no ``timeToRunning``) counts as
    larger than every value: the line of a group with missing values ends below 1, at the fraction
    that has one, and its label says how many are missing. Each line starts at (smallest value, 0)
    and steps up by 1/n at each value. Numeric groups come in order, others (``"25MB/s"``) in the
    order they first appear in the frame.
    """
    import numpy as np

    _pyplot()
    _check_metric(frame, metric)
    ax = _axes(ax)
    for key, group in _groups(frame, by):
        values = np.sort(group[metric].dropna().to_numpy(dtype=float))
        n = len(group)
        if len(values) == 0:
            continue
        x = np.concatenate(([values[0]], values))
        y = np.arange(len(values) + 1) / n
        label = "all" if by is None else f"{by}={key}"
        if len(values) < n:
            label += f" ({n - len(values)} missing)"
        ax.step(x, y, where="post", label=label)
    ax.set_xlabel(metric)
    ax.set_ylabel("fraction ≤ x")
    ax.set_ylim(0, 1.02)
    if ax.get_lines():
        ax.legend(loc="lower right")  # where an ECDF's lines rarely are
    return ax


def interval_table(frame: pandas.DataFrame, metric: str, param: str) -> pandas.DataFrame:
    """What :func:`sweep_band` draws: per value of ``param`` (in the order of first appearance, or
    sorted when numeric), ``n``, ``mean``, ``low`` and ``high`` of ``metric``, the interval being
    mean ± 1.96 · s/√n (s the sample standard deviation, 0 for one value), as the CLI's replication
    table. Missing values are left out."""
    import pandas as pd

    _check_metric(frame, metric)
    if param not in frame.columns:
        raise KeyError(f"no parameter column {param!r} (columns: {', '.join(map(str, frame.columns))})")
    numeric = pd.api.types.is_numeric_dtype(frame[param])
    rows = []
    for value, group in frame.groupby(param, sort=numeric, dropna=True):
        v = group[metric].dropna().astype(float)
        n = len(v)
        mean = float(v.mean()) if n else math.nan
        half = _Z95 * float(v.std(ddof=1)) / math.sqrt(n) if n > 1 else 0.0
        rows.append({param: value, "n": n, "mean": mean, "low": mean - half, "high": mean + half})
    return pd.DataFrame(rows, columns=[param, "n", "mean", "low", "high"])


def sweep_band(frame: pandas.DataFrame, metric: str, param: str, ax: Axes | None = None) -> Axes:
    """The mean of ``metric`` against the swept parameter ``param`` (a column of a tidy frame, named
    by its override path), with its 95 % interval as a band (see :func:`interval_table`). A numeric
    parameter is drawn on a numeric axis; any other (``"1.2GB"``, ``"30s"``) as categories in the
    order of the sweep."""
    _pyplot()
    table = interval_table(frame, metric, param)
    ax = _axes(ax)
    import pandas as pd

    if pd.api.types.is_numeric_dtype(frame[param]):
        x = table[param].to_numpy(dtype=float)
    else:
        x = list(range(len(table)))
        ax.set_xticks(x, [str(v) for v in table[param]])
    (line,) = ax.plot(x, table["mean"], marker="o", label=f"mean {metric}")
    ax.fill_between(x, table["low"], table["high"], alpha=0.25, color=line.get_color(),
                    label="95 % interval")
    ax.set_xlabel(param)
    ax.set_ylabel(metric)
    ax.legend()
    return ax


def load_series(result: Result, workload: str, samples: int = 120) -> pandas.DataFrame:
    """The traffic of ``workload`` over the run of ``result``, as :func:`replicas` draws it: one row
    per sample time, ``time`` (seconds), ``arrived`` (requests arrived so far), ``rate`` (requests
    per second that arrived since the previous sample) and ``inFlight`` (arrived, not yet served or
    dropped). Measured by running the same scenario and seed again in a :class:`wlsim.Session`,
    paused at ``samples`` equally spaced times (the trace does not record requests). Empty when the
    workload has no traffic."""
    import pandas as pd

    from wlsim._api import Session

    columns = ["time", "arrived", "rate", "inFlight"]
    metrics = result.summary["workloads"].get(workload, {})
    if "requests" not in metrics:
        return pd.DataFrame(columns=columns)
    end = float(result.summary["simulatedSeconds"])
    session = Session(result.scenario, seed=result.seed, events=False)
    rows = []
    before_t, before_n = 0.0, 0.0
    for i in range(1, samples + 1):
        session.run_until(end * i / samples)
        requests = session.result().summary["workloads"][workload]["requests"]
        t, n = session.now, float(requests["arrived"])
        rows.append((t, n, (n - before_n) / (t - before_t) if t > before_t else 0.0,
                     float(requests["inFlight"])))
        before_t, before_n = t, n
    return pd.DataFrame(rows, columns=columns)


def replicas(
    result: Result, workload: str | None = None, ax: Axes | None = None, *, load_samples: int = 120
) -> Axes:
    """The replica count of ``workload`` over the run (by default the first workload with
    autoscaling or traffic): the desired count (what the autoscaler or the fixed replicaCount asks
    for) and the ready replicas from :attr:`Result.replicas`, as steps held to the end of the run;
    and, when the workload has traffic, its load on a twin axis to the right: the requests per
    second that arrived in each of ``load_samples`` equal intervals (see :func:`load_series`)."""
    _pyplot()
    frame = result.replicas
    if workload is None:
        if frame.empty:
            raise ValueError("replicas: this run has no workload with autoscaling or traffic")
        workload = str(frame["workload"].iloc[0])
    own = frame[frame["workload"] == workload]
    if own.empty:
        known = ", ".join(dict.fromkeys(frame["workload"])) or "none"
        raise ValueError(f"replicas: no replica records of {workload!r} (workloads with them: {known})")
    ax = _axes(ax)
    end = float(result.summary["simulatedSeconds"])
    t = own["time"].tolist() + [end]
    for column, style in (("desired", "--"), ("ready", "-")):
        values = own[column].tolist()
        ax.step(t, values + values[-1:], where="post", linestyle=style, label=column)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("replicas")
    ax.set_xlim(0, end)
    ax.set_title(f"{workload}: replicas over time")
    handles, labels = ax.get_legend_handles_labels()
    load = load_series(result, workload, samples=load_samples)
    if not load.empty:
        twin = ax.twinx()
        # Each rate is of the interval that ends at its sample: drawn from the interval's start.
        starts = [0.0] + load["time"].tolist()
        rates = load["rate"].tolist()
        twin.step(starts, rates + rates[-1:], where="post", color="#7f7f7f", alpha=0.7,
                  linewidth=0.9, label="arrivals /s")
        twin.set_ylabel("requests arrived per second")
        twin.set_ylim(bottom=0)
        h2, l2 = twin.get_legend_handles_labels()
        handles, labels = handles + h2, labels + l2
    ax.legend(handles, labels, loc="upper left")
    return ax
