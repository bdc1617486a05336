"""Read-only access to the DuckDB warehouse for validation (short-lived connections, never a writer)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from expectations.errors import TableMissing, WarehouseMissing


@contextmanager
def read_only(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    if not Path(warehouse).exists():
        raise WarehouseMissing(Path(warehouse))
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        yield con
    finally:
        con.close()


def relation_exists(con: duckdb.DuckDBPyConnection, relation: str) -> bool:
    schema, _, name = relation.partition(".")
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    return bool(row and row[0])


def relation_columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    schema, _, name = relation.partition(".")
    rows = con.execute(
        "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
        "order by ordinal_position",
        [schema, name],
    ).fetchall()
    return [r[0] for r in rows]


def code_set(con: duckdb.DuckDBPyConnection, relation: str, query: str, suite: str) -> list[str]:
    """Distinct non-null codes (as text) of a ``reference.*`` seed, read at validation time."""
    if not relation_exists(con, relation):
        raise TableMissing(relation, suite)
    rows = con.execute(f"select distinct cast(code as varchar) from ({query}) as q where code is not null")
    return sorted(r[0] for r in rows.fetchall())
