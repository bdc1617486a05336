"""marts.dim_person: one row per resolved person, keyed by a pseudonymous person_key."""

from __future__ import annotations

import duckdb
import pandas as pd

from expectations._gx import gxe
from expectations._warehouse import frame, relation_exists
from expectations.core import Check, Reference, Suite
from expectations.errors import TableMissing
from expectations.suites._codes import code_checks, read_code_sets

NAME = "dim_person"
RELATION = "marts.dim_person"
CODE_COLUMNS = (
    "sex_code",
    "qualification_code",
    "academic_title_code",
    "ethnicity_code",
    "residence_ward_code",
    "science_field_code",
    "occupation_code",
    "sector_code",
    "employer_type_code",
    "status_code",
    "age_group",
)


def _load(con: duckdb.DuckDBPyConnection, period: str | None) -> pd.DataFrame:
    # A person spans periods: the dimension is validated whole; ``period`` only labels the run.
    # The key itself does not reach GE: a missing or repeated key is found here, and GE checks that nothing was
    # found (the repeated keys are its sample values). A million distinct keys would cost GE about 1 s for its
    # batch fingerprint (it hashes every value of the frame) and its uniqueness test, and tell it nothing more.
    if not relation_exists(con, RELATION):
        raise TableMissing(RELATION, NAME)
    return frame(
        con,
        f"""
        with repeated as (
            select person_key from {RELATION} where person_key is not null group by person_key having count(*) > 1
        ),
        final as (
            select
                dim.* exclude (person_key),
                case when dim.person_key is null
                    then 'no person_key (first reported ' || coalesce(dim.first_period, 'in no period') || ')'
                end as chk_person_key_missing,
                rep.person_key as chk_person_key_repeated
            from {RELATION} as dim
            left join repeated as rep on rep.person_key = dim.person_key
        )
        select * from final
        """,
    )


def _reference(con: duckdb.DuckDBPyConnection, period: str | None) -> Reference:
    return {"codes": read_code_sets(con, CODE_COLUMNS, NAME)}


SUITE = Suite(
    name=NAME,
    relation=RELATION,
    description="marts.dim_person: resolved persons, pseudonymous keys, encoded attributes",
    load=_load,
    reference=_reference,
    expectations=(
        Check(
            "person_key_not_null",
            "error",
            "every person has a person_key",
            lambda ref: gxe.ExpectColumnValuesToBeNull(column="chk_person_key_missing"),
            column="person_key",
        ),
        Check(
            "person_key_unique",
            "error",
            "person_key identifies one person (the values are keys that appear more than once)",
            lambda ref: gxe.ExpectColumnValuesToBeNull(column="chk_person_key_repeated"),
            column="person_key",
        ),
        Check(
            "source_count_positive",
            "error",
            "every person comes from at least one source row",
            lambda ref: gxe.ExpectColumnValuesToBeBetween(column="source_count", min_value=1),
            column="source_count",
        ),
        Check(
            "periods_ordered",
            "error",
            "first_period is not after last_period",
            lambda ref: gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="last_period",
                column_B="first_period",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            ),
            column="first_period",
        ),
        *code_checks(CODE_COLUMNS),
    ),
)
