"""Reading the indicator marts (read-only, short-lived connection)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from ingest.periods import parse_period
from orchestration.publish.indicators.errors import PeriodNotInWarehouse, WarehouseNotReady

_VALUES_QUERY = """
select
    cat.group_code, cat.group_name_vi, cat.sort_order, val.indicator_code, val.measure_code, cat.name_vi, cat.name_en,
    val.period, val.geo_level, val.geo_code, val.breakdown, val.sex_code, val.age_group, val.sector_code,
    val.science_field_code, cat.unit, cat.unit_vi, val.numerator, val.denominator, val.value, val.target_2030,
    cat.target_2030_text, val.gap_2030, val.status, val.change_from_previous, val.completeness, val.obs_status,
    val.conf_status, val.obs_note, cat.formula_vi, cat.definition_note,
    case when val.geo_level = 'ward' then coalesce(adm.ten_dvhc, val.geo_code) end as geo_name
from marts.indicator_values as val
inner join marts.indicator_catalog as cat on cat.measure_code = val.measure_code
left join reference.admin_units_dong_nai as adm on val.geo_level = 'ward' and adm.ma_dvhc = val.geo_code
where val.period <= ?
order by cat.sort_order, val.period, val.geo_level, val.geo_code, val.breakdown,
    val.sex_code, val.age_group, val.sector_code, val.science_field_code
"""


def read_indicator_values(warehouse: Path, period: str) -> pd.DataFrame:
    """Indicator rows of every period up to ``period`` (the report needs the trend), joined with the catalogue."""
    if parse_period(period) is None:
        raise PeriodNotInWarehouse(period, [])
    if not Path(warehouse).is_file():
        raise WarehouseNotReady(Path(warehouse), "file not found")
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as exc:
        raise WarehouseNotReady(Path(warehouse), f"cannot open: {exc}") from exc
    try:
        try:
            frame = con.execute(_VALUES_QUERY, [period]).df()
            periods = [
                r[0]
                for r in con.execute(
                    "select distinct period from marts.indicator_values order by period"
                ).fetchall()
            ]
        except duckdb.CatalogException as exc:
            raise WarehouseNotReady(Path(warehouse), str(exc).splitlines()[0]) from exc
    finally:
        con.close()
    if period not in periods:
        raise PeriodNotInWarehouse(period, periods)
    return frame
