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
DIM = "marts.dim_person"
RAW = "raw.persons"


def _load(con: duckdb.DuckDBPyConnection, period: str | None) -> pd.DataFrame:
    for rel in (RELATION, DIM):
        if not relation_exists(con, rel):
            raise TableMissing(rel, NAME)
    cond, params = period_clause(period, "s.period")
    return frame(
        con,
        f"""
        with dim as (select distinct person_key from {DIM}),
        final as (
            select
                s.source_file, s.sheet_name, s.source_row, s.unit_code, s.period, s.person_key,
                case when s.person_key is not null and d.person_key is null then s.person_key end
                    as chk_person_key_not_in_dim,
                -- the three lineage parts as one value so GE reports the duplicate itself
                s.source_file || ' | ' || coalesce(s.sheet_name, '') || ' | ' || cast(s.source_row as varchar)
                    as chk_source_row_id
            from {RELATION} as s
            left join dim as d on d.person_key = s.person_key
            where {cond}
        )
        select * from final
        """,
        params,
    )


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
            "person_key_not_null",
            "error",
            "every source row is traced to a person",
            lambda ref: gxe.ExpectColumnValuesToNotBeNull(column="person_key"),
            column="person_key",
        ),
        Check(
            "person_key_in_dim_person",
            "error",
            "every person_key exists in marts.dim_person",
            lambda ref: gxe.ExpectColumnValuesToBeNull(column="chk_person_key_not_in_dim"),
            column="person_key",
        ),
        Check(
            "source_row_unique",
            "error",
            "each input row (file, sheet, row) appears once",
            lambda ref: gxe.ExpectColumnValuesToBeUnique(column="chk_source_row_id"),
            column="source_row",
        ),
        Check(
            "every_raw_row_traced",
            "error",
            "as many source records as rows in raw.persons: no accepted input row vanished",
            lambda ref: gxe.ExpectTableRowCountToEqual(value=ref["raw_rows"]),
        ),
    ),
    also_reads=(DIM, RAW),
)
