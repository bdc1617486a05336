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
    # The key is dbt's to check (unique and not_null on dim_person, _core__models.yml: one tool per property), so
    # it does not reach GE: a million distinct keys would cost GE about 1 s for its batch fingerprint and tell it
    # nothing more.
    if not relation_exists(con, RELATION):
        raise TableMissing(RELATION, NAME)
    return frame(con, f"select * exclude (person_key) from {RELATION}")


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
