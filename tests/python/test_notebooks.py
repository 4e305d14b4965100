"""The notebooks of docs/notebooks run headless (nbclient) without a cell error, so they never rot."""

from __future__ import annotations

from pathlib import Path

import pytest

nbclient = pytest.importorskip("nbclient")
nbformat = pytest.importorskip("nbformat")
pytest.importorskip("matplotlib")
pytest.importorskip("ipykernel")

from helpers import REPO  # noqa: E402

import wlsim  # noqa: E402

NOTEBOOKS = REPO / "docs" / "notebooks"


def _execute(name: str, cwd: Path) -> nbformat.NotebookNode:
    """Runs the notebook in a fresh kernel of this interpreter (the kernel 'python3' of the
    environment the tests run in) with ``cwd`` as its working directory; a cell error raises."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    )
    client.execute()
    return nb


def _images(nb: nbformat.NotebookNode) -> int:
    outputs = [out for cell in nb.cells for out in cell.get("outputs", [])]
    return sum("image/png" in out.get("data", {}) for out in outputs)


@pytest.mark.parametrize("cwd", [NOTEBOOKS, REPO], ids=["from-notebook-dir", "from-repo-root"])
def test_lifecycle_investigation_runs(cwd):
    nb = _execute("lifecycle-investigation.ipynb", cwd)
    assert _images(nb) == 2  # the timelines of the stuck run and of the fixed one
    outputs = [out for cell in nb.cells for out in cell.get("outputs", [])]
    printed = "".join(out.get("text", "") for out in outputs if out["output_type"] == "stream")
    assert "stuck.status: expected launching, got running" in printed


def test_capacity_study_runs():
    nb = _execute("capacity-study.ipynb", NOTEBOOKS)
    assert _images(nb) == 2  # the sweep band and the ECDF


@pytest.mark.parametrize("name", ["lifecycle-investigation.ipynb", "capacity-study.ipynb"])
def test_notebooks_are_committed_without_outputs(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)
