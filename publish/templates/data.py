"""Each unit's last accepted list of people, as its template pre-fills it.

A unit's list for a template of period P is the list it had in the latest period before P that it sent a persons
file for: every current (not replaced) persons file of that period, a supplement with the list it adds to, in the
order they were received; rows in the order the unit wrote them (sheet, then row). Personal fields come from the
restricted store (``ingest.datasets.as_sent_sql``); a coded value is shown by its code list's name when dbt encoded
it (``marts.person_source_records``: 'nam' becomes 'Nam', 'Thạc sỹ' 'Thạc sĩ', 'PGS.TS' title 'Phó giáo sư' and
degree 'Tiến sĩ'), else as the unit wrote it (and the sheet marks it). People the list said had died or moved away
are not carried into the next list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import duckdb

from ingest.datasets import as_sent_sql
from ingest.template_returns import STATUS_CHANGES
from publish.templates.code_lists import CodeList
from publish.templates.layout import EXTRAS
from settings import RESTRICTED_CATALOG

# Statuses that end a person's place on the unit's list (no change allowed from them): not carried into the next
# template.
NOT_CARRIED_STATUS_CODES = tuple(code for code, allowed in STATUS_CHANGES.items() if not allowed)
# Coded fields: (persons field, person_source_records column, code list key)
CODED = (
    ("sex", "sex_code", "sex"),
    ("ethnicity", "ethnicity_code", "ethnicity"),
    ("qualification", "qualification_code", "qualification"),
    ("academic_title", "academic_title_code", "academic_title"),
    ("science_field", "science_field_code", "science_field"),
    ("residence_ward", "residence_ward_code", "residence_ward"),
    ("status", "status_code", "status"),
)
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-]((?:19|20)\d{2})$")
_YMD = re.compile(r"^((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_YEAR_FLOAT = re.compile(r"^((?:19|20)\d{2})\.0$")


@dataclass
class BaseRow:
    source_file: str
    file_sha256: str
    sheet_name: str
    source_row: int
    values: dict[str, object]  # field -> str | date | None, as pre-filled


@dataclass
class BaseList:
    unit_code: str
    unit_kind: str
    base_period: str
    files: list[str] = field(default_factory=list)  # source files, in the order received
    rows: list[BaseRow] = field(default_factory=list)
    used: set[str] = field(default_factory=set)  # extra fields the list filled (layout.EXTRAS)


def _exists(con: duckdb.DuckDBPyConnection, catalog_schema: str, table: str) -> bool:
    catalog, _, schema = catalog_schema.rpartition(".")
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_catalog = "
            + ("?" if catalog else "current_database()")
            + " and table_schema = ? and table_name = ?",
            [*([catalog] if catalog else []), schema, table],
        ).fetchone()[0]
    )


_FILES = """
    select source_file, file_sha256, unit_code, unit_kind, period, received_at, coalesce(sheets, '') as sheets
    from quality.file_manifest
    where is_current and status in ('loaded', 'loaded_with_issues')
        and list_contains(string_split(coalesce(datasets, ''), ','), 'persons')
        and regexp_full_match(period, '20[0-9]{2}-H[12]') and period < ?
"""


def latest_list_period(con: duckdb.DuckDBPyConnection, before: str) -> str | None:
    """The latest period before ``before`` that some unit sent an accepted persons list for."""
    return con.execute(f"select max(period) from ({_FILES})", [before]).fetchone()[0]


def _joins(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """(select list, joins) adding each raw row ``r``'s codes (marts.person_source_records) and whether dbt restored
    its CCCD's leading zero (quality.row_issues), each null/false while the table is not built yet."""
    codes_join, codes_cols = "", ", ".join(f"null::varchar as {col}" for _, col, _ in CODED)
    if _exists(con, "marts", "person_source_records"):
        codes_cols = ", ".join(f"psr.{col}" for _, col, _ in CODED)
        codes_join = (
            "left join marts.person_source_records as psr on psr.source_file = r.source_file "
            "and psr.file_sha256 = r.file_sha256 and psr.sheet_name is not distinct from r.sheet_name "
            "and psr.source_row = r.source_row"
        )
    zero_join, zero_col = "", "false as zero_restored"
    if _exists(con, "quality", "row_issues"):
        zero_col = "zr.source_file is not null as zero_restored"
        zero_join = (
            "left join (select distinct source_file, file_sha256, sheet_name, source_row from quality.row_issues "
            "where issue_code = 'cccd_leading_zero_restored') as zr on zr.source_file = r.source_file "
            "and zr.file_sha256 = r.file_sha256 and zr.sheet_name is not distinct from r.sheet_name "
            "and zr.source_row = r.source_row"
        )
    return f"{codes_cols}, {zero_col}", f"{codes_join} {zero_join}"


def _chosen(units: list[str] | None) -> str:
    """CTEs ``files``, ``latest``, ``chosen``: each unit's current persons files of its latest period before the
    template's (parameters: the period, then the unit codes when ``units``)."""
    unit_filter = "and files.unit_code in (select unnest(?))" if units else ""
    return f"""
        files as ({_FILES}),
        latest as (
            select unit_code, unit_kind, max(period) as base_period from files group by unit_code, unit_kind
        ),
        chosen as (
            select files.*, row_number() over (
                partition by files.unit_code, files.unit_kind order by files.received_at, files.source_file
            ) as file_order
            from files
            inner join latest
                on files.unit_code = latest.unit_code and files.unit_kind = latest.unit_kind
                and files.period = latest.base_period
            where true {unit_filter}
        )
    """


def list_states(con: duckdb.DuckDBPyConnection, period: str) -> dict[tuple[str, str], str]:
    """(unit kind, unit code) -> a digest of what its template for ``period`` would be filled from: the period and
    versions of its files (a file version's rows never change) and the codes dbt gave each row. Computed in DuckDB
    from the analytics file alone, without reading a personal value: an unchanged unit is told in one query."""
    cols, joins = _joins(con)
    codes = ", ".join(f"coalesce({col}, '')" for _, col, _ in CODED)
    sql = f"""
        with {_chosen(None)},
        rows as (
            select c.unit_kind, c.unit_code, c.period as base_period, c.file_order, r.source_file, r.file_sha256,
                r.sheet_name, r.source_row, {cols}
            from raw.persons as r
            inner join chosen as c on c.source_file = r.source_file and c.file_sha256 = r.file_sha256
            {joins}
        )
        select unit_kind, unit_code, md5(any_value(base_period) || string_agg(
            concat_ws('|', source_file, file_sha256, sheet_name, source_row, {codes}, zero_restored), ';'
            order by file_order, source_file, sheet_name, source_row
        )) as state
        from rows
        group by unit_kind, unit_code
    """
    return {(kind, code): state for kind, code, state in con.execute(sql, [period]).fetchall()}


def base_lists(
    con: duckdb.DuckDBPyConnection, period: str, lists: dict[str, CodeList], units: list[str] | None = None
) -> dict[tuple[str, str], BaseList]:
    """(unit kind, unit code) -> the list a template for ``period`` is filled from (``units``: these codes only).
    ``con`` has the restricted store attached as ``pii`` (``ingest.connect.open_warehouse``)."""
    cols, joins = _joins(con)
    params: list = [period, *([units] if units else [])]
    sql = f"""
        with {_chosen(units)},
        sent as ({as_sent_sql("persons", RESTRICTED_CATALOG)})
        select r.*, c.file_order, c.period as base_period,
            list_position(string_split(c.sheets, ','), r.sheet_name) as sheet_order, {cols}
        from sent as r
        inner join chosen as c on c.source_file = r.source_file and c.file_sha256 = r.file_sha256
        {joins}
        order by r.unit_kind, r.unit_code, c.file_order, sheet_order nulls last, r.sheet_name, r.source_row
    """
    cursor = con.cursor()  # DuckDB 2 refuses a relation on a connection whose last execute() is unfinished
    try:
        table = cursor.sql(sql, params=params).to_arrow_table()
    finally:
        cursor.close()
    columns = {name: table.column(name).to_pylist() for name in table.column_names}
    out: dict[tuple[str, str], BaseList] = {}
    extras = [c.field for c in EXTRAS if c.field in columns]
    for i in range(table.num_rows):
        if columns["status_code"][i] in NOT_CARRIED_STATUS_CODES:
            continue
        key = (columns["unit_kind"][i], columns["unit_code"][i])
        base = out.get(key)
        if base is None:
            base = out[key] = BaseList(key[1], key[0], columns["base_period"][i])
        source = columns["source_file"][i]
        if not base.files or base.files[-1] != source:
            base.files.append(source)
        row = {name: columns[name][i] for name in columns}
        base.rows.append(
            BaseRow(
                source,
                row["file_sha256"],
                row["sheet_name"] or "",
                int(row["source_row"]),
                _prefill(row, lists),
            )
        )
        base.used.update(f for f in extras if _text(row.get(f)) is not None)
    return out


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def birth_value(text: str | None) -> object:
    """A birth date as it is pre-filled: a real date for a whole date (dd/mm/yyyy, yyyy-mm-dd), else the text as
    written ('1975', '05/1975'), a year read as a number ('1975.0') as its year."""
    text = _text(text)
    if text is None:
        return None
    for pattern, order in ((_DMY, (3, 2, 1)), (_YMD, (1, 2, 3))):
        found = pattern.match(text)
        if found:
            y, m, d = (int(found.group(i)) for i in order)
            try:
                return date(y, m, d)
            except ValueError:
                return text
    year = _YEAR_FLOAT.match(text)
    return year.group(1) if year else text


def cccd_value(text: str | None, zero_restored: bool) -> str | None:
    """12 digits written with separators are written as the 12 digits; an 11-digit number whose leading zero
    Excel dropped gets it back when dbt said so (issue cccd_leading_zero_restored); anything else as sent."""
    text = _text(text)
    if text is None:
        return None
    digits = re.sub(r"\D", "", text.removesuffix(".0"))
    if len(digits) == 12 and re.fullmatch(r"[\d\s.\-]+", text.removesuffix(".0")):
        return digits
    if zero_restored and len(digits) == 11:
        return "0" + digits
    return text


def _prefill(row: dict, lists: dict[str, CodeList]) -> dict[str, object]:
    values: dict[str, object] = {
        "full_name": _text(row.get("full_name")),
        "birth_date": birth_value(row.get("birth_date"))
        or _text(row.get("birth_year_male"))
        or _text(row.get("birth_year_female")),
        "cccd": cccd_value(row.get("cccd"), bool(row.get("zero_restored"))),
        "position": _text(row.get("position")),
        "employer": _text(row.get("employer")),
    }
    if isinstance(values["birth_date"], str):
        values["birth_date"] = birth_value(values["birth_date"])
    for fld, code_column, key in CODED:
        named = lists[key].name_of(row.get(code_column))
        values[fld] = named if named is not None else _text(row.get(fld))
    for column in EXTRAS:
        values[column.field] = _text(row.get(column.field)) if column.prefill else None
    return values
