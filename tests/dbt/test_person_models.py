"""dbt build of the person models on a tiny hand-made raw dataset (tests/dbt/sample_persons.py)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import shutil
import stat
from pathlib import Path

import pytest
from raw_warehouse import create_raw_warehouse, run_dbt
from sample_persons import PERSONS

from ingest.connect import open_warehouse
from settings import restricted_path

SELECTOR = "+models/marts/core +models/pii +row_issues +unmapped_values +match_review assert_no_personal_data_outside_pii"
PII_PATTERN = re.compile(r"^(\d{9}|\d{12}|(\+?84|0)\d{9,10}|[^@\s]+@[^@\s]+\.[a-zA-Z]{2,})$")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("dbt_persons")
    warehouse = tmp / "wh.duckdb"
    create_raw_warehouse(warehouse, PERSONS)
    result = run_dbt(warehouse, "build", "--select", *SELECTOR.split(), target_dir=tmp / "target")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return warehouse


def _rows(warehouse: Path, sql: str) -> list[tuple]:
    con = open_warehouse(Path(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_every_input_row_is_a_source_record(built: Path) -> None:
    assert _rows(built, "select count(*) from marts.person_source_records")[0][0] == len(PERSONS)


def test_identity_resolution(built: Path) -> None:
    groups = dict(
        _rows(
            built,
            "select source_file || '#' || source_row, person_key from marts.person_source_records",
        )
    )
    an = {groups["2025-H2/ward/26068/danh_sach.xlsx#6"], groups["2026-H1/ward/26068/danh_sach.xlsx#7"],
          groups["2026-H1/university/DNU/danh_sach.xlsx#5"]}
    binh = {groups["2025-H2/ward/26446/danh_sach.xlsx#8"], groups["2026-H1/ward/26446/danh_sach.xlsx#9"]}
    other_binh = groups["2026-H1/ward/26446/danh_sach.xlsx#10"]
    assert len(an) == 1 and len(binh) == 1
    assert other_binh not in binh
    assert _rows(built, "select count(*) from marts.dim_person")[0][0] == 5
    assert all(re.fullmatch(r"[0-9a-f]{64}", k) for k in groups.values())


def test_codes_of_the_published_person(built: Path) -> None:
    row = _rows(
        built,
        """select d.qualification_code, d.academic_title_code, d.science_field_code, d.residence_ward_code,
                  d.sex_code, d.birth_year, d.age_group, d.sector_code, d.status_code, d.source_count
           from marts.dim_person d join pii.persons p using (person_key) where p.cccd = '075085000123'""",
    )
    assert row == [("TS", "PGS", "101", "26068", "M", 1985, "30-44", "HES", "ACTIVE", 3)]
    binh = _rows(
        built,
        """select d.qualification_code, d.residence_ward_code, d.sex_code, d.ethnicity_code, d.is_ethnic_minority
           from marts.dim_person d join pii.persons p using (person_key) where p.full_name = 'Trần Thị Bình'
           and d.birth_year = 1990""",
    )
    # Xuân Thọ (old Xuân Lộc district) -> Xã Xuân Lộc; Khơ-me -> code_1979 05
    assert binh == [("CK2", "26425", "F", "05", True)]


def test_status_history_spells(built: Path) -> None:
    spells = _rows(
        built,
        """select h.status_code, h.valid_from_period, h.valid_to_period, h.is_current
           from marts.person_status_history h join pii.persons p using (person_key)
           where p.full_name = 'Lê Văn Cường' order by h.valid_from_period""",
    )
    assert spells == [("ACTIVE", "2025-H2", "2025-H2", False), ("RETIRED", "2026-H1", "2026-H1", True)]


def test_quality_tables_explain_problems(built: Path) -> None:
    issues = {(c, i) for c, i in _rows(built, "select column_name, issue_code from quality.row_issues")}
    assert {("cccd", "cccd_sex_mismatch"), ("cccd", "cccd_is_old_cmnd"), ("residence_ward", "ward_ambiguous"),
            ("ethnicity", "unmapped_value"), ("teaching_level", "unmapped_value"),
            ("birth_date", "birth_year_implausible"), ("cccd", "cccd_leading_zero_restored")} <= issues
    unmapped = _rows(built, "select code_list, raw_value, row_count, example_source_row from quality.unmapped_values "
                            "order by code_list")
    assert unmapped == [("ethnicity", "Người Sao Hỏa", 1, 5), ("teaching_level", "lớp lá", 1, 5)]


def test_roles_and_fuzzy_values(built: Path) -> None:
    roles = dict(_rows(built, "select source_file || '#' || source_row, role_code || '/' || coalesce(role_source, '') "
                              "from marts.person_source_records where role_code is not null"))
    assert roles == {
        "2026-H1/university/DNU/danh_sach.xlsx#5": "LECTURER/given",
        "2026-H1/department/SGDDT/danh_sach.xlsx#3": "TEACHER/given",
        # the degree names the profession ('Bác sĩ chuyên khoa II', 'BS.CKII'): more specific than the unit's
        # default (SYT reports doctors) and read before the specialist level it also states
        "2026-H1/department/SYT/danh_sach.xlsx#4": "DOCTOR/inferred:qualification_profession",
        "2025-H2/department/SYT/danh_sach.xlsx#5": "DOCTOR/inferred:qualification_profession",
        "2025-H2/ward/26446/danh_sach.xlsx#8": "DOCTOR/inferred:qualification_profession",
        "2026-H1/ward/26446/danh_sach.xlsx#9": "DOCTOR/inferred:qualification_profession",
    }
    fuzzy = _rows(built, "select column_name, raw_value, source_row, message_en from quality.row_issues "
                         "where issue_code = 'fuzzy_mapped'")
    assert [f[:3] for f in fuzzy] == [("ethnicity", "Kinhh", 3)] and "code 01" in fuzzy[0][3]
    assert _rows(built, "select ethnicity_code from marts.person_source_records where unit_code = 'SGDDT'") == [("01",)]


def test_no_personal_data_outside_pii(built: Path) -> None:
    """The analytics file holds no personal value, raw tables included: every one is in the restricted store, a
    DuckDB file of its own (mode 0600 in a folder of mode 0700)."""
    store = restricted_path(built)
    assert stat.S_IMODE(store.stat().st_mode) == 0o600 and stat.S_IMODE(store.parent.stat().st_mode) == 0o700
    con = open_warehouse(Path(built), read_only=True)
    try:
        cols = con.execute(
            "select c.table_schema, c.table_name, c.column_name from information_schema.columns c "
            "join information_schema.tables t using (table_catalog, table_schema, table_name) "
            "where c.table_catalog = current_database() and c.data_type = 'VARCHAR'"
        ).fetchall()  # tables and views (the person marts are views over intermediate tables)
        assert {s for s, _, _ in cols} >= {"raw", "marts", "quality"}
        assert "full_name" not in {c for _, t, c in cols if t == "persons"}
        names = {r[0] for r in con.execute("select full_name from pii.raw_persons").fetchall()}
        assert len(names) > 5
        for schema, table, column in cols:
            values = {v for (v,) in con.execute(f'select distinct "{column}" from "{schema}"."{table}"').fetchall() if v}
            assert not any(PII_PATTERN.match(v.strip()) for v in values), (schema, table, column)
            assert not (values & names), (schema, table, column)
    finally:
        con.close()


def test_the_privacy_test_finds_a_leak_in_any_table(built: Path, tmp_path: Path) -> None:
    """dbt's assert_no_personal_data_outside_pii fails on personal data in a non-pii table: a phone, a padded
    CCCD, an e-mail, an ID or phone inside a message, a person's name inside a note; and it runs after the last
    models of a build (it checked the previous build's tables)."""
    leaky = tmp_path / "leaky.duckdb"
    leaky.write_bytes(built.read_bytes())
    shutil.copytree(restricted_path(built).parent, restricted_path(leaky).parent)
    con = open_warehouse(Path(leaky))
    # a raw table is scanned too: an ID typed into the employer column
    con.execute("update raw.persons set employer = 'Trường THCS X (CCCD 075085000123)' "
                "where rowid = (select min(rowid) from raw.persons)")
    con.execute(
        "create table quality.leak as select * from (values ('0912345678', 'ok', 'x'), "
        "('ok', '   075085000123      ', 'x'), ('ok', 'ok', 'someone@example.vn'), "
        # a run id or a path holding one is no leak, though the UUID's last group is all digits (once in 280);
        # an ID beside a UUID still is
        "('8ddde33e-e7ee-4a52-948e-162448794426', 'validations/x/0b0c0d0e-0f10-4a52-948e-091234567890/a.html', "
        "'run 8ddde33e-e7ee-4a52-948e-162448794426: CCCD 075085000124')) as t(a, b, c)"
    )
    # hidden inside longer texts: an ID and a phone in a message, a person's name (any case, no punctuation) in a
    # note; a digit run inside a hash is no ID, and a name-like text of nobody in pii.persons is no leak
    name = con.execute(
        "select full_name from pii.raw_persons where full_name like '% % %' order by 1 limit 1"
    ).fetchone()[0]
    con.execute(
        "create table marts.leak_in_text as select * from (values "
        "('Dòng 12: CCCD 075085000123 không hợp lệ', 'ok'), ('gọi (+84)912345678 để hỏi', 'ok'), "
        "('ok', 'Ghi chú: ông ' || upper(?) || ', đã nghỉ hưu.'), "
        "('ab123456789cdef0123456789abcdef', 'Trường THPT Nguyễn Trãi')) as t(message, note)",
        [name],
    )
    con.close()
    result = run_dbt(leaky, "test", "--select", "assert_no_personal_data_outside_pii", target_dir=tmp_path / "t")
    assert result.returncode != 0, result.stdout[-3000:]
    failed = open_warehouse(Path(leaky), read_only=True)
    try:
        sql = (tmp_path / "t" / "compiled" / "trithuc" / "tests" / "assert_no_personal_data_outside_pii.sql").read_text()
        found = {(t, c, n) for t, c, n in failed.execute(sql).fetchall()}
    finally:
        failed.close()
    assert found == {
        ("quality.leak", "a", 1), ("quality.leak", "b", 1), ("quality.leak", "c", 2),
        ("marts.leak_in_text", "message", 2),
        ("marts.leak_in_text", "note: the name of a person in the restricted store", 1),
        ("raw.persons", "employer", 1),
    }

    manifest = json.loads((tmp_path / "t" / "manifest.json").read_text())
    parents = manifest["nodes"]["test.trithuc.assert_no_personal_data_outside_pii"]["depends_on"]["nodes"]
    assert "model.trithuc.indicator_values" in parents and "model.trithuc.persons" in parents


def test_the_privacy_test_refuses_a_view_outside_pii_that_reads_pii(built: Path, tmp_path: Path) -> None:
    """Views are not scanned for data; a view outside pii that reads a pii relation fails the test instead."""
    import shutil
    import subprocess

    from raw_warehouse import DBT_BIN, DBT_PROJECT_DIR

    project = tmp_path / "project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    (project / "models" / "marts" / "leaky_view.sql").write_text(
        "{{ config(materialized='view') }}\nselect person_key, full_name from {{ ref('persons') }}\n"
    )
    env = {**os.environ, "TRITHUC_WAREHOUSE": str(built), "TRITHUC_PSEUDO_KEY": "test-key",
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    out = subprocess.run(
        [str(DBT_BIN), "compile", "--select", "assert_no_personal_data_outside_pii", "--project-dir", str(project),
         "--profiles-dir", str(project), "--target-path", str(tmp_path / "t")],
        env=env, capture_output=True, text=True, check=False,
    )
    assert out.returncode == 0, out.stdout[-3000:]
    sql = (tmp_path / "t" / "compiled" / "trithuc" / "tests" / "assert_no_personal_data_outside_pii.sql").read_text()
    assert "select 'marts.leaky_view', 'a view reading pii.persons', 1" in sql


def test_person_key_is_hmac_of_the_identity(built: Path, tmp_path: Path) -> None:
    """Stable across runs (a pure function of key + identity), keyed, and refused without a key."""
    keys = {k for (k,) in _rows(built, "select person_key from pii.persons where cccd = '075085000123'")}
    expected = hmac.new(b"test-key", b"cccd:075085000123", hashlib.sha256).hexdigest()
    assert keys == {expected}
    missing = run_dbt(built, "run", "--select", "int_person_keys", key=None, target_dir=tmp_path / "t")
    assert missing.returncode != 0
    assert "TRITHUC_PSEUDO_KEY" in missing.stdout
