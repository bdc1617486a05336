"""End to end: generated sample files -> loader -> dbt -> encoding accuracy and identity precision/recall vs truth."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from raw_warehouse import run_dbt

pytestmark = pytest.mark.e2e

# published column -> (truth column, gives_<field> flag)
FIELDS: dict[str, tuple[str, str]] = {
    "sex_code": ("sex_code", "gives_sex"),
    "birth_year": ("birth_year", "gives_birth_year"),
    "ethnicity_code": ("ethnicity_code", "gives_ethnicity"),
    "qualification_code": ("qualification_code", "gives_qualification"),
    "academic_title_code": ("academic_title_code", "gives_academic_title"),
    "science_field_code": ("science_field_code", "gives_science_field"),
    "occupation_code": ("occupation_code", "gives_occupation"),
    "sector_code": ("sector_code", "gives_sector"),
    "employer_type_code": ("employer_type_code", "gives_employer_type"),
    "role_code": ("role_code", "gives_role"),
    "teaching_level_code": ("teaching_level", "gives_teaching_level"),
    "residence_ward_code": ("residence_ward_code", "gives_residence_ward"),
    "status_code": ("status_code", "gives_status"),
    "is_overseas": ("is_overseas", "gives_is_overseas"),
    "is_lhh_member": ("is_lhh_member", "gives_is_lhh_member"),
    "is_trained": ("is_trained", "gives_is_trained"),
    "is_digital_trained": ("is_digital_trained", "gives_is_digital_trained"),
}
PII_PATTERN = re.compile(r"^(\d{9}|\d{12}|(\+?84|0)\d{9,10}|[^@\s]+@[^@\s]+\.[a-zA-Z]{2,})$")


def _norm(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    if isinstance(value, str):
        # role and teaching-level codes: the generator writes 'doctor', the warehouse 'DOCTOR'
        return value.upper() or None
    if isinstance(value, bool):
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _pairs(groups: pd.Series) -> int:
    n = groups.value_counts()
    return int((n * (n - 1) // 2).sum())


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    generate = pytest.importorskip("ingest.samples.generate").generate
    load_landing = pytest.importorskip("ingest.load").load_landing
    tmp = tmp_path_factory.mktemp("e2e_persons")
    landing, truth, warehouse = tmp / "landing", tmp / "truth", tmp / "wh.duckdb"
    generate(landing, truth, persons=400)
    load_landing(landing, warehouse)
    selector = ["+models/marts/core", "+models/pii", "+row_issues", "+unmapped_values", "+match_review"]
    result = run_dbt(warehouse, "build", "--select", *selector, target_dir=tmp / "target")
    assert result.returncode == 0, result.stdout[-4000:]
    rows = pd.read_parquet(truth / "person_rows.parquet")
    return warehouse, rows[rows["expected_fate"] != "rejected"] if "expected_fate" in rows else rows


def _joined(warehouse: Path, truth: pd.DataFrame) -> pd.DataFrame:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        published = con.execute("select * from marts.person_source_records").df()
    finally:
        con.close()
    published["source_row"] = published["source_row"].astype("int64")
    truth = truth.assign(source_row=truth["source_row"].astype("int64"), sheet_name=truth["sheet_name"].fillna(""))
    return truth.merge(published, on=["source_file", "sheet_name", "source_row"], suffixes=("_true", ""), how="inner")


def test_every_loaded_truth_row_is_published(pipeline: tuple[Path, pd.DataFrame]) -> None:
    warehouse, truth = pipeline
    joined = _joined(warehouse, truth)
    assert len(joined) >= 0.99 * len(truth)


@pytest.mark.parametrize("column", list(FIELDS))
def test_encoding_accuracy(pipeline: tuple[Path, pd.DataFrame], column: str) -> None:
    warehouse, truth = pipeline
    truth_column, gives = FIELDS[column]
    joined = _joined(warehouse, truth)
    if gives not in joined or truth_column not in joined:
        pytest.skip(f"truth has no {gives}/{truth_column}")
    given = joined[joined[gives].fillna(False).astype(bool)]
    if given.empty:
        pytest.skip(f"no row gives {column}")
    true_col = truth_column + "_true" if truth_column == column else truth_column
    ok = [_norm(a) == _norm(b) for a, b in zip(given[true_col], given[column], strict=True)]
    accuracy = sum(ok) / len(ok)
    wrong = given.loc[[not x for x in ok], [true_col, column]].head(10)
    assert accuracy >= 0.99, f"{column}: {accuracy:.4f} on {len(ok)} rows; e.g.\n{wrong}"


def test_identity_precision_and_recall(pipeline: tuple[Path, pd.DataFrame]) -> None:
    warehouse, truth = pipeline
    joined = _joined(warehouse, truth)
    true_pairs = _pairs(joined["person_id"])
    predicted = _pairs(joined["person_key"])
    both = _pairs(joined["person_id"].astype(str) + "|" + joined["person_key"])
    precision = both / predicted if predicted else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    assert precision >= 0.995 and recall >= 0.98, f"precision {precision:.4f}, recall {recall:.4f}"


def test_no_personal_data_outside_pii(pipeline: tuple[Path, pd.DataFrame]) -> None:
    warehouse, truth = pipeline
    names = set(truth["full_name_true"].dropna()) if "full_name_true" in truth else set()
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cols = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_schema not in ('pii', 'raw') and data_type = 'VARCHAR'"
        ).fetchall()
        for schema, table, column in cols:
            values = {v for (v,) in con.execute(f'select distinct "{column}" from "{schema}"."{table}"').fetchall() if v}
            assert not any(PII_PATTERN.match(v.strip()) for v in values), (schema, table, column)
            assert not (values & names), (schema, table, column)
    finally:
        con.close()
