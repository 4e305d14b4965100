"""The Monte Carlo peer of wlsim_montecarlo_bench (bench/montecarlo_bench.cpp): the same
one-workload rollout written in SimPy the way a SimPy user would, one process per activity.

One node. A replica's pod pulls its image (the node pulls one image at a time: a simpy.Resource of
capacity 1; a replica whose image is there by its turn does not pull; a pull is 1 s of registry
latency plus 200 MB at 100 MB/s), starts its container (start-up uniform(5 s, 15 s)), and a
readiness probe loop probes it every 5 s from the container's start for as long as the replica
lives; the first success makes it ready. The workload runs when its 3 replicas are ready. At 2 min
a replacement creates 3 replicas of v2 (a new image, pulled the same way); when they are all ready
traffic flips and each old replica gets SIGTERM and exits 2 s later. 10 minutes simulated. Every
state change is appended to a trace list, as a user who wants to look at a run would.

Usage: simpy_rollout.py [--seconds=2] [--quick] [--json] [--lean]
  --lean   the probe loop ends once the replica is ready (fewer events: closer to what wlsim
           dispatches, since wlsim's probe does not tick while its answer cannot change)
Prints replications per second (one seed per replication, random.Random(seed)) on one core.
"""

import gc
import json
import random
import sys
import time

import simpy

PULL_S = 1.0 + 200e6 / 100e6  # registry latency + size / bandwidth
STARTUP = (5.0, 15.0)
PROBE_PERIOD_S = 5.0
SHUTDOWN_S = 2.0
REPLICAS = 3
REPLACE_AT_S = 120.0
DURATION_S = 600.0


class Node:
    def __init__(self, env):
        self.env = env
        self.puller = simpy.Resource(env, capacity=1)
        self.images = set()


class Replica:
    def __init__(self, env, rng, node, name, image, trace, lean):
        self.env = env
        self.rng = rng
        self.node = node
        self.name = name
        self.image = image
        self.trace = trace
        self.lean = lean
        self.ready = env.event()
        self.stopped = False
        self.app_up_at = None
        env.process(self.lifecycle())

    def log(self, state):
        self.trace.append((self.env.now, self.name, state))

    def lifecycle(self):
        env = self.env
        self.log("pending")
        with self.node.puller.request() as turn:
            yield turn
            if self.image not in self.node.images:
                self.log("pulling")
                yield env.timeout(PULL_S)
                self.node.images.add(self.image)
        self.log("starting")
        self.app_up_at = env.now + self.rng.uniform(*STARTUP)
        env.process(self.probe_loop())

    def probe_loop(self):
        env = self.env
        while not self.stopped:
            if env.now >= self.app_up_at:
                if not self.ready.triggered:
                    self.log("ready")
                    self.ready.succeed()
                    if self.lean:
                        return
            else:
                self.log("probe failed")
            yield env.timeout(PROBE_PERIOD_S)

    def terminate(self):
        self.log("terminating")
        yield self.env.timeout(SHUTDOWN_S)
        self.stopped = True
        self.log("terminated")


def workload(env, rng, node, trace, lean, result):
    old = [Replica(env, rng, node, f"wl/p1/r{i}", "app:1", trace, lean) for i in range(REPLICAS)]
    yield simpy.AllOf(env, [r.ready for r in old])
    trace.append((env.now, "wl", "running"))
    yield env.timeout(max(0.0, REPLACE_AT_S - env.now))
    posted = env.now
    trace.append((env.now, "wl/rep1", "posted"))
    new = [Replica(env, rng, node, f"wl/p2/r{i}", "app:2", trace, lean) for i in range(REPLICAS)]
    yield simpy.AllOf(env, [r.ready for r in new])
    result["switch_s"] = env.now - posted
    trace.append((env.now, "wl/rep1", "flipped"))
    for r in old:
        env.process(r.terminate())


def replication(seed, lean):
    env = simpy.Environment()
    rng = random.Random(seed)
    trace = []
    result = {}
    env.process(workload(env, rng, Node(env), trace, lean, result))
    env.run(until=DURATION_S)
    return len(trace), result.get("switch_s", 0.0)


def main(argv):
    seconds, as_json, lean = 2.0, False, False
    for a in argv:
        if a.startswith("--seconds="):
            seconds = float(a.split("=", 1)[1])
        elif a == "--quick":
            seconds = 0.3
        elif a == "--json":
            as_json = True
        elif a == "--lean":
            lean = True
        else:
            print(f"simpy_rollout.py: unknown argument '{a}'", file=sys.stderr)
            return 2
    replication(0, lean)  # warm-up
    gc.disable()
    reps, records, switch = 0, 0, 0.0
    c0, t0 = time.process_time(), time.perf_counter()
    while True:
        for _ in range(50):
            reps += 1
            n, s = replication(reps, lean)
            records += n
            switch += s
        wall = time.perf_counter() - t0
        if wall >= seconds:
            break
    cpu = time.process_time() - c0
    gc.enable()
    row = {
        "case": "simpy" + (" lean" if lean else ""),
        "threads": 1,
        "replications": reps,
        "wall_s": wall,
        "cpu_s": cpu,
        "reps_per_s": reps / wall,
        "reps_per_s_per_core": reps / wall,
        "trace_records_per_rep": records / reps,
        "mean_switch_s": switch / reps,
    }
    if as_json:
        print(json.dumps(row))
    else:
        print(
            f"SimPy{' (lean)' if lean else ''}: {reps} replications in {wall:.3f} s "
            f"({reps / wall:.0f}/s, cpu {cpu:.3f} s), {records / reps:.1f} trace records and mean "
            f"switch {switch / reps:.4f} s per replication"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
