"""A small hand-made warehouse: raw tables, the manifest, code-list seeds and marts; with the
unit scorecard built by the real dbt model (``build_scorecard``). Shared by the tests of expectations/
(tests/expectations/conftest.py) and of publish/quality (tests/publish/conftest.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import duckdb

from ingest import load as ingest_load
from ingest.connect import ensure_restricted_store, open_warehouse
from ingest.datasets import DATASETS, LINEAGE_COLUMNS
from ingest.load import ISSUES_DDL, MANIFEST_DDL
from orchestration.setup_home import dbt_executable
from settings import DBT_PROJECT_DIR, restricted_path

SEEDS = DBT_PROJECT_DIR / "seeds"
PERIOD = "2026-H1"

# Two wards and one university; 26068 sends a clean file, 26041 a file with problems, LHU sends late.
MANIFEST_ROWS = [
    # source_file, sha, unit, kind, period, datasets, read, loaded, rejected, skipped, status, current, msg, received
    (
        "2026-H1/ward/26068/ds.xlsx",
        "sha-a",
        "26068",
        "ward",
        PERIOD,
        "persons",
        3,
        3,
        0,
        0,
        "loaded",
        True,
        None,
        "2026-06-10 09:00:00",
    ),
    (
        "2026-H1/ward/26041/ds.xlsx",
        "sha-b",
        "26041",
        "ward",
        PERIOD,
        "persons",
        5,
        3,
        1,
        1,
        "loaded_with_issues",
        True,
        None,
        "2026-06-19 17:00:00",
    ),
    (
        "2026-H1/ward/26041/old.csv",
        "sha-old",
        "26041",
        "ward",
        PERIOD,
        "",
        4,
        0,
        4,
        0,
        "rejected",
        True,
        "Không nhận ra tiêu đề cột: thêm dòng tiêu đề Họ và tên.",
        "2026-06-01 08:00:00",
    ),
    (
        "2026-H1/university/LHU/gv.xlsx",
        "sha-c",
        "LHU",
        "university",
        PERIOD,
        "persons",
        2,
        2,
        0,
        0,
        "loaded",
        True,
        None,
        "2026-06-25 08:00:00",
    ),
]

PERSON_FIELDS = ("full_name", "birth_date", "sex", "cccd", "qualification", "ethnicity")
# (file, sha, unit, kind, row, full_name, birth_date, sex, cccd, qualification, ethnicity)
RAW_PERSONS = [
    (
        "2026-H1/ward/26068/ds.xlsx",
        "sha-a",
        "26068",
        "ward",
        5,
        "Nguyễn Văn A",
        "1980",
        "Nam",
        "075080000001",
        "Tiến sĩ",
        "Kinh",
    ),
    (
        "2026-H1/ward/26068/ds.xlsx",
        "sha-a",
        "26068",
        "ward",
        6,
        "Trần Thị B",
        "1990",
        "Nữ",
        "075190000002",
        "Thạc sĩ",
        "Kinh",
    ),
    (
        "2026-H1/ward/26068/ds.xlsx",
        "sha-a",
        "26068",
        "ward",
        7,
        "Lê Văn C",
        "1975",
        "Nam",
        "075075000003",
        "Đại học",
        "Tày",
    ),
    (
        "2026-H1/ward/26041/ds.xlsx",
        "sha-b",
        "26041",
        "ward",
        4,
        "Phạm D",
        "1985",
        "Nam",
        "07508500000",
        "Đại học",
        "Kinh",
    ),
    (
        "2026-H1/ward/26041/ds.xlsx",
        "sha-b",
        "26041",
        "ward",
        5,
        "Phạm D",
        "1985",
        "Nam",
        "07508500000",
        "Đại học",
        "Kinh",
    ),
    (
        "2026-H1/ward/26041/ds.xlsx",
        "sha-b",
        "26041",
        "ward",
        6,
        "Võ E",
        "1988",
        "Nữ",
        None,
        "Kĩ sư xyz",
        "Kinh",
    ),
    (
        "2026-H1/university/LHU/gv.xlsx",
        "sha-c",
        "LHU",
        "university",
        3,
        "GS F",
        "1960",
        "Nam",
        "075060000004",
        "TS",
        "Kinh",
    ),
    (
        "2026-H1/university/LHU/gv.xlsx",
        "sha-c",
        "LHU",
        "university",
        4,
        "G",
        "1970",
        "Nữ",
        "075170000005",
        "ThS",
        "Kinh",
    ),
]

ROW_ISSUES = [
    # source_file, sheet, row, column, raw_value, code, severity, message_vi, message_en, unit, kind, period, dataset, sha
    (
        "2026-H1/ward/26041/ds.xlsx",
        "DS",
        7,
        "full_name",
        None,
        "key_missing",
        "error",
        "Dòng thiếu họ và tên: điền họ và tên hoặc xoá dòng.",
        "Row has no name.",
        "26041",
        "ward",
        PERIOD,
        "persons",
        "sha-b",
    ),
    (
        "2026-H1/ward/26041/ds.xlsx",
        "DS",
        6,
        "qualification",
        "Kĩ sư xyz",
        "unmapped_value",
        "warning",
        "Trình độ 'Kĩ sư xyz' không có trong danh mục: ghi theo danh mục (Đại học, Thạc sĩ, Tiến sĩ ...).",
        "Unknown qualification.",
        "26041",
        "ward",
        PERIOD,
        "persons",
        "sha-b",
    ),
    (
        "2026-H1/ward/26041/old.csv",
        "",
        None,
        None,
        None,
        "header_not_found",
        "error",
        "Không nhận ra tiêu đề cột: thêm dòng tiêu đề Họ và tên.",
        "Header not found.",
        "26041",
        "ward",
        PERIOD,
        None,
        "sha-old",
    ),
    (
        "2026-H1/ward/26068/ds.xlsx",
        "DS",
        9,
        "birth_date",
        "31/02/1980",
        "bad_date",
        "warning",
        "Ngày sinh không hợp lệ: ghi dd/mm/yyyy.",
        "Invalid date.",
        "26068",
        "ward",
        "2025-H2",
        "persons",
        "sha-z",
    ),
]

SEED_TABLES = {
    "qualification_levels": "codes/qualification_levels.csv",
    "academic_titles": "codes/academic_titles.csv",
    "ethnic_groups": "codes/ethnic_groups.csv",
    "admin_units_dong_nai": "codes/admin_units_dong_nai.csv",
    "science_fields": "codes/science_fields.csv",
    "occupations_vsco_major": "codes/occupations_vsco_major.csv",
    "employment_sectors": "codes/employment_sectors.csv",
    "cccd_province_codes": "codes/cccd_province_codes.csv",
    "cccd_gender_century_codes": "codes/cccd_gender_century_codes.csv",
    "unit_registry": "registry/unit_registry.csv",
}


_LINEAGE_TYPES = {"source_row": "integer", "ingested_at": "timestamp"}


def _tables_before_the_split(con: duckdb.DuckDBPyConnection) -> None:
    """The raw tables as warehouses had them before the restricted store (personal fields included), the manifest
    and the issue tables. Not ``ingest.load.ensure_tables``: that one runs last in ``build_warehouse`` and moves the
    personal fields out, so the tests go through the loader's own upgrade as a real warehouse did."""
    con.execute("create schema raw")
    con.execute("create schema quality")
    for ds in DATASETS.values():
        cols = [f'"{n}" varchar' for n in ds.field_names]
        cols += [f'"{n}" {_LINEAGE_TYPES.get(n, "varchar")}' for n in LINEAGE_COLUMNS]
        con.execute(f"create table raw.{ds.name} ({', '.join(cols)})")
    con.execute(MANIFEST_DDL)
    con.execute(ISSUES_DDL)
    # dbt's quality.row_issues: the union of ingest issues and encoding issues, same columns
    con.execute("create table quality.row_issues as select * from quality.ingest_row_issues")


def _seed(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists reference")
    for table, rel in SEED_TABLES.items():
        con.execute(
            f"create or replace table reference.{table} as "
            f"select * from read_csv('{SEEDS / rel}', all_varchar = true, header = true)"
        )
    # dbt types 'level' as a number
    for table in ("science_fields", "occupations_vsco_major"):
        con.execute(f"alter table reference.{table} alter level type integer")


def build_warehouse(path: Path) -> Path:
    con = duckdb.connect(str(path))
    try:
        _tables_before_the_split(con)
        _seed(con)
        con.executemany(
            "insert into quality.file_manifest (source_file, file_sha256, unit_code, unit_kind, period, datasets, "
            "rows_read, rows_loaded, rows_rejected, rows_skipped, status, is_current, message_vi, received_at, "
            "ingested_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())",
            MANIFEST_ROWS,
        )
        con.executemany(
            f"insert into raw.persons (source_file, file_sha256, unit_code, unit_kind, source_row, "
            f"{', '.join(PERSON_FIELDS)}, sheet_name, period, ingested_at) "
            f"values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'DS', '{PERIOD}', now())",
            RAW_PERSONS,
        )
        con.executemany(f"insert into quality.ingest_row_issues values ({', '.join('?' * 14)})", ROW_ISSUES)
        con.execute("insert into quality.row_issues select * from quality.ingest_row_issues")
        con.execute("create schema if not exists marts")
        con.execute(
            """
            create table marts.person_source_records as
            select source_file, sheet_name, source_row, unit_code, period,
                'pk-' || cast(dense_rank() over (order by full_name) as varchar) as person_key,
                case sex when 'Nam' then 'M' when 'Nữ' then 'F' end as sex_code,
                try_cast(birth_date as integer) as birth_year,
                case qualification when 'Tiến sĩ' then 'TS' when 'TS' then 'TS' when 'Thạc sĩ' then 'THS'
                    when 'ThS' then 'THS' when 'Đại học' then 'DH' end as qualification_code,
                case ethnicity when 'Kinh' then '01' when 'Tày' then '02' end as ethnicity_code,
                null::varchar as academic_title_code, null::varchar as residence_ward_code,
                null::varchar as science_field_code, null::varchar as occupation_code,
                null::varchar as employer_type_code, 'ACTIVE' as status_code
            from raw.persons
            """
        )
        con.execute(
            """
            create table marts.dim_person as
            select person_key, any_value(sex_code) as sex_code, any_value(birth_year) as birth_year,
                '45-59' as age_group, any_value(ethnicity_code) as ethnicity_code,
                any_value(qualification_code) as qualification_code, null::varchar as academic_title_code,
                null::varchar as science_field_code, null::varchar as occupation_code,
                'GOV' as sector_code, 'CQNN' as employer_type_code, null::varchar as residence_ward_code,
                'ACTIVE' as status_code, count(*) as source_count,
                min(period) as first_period, max(period) as last_period
            from marts.person_source_records group by person_key
            """
        )
        con.execute(
            """
            create table marts.indicator_catalog as
            select * from (values ('A1', 'per 10,000 population'), ('A2', '%/year'), ('A4', '%'), ('B6', 'ratio'))
                as t(indicator_code, unit)
            """
        )
        con.execute(
            f"""
            create table marts.indicator_values as
            select indicator_code, period, geo_level, geo_code, numerator::double as numerator,
                denominator::double as denominator, value::double as value, completeness::double as completeness
            from (values
                ('A1', '{PERIOD}', 'city', '75', 120.0, 100000.0, 12.0, 0.8),
                ('A2', '{PERIOD}', 'city', '75', 3.0, 4.0, -25.0, 0.8),
                ('A4', '{PERIOD}', 'city', '75', 3.0, 4.0, 75.0, 0.8),
                ('B6', '{PERIOD}', 'city', '75', 3.0, 4.0, 0.75, 0.8)
            ) as t(indicator_code, period, geo_level, geo_code, numerator, denominator, value, completeness)
            """
        )
        con.execute("alter table marts.indicator_values add column status varchar default 'no_target'")
    finally:
        con.close()
    # raw.persons was made whole, as warehouses were before the two stores: the loader's own upgrade moves its
    # personal fields to the restricted store beside it (restricted/restricted.duckdb), as it does on a real one.
    with open_warehouse(path) as con:
        ingest_load.ensure_tables(con)
    return path


def copy_warehouse(source: Path, dest: Path) -> Path:
    """A copy of a warehouse with its restricted store (the folder restricted/ beside it)."""
    shutil.copy(source, dest)
    store = source.parent / "restricted"
    if store.exists():
        shutil.copytree(store, dest.parent / "restricted", dirs_exist_ok=True)
    return dest


def build_scorecard(path: Path, root: Path) -> Path:
    """quality.unit_scorecard built in the warehouse at ``path`` by the real dbt model (dbt run -s unit_scorecard);
    dbt's target and logs under ``root``."""
    ensure_restricted_store(restricted_path(path))
    dbt = dbt_executable()
    env = {**os.environ, "TRITHUC_WAREHOUSE": str(path), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    proc = subprocess.run(
        [dbt, "build", "--profiles-dir", ".", "-s", "reporting_halves", "int_unit_datasets_expected",
         "path:models/staging", "unit_scorecard", "--exclude-resource-type", "test", "unit_test",
         "--target-path", str(root / "target"), "--log-path", str(root / "logs")],
        cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:]
    return path
