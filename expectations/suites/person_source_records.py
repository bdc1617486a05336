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
# A row as a person finds it: file, sheet ('' for CSV) and row number.
_ROW_ID = "concat_ws(' | ', coalesce(rec.source_file, '?'), rec.sheet_name, coalesce(cast(rec.source_row as varchar), '?'))"


def _load(con: duckdb.DuckDBPyConnection, period: str | None) -> pd.DataFrame:
    # Every property is found here and named by the row it concerns ('file | sheet | row'); GE checks that
    # nothing was found. Without the million keys and row ids in the frame, GE's batch fingerprint (a hash of
    # every value) and its uniqueness test cost about 1.5 s less at 1M rows, and a sample names the row.
    for rel in (RELATION, DIM):
        if not relation_exists(con, rel):
            raise TableMissing(rel, NAME)
    cond, params = period_clause(period, "s.period")
    return frame(
        con,
        f"""
        with records as (
            select s.source_file, coalesce(s.sheet_name, '') as sheet_name, s.source_row, s.person_key
            from {RELATION} as s
            where {cond}
        ),
        dim as (select distinct person_key from {DIM}),
        repeated as (
            select source_file, sheet_name, source_row
            from records
            where source_file is not null and source_row is not null
            group by all
            having count(*) > 1
        ),
        final as (
            select
                case when rec.person_key is null then {_ROW_ID} end as chk_row_without_person,
                case when rec.person_key is not null and dim.person_key is null then rec.person_key end
                    as chk_person_key_not_in_dim,
                case when rep.source_file is not null then {_ROW_ID} end as chk_source_row_repeated
            from records as rec
            left join dim on dim.person_key = rec.person_key
            left join repeated as rep
                on rep.source_file = rec.source_file
                and rep.sheet_name = rec.sheet_name
                and rep.source_row = rec.source_row
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
            "every source row is traced to a person (the values are the rows that are not)",
            lambda ref: gxe.ExpectColumnValuesToBeNull(column="chk_row_without_person"),
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
            "each input row (file, sheet, row) appears once (the values are rows that appear more than once)",
            lambda ref: gxe.ExpectColumnValuesToBeNull(column="chk_source_row_repeated"),
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
