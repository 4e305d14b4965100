"""wlsim.sweep and wlsim.replicate: tidy frames, common random numbers, the CLI's numbers, the result
store (resume after a kill), Parquet export, and the same rows on a Dask LocalCluster."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pandas
import pandas.testing
import pytest
import wlsim
from helpers import EXAMPLES

STUDY = EXAMPLES / "capacity-study.yaml"
APP = "artifacts[app-v1].containerGroups[0].containers[app]."
PERIOD = APP + "readinessProbe.periodSeconds"
IMAGE = APP + "behavior.imageSize"
# The acceptance sweep: 3 probe periods x 2 image sizes on the 20-workload scenario.
PARAMETERS = {PERIOD: [10, 30, 60], IMAGE: ["500MB", "2GB"]}
CLI_SETS = ["--set", f"{PERIOD}=10,30,60", "--set", f"{IMAGE}=500MB,2GB"]


def _store_rows(path: Path) -> dict[str, pandas.DataFrame]:
    tables = wlsim.store.read_store(path)
    return {name: tables[name] for name in ("variants", "runs", "metrics", "texts")}


def test_sweep_frame_is_one_row_per_variant_seed_and_workload() -> None:
    frame = wlsim.sweep(STUDY, PARAMETERS, seeds=[3, 5])
    assert len(frame) == 6 * 2 * 20
    assert list(frame.columns[:6]) == ["variant", PERIOD, IMAGE, "seed", "workload", "status"]
    assert frame["timeToRunning"].dtype == "float64"
    assert {"pendingTimeByCause.noCapacity", "timeToRunningBreakdown.pulling", "restarts"} <= set(frame.columns)
    # The first path varies slowest, as the CLI's first --set does.
    firsts = frame.drop_duplicates("variant")
    assert firsts[PERIOD].tolist() == [10, 10, 30, 30, 60, 60]
    assert firsts[IMAGE].tolist() == ["500MB", "2GB"] * 3
    assert frame["workload"].iloc[:20].tolist() == [f"wl-{i:02}" for i in range(20)]


def test_every_variant_runs_on_the_same_seeds_and_each_row_is_that_run() -> None:
    """Common random numbers: a row of variant k, seed s is exactly a plain run of that variant with
    seed s, so differences between variants are paired."""
    scenario = wlsim.load(STUDY)
    frame = wlsim.sweep(scenario, PARAMETERS, seeds=[7, 8])
    for (period, image, seed), rows in frame.groupby([PERIOD, IMAGE, "seed"], sort=False):
        run = wlsim.run(scenario.with_overrides({PERIOD: period, IMAGE: image}), seed=seed)
        expected = [run.summary["workloads"][w]["timeToRunning"] for w in rows["workload"]]
        assert rows["timeToRunning"].tolist() == expected
    # The same start-up draws under every variant: the start-up time of a workload and seed does
    # not depend on the probe period or the image size.
    starting = frame.pivot_table(index=["seed", "workload"], columns="variant",
                                 values="timeToRunningBreakdown.starting")
    assert (starting.nunique(axis=1) == 1).all()


def test_replicate_is_a_sweep_without_parameters_on_the_run_seeds() -> None:
    frame = wlsim.replicate(EXAMPLES / "hello.yaml", seeds=3, threads=2)
    assert frame[["seed", "workload", "status"]].values.tolist() == [
        [42, "wl-1", "running"], [43, "wl-1", "running"], [44, "wl-1", "running"]]
    assert "variant" not in frame.columns
    for seed, ttr in zip(frame["seed"], frame["timeToRunning"]):
        assert ttr == wlsim.run(EXAMPLES / "hello.yaml", seed=int(seed)).summary["workloads"]["wl-1"]["timeToRunning"]


def test_replacements_have_their_own_frame() -> None:
    workloads, replacements = wlsim.replicate(EXAMPLES / "rolling-replacement.yaml", seeds=2, replacements=True)
    assert len(workloads) == 2
    assert replacements[["seed", "workload", "replacement", "outcome"]].values.tolist() == [
        [1, "wl-1", "rep1", "completed"], [2, "wl-1", "rep1", "completed"]]
    assert replacements["timeToSwitch"].tolist() == [330.0, 330.0]


def test_a_workload_never_running_has_nan_time_to_running() -> None:
    frame = wlsim.replicate(EXAMPLES / "wrong-readiness-path.yaml", seeds=2)
    stuck = frame[frame["status"] != "running"]
    assert len(stuck) > 0
    assert stuck["timeToRunning"].isna().all()


def test_cli_and_python_sweeps_give_the_same_numbers(tmp_path: Path, cli: Path) -> None:
    """The acceptance sweep (3 x 2 x 50 on 20 workloads) from the CLI and from Python: the same
    stores row for row, and the CLI's per-variant means are the frame's."""
    cli_store, py_store = tmp_path / "cli.db", tmp_path / "py.db"
    done = subprocess.run([str(cli), "sweep", str(STUDY), *CLI_SETS, "--replications", "50",
                           "--threads", "2", "--out", str(cli_store), "--format", "json"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    frame = wlsim.sweep(STUDY, PARAMETERS, seeds=50, threads=2, store=str(py_store))
    assert len(frame) == 6 * 50 * 20
    cli_rows, py_rows = _store_rows(cli_store), _store_rows(py_store)
    for name in cli_rows:
        pandas.testing.assert_frame_equal(cli_rows[name], py_rows[name], check_exact=True)
    import json

    table = json.loads(done.stdout)
    ttr = next(m for m in table["metrics"] if m["metric"] == "timeToRunning")
    means = frame.groupby("variant", sort=True)["timeToRunning"].mean().tolist()
    assert [v["mean"] for v in ttr["variants"]] == pytest.approx(means, rel=1e-12)
    # Python resumes the CLI's store: nothing is missing, nothing runs again, the same frame.
    again = wlsim.sweep(STUDY, PARAMETERS, seeds=50, store=str(cli_store))
    pandas.testing.assert_frame_equal(again, frame)


def _runs_in(store: Path) -> int:
    try:
        with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as db:
            return db.execute("SELECT count(*) FROM runs").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_a_killed_sweep_resumes_to_exactly_the_rows_of_an_uninterrupted_one(tmp_path: Path, cli: Path) -> None:
    seeds = 200  # 1,200 runs: long enough to be killed half-way
    command = [str(cli), "sweep", str(STUDY), *CLI_SETS, "--replications", str(seeds), "--threads", "1"]
    whole, killed = tmp_path / "whole.db", tmp_path / "killed.db"
    first = subprocess.run([*command, "--out", str(whole)], capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    proc = subprocess.Popen([*command, "--out", str(killed)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while _runs_in(killed) < 100 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stopped_at = _runs_in(killed)
    assert 0 < stopped_at < 6 * seeds, "the sweep was not stopped half-way"
    second = subprocess.run([*command, "--out", str(killed)], capture_output=True, text=True, check=False)
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout
    whole_rows, resumed_rows = _store_rows(whole), _store_rows(killed)
    for name in whole_rows:
        pandas.testing.assert_frame_equal(whole_rows[name], resumed_rows[name], check_exact=True)


def test_a_store_exports_to_parquet_table_by_table(tmp_path: Path, cli: Path) -> None:
    pytest.importorskip("pyarrow")
    store = tmp_path / "s.db"
    frame = wlsim.sweep(STUDY, {PERIOD: [10, 30]}, seeds=2, store=str(store))
    done = subprocess.run([str(cli), "export", str(store), "--parquet", str(tmp_path / "pq")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    tables = wlsim.store.read_store(store)
    assert sorted(p.name for p in (tmp_path / "pq").iterdir()) == sorted(f"{t}.parquet" for t in tables)
    for name, table in tables.items():
        pandas.testing.assert_frame_equal(pandas.read_parquet(tmp_path / "pq" / f"{name}.parquet"), table,
                                          check_dtype=False)
    metrics = tables["metrics"]
    assert len(metrics[(metrics["metric"] == "timeToRunning") & (metrics["workload"] != "")]) == len(frame)
    bad = subprocess.run([str(cli), "export", str(tmp_path / "none.db"), "--parquet", str(tmp_path / "x")],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2
    assert bad.stderr.startswith("wlsim: ") and "no such result store" in bad.stderr


def test_sweep_input_errors_name_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="has no values"):
        wlsim.sweep(STUDY, {PERIOD: []}, seeds=2)
    with pytest.raises(TypeError, match="must be a list"):
        wlsim.sweep(STUDY, {PERIOD: "10"}, seeds=2)
    with pytest.raises(ValueError, match="a seed is given twice"):
        wlsim.sweep(STUDY, {PERIOD: [10]}, seeds=[1, 1])
    with pytest.raises(wlsim.ScenarioError, match=r"periodSeconds"):
        wlsim.sweep(STUDY, {PERIOD: [10, -1]}, seeds=2)


def test_a_sweep_on_a_dask_local_cluster_gives_the_same_frame(tmp_path: Path) -> None:
    distributed = pytest.importorskip("dask.distributed")
    local = wlsim.sweep(STUDY, PARAMETERS, seeds=4, replacements=True)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        remote = wlsim.sweep(STUDY, PARAMETERS, seeds=4, client=client, replacements=True)
        stored = wlsim.sweep(STUDY, PARAMETERS, seeds=4, client=client, store=str(tmp_path / "d.db"))
    for a, b in zip(local, remote):
        pandas.testing.assert_frame_equal(a, b, check_exact=True)
    pandas.testing.assert_frame_equal(local[0], stored, check_exact=True)
    # The store the Dask sweep wrote is the store a local sweep writes.
    wlsim.sweep(STUDY, PARAMETERS, seeds=4, store=str(tmp_path / "l.db"))
    for name, table in _store_rows(tmp_path / "l.db").items():
        pandas.testing.assert_frame_equal(table, _store_rows(tmp_path / "d.db")[name], check_exact=True)
