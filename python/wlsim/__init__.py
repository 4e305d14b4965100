"""wlsim: a deterministic discrete-event simulator of a container-workload platform.

Load a scenario (a YAML/JSON file, or a dict in the same format) and run it::

    import wlsim

    scenario = wlsim.load("scenarios/examples/hello.yaml")
    result = wlsim.run(scenario, seed=7)
    result.summary["workloads"]["wl-1"]["timeToRunning"]   # seconds, or None
    result.events                                          # pandas DataFrame of trace records
    result.trace_hash                                      # 16 hex digits; same scenario+seed, same hash

``wlsim.Session`` advances a run step by step and makes Workload API calls at any simulated time.
``wlsim.status(scenario, at="10m")`` gives every workload's status details at a simulated time.
``wlsim.testing.assert_expectations(path)`` checks a scenario's ``expect`` block from pytest.
``wlsim.sweep(scenario, {path: values}, seeds=50)`` and ``wlsim.replicate(scenario, seeds=50)`` give
tidy DataFrames (one row per variant x seed x workload), locally or on a Dask cluster (``client=``);
``wlsim.plot`` draws results and frames with matplotlib.

A loaded :class:`Scenario` is immutable and can be run from several threads at once: the simulation
runs with the GIL released.
"""

from wlsim._api import Session, UnsupportedFieldWarning, load, run, status
from wlsim._core import Scenario, ScenarioError, format_duration, parse_duration
from wlsim._result import EVENT_COLUMNS, NODE_COLUMNS, REPLICA_COLUMNS, Result
from wlsim._study import replicate, sweep
from wlsim import plot, store  # matplotlib is imported by the first plot, pyarrow by the first export

__version__ = "0.1.0"

__all__ = [
    "EVENT_COLUMNS",
    "NODE_COLUMNS",
    "REPLICA_COLUMNS",
    "Result",
    "Scenario",
    "ScenarioError",
    "Session",
    "UnsupportedFieldWarning",
    "format_duration",
    "load",
    "parse_duration",
    "replicate",
    "run",
    "status",
    "sweep",
]
