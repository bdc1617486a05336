"""The whole pipeline through Dagster on small generated submissions (broken files included): landing zone ->
raw -> dbt (encode, resolve, marts) -> quality checks and reports -> indicator exports and report -> national
package. Then a second run on the same files changes nothing."""

from __future__ import annotations

import json
import re

import dagster as dg
import duckdb
import pytest

from orchestration.publish.national.verify import verify_package

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("pipeline")]

PII_PATTERNS = {
    "cccd": re.compile(r"^\d{12}$"),
    "email": re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"),
    "phone": re.compile(r"^(\+84|0)\d{9,10}$"),
}


@pytest.fixture(scope="module")
def pipeline(sample_submissions, tmp_path_factory):
    import os
    import shutil

    landing_src, truth = sample_submissions
    root = tmp_path_factory.mktemp("pipeline")
    landing = root / "landing"
    shutil.copytree(landing_src, landing)
    env = {
        "TRITHUC_WAREHOUSE": str(root / "trithuc.duckdb"),
        "TRITHUC_LANDING": str(landing),
    }
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    from orchestration.definitions import defs
    from orchestration.setup_home import prepare_dbt_manifest

    prepare_dbt_manifest()
    job = defs().resolve_job_def("everything")
    with dg.instance_for_test() as instance:
        first = job.execute_in_process(instance=instance, raise_on_error=False)
        yield {"root": root, "truth": truth, "first": first, "job": job, "instance": instance}
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def _con(root):
    return duckdb.connect(str(root / "trithuc.duckdb"), read_only=True)


def test_the_run_succeeds_and_fills_the_published_tables(pipeline):
    assert pipeline["first"].success
    with _con(pipeline["root"]) as con:
        for table in (
            "marts.dim_person",
            "marts.person_source_records",
            "marts.person_status_history",
            "marts.indicator_catalog",
            "marts.indicator_values",
            "pii.persons",
            "quality.row_issues",
            "quality.unit_scorecard",
            "quality.validation_results",
        ):
            assert con.execute(f"select count(*) from {table}").fetchone()[0] > 0, table
        # every accepted person row is traced to a person
        raw = con.execute("select count(*) from raw.persons").fetchone()[0]
        traced = con.execute("select count(*) from marts.person_source_records").fetchone()[0]
        assert traced == raw


def test_no_personal_data_outside_pii(pipeline):
    with _con(pipeline["root"]) as con:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_schema in ('marts', 'quality', 'reference', 'intermediate', 'staging') "
            "and data_type = 'VARCHAR'"
        ).fetchall()
        for schema, table, column in columns:
            values = [
                r[0]
                for r in con.execute(
                    f'select distinct "{column}" from {schema}."{table}" where "{column}" is not null limit 5000'
                ).fetchall()
            ]
            for kind, pattern in PII_PATTERNS.items():
                hits = [v for v in values if pattern.match(v.strip())]
                assert not hits, f"{kind} in {schema}.{table}.{column}: {hits[:3]}"
        names = {r[0] for r in con.execute("select full_name from pii.persons where full_name is not null").fetchall()}
        for schema, table, column in columns:
            if schema == "reference":
                continue
            clash = con.execute(
                f'select count(*) from {schema}."{table}" where "{column}" in (select unnest(?))', [sorted(names)]
            ).fetchone()[0]
            assert clash == 0, f"person names in {schema}.{table}.{column}"


def test_reports_exports_and_national_package_are_in_place(pipeline):
    root = pipeline["root"]
    assert (root / "reports" / "quality" / "index.html").exists()
    assert (root / "reports" / "data_docs" / "site" / "index.html").exists()
    assert list((root / "reports" / "feedback").rglob("*.xlsx"))
    for period in ("2025-H2", "2026-H1", "2026-H2"):
        assert (root / "reports" / "indicators" / f"{period}.html").exists(), period
        exported = {p.suffix for p in (root / "exports" / period).iterdir()}
        assert {".parquet", ".csv", ".xlsx"} <= exported, period
    packages = sorted(p for p in (root / "outbox" / "national").iterdir() if re.fullmatch(r"\d{6}", p.name))
    assert packages, "a first national package is released"
    import os

    verdict = verify_package(packages[-1], os.environ["TRITHUC_EXCHANGE_KEY"].encode())
    assert verdict.ok, verdict.render()
    manifest = json.loads((packages[-1] / "manifest.json").read_text())
    assert manifest["sequence"] == int(packages[-1].name)


def test_readers_get_a_published_snapshot_without_personal_data(pipeline):
    """After the run, warehouse/published/trithuc.duckdb holds the marts, quality and reference tables for readers,
    and no personal, raw or working table."""
    snapshot = pipeline["root"] / "published" / "trithuc.duckdb"
    assert snapshot.exists()
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        schemas = {r[0] for r in con.execute("select distinct schema_name from duckdb_tables()").fetchall()}
        assert schemas == {"marts", "quality", "reference"}
        assert con.execute("select count(*) from marts.indicator_values").fetchone()[0] > 0
    finally:
        con.close()


def test_a_second_run_on_the_same_files_changes_nothing(pipeline):
    root = pipeline["root"]

    def snapshot():
        with _con(root) as con:
            return {
                t: con.execute(f"select count(*), hash(string_agg(x::varchar, '|' order by x::varchar)) "
                               f"from (select {c} as x from {t})").fetchone()
                for t, c in (
                    ("quality.file_manifest", "source_file || file_sha256 || status"),
                    ("raw.persons", "source_file || source_row"),
                    ("marts.dim_person", "person_key || coalesce(status_code, '')"),
                    ("marts.person_status_history", "person_key || status_code || valid_from_period"),
                )
            }

    before = snapshot()
    packages_before = sorted(p.name for p in (root / "outbox" / "national").iterdir())
    second = pipeline["job"].execute_in_process(instance=pipeline["instance"], raise_on_error=False)
    assert second.success
    assert snapshot() == before
    assert sorted(p.name for p in (root / "outbox" / "national").iterdir()) == packages_before


def test_feedback_workbooks_list_the_planted_problem_rows(pipeline):
    """Every problem the generator planted in a loaded file shows up in its unit's feedback workbook, on the row
    number the unit sees."""
    import pandas as pd
    from python_calamine import CalamineWorkbook

    root, truth = pipeline["root"], pipeline["truth"]
    files = pd.read_csv(truth / "files.csv", dtype=str, keep_default_na=False)
    loaded = files[(files["expected_status"] == "loaded") & (files["in_landing"] == "True")]
    problems = pd.read_csv(truth / "row_problems.csv", dtype=str, keep_default_na=False)
    problems = problems.merge(loaded[["source_file", "unit_code", "period"]], on="source_file")
    problems = problems[problems["problem"].isin(["invalid_cccd", "old_cmnd", "missing_name", "unmapped_value", "bad_date"])]
    assert len(problems) > 20
    missing = []
    for (period, unit), planted in problems.groupby(["period", "unit_code"]):
        book = root / "reports" / "feedback" / period / f"{unit}.xlsx"
        assert book.exists(), book
        rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("Dòng cần sửa").to_python()
        header = [str(c) for c in rows[0]]
        file_col, row_col = header.index("Tệp gốc"), header.index("Dòng")
        listed = {(str(r[file_col]).rsplit("/", 1)[-1], str(r[row_col]).removesuffix(".0")) for r in rows[1:]}
        for p in planted.itertuples():
            if (p.source_file.rsplit("/", 1)[-1], p.source_row) not in listed:
                missing.append((p.source_file, p.source_row, p.field, p.problem))
    assert not missing, f"{len(missing)} planted problems not in the feedback workbooks, e.g. {missing[:5]}"
