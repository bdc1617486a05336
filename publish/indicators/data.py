"""Reading the indicator marts (read-only, short-lived connection)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from ingest.periods import parse_period
from publish.indicators.constants import (
    AGE_GROUP_VI,
    BREAKDOWN_COLUMNS,
    BREAKDOWN_VI,
    CITY_NAME_VI,
    CONF_STATUS_VI,
    GEO_LEVEL_VI,
    OBS_STATUS_VI,
    SEX_VI,
    SPECIAL_CODES_VI,
    STATUS_LABELS_VI,
    TOTAL_VI,
    note_vi,
)
from publish.indicators.errors import PeriodNotInWarehouse, WarehouseNotReady

# The code lists' names come from the reference seeds in the same file (reference.*): ward names beside ward codes,
# the Frascati sector and level-1 field of science names beside their codes. A code missing from its list keeps no
# name here (geo_name falls back to the code); the exports show the code itself then.
_VALUES_QUERY = """
select
    cat.group_code, cat.group_name_vi, cat.sort_order, val.indicator_code, val.measure_code, cat.name_vi, cat.name_en,
    val.period, val.geo_level, val.geo_code, val.breakdown, val.sex_code, val.age_group, val.sector_code,
    val.science_field_code, cat.unit, cat.unit_vi, val.numerator, val.denominator, val.value, val.target_2030,
    cat.target_2030_text, val.gap_2030, val.status, val.change_from_previous, val.completeness, val.obs_status,
    val.conf_status, val.obs_note, cat.formula_vi, cat.definition_note, cat.numerator_definition,
    cat.denominator_definition, cat.target_2045_text, cat.frequency, cat.source_units,
    case when val.geo_level = 'ward' then coalesce(adm.ten_dvhc, val.geo_code) end as geo_name,
    sec.name_vi as sector_name_vi,
    fld.name_vi as science_field_name_vi
from marts.indicator_values as val
inner join marts.indicator_catalog as cat on cat.measure_code = val.measure_code
left join reference.admin_units_dong_nai as adm on val.geo_level = 'ward' and adm.ma_dvhc = val.geo_code
left join reference.employment_sectors as sec on sec.scheme = 'frascati_2015' and sec.code = val.sector_code
left join reference.science_fields as fld on cast(fld.level as varchar) = '1' and fld.code = val.science_field_code
where val.period <= ?
order by cat.sort_order, val.period, val.geo_level, val.geo_code,
    -- the total first, then one breakdown after the other, each in its natural order (ages young to old)
    case val.breakdown when 'total' then 0 when 'sex_code' then 1 when 'age_group' then 2 when 'sector_code' then 3
        when 'science_field_code' then 4 else 5 end, val.breakdown,
    val.sex_code, case val.age_group when '<30' then 0 when '30-44' then 1 when '45-59' then 2 when '60+' then 3
        else 4 end, val.age_group, val.sector_code, val.science_field_code
"""

_CATALOG_QUERY = "select * from marts.indicator_catalog order by sort_order, measure_code"


def _connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    if not Path(warehouse).is_file():
        raise WarehouseNotReady(Path(warehouse), "file not found")
    try:
        return duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as exc:
        raise WarehouseNotReady(Path(warehouse), f"cannot open: {exc}") from exc


def read_indicator_values(warehouse: Path, period: str) -> pd.DataFrame:
    """Indicator rows of every period up to ``period`` (the report needs the trend), joined with the catalogue and
    the code lists, with the Vietnamese words for every code (``with_vietnamese_labels``)."""
    if parse_period(period) is None:
        raise PeriodNotInWarehouse(period, [])
    con = _connect(warehouse)
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
    return with_vietnamese_labels(frame)


def indicator_values_for(warehouse: Path, period: str, values: pd.DataFrame | None = None) -> pd.DataFrame:
    """``values`` when the caller has read them already (:func:`read_indicator_values` of ``period``), else read
    now. A frame read for another period is refused: its latest period must be ``period``."""
    if values is None:
        return read_indicator_values(Path(warehouse), period)
    latest = values["period"].max() if len(values) else None
    if latest != period:
        raise ValueError(f"indicator rows read for period {latest}, not for {period}")
    return values


def read_indicator_catalog(warehouse: Path) -> pd.DataFrame:
    """marts.indicator_catalog, one row per measure in the plan's order (the workbook's "Danh mục chỉ tiêu")."""
    con = _connect(warehouse)
    try:
        try:
            return con.execute(_CATALOG_QUERY).df()
        except duckdb.CatalogException as exc:
            raise WarehouseNotReady(Path(warehouse), str(exc).splitlines()[0]) from exc
    finally:
        con.close()


# ---------------------------------------------------------------------------------------------------- labels


def column_of(frame: pd.DataFrame, name: str) -> pd.Series:
    """``frame[name]``, or a column of missing values when the frame has no such column."""
    if name in frame:
        return frame[name]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def in_words(codes: pd.Series, words: dict[str, str]) -> pd.Series:
    """Each code in words; a code ``words`` does not know as written; a missing code stays missing."""
    return codes.map(words).astype(object).fillna(codes.astype(object))


def _named(codes: pd.Series, names: pd.Series) -> pd.Series:
    return names.astype(object).fillna(codes.astype(object))


LABEL_COLUMNS = (
    "geo_level_vi",
    "geo_name_vi",
    "breakdown_vi",
    "category",
    "category_vi",
    "status_vi",
    "obs_status_vi",
    "conf_status_vi",
    "obs_note_vi",
)


def with_vietnamese_labels(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (indicator rows as marts.indicator_values has them) with the Vietnamese words for their codes, all
    vectorised (the workbook is written at a million rows too):

    geo_level_vi, geo_name_vi (ward name, 'Toàn thành phố' for the city), breakdown_vi, category (the code of the
    row's group in its breakdown column: F, <30, HES, 1 ...; _T on total rows) and category_vi, status_vi,
    obs_status_vi, conf_status_vi, obs_note_vi. Ward, sector and field names come from the warehouse's reference
    lists (columns geo_name, sector_name_vi, science_field_name_vi); without them the code is shown."""
    out = rows.copy()
    geo_level, geo_code = column_of(rows, "geo_level"), column_of(rows, "geo_code")
    ward_names = _named(geo_code, column_of(rows, "geo_name"))
    out["geo_level_vi"] = in_words(geo_level, GEO_LEVEL_VI)
    out["geo_name_vi"] = ward_names.mask(geo_level.eq("city").to_numpy(dtype=bool), CITY_NAME_VI)

    breakdown = column_of(rows, "breakdown")
    out["breakdown_vi"] = in_words(breakdown, BREAKDOWN_VI)
    chosen = [np.asarray(breakdown.eq(name), dtype=bool) for name in BREAKDOWN_COLUMNS]
    codes = [column_of(rows, name).astype(object).to_numpy() for name in BREAKDOWN_COLUMNS]
    words = [
        in_words(column_of(rows, "sex_code"), SEX_VI),
        in_words(column_of(rows, "age_group"), AGE_GROUP_VI),
        _named(column_of(rows, "sector_code"), column_of(rows, "sector_name_vi")),
        _named(column_of(rows, "science_field_code"), column_of(rows, "science_field_name_vi")),
    ]
    no_breakdown = np.asarray(breakdown.isna(), dtype=bool)
    category = pd.Series(np.select(chosen, codes, default="_T"), index=rows.index, dtype=object)
    category[no_breakdown] = None
    category_vi = pd.Series(
        np.select(chosen, [w.to_numpy(dtype=object) for w in words], default=TOTAL_VI),
        index=rows.index,
        dtype=object,
    )
    category_vi[no_breakdown] = None
    out["category"] = category
    out["category_vi"] = category.map(SPECIAL_CODES_VI).astype(object).fillna(category_vi)

    out["status_vi"] = in_words(column_of(rows, "status"), STATUS_LABELS_VI)
    out["obs_status_vi"] = in_words(column_of(rows, "obs_status"), OBS_STATUS_VI)
    out["conf_status_vi"] = in_words(column_of(rows, "conf_status"), CONF_STATUS_VI)
    out["obs_note_vi"] = column_of(rows, "obs_note").astype(object).map(note_vi)
    return out
