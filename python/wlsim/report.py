"""``wlsim report``: one self-contained HTML page of a run, for people who would rather look than read.

The page holds the scenario's name, the seed and the trace hash, the fleet section of the summary
(when it has one), the summary of each workload as a table, and the plots of :mod:`wlsim.plot`: the
status timeline, and the replicas over time of each workload with autoscaling or traffic. Images
are inline PNG (``data:`` URLs): the file needs nothing else, and no network.

From Python::

    html = wlsim.report.html_report(wlsim.run(scenario, seed=7))
    wlsim.report.write_report("scenarios/examples/kpa-burst.yaml", "report.html", seed=7)

From a shell: ``wlsim report FILE --out report.html [--seed S] [--set PATH=VALUE ...]`` (the C++
command hands over to ``python -m wlsim report``).
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import json
import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from wlsim._result import Result

#: Rows of the timeline plot at most: above it only workloads are drawn, and at most this many.
MAX_TIMELINE_ROWS = 60
#: Workloads shown as columns of the summary table at most; with more, each is a row.
MAX_WORKLOAD_COLUMNS = 8
#: Workloads whose replicas are plotted, at most (the first ones with replica records).
MAX_REPLICA_PLOTS = 6

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
h1 { margin-bottom: 0.2em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: right; }
th { background: #f3f3f3; }
td.text, th.text { text-align: left; }
.meta td { text-align: left; }
.status-errored { color: #d62728; font-weight: bold; }
.status-running { color: #2ca02c; }
img { max-width: 100%; }
.note { color: #666; font-size: 0.9em; }
.scroll { overflow-x: auto; }
"""


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        return html.escape(json.dumps(value)) if len(value) <= 4 else f"[{len(value)} items]"
    return html.escape(str(value))


def flatten(metrics: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """A nested summary dict as one level, its keys joined with '.' (``pendingTimeByCause.noCapacity``),
    as the tidy frames name their columns. A list stays one value."""
    out: dict[str, Any] = {}
    for key, value in metrics.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, name + "."))
        else:
            out[name] = value
    return out


def _nested_html(value: Any) -> str:
    """Any JSON value as HTML: a dict as a two-column table (nested dicts nest), a list of dicts
    with the same keys as a table with a row each, anything else as text."""
    if isinstance(value, Mapping):
        rows = "".join(
            f'<tr><th class="text">{html.escape(str(k))}</th>'
            f'<td class="text">{_nested_html(v)}</td></tr>'
            for k, v in value.items()
        )
        return f"<table>{rows}</table>"
    if (
        isinstance(value, list)
        and value
        and all(isinstance(v, Mapping) for v in value)
        and all(not isinstance(x, (Mapping, list)) for v in value for x in v.values())
    ):
        columns = list(dict.fromkeys(k for v in value for k in v))
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{_cell(v.get(c))}</td>" for c in columns) + "</tr>" for v in value
        )
        return f"<table><tr>{head}</tr>{body}</table>"
    return _cell(value)


def _workload_table(workloads: Mapping[str, Mapping[str, Any]]) -> str:
    """The scalar metrics of each workload (nested ones flattened with '.'; a list such as
    replacements shows its length): a column per workload when there are few, else a row each."""
    flat = {wid: flatten(m) for wid, m in workloads.items()}
    metrics = list(dict.fromkeys(k for m in flat.values() for k in m))

    def cell(wid: str, metric: str) -> str:
        v = flat[wid].get(metric)
        if isinstance(v, list):
            v = len(v)
        css = f' class="status-{html.escape(str(v))}"' if metric == "status" else ""
        return f"<td{css}>{_cell(v)}</td>"

    if len(flat) <= MAX_WORKLOAD_COLUMNS:
        head = '<th class="text">metric</th>' + "".join(f"<th>{html.escape(w)}</th>" for w in flat)
        rows = [
            f'<tr><th class="text">{html.escape(m)}</th>{"".join(cell(w, m) for w in flat)}</tr>'
            for m in metrics
        ]
    else:
        head = '<th class="text">workload</th>' + "".join(f"<th>{html.escape(m)}</th>" for m in metrics)
        rows = [
            f'<tr><th class="text">{html.escape(w)}</th>{"".join(cell(w, m) for m in metrics)}</tr>'
            for w in flat
        ]
    return f'<div class="scroll"><table><tr>{head}</tr>{"".join(rows)}</table></div>'


def _figure(width: float, height: float) -> Figure:
    # A Figure without pyplot: no global state, no GUI backend, nothing left open in a notebook.
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _png(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<img alt="plot" src="data:image/png;base64,{data}">'


def _plots(result: Result) -> list[tuple[str, str, str]]:
    """(title, note, <img>) of each plot of the page."""
    from wlsim import plot

    out = []
    timeline = result.timeline(kinds=plot.TIMELINE_KINDS)
    # As much detail as fits one chart: every object, else workloads and protons, else workloads.
    choices = (
        (plot.TIMELINE_KINDS, "Every workload, proton and replica."),
        (("workload", "proton"), "Workloads and protons (too many replicas for one chart)."),
        (("workload",), "Workloads only (too many objects for one chart)."),
    )
    for kinds, note in choices:
        names = list(dict.fromkeys(timeline.loc[timeline["kind"].isin(kinds), "object"]))
        if len(names) <= MAX_TIMELINE_ROWS:
            break
    objects = None
    if len(names) > MAX_TIMELINE_ROWS:
        objects = names[:MAX_TIMELINE_ROWS]
        note = f"The first {len(objects)} of {len(names)} workloads."
    rows = len(objects if objects is not None else names)
    fig = _figure(11, 1.5 + 0.28 * max(rows, 1))
    plot.timeline(result, objects=objects, ax=fig.subplots(), kinds=kinds)
    out.append(("Status over time", note, _png(fig)))
    replicas = result.replicas
    for workload in list(dict.fromkeys(replicas["workload"]))[:MAX_REPLICA_PLOTS]:
        fig = _figure(11, 3.2)
        plot.replicas(result, workload, ax=fig.subplots())
        note = "Desired and ready replicas; the load when there is traffic."
        out.append((f"Replicas of {workload}", note, _png(fig)))
    return out


def html_report(result: Result) -> str:
    """The report of ``result`` as one self-contained HTML page."""
    s = result.summary
    name = str(s.get("scenario", ""))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>wlsim report: {html.escape(name)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{html.escape(name)}</h1>",
        '<table class="meta">',
        f'<tr><th class="text">seed</th><td>{result.seed}</td></tr>',
        '<tr><th class="text">trace hash</th>'
        f"<td><code>{html.escape(result.trace_hash)}</code></td></tr>",
        f'<tr><th class="text">simulated</th><td>{_cell(s.get("simulatedSeconds"))} s</td></tr>',
        f'<tr><th class="text">events</th><td>{_cell(s.get("events"))}</td></tr>',
        "</table>",
    ]
    if "fleet" in s:
        parts += ["<h2>Fleet</h2>", _nested_html(s["fleet"])]
    parts += ["<h2>Workloads</h2>", _workload_table(s.get("workloads", {}))]
    for title, note, img in _plots(result):
        parts += [f"<h2>{html.escape(title)}</h2>", f'<p class="note">{html.escape(note)}</p>', img]
    if s.get("actions"):
        actions = [{**a, "body": json.dumps(a.get("body"))} for a in s["actions"]]
        parts += ["<h2>Actions</h2>", _nested_html(actions)]
    cluster = s.get("cluster")
    if cluster:
        parts += ["<h2>Cluster</h2>", _nested_html(cluster)]
    parts += ['<p class="note">Written by wlsim report.</p>', "</body></html>"]
    return "\n".join(parts) + "\n"


def write_report(
    scenario: Any,
    out: str | os.PathLike[str],
    *,
    seed: int | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Result:
    """Run ``scenario`` (anything :func:`wlsim.load` takes) with ``overrides`` and ``seed``, and
    write its report to ``out`` whole or not at all (a temporary file beside it, renamed). Returns
    the run's :class:`Result`."""
    import wlsim

    loaded = wlsim.load(scenario)
    if overrides:
        loaded = loaded.with_overrides(dict(overrides))
    result = wlsim.run(loaded, seed=seed)
    page = html_report(result)
    target = Path(out)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # mkstemp's file is private (0600); the report gets the mode any new file would.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(page)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return result


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="wlsim report",
        description="Run a scenario once and write one self-contained HTML page: its summary, fleet "
        "section and plots (status timeline; replicas and load of autoscaled or trafficked workloads).",
        epilog="Exit status: 0 ok, 2 invalid input or usage.",
    )
    p.add_argument("file", metavar="FILE", help="the scenario, YAML or JSON; - reads standard input")
    p.add_argument("--out", required=True, metavar="HTML", help="the HTML file to write")
    p.add_argument("--seed", type=_seed, help="the run's seed (default: the scenario's)")
    p.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override a value of the scenario (repeatable); VALUE is YAML, as on every wlsim command, e.g. "
        "artifacts[app-v1].containerGroups[0].containers[app].readinessProbe.periodSeconds=10",
    )
    return p


def _seed(text: str) -> int:
    if not text.isdigit() or int(text) >= 2**64:
        raise argparse.ArgumentTypeError(f"'{text}' is not a non-negative integer")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    """``wlsim report ...``: 0 when the page was written; 2, one line on stderr and no file, for an
    invalid command line or scenario or an output that cannot be written."""
    try:
        args = _parser().parse_args(argv)
    except _UsageError as exc:
        print(f"wlsim: {exc}\nRun 'wlsim report --help' for usage.", file=sys.stderr)
        return 2
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("wlsim report needs matplotlib: pip install 'wlsim[plot]'", file=sys.stderr)
        return 2
    import wlsim
    from wlsim import _core

    try:
        # --set is read as every wlsim command reads it: PATH=VALUE, VALUE as YAML.
        overrides = [_core.parse_override(o) for o in args.overrides]
        if args.file == "-":
            scenario = _core.load_text(sys.stdin.read(), "<stdin>", None)
        else:
            scenario = wlsim.load(args.file)
        if overrides:
            scenario = scenario._with_yaml_overrides(overrides)
        write_report(scenario, args.out, seed=args.seed)
    except ValueError as exc:  # ScenarioError is a ValueError
        print(f"wlsim: {_one_line(exc)}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"wlsim: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split("\n"))
