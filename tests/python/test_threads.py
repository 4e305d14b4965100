"""Runs from several threads: the GIL is released during a run, and one loaded Scenario is shared."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import wlsim

SEEDS = [1, 2, 3, 4, 5, 6]


def test_threaded_runs_give_the_sequential_hashes(random_startup: dict) -> None:
    s = wlsim.load(random_startup)
    sequential = [wlsim.run(s, seed=seed).trace_hash for seed in SEEDS]
    with ThreadPoolExecutor(max_workers=2) as pool:
        threaded = list(pool.map(lambda seed: wlsim.run(s, seed=seed).trace_hash, SEEDS))
    assert threaded == sequential
    assert len(set(sequential)) == len(SEEDS)


def test_two_threads_run_one_scenario_at_once(random_startup: dict) -> None:
    s = wlsim.load(random_startup)
    expected = wlsim.run(s, seed=11)
    barrier = threading.Barrier(2)
    results: list[wlsim.Result | BaseException] = [None, None]  # type: ignore[list-item]

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = wlsim.run(s, seed=11)
        except BaseException as exc:  # noqa: BLE001 - reported below
            results[i] = exc

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
        assert not t.is_alive()
    for r in results:
        assert isinstance(r, wlsim.Result), r
        assert r.trace_hash == expected.trace_hash
        assert r.summary == expected.summary
        assert len(r.events) == len(expected.events)


def test_different_scenarios_in_parallel(random_startup: dict, one_container: dict) -> None:
    a, b = wlsim.load(random_startup), wlsim.load(one_container)
    want = [wlsim.run(a, seed=2).trace_hash, wlsim.run(b, seed=2).trace_hash]
    with ThreadPoolExecutor(max_workers=2) as pool:
        got = [f.result() for f in [pool.submit(lambda x: wlsim.run(x, seed=2).trace_hash, sc) for sc in (a, b)]]
    assert got == want


def test_errors_in_threads_are_scenario_errors(one_container: dict) -> None:
    one_container["workloads"][0]["bogus"] = 1
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(wlsim.load, one_container) for _ in range(2)]
        for f in futures:
            exc = f.exception(timeout=60)
            assert isinstance(exc, wlsim.ScenarioError)
            assert "workloads[0].bogus" in str(exc)
