"""The readers' copy of the warehouse: `warehouse/published/trithuc.duckdb`, refreshed after each successful run.

Statistics officers and quality officers keep SQL tools open for hours; DuckDB lets one process write a file, and a
reader's lock on the file a run writes made the next run fail. Readers therefore open a published snapshot, never
the pipeline's file: the marts, the quality tables and the reference code lists (no raw rows, no working tables,
no restricted schema), written to a temporary file beside the snapshot and renamed over it. A reader holding the
old snapshot open keeps its old version (the rename replaces the directory entry, not the open file); the next
open sees the new one. Plain Python: no Dagster here.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from settings import published_path

__all__ = ["PUBLISHED_SCHEMAS", "SnapshotSummary", "publish_reader_snapshot", "reader_snapshot_path"]

# What readers get. Schemas with personal data (pii), raw rows and working tables (raw, staging, intermediate)
# never leave the pipeline's file.
PUBLISHED_SCHEMAS: tuple[str, ...] = ("marts", "quality", "reference")
# Quality tables that quote rejected rows as sent: they stay in the pipeline's file (the units get their own rows
# back in their feedback workbooks).
WITHHELD_TABLES: frozenset[tuple[str, str]] = frozenset({("quality", "ingest_row_issues")})


@dataclass(frozen=True)
class SnapshotSummary:
    path: Path
    tables: tuple[str, ...]
    rows: int


def reader_snapshot_path(warehouse: Path) -> Path:
    """`published/trithuc.duckdb` beside the pipeline's warehouse file (``TRITHUC_PUBLISHED`` overrides)."""
    return published_path(warehouse)


def publish_reader_snapshot(warehouse: Path, target: Path | None = None) -> SnapshotSummary:
    """Copy the published schemas of ``warehouse`` (tables, and views as tables) into a new DuckDB file and rename
    it over ``target``.

    ``warehouse`` is read through a read-only attachment of the caller's own in-memory connection (the caller
    holds the pipeline's one writer slot, so nothing writes meanwhile). Returns what was copied."""
    target = target or reader_snapshot_path(warehouse)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".trithuc-", suffix=".duckdb.tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB creates the file itself
    copied: list[str] = []
    rows = 0
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute("attach ? as src (read_only)", [str(warehouse)])
            # tables and views alike (the person marts are views over intermediate tables): a view is stored as
            # the table it shows, so the snapshot needs nothing outside the published schemas
            in_published = f"database_name = 'src' and schema_name in ({', '.join('?' for _ in PUBLISHED_SCHEMAS)})"
            tables = con.execute(
                f"select schema_name, table_name from duckdb_tables() where {in_published} "
                f"union all select schema_name, view_name from duckdb_views() where not internal and {in_published} "
                "order by 1, 2",
                list(PUBLISHED_SCHEMAS) * 2,
            ).fetchall()
            for schema, table in tables:
                if (schema, table) in WITHHELD_TABLES:
                    continue
                con.execute(f'create schema if not exists "{schema}"')
                con.execute(f'create table "{schema}"."{table}" as select * from src."{schema}"."{table}"')
                rows += con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
                copied.append(f"{schema}.{table}")
            con.execute("detach src")
            con.execute("checkpoint")
        finally:
            con.close()
        tmp.chmod(0o644)  # readers' copy: no personal data
        os.replace(tmp, target)
    except BaseException:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
        raise
    return SnapshotSummary(path=target, tables=tuple(copied), rows=rows)
