"""Encoded person rows: one row per accepted input row with the codes that row gave (before resolution).

The codes come from ``marts.person_source_records`` (the published surface: "the encoded codes as that row gave
them"); the citizen-ID check and duplicate detection read ``raw.persons`` for the same row. Personal data never
reaches GE: the citizen ID becomes a category ('valid', 'not_12_digits' ...), duplicates a row number.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from expectations._gx import gxe
from expectations._warehouse import frame, relation_columns, relation_exists
from expectations.core import Check, Reference, Suite
from expectations.errors import TableMissing
from expectations.suites._codes import code_checks, read_code_sets
from expectations.suites._raw import period_clause
from ingest.datasets import DATASETS, as_sent_sql

NAME = "persons_encoded"
RELATION = "marts.person_source_records"
RAW = "raw.persons"
RESTRICTED_RAW = "pii.raw_persons"  # its CCCDs, checked inside DuckDB: only the check's outcome reaches GE
CODE_COLUMNS = (
    "sex_code",
    "qualification_code",
    "academic_title_code",
    "ethnicity_code",
    "residence_ward_code",
    "science_field_code",
    "occupation_code",
    "employer_type_code",
    "status_code",
)
LINEAGE = ("source_file", "sheet_name", "source_row", "unit_code", "period")
AGE_MIN, AGE_MAX = 18, 100  # age at the end of the period
CCCD_PASS_RATE_MIN = 0.90  # share of filled citizen IDs that must be valid
CCCD_PROVINCES = "reference.cccd_province_codes"
CCCD_CENTURIES = "reference.cccd_gender_century_codes"


def _load(con: duckdb.DuckDBPyConnection, period: str | None) -> pd.DataFrame:
    for rel in (RELATION, RAW, RESTRICTED_RAW, CCCD_PROVINCES, CCCD_CENTURIES):
        if not relation_exists(con, rel):
            raise TableMissing(rel, NAME)
    have = set(relation_columns(con, RELATION))
    wanted = [c for c in (*LINEAGE, *CODE_COLUMNS, "birth_year") if c in have]
    cond, params = period_clause(period, "e.period")
    content = ", ".join(f"coalesce(r.{f}, '')" for f in DATASETS["persons"].field_names)
    birth_year = "try_cast(e.birth_year as integer)" if "birth_year" in have else "null::integer"
    sex_code = "e.sex_code" if "sex_code" in have else "null::varchar"
    return frame(
        con,
        f"""
        with encoded as (
            select {", ".join(f"e.{c}" for c in wanted)}, {birth_year} as birth_year_int, {sex_code} as sex
            from {RELATION} as e
            where {cond}
        ),
        raw_rows as (
            select
                r.source_file, r.sheet_name, r.source_row,
                -- Excel drops the leading 0 of a CCCD typed as a number: 11 digits get it back (as encoding does)
                case
                    when regexp_full_match(regexp_replace(coalesce(r.cccd, ''), '[\\s.\\-]', '', 'g'), '[0-9]{{11}}')
                        then '0' || regexp_replace(r.cccd, '[\\s.\\-]', '', 'g')
                    else regexp_replace(coalesce(r.cccd, ''), '[\\s.\\-]', '', 'g')
                end as cccd_digits,
                -- duplicates are looked for within one file (a few thousand rows): 64 bits are plenty
                hash(concat_ws('|', {content})) as content_hash
            from ({as_sent_sql("persons")}) as r
        ),
        provinces as (
            select distinct lpad(cast(cccd_prefix as varchar), 3, '0') as prefix from {CCCD_PROVINCES}
        ),
        centuries as (
            select cast(digit_4 as varchar) as digit, lower(gender) as gender, cast(nam_sinh_tu as integer) as base
            from {CCCD_CENTURIES}
        ),
        joined as (
            select e.*, rr.cccd_digits, rr.content_hash
            from encoded as e
            left join raw_rows as rr
                on rr.source_file = e.source_file and rr.sheet_name = e.sheet_name and rr.source_row = e.source_row
        ),
        -- the first row of each group of identical rows in a file (a grouping: much cheaper than a window)
        repeated as (
            select source_file, content_hash, min(source_row) as first_row
            from joined
            where content_hash is not null
            group by source_file, content_hash
            having count(*) > 1
        ),
        checked as (
            select
                j.* exclude (cccd_digits, content_hash),
                case
                    when j.cccd_digits is null or j.cccd_digits = '' then null
                    when not regexp_full_match(j.cccd_digits, '[0-9]{{12}}') then 'not_12_digits'
                    when p.prefix is null then 'unknown_province'
                    when c.digit is null then 'unknown_sex_century_digit'
                    when j.sex = 'M' and c.gender <> 'male' or j.sex = 'F' and c.gender <> 'female'
                        then 'sex_mismatch'
                    when j.birth_year_int is not null
                        and c.base + cast(substr(j.cccd_digits, 5, 2) as integer) <> j.birth_year_int
                        then 'birth_year_mismatch'
                    else 'valid'
                end as chk_cccd_check,
                case when j.cccd_digits is null or j.cccd_digits = '' then 'missing' else 'filled' end
                    as chk_cccd_filled,
                cast(left(j.period, 4) as integer) - j.birth_year_int as chk_age_at_period_end,
                rep.first_row as first_row_same_content
            from joined as j
            left join repeated as rep on rep.source_file = j.source_file and rep.content_hash = j.content_hash
            left join provinces as p on p.prefix = substr(j.cccd_digits, 1, 3)
            left join centuries as c on c.digit = substr(j.cccd_digits, 4, 1)
        ),
        final as (
            select
                * exclude (first_row_same_content, birth_year_int, sex),
                case when first_row_same_content <> source_row then first_row_same_content end
                    as chk_duplicate_of_row
            from checked
        )
        select * from final order by source_file, sheet_name, source_row
        """,
        params,
    )


def _reference(con: duckdb.DuckDBPyConnection, period: str | None) -> Reference:
    return {"codes": read_code_sets(con, CODE_COLUMNS, NAME)}


SUITE = Suite(
    name=NAME,
    relation=RELATION,
    description="Encoded person rows: codes within the seeded lists, plausible birth years, valid citizen IDs",
    load=_load,
    reference=_reference,
    expectations=(
        *code_checks(CODE_COLUMNS),
        Check(
            "birth_year_plausible",
            "warning",
            f"birth year gives an age of {AGE_MIN}-{AGE_MAX} at the end of the period",
            lambda ref: gxe.ExpectColumnValuesToBeBetween(
                column="chk_age_at_period_end", min_value=AGE_MIN, max_value=AGE_MAX
            ),
            column="birth_year",
        ),
        Check(
            "cccd_pass_rate",
            "warning",
            f"at least {CCCD_PASS_RATE_MIN:.0%} of filled citizen IDs are valid (12 digits, known province, "
            "sex/century digit consistent with sex and birth year)",
            lambda ref: gxe.ExpectColumnValuesToBeInSet(
                column="chk_cccd_check", value_set=["valid"], mostly=CCCD_PASS_RATE_MIN
            ),
            column="cccd",
        ),
        Check(
            "no_duplicate_rows_in_file",
            "warning",
            "no row repeats another row of the same file field for field (the value is the first row's number)",
            lambda ref: gxe.ExpectColumnValuesToBeNull(column="chk_duplicate_of_row"),
            column="source_row",
        ),
    ),
    also_reads=(RAW, CCCD_PROVINCES, CCCD_CENTURIES, "reference.*"),
)
