"""A sweep's result store (the SQLite file of ``wlsim sweep --out`` and ``wlsim.sweep(store=...)``)
as pandas DataFrames, and its Parquet export.

The store's tables are written by wlsim's C++ core (docs/studies.md has the schema); this module
reads every table as it is, so it never restates the schema.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

import pandas


def _tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
    return [name for (name,) in rows]


def _read_table(db: sqlite3.Connection, name: str) -> pandas.DataFrame:
    # By primary key, not by rowid: a resumed sweep wrote its runs in another order.
    columns = db.execute(f'PRAGMA table_info("{name}")').fetchall()
    key = [f'"{c[1]}"' for c in sorted(columns, key=lambda c: c[5]) if c[5] > 0]
    order = f" ORDER BY {', '.join(key)}" if key else ""
    return pandas.read_sql_query(f'SELECT * FROM "{name}"{order}', db)


def read_store(path: str | os.PathLike[str]) -> dict[str, pandas.DataFrame]:
    """Every table of a result store as a DataFrame, by table name (``variants``, ``runs``,
    ``metrics``, ``texts``, ``sweep``), rows in their primary-key order."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such result store")
    # Read-only: reading never changes a store a sweep may still be writing.
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        names = _tables(db)
        if "runs" not in names or "metrics" not in names:
            raise ValueError(f"{path}: not a wlsim result store (tables: {', '.join(names) or 'none'})")
        return {name: _read_table(db, name) for name in names}


def to_parquet(path: str | os.PathLike[str], out_dir: str | os.PathLike[str]) -> list[Path]:
    """Writes each table of the store at `path` to ``out_dir/<table>.parquet`` (pyarrow, from the
    ``wlsim[parquet]`` extra) and returns the files. Files appear only when every table is written."""
    try:
        import pyarrow  # noqa: F401  (pandas' Parquet engine; checked here for a clear message)
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise ImportError("Parquet export needs pyarrow: pip install 'wlsim[parquet]'") from exc
    tables = read_store(path)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(dir=out) as staging:
        for name, frame in tables.items():
            frame.to_parquet(Path(staging) / f"{name}.parquet", index=False)
        for name in tables:
            final = out / f"{name}.parquet"
            os.replace(Path(staging) / f"{name}.parquet", final)
            written.append(final)
    return written


def main(argv: list[str] | None = None) -> int:
    """``wlsim export STORE --parquet DIR``: 0 when every table was written; 2 and one line on
    stderr otherwise (no file is left half-written)."""
    import argparse
    import sys

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> None:  # type: ignore[override]
            raise ValueError(message)

    p = _Parser(
        prog="wlsim export",
        description="Write each table of a sweep's result store (wlsim sweep --out) to Parquet: "
        "DIR/variants.parquet, runs.parquet, metrics.parquet, texts.parquet, sweep.parquet.",
        epilog="Needs pyarrow: pip install 'wlsim[parquet]'. Exit status: 0 ok, 2 invalid input or usage.",
    )
    p.add_argument("store", metavar="STORE", help="the SQLite file of wlsim sweep --out")
    p.add_argument("--parquet", required=True, metavar="DIR", help="the directory to write")
    try:
        args = p.parse_args(argv)
        for written in to_parquet(args.store, args.parquet):
            print(written)
    except (ValueError, ImportError, OSError, sqlite3.Error) as exc:
        print(f"wlsim: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    return 0
