"""marts.indicator_values: indicator x period x geography x breakdown, with target, gap and status.

Values are held to what their unit allows (from marts.indicator_catalog): a percentage lies in 0-100, a ratio
in 0-1, counts and rates are never negative; growth rates may be negative and are left unbounded.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from expectations._gx import gxe
from expectations._warehouse import frame, relation_columns, relation_exists
from expectations.core import Check, Reference, Suite
from expectations.errors import TableMissing
from expectations.suites._raw import PERIOD_REGEX, period_clause

NAME = "indicator_values"
RELATION = "marts.indicator_values"
CATALOG = "marts.indicator_catalog"
PERCENT_UNITS = ("%", "percent", "pct", "percentage", "phần trăm")
RATIO_UNITS = ("ratio", "share", "proportion", "fraction", "0-1")


def _in(values: tuple[str, ...]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _load(con: duckdb.DuckDBPyConnection, period: str | None) -> pd.DataFrame:
    for rel in (RELATION, CATALOG):
        if not relation_exists(con, rel):
            raise TableMissing(rel, NAME)
    have = set(relation_columns(con, RELATION))
    completeness = "v.completeness" if "completeness" in have else "null::double"
    cond, params = period_clause(period, "v.period")
    return frame(
        con,
        f"""
        with catalog as (
            select indicator_code, lower(trim(cast(unit as varchar))) as unit from {CATALOG}
        ),
        kinds as (
            select
                v.*,
                c.unit as chk_unit,
                case
                    when c.unit in ({_in(PERCENT_UNITS)}) then 'percent'
                    when c.unit in ({_in(RATIO_UNITS)}) then 'ratio'
                    when c.unit like '%growth%' or c.unit like '%/year%' or c.unit like '%/năm%'
                        or c.unit like '%tăng%' then 'growth'
                    else 'count_or_rate'
                end as value_kind,
                {completeness} as chk_completeness
            from {RELATION} as v
            left join catalog as c on c.indicator_code = v.indicator_code
            where {cond}
        ),
        final as (
            select
                * exclude (value_kind),
                value_kind as chk_value_kind,
                case when value_kind = 'percent' then value end as chk_value_percent,
                case when value_kind = 'ratio' then value end as chk_value_ratio,
                case when value_kind = 'count_or_rate' then value end as chk_value_non_negative,
                case when c_in_catalog then null else indicator_code end as chk_code_not_in_catalog
            from (
                select *, indicator_code in (select indicator_code from catalog) as c_in_catalog from kinds
            ) as k
        )
        select * exclude (c_in_catalog) from final
        """,
        params,
    )


def _reference(con: duckdb.DuckDBPyConnection, period: str | None) -> Reference:
    return {}


SUITE = Suite(
    name=NAME,
    relation=RELATION,
    description="marts.indicator_values: values within their possible ranges, counts never negative",
    load=_load,
    reference=_reference,
    expectations=(
        Check(
            "indicator_in_catalog",
            "error",
            "every indicator_code is in marts.indicator_catalog",
            lambda ref: gxe.ExpectColumnValuesToBeNull(column="chk_code_not_in_catalog"),
            column="indicator_code",
        ),
        Check(
            "period_well_formed",
            "error",
            "period is YYYY-H1 or YYYY-H2",
            lambda ref: gxe.ExpectColumnValuesToMatchRegex(column="period", regex=PERIOD_REGEX),
            column="period",
        ),
        Check(
            "percent_within_0_100",
            "error",
            "a percentage lies between 0 and 100",
            lambda ref: gxe.ExpectColumnValuesToBeBetween(
                column="chk_value_percent", min_value=0, max_value=100
            ),
            column="value",
        ),
        Check(
            "ratio_within_0_1",
            "error",
            "a ratio lies between 0 and 1",
            lambda ref: gxe.ExpectColumnValuesToBeBetween(column="chk_value_ratio", min_value=0, max_value=1),
            column="value",
        ),
        Check(
            "count_or_rate_not_negative",
            "error",
            "a count or rate per population is never negative",
            lambda ref: gxe.ExpectColumnValuesToBeBetween(column="chk_value_non_negative", min_value=0),
            column="value",
        ),
        Check(
            "numerator_not_negative",
            "error",
            "numerators are counts: never negative",
            lambda ref: gxe.ExpectColumnValuesToBeBetween(column="numerator", min_value=0),
            column="numerator",
        ),
        Check(
            "denominator_not_negative",
            "error",
            "denominators are counts: never negative",
            lambda ref: gxe.ExpectColumnValuesToBeBetween(column="denominator", min_value=0),
            column="denominator",
        ),
        Check(
            "completeness_is_share",
            "warning",
            "completeness (share of expected units that submitted) lies between 0 and 1",
            lambda ref: gxe.ExpectColumnValuesToBeBetween(
                column="chk_completeness", min_value=0, max_value=1
            ),
            column="completeness",
        ),
    ),
    also_reads=(CATALOG,),
)
