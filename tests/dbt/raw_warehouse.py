"""Build a tiny warehouse for dbt tests: raw.<dataset> tables (columns from ingest.datasets) and empty quality tables."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyarrow as pa

from ingest.connect import ensure_restricted_store, open_warehouse
from ingest.datasets import DATASETS, raw_columns
from ingest.load import ISSUES_DDL, MANIFEST_DDL, append_raw, ensure_tables
from orchestration.setup_home import dbt_executable
from settings import restricted_path

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
DBT_BIN = dbt_executable()  # beside sys.executable, else on PATH

_TYPED_LINEAGE = {"source_row": "integer", "ingested_at": "timestamp"}


def create_raw_warehouse(
    warehouse: Path,
    persons: Iterable[Mapping[str, object]] = (),
    ingest_issues: Iterable[Mapping[str, object]] = (),
) -> None:
    """Create every raw table (persons filled from ``persons`` dicts; missing fields NULL) and the quality tables."""
    con = open_warehouse(warehouse)  # the restricted store attached (made beside it): the loader's two stores
    try:
        ensure_tables(con)
        for name in DATASETS:
            con.execute(f"delete from raw.{name}")
            if DATASETS[name].personal_fields:
                con.execute(f"delete from pii.raw_{name}")
        rows = list(persons)
        if rows:
            cols = raw_columns("persons") + DATASETS["persons"].personal_fields
            table = pa.table({c: [row.get(c) for row in rows] for c in cols})
            table = table.set_column(
                table.schema.get_field_index("source_row"), "source_row", table.column("source_row").cast(pa.int32())
            )
            if "ingested_at" in table.column_names and table.column("ingested_at").null_count == table.num_rows:
                table = table.set_column(
                    table.schema.get_field_index("ingested_at"), "ingested_at",
                    pa.nulls(table.num_rows, pa.timestamp("us")),
                )
            append_raw(con, "persons", table)
        con.execute("drop table if exists quality.file_manifest")
        con.execute("drop table if exists quality.ingest_row_issues")
        con.execute(MANIFEST_DDL)  # the loader's own tables (one definition)
        con.execute(ISSUES_DDL)
        for issue in ingest_issues:
            cols_i = [c for c, *_ in con.execute("describe quality.ingest_row_issues").fetchall()]
            con.execute(
                f"insert into quality.ingest_row_issues values ({', '.join('?' for _ in cols_i)})",
                [issue.get(c) for c in cols_i],
            )
    finally:
        con.close()


def run_dbt(warehouse: Path, *args: str, key: str | None = "test-key", extra_env: Mapping[str, str] | None = None,
            target_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the dbt CLI against ``warehouse`` (never the shared warehouse) and return the finished process."""
    env = {k: v for k, v in os.environ.items() if k not in ("TRITHUC_PSEUDO_KEY", "TRITHUC_PSEUDO_KEY_FILE")}
    env.update({"TRITHUC_WAREHOUSE": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"})
    if key is not None:
        env["TRITHUC_PSEUDO_KEY"] = key
    if extra_env:
        env.update(extra_env)
    ensure_restricted_store(restricted_path(warehouse))  # as the Dagster dbt asset does before dbt attaches it
    cmd = [DBT_BIN, *args, "--profiles-dir", str(DBT_PROJECT_DIR)]
    if target_dir is not None:
        cmd += ["--target-path", str(target_dir)]
    return subprocess.run(cmd, cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True, check=False)
