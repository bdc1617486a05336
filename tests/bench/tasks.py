"""The measured tasks: the real code paths and the plain baselines they are compared with."""

from __future__ import annotations

import glob
import os
import tempfile
from pathlib import Path


def ingest_real(landing: str, warehouse: str) -> dict:
    from ingest.load import load_landing

    if os.path.exists(warehouse):
        os.remove(warehouse)
    summary = load_landing(Path(landing), Path(warehouse))
    return {"rows": sum(f.rows_loaded for f in summary.files), "files": len(summary.files)}


def duckdb_read_csv(landing: str) -> dict:
    """Baseline: plain DuckDB read_csv of the same files, every column as text, into a table."""
    import duckdb

    files = sorted(glob.glob(f"{landing}/**/*.csv", recursive=True))
    with tempfile.TemporaryDirectory() as tmp, duckdb.connect(f"{tmp}/b.duckdb") as con:
        rows = 0
        for f in files:
            try:
                con.execute(
                    "create or replace table t as select * from read_csv(?, all_varchar=true, header=true, "
                    "ignore_errors=true, null_padding=true, strict_mode=false)",
                    [f],
                )
                rows += con.execute("select count(*) from t").fetchone()[0]
            except duckdb.Error:  # a UTF-16 file, for instance: DuckDB alone cannot read it
                pass
    return {"rows": rows, "files": len(files)}


def fastexcel_read(landing: str) -> dict:
    """Baseline: a bare fastexcel read of every sheet of the same workbooks into Arrow."""
    import fastexcel

    rows = 0
    files = sorted(glob.glob(f"{landing}/**/*.xlsx", recursive=True))
    for f in files:
        reader = fastexcel.read_excel(f)
        for name in reader.sheet_names:
            rows += reader.load_sheet(name, header_row=None).to_arrow().num_rows
    return {"rows": rows, "files": len(files)}
