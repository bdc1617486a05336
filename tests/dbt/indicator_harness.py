"""Builds a throw-away dbt project and DuckDB warehouse for the indicator models (used by test_indicators*.py).

The project is a copy of dbt_project/ holding only the indicator models, staging, the ward lookup, seeds and macros,
with the three person tables the indicators read (the intermediate models the person marts publish) replaced by
stubs that read fixture tables (schema ``fixture``, named after the marts they mirror): the indicator models are
tested on their own, whatever state the person pipeline is in.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pyarrow as pa

from ingest.connect import ensure_restricted_store, open_warehouse
from ingest.datasets import DATASETS
from ingest.load import ISSUES_DDL, MANIFEST_DDL, append_raw, ensure_tables
from orchestration.setup_home import dbt_executable
from settings import restricted_path

REPO = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO / "dbt_project"
DBT = dbt_executable()  # beside sys.executable, else on PATH

OWN_MODEL_FILES = (
    "models/staging",
    "models/intermediate/admin_units",
    "models/intermediate/registers",
    "models/marts/indicators",
)
# the model each fixture table stands in for (the marts of the same name publish these models as they are)
STUB_MODELS = {
    "dim_person": "int_persons_survived",
    "person_source_records": "int_person_source_records",
    "person_status_history": "int_person_status_spells",
}

PERSON_MART_STUBS = {
    "dim_person": (
        "person_key varchar, sex_code varchar, birth_year integer, age_group varchar, ethnicity_code varchar, "
        "is_ethnic_minority boolean, qualification_code varchar, academic_title_code varchar, "
        "science_field_code varchar, occupation_code varchar, sector_code varchar, employer_type_code varchar, "
        "role_code varchar, residence_ward_code varchar, status_code varchar, is_overseas boolean, "
        "is_lhh_member boolean, source_count integer, first_period varchar, last_period varchar"
    ),
    "person_source_records": (
        "source_file varchar, sheet_name varchar, source_row integer, unit_code varchar, period varchar, "
        "person_key varchar, sex_code varchar, birth_year integer, ethnicity_code varchar, is_ethnic_minority boolean, "
        "qualification_code varchar, academic_title_code varchar, science_field_code varchar, occupation_code varchar, "
        "sector_code varchar, employer_type_code varchar, role_code varchar, residence_ward_code varchar, "
        "status_code varchar, is_overseas boolean, is_lhh_member boolean, teaching_level_code varchar, "
        "is_trained boolean, is_digital_trained boolean"
    ),
    "person_status_history": (
        "person_key varchar, status_code varchar, valid_from_period varchar, valid_to_period varchar, is_current boolean"
    ),
}



def make_project(dest: Path) -> Path:
    """Copy the dbt project to ``dest`` with only the indicator models and stubs of the person tables they read."""
    shutil.copytree(DBT_PROJECT, dest, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages", ".user.yml"))
    models = dest / "models"
    keep = {(dest / rel).resolve() for rel in OWN_MODEL_FILES}
    for path in sorted(models.rglob("*"), reverse=True):
        if path.is_file() and not any(path.resolve() == k or k in path.resolve().parents for k in keep):
            path.unlink()
    stub_dir = models / "intermediate" / "persons_stub"
    stub_dir.mkdir(parents=True, exist_ok=True)
    for fixture, model in STUB_MODELS.items():
        (stub_dir / f"{model}.sql").write_text(f"select * from fixture.{fixture}\n", encoding="utf-8")
    return dest


def make_warehouse(path: Path) -> None:
    """Empty raw.*, quality.* and fixture.* tables with the interface columns."""
    con = open_warehouse(path)  # with the restricted store, made beside it as the loader makes it
    try:
        ensure_tables(con)
        for schema in ("raw", "quality", "fixture"):
            con.execute(f"create schema if not exists {schema}")
        con.execute("drop table if exists quality.file_manifest")
        con.execute("drop table if exists quality.ingest_row_issues")
        con.execute(MANIFEST_DDL)  # the loader's own tables (one definition)
        con.execute(ISSUES_DDL)
        for name, columns in PERSON_MART_STUBS.items():
            con.execute(f"create or replace table fixture.{name} ({columns})")
    finally:
        con.close()


def insert_rows(warehouse: Path, table: str, rows: list[dict]) -> None:
    """Insert dict rows into ``table`` (missing columns stay null)."""
    if not rows:
        return
    con = open_warehouse(warehouse)
    try:
        dataset = table.removeprefix("raw.")
        if table.startswith("raw.") and dataset in DATASETS:  # split as the loader splits them (two stores)
            columns = sorted({c for row in rows for c in row})
            append_raw(con, dataset, pa.table({c: [row.get(c) for row in rows] for c in columns}))
            return
        for row in rows:
            cols = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            con.execute(f"insert into {table} ({cols}) values ({marks})", list(row.values()))
    finally:
        con.close()


def run_dbt(project: Path, warehouse: Path, *args: str) -> subprocess.CompletedProcess[str]:
    ensure_restricted_store(restricted_path(warehouse))
    env = {
        **os.environ,
        "TRITHUC_WAREHOUSE": str(warehouse),
        "TRITHUC_PSEUDO_KEY": "test",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    return subprocess.run(
        [DBT, *args, "--profiles-dir", str(project), "--project-dir", str(project)],
        cwd=project, env=env, capture_output=True, text=True, timeout=900,
    )
