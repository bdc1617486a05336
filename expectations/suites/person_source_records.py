"""marts.person_source_records: every accepted input row, traced to the person it was resolved to."""

from __future__ import annotations

import duckdb
import pandas as pd

from expectations._gx import gxe
from expectations._warehouse import frame, relation_exists
from expectations.core import Check, Reference, Suite
from expectations.errors import TableMissing
from expectations.suites._raw import period_clause

NAME = "person_source_records"
RELATION = "marts.person_source_records"
RAW = "raw.persons"


def _load(con: duckdb.DuckDBPyConnection, period: str | None) -> pd.DataFrame:
    # The keys and row ids are dbt's to check (not_null, relationships to dim_person, unique (file, sheet, row) on
    # person_source_records, _core__models.yml: one tool per property); GE counts the period's rows against
    # raw.persons, so the frame holds one narrow column, not a million keys.
    if not relation_exists(con, RELATION):
        raise TableMissing(RELATION, NAME)
    cond, params = period_clause(period)
    return frame(con, f"select source_row from {RELATION} where {cond}", params)


def _reference(con: duckdb.DuckDBPyConnection, period: str | None) -> Reference:
    if not relation_exists(con, RAW):
        raise TableMissing(RAW, NAME)
    cond, params = period_clause(period)
    row = con.execute(f"select count(*) from {RAW} where {cond}", params).fetchone()
    return {"raw_rows": int(row[0]) if row else 0}


SUITE = Suite(
    name=NAME,
    relation=RELATION,
    description="marts.person_source_records: each accepted input row traced to one resolved person",
    load=_load,
    reference=_reference,
    expectations=(
        Check(
            "every_raw_row_traced",
            "error",
            "as many source records as rows in raw.persons: no accepted input row vanished",
            lambda ref: gxe.ExpectTableRowCountToEqual(value=ref["raw_rows"]),
        ),
    ),
    also_reads=(RAW,),
)
