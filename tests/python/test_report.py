"""wlsim report: one self-contained HTML page, from `python -m wlsim report` and from the C++ `wlsim`."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

from helpers import EXAMPLES  # noqa: E402

import wlsim  # noqa: E402
from wlsim import report  # noqa: E402

PERIOD = "artifacts[model-v7].containerGroups[0].containers[model].readinessProbe.periodSeconds"


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=300, check=False, cwd=cwd)


def _self_contained(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    # Nothing is fetched: no src or href to anywhere, every image inline.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//|file:)""", page, re.I)
    sources = re.findall(r'<img [^>]*src="([^"]{0,22})', page)
    assert sources == ["data:image/png;base64,"] * page.count("<img ")


def test_python_module_writes_the_report_of_the_run_with_the_seed(tmp_path):
    out = tmp_path / "hello.html"
    proc = _run(sys.executable, "-m", "wlsim", "report", str(EXAMPLES / "hello.yaml"), "--out", str(out),
                "--seed", "5", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and proc.stderr == ""
    page = out.read_text(encoding="utf-8")
    result = wlsim.run(EXAMPLES / "hello.yaml", seed=5)
    assert f"<code>{result.trace_hash}</code>" in page
    assert "<tr><th class=\"text\">seed</th><td>5</td></tr>" in page
    assert f"<h1>{result.summary['scenario']}</h1>" in page
    for wid in result.summary["workloads"]:
        assert f"<th>{wid}</th>" in page
    assert page.count("data:image/png;base64,") == 1  # the timeline; hello has no autoscaling
    assert "<h2>Replicas of" not in page
    _self_contained(page)
    assert [p.name for p in tmp_path.iterdir()] == ["hello.html"]  # no temporary file left


def test_cli_hands_over_to_python_with_the_overrides(cli, tmp_path):
    out = tmp_path / "kpa.html"
    proc = _run(str(cli), "report", str(EXAMPLES / "kpa-burst.yaml"), "--set", f"{PERIOD}=4",
                "--out", str(out), "--seed", "2", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    page = out.read_text(encoding="utf-8")
    scenario = wlsim.load(EXAMPLES / "kpa-burst.yaml").with_overrides({PERIOD: 4})
    result = wlsim.run(scenario, seed=2)
    assert result.trace_hash != wlsim.run(EXAMPLES / "kpa-burst.yaml", seed=2).trace_hash
    assert f"<code>{result.trace_hash}</code>" in page
    assert "<th>model</th>" in page and "<h2>Replicas of model</h2>" in page
    assert page.count("data:image/png;base64,") == 2  # the timeline and the replicas
    _self_contained(page)


def test_the_scenario_can_come_from_standard_input(tmp_path):
    text = (EXAMPLES / "hello.yaml").read_text(encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "wlsim", "report", "-", "--out", "r.html"], input=text,
                          capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert f"<code>{wlsim.run(EXAMPLES / 'hello.yaml').trace_hash}</code>" in page


def test_cli_help_is_the_python_command_s(cli, tmp_path):
    proc = _run(str(cli), "report", "--help", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: wlsim report ") and "--set PATH=VALUE" in proc.stdout
    top = _run(str(cli), "--help", cwd=tmp_path)
    assert re.search(r"^\s+report\s+Write one self-contained HTML page", top.stdout, re.M)


def test_cli_without_python_beside_it_says_what_to_install(cli, tmp_path):
    # A plain C++ build: the wlsim binary with no interpreter in its directory.
    alone = tmp_path / "bin" / "wlsim"
    alone.parent.mkdir()
    shutil.copy2(cli, alone)
    proc = _run(str(alone), "report", str(EXAMPLES / "hello.yaml"), "--out", "x.html", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == "wlsim report needs the Python package: pip install 'wlsim[plot]'\n"
    assert proc.stdout == "" and not (tmp_path / "x.html").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.yaml", "--out", "r.html"], r"^wlsim: missing\.yaml: cannot open the file"),
        (["{hello}", "--out", "r.html", "--set", "workloads[nope].importance=low"],
         r"^wlsim: .*hello\.yaml: override 'workloads\[nope\]\.importance'"),
        (["{hello}", "--out", "r.html", "--set", "=3"],
         r"^wlsim: override '=3': the path before '=' is empty$"),
        (["{hello}", "--out", "no-such-dir/r.html"], r"^wlsim: cannot write no-such-dir/r\.html: "),
        (["{hello}", "--out", "r.html", "--seed", "-1"],
         r"^wlsim: argument --seed: '-1' is not a non-negative integer$"),
        (["{hello}"], r"^wlsim: the following arguments are required: --out$"),
    ],
)
def test_invalid_input_exits_2_with_one_line_and_writes_nothing(cli, tmp_path, args, message):
    args = [a.replace("{hello}", str(EXAMPLES / "hello.yaml")) for a in args]
    for command in ([sys.executable, "-m", "wlsim"], [str(cli)]):
        proc = _run(*command, "report", *args, cwd=tmp_path)
        assert proc.returncode == 2, proc.stderr
        first, *rest = proc.stderr.splitlines()
        assert re.search(message, first), first
        assert rest in ([], ["Run 'wlsim report --help' for usage."])
        assert proc.stdout == ""
        assert list(tmp_path.iterdir()) == []


def test_without_matplotlib_the_report_says_what_to_install(tmp_path):
    code = ("import sys; sys.modules['matplotlib'] = None\n"
            "from wlsim.__main__ import main\nsys.exit(main(sys.argv[1:]))")
    proc = _run(sys.executable, "-c", code, "report", str(EXAMPLES / "hello.yaml"), "--out", "r.html",
                cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == "wlsim report needs matplotlib: pip install 'wlsim[plot]'\n"
    assert list(tmp_path.iterdir()) == []


def test_fleet_section_renders_any_nested_dict():
    result = wlsim.run(EXAMPLES / "hello.yaml")
    result.summary["fleet"] = {
        "byStatus": {"running": 3, "errored": 1},
        "everErrored": 1,
        "timeToAllRunning": None,
        "quantiles": {"timeToRunning": {"p50": 12.5, "p90": 40.25}},
    }
    page = report.html_report(result)
    fleet = page[page.index("<h2>Fleet</h2>"):page.index("<h2>Workloads</h2>")]
    for text in ("byStatus", "<th class=\"text\">errored</th><td class=\"text\">1</td>", "everErrored",
                 "timeToAllRunning", "<td class=\"text\">—</td>", "quantiles", "p90", "40.25"):
        assert text in fleet
    # Every summary has a fleet section now: hello's says when its one workload was running.
    real = report.html_report(wlsim.run(EXAMPLES / "hello.yaml"))
    real_fleet = real[real.index("<h2>Fleet</h2>"):real.index("<h2>Workloads</h2>")]
    assert '<th class="text">timeAllRunning</th><td class="text">66.2</td>' in real_fleet


def test_many_workloads_get_a_row_each_and_the_timeline_keeps_to_workloads(one_container):
    one_container["workloads"] = [
        {**one_container["workloads"][0], "id": f"wl-{i}"}
        for i in range(1, report.MAX_WORKLOAD_COLUMNS + 2)
    ]
    one_container["cluster"]["nodePools"][0]["count"] = 8
    page = report.html_report(wlsim.run(one_container))
    for i in range(1, report.MAX_WORKLOAD_COLUMNS + 2):
        assert f'<tr><th class="text">wl-{i}</th><td class="status-' in page
    assert '<th class="text">workload</th><th>status</th>' in page
    # 9 workloads, 9 protons and 9 replicas fit one chart (27 rows).
    assert "Every workload, proton and replica." in page


def test_set_reads_values_as_yaml_like_every_wlsim_command(cli, tmp_path):
    """A YAML flow mapping is a value here as on `wlsim run --set`: the same run, the same hash."""
    behavior = "{imageSize: 100MB, startup: 5s, serves: [/healthz]}"
    resources = f"artifacts[app-v1].containerGroups[0].containers[app].behavior={behavior}"
    proc = _run(sys.executable, "-m", "wlsim", "report", str(EXAMPLES / "hello.yaml"), "--out", "r.html",
                "--set", resources, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    run = _run(str(cli), "run", str(EXAMPLES / "hello.yaml"), "--set", resources, "--format", "json", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    expected = json.loads(run.stdout)["traceHash"]
    assert expected != wlsim.run(EXAMPLES / "hello.yaml").trace_hash
    assert f"<code>{expected}</code>" in (tmp_path / "r.html").read_text(encoding="utf-8")
    bad = _run(sys.executable, "-m", "wlsim", "report", str(EXAMPLES / "hello.yaml"), "--out", "x.html",
               "--set", "novalue", cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.startswith("wlsim: ") and "novalue" in bad.stderr
    assert not (tmp_path / "x.html").exists()
