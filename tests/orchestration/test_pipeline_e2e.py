"""The whole pipeline through Dagster on small generated submissions (broken files included): landing zone ->
raw -> dbt (encode, resolve, marts) -> quality checks and reports -> indicator exports and report -> national
package. Then a second run on the same files changes nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from ingest.connect import open_warehouse
from publish.national.verify import verify_package

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("pipeline")]

PII_PATTERNS = {
    "cccd": re.compile(r"^\d{12}$"),
    "email": re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"),
    "phone": re.compile(r"^(\+84|0)\d{9,10}$"),
}


# A unit's supplement written by hand, the way units write them: every personal field filled, an ID and a phone
# inside the note, an 11-digit CCCD (Excel dropped its 0), an impossible birth date, and a line with two fields too
# many (rejected whole). Each of these values must land in the restricted store and nowhere else.
PLANTED_CSV = """STT,Họ và tên,Ngày sinh,Giới tính,Số CCCD,Số điện thoại,Email,Nơi cư trú,Trình độ chuyên môn,Ghi chú
1,Hoàng Thị Quỳnh Như,14/02/1987,Nữ,075187012345,0987 654 321,quynhnhu.hoang@gmail.com,"Số 45 đường Phạm Văn Thuận, KP 2, phường Trấn Biên",Thạc sĩ,Liên hệ qua 0987654321
2,Trương Công Định,03/09/1979,Nam,075079098765,0913 222 444,dinh.tc@dongnai.gov.vn,"Tổ 5, ấp 3, xã Xuân Lộc",Tiến sĩ,CCCD cũ 075079098765 đã đổi
3,Lý Thanh Tùng,1990,Nam,75190000012,0909 111 222,tung.ly@yahoo.com,phường Biên Hòa,Đại học,
4,Đặng Minh Khôi,31/02/1985,Nam,075085055555,,,,Kỹ sư,
5,Phan Gia Hân,12/12/1992,Nữ,075192066666,0911 333 555,han.phan@gmail.com,phường Long Bình,Thạc sĩ,x,thừa,thừa
"""
PLANTED_NAMES = {"Hoàng Thị Quỳnh Như", "Trương Công Định", "Lý Thanh Tùng", "Đặng Minh Khôi"}


@pytest.fixture(scope="module")
def pipeline(sample_submissions, tmp_path_factory):
    import os
    import shutil

    landing_src, truth = sample_submissions
    root = tmp_path_factory.mktemp("pipeline")
    landing = root / "landing"
    shutil.copytree(landing_src, landing)
    planted = landing / "2026-H1" / "ward" / "26068" / "DS tri thuc bo sung.csv"
    planted.write_text(PLANTED_CSV, encoding="utf-8")
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
    return open_warehouse(Path(root / "trithuc.duckdb"), read_only=True)


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


def test_personal_values_are_in_the_restricted_store_and_nowhere_else(pipeline):
    """Every personal value landed (the sample's and the planted supplement's) is looked for, whole or inside a
    longer text, in the analytics file, the readers' snapshot, the exports, the reports (the units' own feedback
    workbooks aside), the Data Docs, Dagster's storage and this run's dbt target and log: none is found. The
    restricted store and what quotes personal data have restrictive modes."""
    import stat

    from ingest.datasets import as_sent_sql
    from settings import restricted_path
    from tools.privacy_scan import personal_values, scan

    root = pipeline["root"]
    warehouse = root / "trithuc.duckdb"
    with _con(root) as con:
        landed = {r[0] for r in con.execute(f"select full_name from ({as_sent_sql('persons')})").fetchall()}
        raw_columns = {r[0] for r in con.execute(
            "select column_name from information_schema.columns "
            "where table_catalog = current_database() and table_schema = 'raw' and table_name = 'persons'"
        ).fetchall()}
    assert PLANTED_NAMES <= landed
    assert not raw_columns & {"full_name", "cccd", "phone", "email", "birth_date", "residence_ward", "note"}

    store = restricted_path(warehouse)
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.parent.stat().st_mode) == 0o700
    values = personal_values(store)
    assert {"075187012345", "0987654321", "75190000012"} <= values.numbers
    assert "quynhnhu.hoang@gmail.com" in values.emails and "14/02/1987" in values.dates
    assert len(values.names) > 100

    run_id = pipeline["first"].run_id
    dbt_target = Path(__file__).resolve().parents[2] / "dbt_project" / "target"
    run_targets = [p for p in dbt_target.glob(f"*{run_id[:7]}*") if p.is_dir()]
    assert run_targets, "this run's dbt target folder (compiled SQL, run_results.json, dbt.log)"
    folders = [root / "exports", root / "reports", Path(pipeline["instance"].root_directory), *run_targets]
    assert all(f.exists() for f in folders), folders
    _, hits = scan(warehouse, folders, snapshots=[root / "published" / "trithuc.duckdb"],
                   skip=[root / "reports" / "feedback"])
    assert not hits, sorted({(h.where, h.label) for h in hits})[:20]

    feedback = list((root / "reports" / "feedback").rglob("*.xlsx"))
    package_files = [p for p in (root / "outbox" / "national").rglob("*") if p.is_file() and p.suffix == ".jsonl"]
    assert feedback and package_files
    for path in (*feedback, *package_files):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
