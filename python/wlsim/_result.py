"""The result of one run."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas

    from wlsim._core import Scenario

#: Columns of :attr:`Result.events`, in order. ``time`` is in seconds since the start of the run.
EVENT_COLUMNS = ("time", "object", "kind", "from", "to", "reason", "message", "count", "first", "last")
#: Columns of :attr:`Result.replicas`, in order.
REPLICA_COLUMNS = ("workload", "time", "desired", "current", "ready", "mode")
#: Columns of :attr:`Result.nodes`, in order.
NODE_COLUMNS = ("time", "pool", "nodes")


class Result:
    """The outcome of :func:`wlsim.run`.

    Attributes:
        scenario: the :class:`wlsim.Scenario` that ran.
        seed: the seed the run used (the scenario's own unless one was passed).
        summary: the run summary as a dict, the same object ``wlsim run FILE --format json`` prints:
            ``scenario``, ``seed``, ``simulatedSeconds``, ``events``, ``traceRecords``,
            ``traceHash``, ``workloads`` mapping each workload id to its metrics (``status``,
            ``timeToRunning`` (seconds, or None if it never ran) and its breakdown, ``pendingTime``,
            ``erroredDwell``, ``erroredRecovered``, ``restarts``, ``oomKills``, ``peakHeld``,
            ``replicaSeconds``, ``resourceSeconds``, ``protons``, ``replacements``; with traffic also
            ``requests`` (``arrived``, ``served``, ``dropped`` by reason, ...), ``requestLatency``
            and ``coldStarts``; with traffic or autoscaling ``scaleEvents`` and ``autoscaler``; and
            the contention metrics ``pendingTimeByCause``, ``preemptions``, ``evictions``,
            ``degradedTime``), ``actions``: every API call of the scenario's actions with the
            platform's answer, and ``cluster``: each pool's ``nodes``, ``peakNodes`` and
            ``nodeSeconds``, ``scaleUps``, ``scaleDowns``, ``nodeFailures`` and ``nodeTimeline``.
        trace_hash: the trace's running hash as 16 lowercase hex digits (``summary["traceHash"]``).
    """

    __slots__ = ("scenario", "seed", "summary", "trace_hash", "_columns", "_events", "_replica_columns")

    def __init__(
        self,
        *,
        scenario: Scenario,
        seed: int,
        summary: dict[str, Any],
        trace_hash: str,
        event_columns: Any,
        replica_columns: dict[str, list[Any]] | None = None,
    ) -> None:
        self.scenario = scenario
        self.seed = seed
        self.summary = summary
        self.trace_hash = trace_hash
        self._columns = event_columns
        self._events: pandas.DataFrame | None = None
        self._replica_columns = replica_columns

    @property
    def events(self) -> pandas.DataFrame:
        """The trace records as a DataFrame with columns :data:`EVENT_COLUMNS`, one row per record
        in the order they happened. ``count``, ``first`` and ``last`` are an event series' (an event
        repeated on the same object with the same reason and message is recorded once, then as one
        series record when the run ends); an ordinary record has count 1 and first = last = time.
        Built on first access."""
        if self._events is None:
            if self._columns is None:
                raise RuntimeError("this run was made with events=False: its trace was not kept")
            columns = self._columns if isinstance(self._columns, dict) else self._columns.columns()
            self._events = _events_frame(columns)
            self._columns = None
        return self._events

    #: Trace kinds that are state machines: each record starts an interval of its object in ``to``.
    TIMELINE_KINDS = ("workload", "proton", "replica", "container", "phase", "replacement")

    def timeline(self, kinds: tuple[str, ...] = TIMELINE_KINDS) -> pandas.DataFrame:
        """Status intervals: one row per (object, kind) and state it was in, with ``start`` and
        ``end`` (seconds; ``end`` is the end of the run for the last state) and ``duration``. Built
        from :attr:`events`; instantaneous states (start == end) are kept, so the sequence is whole."""
        import numpy
        import pandas

        ev = self.events
        ev = ev[ev["kind"].isin(kinds)]
        end_of_run = float(self.summary["simulatedSeconds"])
        # Columns, not rows: each object's records in time order, objects in order of first record;
        # a record's interval ends at the next record of its object, the last at the end of the run.
        group = pandas.MultiIndex.from_frame(ev[["object", "kind"]]).factorize()[0]
        order = numpy.argsort(group, kind="stable")
        group = group[order]
        picked = ev.iloc[order]
        start = picked["time"].to_numpy(dtype="float64")
        last = numpy.ones(len(start), dtype=bool)
        last[:-1] = group[1:] != group[:-1]
        end = numpy.full(len(start), end_of_run)
        end[:-1] = numpy.where(last[:-1], end_of_run, start[1:])
        return pandas.DataFrame(
            {
                "object": picked["object"].to_numpy(),
                "kind": picked["kind"].to_numpy(),
                "state": picked["to"].to_numpy(),
                "start": start,
                "end": end,
                "duration": end - start,
            }
        )

    @property
    def replacements(self) -> pandas.DataFrame:
        """Every replacement of every workload (the history with its metrics), one row each:
        ``workload``, ``id``, ``artifactId``, ``status``, ``outcome``, ``postedAt``,
        ``replacementDuration``, ``timeToSwitch``, ``candidateTimeToRunning``, ``peakSurgeCpu``,
        ``peakSurgeMemory`` (bytes), ... Times are seconds; None where not reached."""
        import pandas

        rows = []
        for workload, metrics in self.summary["workloads"].items():
            for rep in metrics["replacements"]:
                row = {"workload": workload, **{k: v for k, v in rep.items() if k != "peakSurge"}}
                row["peakSurgeCpu"] = rep["peakSurge"]["cpu"]
                row["peakSurgeMemory"] = rep["peakSurge"]["memory"]
                row["peakSurgeGpu"] = rep["peakSurge"]["gpu"]
                rows.append(row)
        return pandas.DataFrame(rows)

    @property
    def replicas(self) -> pandas.DataFrame:
        """The replica counts over time of every workload with traffic or autoscaling: one row per
        change, with columns :data:`REPLICA_COLUMNS`: ``workload``, ``time`` (seconds), ``desired``
        (what the autoscaler, or the fixed replicaCount, asks for), ``current`` (replicas the proton
        holding the traffic has), ``ready``, and ``mode`` (``fixed``, ``stable`` or ``panic``). Each
        row holds until the next row of its workload."""
        import pandas

        columns = self._replica_columns or {name: [] for name in REPLICA_COLUMNS}
        return pandas.DataFrame({name: columns[name] for name in REPLICA_COLUMNS},
                                columns=list(REPLICA_COLUMNS))

    @property
    def nodes(self) -> pandas.DataFrame:
        """The nodes of each pool over time (the cluster autoscaler's scale-ups and scale-downs):
        one row per change, with columns :data:`NODE_COLUMNS`: ``time`` (seconds), ``pool``,
        ``nodes`` (not deleted; a failed node still counts). Each row holds until the next row of
        its pool; the first rows are the pools at time 0."""
        import pandas

        rows = [(n["at"], n["pool"], n["nodes"]) for n in self.summary["cluster"]["nodeTimeline"]]
        return pandas.DataFrame(rows, columns=list(NODE_COLUMNS))

    @property
    def actions(self) -> pandas.DataFrame:
        """The API calls of the scenario's actions: ``at`` (seconds), ``request``, ``status``, ``body``."""
        import pandas

        return pandas.DataFrame(self.summary["actions"], columns=["at", "request", "status", "body"])

    def __getstate__(self) -> dict[str, Any]:
        # A pickle holds the trace as columns (plain lists, or the C++ columns, encoded): the C++
        # records do not pickle, and columns rebuild the same DataFrame. The scenario pickles as its
        # source and overrides.
        if self._events is not None:
            columns = {name: self._events[name].tolist() for name in EVENT_COLUMNS}
        elif self._columns is None or isinstance(self._columns, dict):
            columns = self._columns
        else:
            columns = self._columns.columns()
        return {
            "scenario": self.scenario,
            "seed": self.seed,
            "summary": self.summary,
            "trace_hash": self.trace_hash,
            "event_columns": columns,
            "replica_columns": self._replica_columns,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        Result.__init__(self, **state)

    def __repr__(self) -> str:
        return (
            f"<wlsim.Result scenario={self.summary.get('scenario')!r} seed={self.seed} "
            f"trace_hash={self.trace_hash}>"
        )


def _events_frame(columns: dict[str, Any]) -> pandas.DataFrame:
    """The events DataFrame from its columns: the C++ trace's (``time`` a float64 array, each text
    column a tuple of codes and the distinct str they index) or plain lists (a pickle's)."""
    import pandas

    data = {}
    for name in EVENT_COLUMNS:
        column = columns[name]
        data[name] = _text_column(*column) if isinstance(column, tuple) else column
    return pandas.DataFrame(data, columns=list(EVENT_COLUMNS))


def _text_column(codes: Any, texts: list[str]) -> Any:
    """The column ``texts[codes]``, of the dtype pandas gives a column of str (``str`` from pandas
    3, ``object`` before): the same frame as one built from a str per row, made by a gather."""
    import numpy
    import pandas

    dtype = pandas.Series(["str"]).dtype
    if dtype == object:
        # Rows share one str object per distinct text.
        distinct = numpy.empty(len(texts), dtype=object)
        distinct[:] = texts
        return distinct[codes]
    # A string array of the distinct texts, gathered (pyarrow's take when pyarrow backs str).
    return pandas.array(texts, dtype=dtype).take(numpy.asarray(codes, dtype=numpy.intp))
