"""The code lists encoded columns must stay within: read from the ``reference.*`` seeds at validation time."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from expectations._gx import gxe
from expectations._warehouse import code_set
from expectations.core import Check


@dataclass(frozen=True)
class CodeList:
    relation: str | None  # None: a fixed list from the contract
    query: str = ""
    fixed: tuple[str, ...] = ()


STATUS_CODES = ("ACTIVE", "RETIRED", "MOVED_AWAY", "ABROAD", "DECEASED")
AGE_GROUPS = ("<30", "30-44", "45-59", "60+")

CODE_LISTS: dict[str, CodeList] = {
    "sex_code": CodeList(None, fixed=("M", "F")),
    "qualification_code": CodeList(
        "reference.qualification_levels", "select code from reference.qualification_levels"
    ),
    "academic_title_code": CodeList(
        "reference.academic_titles",
        "select code from reference.academic_titles where type = 'academic_title'",
    ),
    "ethnicity_code": CodeList(
        "reference.ethnic_groups", "select code_1979_qd121 as code from reference.ethnic_groups"
    ),
    "residence_ward_code": CodeList(
        "reference.admin_units_dong_nai", "select ma_dvhc as code from reference.admin_units_dong_nai"
    ),
    "science_field_code": CodeList(
        "reference.science_fields", "select code from reference.science_fields where level in (1, 2)"
    ),
    "occupation_code": CodeList(
        "reference.occupations_vsco_major",
        "select code from reference.occupations_vsco_major where level in (1, 2)",
    ),
    "sector_code": CodeList(
        "reference.employment_sectors",
        "select code from reference.employment_sectors where scheme = 'frascati_2015'",
    ),
    "employer_type_code": CodeList(
        "reference.employment_sectors",
        "select code from reference.employment_sectors where scheme = 'employer_type'",
    ),
    "status_code": CodeList(None, fixed=STATUS_CODES),
    "age_group": CodeList(None, fixed=AGE_GROUPS),
}


def read_code_sets(
    con: duckdb.DuckDBPyConnection, columns: tuple[str, ...], suite: str
) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for col in columns:
        spec = CODE_LISTS[col]
        out[col] = (
            list(spec.fixed) if spec.relation is None else code_set(con, spec.relation, spec.query, suite)
        )
    return out


def code_checks(columns: tuple[str, ...]) -> tuple[Check, ...]:
    """One error check per encoded column: a code outside its list is a bug in encoding, not in the input
    (unmapped input values must leave the code null and go to quality.unmapped_values)."""
    return tuple(
        Check(
            f"code_in_list__{col}",
            "error",
            f"{col} is null or a code of {CODE_LISTS[col].relation or 'the contract list'}",
            lambda ref, c=col: gxe.ExpectColumnValuesToBeInSet(column=c, value_set=ref["codes"][c]),
            column=col,
        )
        for col in columns
    )
