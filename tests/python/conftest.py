"""Shared fixtures."""

from __future__ import annotations

import copy
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import ONE_CONTAINER, random_scenario


@pytest.fixture
def one_container() -> dict[str, Any]:
    """A fresh copy of ONE_CONTAINER, free to modify."""
    return copy.deepcopy(ONE_CONTAINER)


@pytest.fixture
def random_startup() -> dict[str, Any]:
    return random_scenario()


@pytest.fixture(scope="session")
def cli() -> Path:
    """The C++ `wlsim` command that `pip install` puts beside the interpreter."""
    exe = Path(sys.executable).parent / "wlsim"
    if not exe.exists():
        found = shutil.which("wlsim")
        pytest.fail(
            f"the wlsim CLI is not installed beside {sys.executable} (expected {exe}; on PATH: {found})"
        )
    return exe
