"""The plain-DuckDB baseline: baseline_duckdb.sql run on a raw person table, either the loader's raw.persons
(item 1: compared with `dbt build`) or the landing-zone CSV files read here by hand (item 3: compared with the
whole Dagster pipeline)."""

from __future__ import annotations

import codecs
import re
import tempfile
import unicodedata
from pathlib import Path

import duckdb

from ingest.datasets import as_sent_sql
from settings import restricted_path

SQL_FILE = Path(__file__).with_name("baseline_duckdb.sql")
SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
REPEAT_MARKER = "-- repeat"

# The bench template's headers (one layout: a hand-written script knows its input).
HEADERS = {
    "Họ và tên": "full_name", "Ngày sinh": "birth_date", "Giới tính": "sex", "Số CCCD": "cccd", "Dân tộc": "ethnicity",
    "Trình độ chuyên môn": "qualification", "Cơ quan công tác": "employer", "Nơi cư trú": "residence_ward",
    "Số điện thoại": "phone", "Tình trạng": "status",
}
PERSON_COLUMNS = (
    "full_name", "birth_date", "birth_year_male", "birth_year_female", "sex", "cccd", "ethnicity", "qualification",
    "major", "academic_title", "science_field", "employer", "employer_type", "position", "occupation", "role",
    "teaching_level", "faculty", "residence_ward", "residence_district", "phone", "email", "status", "overseas",
    "lhh_member", "trained", "digital_trained", "updated_at", "note",
)


def _statements(key: str) -> list[str]:
    text = SQL_FILE.read_text(encoding="utf-8").replace("{seeds}", str(SEEDS)).replace("{key}", key.replace("'", "''"))
    return [s.strip() for s in re.split(r";\s*\n", text) if s.strip() and not _only_comments(s)]


def _only_comments(stmt: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in stmt.splitlines())


def run_script(con: duckdb.DuckDBPyConnection, key: str) -> dict:
    """Run the script on the table/view raw_persons of ``con``; the propagation step runs to convergence."""
    rounds = 0
    for stmt in _statements(key):
        if stmt.startswith(REPEAT_MARKER):
            while True:
                rounds += 1
                if not con.execute(stmt).fetchone()[0] or rounds >= 50:
                    break
        else:
            con.execute(stmt)
    one = lambda q: con.execute(q).fetchone()[0]  # noqa: E731
    return {
        "rows": one("select count(*) from persons_checked"),
        "persons": one("select count(*) from dim_person"),
        "pairs": one("select count(*) from match_pairs"),
        "cells": one("select count(*) from indicator_cells"),
        "person_periods": one("select count(*) from person_periods"),
        "status_spells": one("select count(*) from status_history"),
        "pii_persons": one("select count(*) from pii_persons"),
        "propagation_rounds": rounds,
    }


def from_raw(raw_db: str, work_db: str, key: str) -> dict:
    """Item 1: the script on the loader's raw.persons (attached read-only)."""
    with duckdb.connect(work_db) as con:
        con.execute("set enable_progress_bar = false")
        con.execute("set preserve_insertion_order = false")  # as the dbt profile
        con.execute(f"attach '{raw_db}' as src (read_only)")
        # the personal fields live in the restricted store beside it (attached as pii): the same join dbt makes
        con.execute(f"attach '{restricted_path(Path(raw_db))}' as pii (read_only)")
        con.execute(f"create or replace view raw_persons as {as_sent_sql('persons', database='src')}")
        return run_script(con, key)


def _utf8_or_copy(path: Path, tmp: Path) -> tuple[str, str, bool]:
    """(file DuckDB can read, delimiter, re-encoded?): UTF-16 and Windows-1258 files are re-encoded to UTF-8."""
    data = path.read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, sep = data.decode("utf-16"), "\t"
    else:
        try:
            data.decode("utf-8")
            return str(path), ",", False
        except UnicodeDecodeError:
            text, sep = data.decode("cp1258"), ","
    out = tmp / f"{len(list(tmp.iterdir())):06d}.csv"
    out.write_text(unicodedata.normalize("NFC", text), encoding="utf-8")  # Windows-1258 uses combining marks
    return str(out), sep, True


def from_files(landing: str, work_db: str, key: str) -> dict:
    """Item 3 (a): read every CSV of the landing zone (UTF-8 as is; UTF-16 and Windows-1258 re-encoded to UTF-8
    first), map the template headers, take unit/period from the path, then run the script."""
    root = Path(landing)
    with tempfile.TemporaryDirectory() as tmp, duckdb.connect(work_db) as con:
        con.execute("set enable_progress_bar = false")
        con.execute("set preserve_insertion_order = false")  # as the dbt profile
        groups: dict[str, list[str]] = {",": [], "\t": []}
        renamed = []
        for path in sorted(root.rglob("*.csv")):
            readable, sep, copied = _utf8_or_copy(path, Path(tmp))
            groups[sep].append(readable)
            if copied:
                renamed.append((readable, str(path)))
        con.execute("create table renamed (tmp varchar, source varchar)")
        if renamed:
            con.executemany("insert into renamed values (?, ?)", renamed)
        selects = []
        for sep, files in groups.items():
            if not files:
                continue
            cols = ", ".join(f'"{h}" as {c}' for h, c in HEADERS.items())
            selects.append(
                f"select {cols}, filename, STT from read_csv({files!r}, delim={sep!r}, header=true, all_varchar=true, "
                "filename=true, union_by_name=true)"
            )
        missing = ", ".join(f"null::varchar as {c}" for c in PERSON_COLUMNS if c not in HEADERS.values())
        con.execute(
            f"""
            create table raw_persons as
            with rows as ({' union all '.join(selects)}),
            located as (
                select rows.*, coalesce(renamed.source, rows.filename) as path
                from rows left join renamed on renamed.tmp = rows.filename
            )
            select *, {missing},
                regexp_extract(path, '(\\d{{4}}-H[12]/.*)$', 1) as source_file, '' as sheet_name,
                try_cast(STT as integer) + 1 as source_row,
                regexp_extract(path, '/(ward|department|university)/([^/]+)/', 2) as unit_code,
                regexp_extract(path, '/(ward|department|university)/', 1) as unit_kind,
                regexp_extract(path, '/(\\d{{4}}-H[12])/', 1) as period
            from located
            where nullif(trim(full_name), '') is not null
            """
        )
        read = con.execute("select count(*) from raw_persons").fetchone()[0]
        out = run_script(con, key)
        out["rows_read"] = read
        return out
