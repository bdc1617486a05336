"""Pre-filled templates end to end (issue #19), on the generated sample submissions: load them, dbt build, one
template per unit (private files, the unit's last list in its order, drop-downs holding the code lists), each one
opened by LibreOffice; then a clerk's edits (three people changed, two added, one given a departure status, one
deleted without one), saved by LibreOffice, landed and built again: every row accounted for, no unmapped value,
the departure recorded, the deletion flagged, and the feedback workbook, the quality page, the next templates,
the CLI and the privacy scan all agree."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import dagster as dg
import duckdb
import fastexcel
import pytest

from ingest.connect import open_warehouse
from ingest.datasets import as_sent_sql
from ingest.load import load_landing
from ingest.template_returns import MARKER_SHEET
from orchestration.setup_home import dbt_executable
from publish.templates.build import INDEX_NAME, build_templates, units_owing_lists
from publish.templates.code_lists import CodeList, load_code_lists
from publish.templates.layout import CODES_SHEET, DATA_SHEET, HEADER_ROW, LISTS_SHEET
from publish.templates.workbook import _code_of
from settings import DBT_PROJECT_DIR
from tests.template_fixtures import (
    NEW_PEOPLE,
    NEXT,
    NOW,
    PERIOD,
    TODAY,
    clerk_edits,
    edit_template,
    marker,
    q,
    sheet_rows,
)

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("templates")]
openpyxl = pytest.importorskip("openpyxl")

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def soffice() -> str:
    """LibreOffice's binary, or skip (fail under TRITHUC_REQUIRE_BROWSER=1, as CI sets) naming how to get it."""
    found = shutil.which("soffice")
    if found:
        return found
    reason = "LibreOffice not found: apt-get install libreoffice-calc-nogui (.ci/run does)"
    if os.environ.get("TRITHUC_REQUIRE_BROWSER") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def libreoffice_save(files: list[Path], out: Path) -> list[Path]:
    """Open each workbook in LibreOffice Calc (headless) and save it again as .xlsx, as a clerk's program does.
    LibreOffice asks nothing when a file opens cleanly; a file it would have to repair fails to convert."""
    out.mkdir(parents=True, exist_ok=True)
    profile = out / ".lo-profile"  # a profile of its own: parallel test processes do not share one
    proc = subprocess.run(
        [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), *map(str, files)],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    saved = [out / f.name for f in files]
    missing = [p.name for p in saved if not p.exists()]
    assert not missing, (missing[:5], proc.stdout[-2000:], proc.stderr[-2000:])
    assert not re.search(r"(?i)error|repair|corrupt", proc.stderr.replace("javaldx", "")), proc.stderr[-2000:]
    return saved


def _dbt_build(warehouse: Path, root: Path) -> None:
    dbt = dbt_executable()
    env = {**os.environ, "TRITHUC_WAREHOUSE": str(warehouse), "TRITHUC_TODAY": TODAY,
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}  # fmt: skip
    proc = subprocess.run(
        [dbt, "build", "--profiles-dir", ".", "--target-path", str(root / "target"), "--log-path", str(root / "logs")],
        cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-4000:]


@pytest.fixture(scope="module")
def today():
    old = os.environ.get("TRITHUC_TODAY")
    os.environ["TRITHUC_TODAY"] = TODAY
    yield TODAY
    if old is None:
        os.environ.pop("TRITHUC_TODAY", None)
    else:
        os.environ["TRITHUC_TODAY"] = old


@pytest.fixture(scope="module")
def built(sample_submissions, tmp_path_factory, today) -> dict:
    """The samples landed and built by dbt, then every unit's template for 2027-H1."""
    root = tmp_path_factory.mktemp("templates")
    landing, warehouse = root / "landing", root / "trithuc.duckdb"
    shutil.copytree(sample_submissions[0], landing)
    load_landing(landing, warehouse, now=NOW)
    _dbt_build(warehouse, root)
    build = build_templates(warehouse)
    return {"root": root, "landing": landing, "warehouse": warehouse, "build": build}


def test_every_unit_owing_a_list_gets_a_private_template(built):
    build, warehouse = built["build"], built["warehouse"]
    assert build.period == PERIOD and build.base_period == "2026-H2"
    folder = warehouse.parent / "reports" / "templates" / PERIOD
    owing = {u.code for u in units_owing_lists()}
    written = {p.stem for p in folder.glob("*.xlsx")}
    assert owing <= written and written == {t.unit_code for t in build.templates}
    for p in (folder.parent, folder):
        assert stat.S_IMODE(p.stat().st_mode) == 0o700, p
    for p in [*folder.glob("*.xlsx"), folder / INDEX_NAME]:
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
    # a second build with nothing new rewrites nothing
    assert build_templates(warehouse).rewritten == []


def test_prefilled_rows_are_the_units_last_list_in_its_own_order(built):
    warehouse = built["warehouse"]
    biggest = max(built["build"].templates, key=lambda t: t.prefilled)
    sent = q(
        warehouse,
        f"""
        select r.full_name, r.source_row, s.status_code from ({as_sent_sql("persons")}) as r
        join marts.person_source_records as s using (source_file, file_sha256, sheet_name, source_row)
        join quality.file_manifest as m using (source_file, file_sha256)
        where r.unit_code = ? and r.period = ? and m.is_current
        order by m.received_at, r.source_file, r.source_row
        """,
        [biggest.unit_code, biggest.base_period],
    )
    kept = [name.strip() for name, _, status in sent if status not in ("DECEASED", "MOVED_AWAY")]
    rows = sheet_rows(biggest.path, DATA_SHEET)
    header = rows[HEADER_ROW - 1]
    names = [r[header.index("Họ và tên")] for r in rows[HEADER_ROW:] if r[header.index("Họ và tên")]]
    assert names == kept and len(kept) == biggest.prefilled > 5
    assert [r[0] for r in rows[HEADER_ROW : HEADER_ROW + len(kept)]] == list(range(1, len(kept) + 1))  # STT
    # coded values are shown by their code list's names: no 'nam' or 'Việt' left
    assert {r[header.index("Giới tính")] for r in rows[HEADER_ROW : HEADER_ROW + len(kept)]} <= {
        "Nam",
        "Nữ",
        "",
    }
    pairs, keyed = marker(biggest.path)
    assert (pairs["unit_code"], pairs["period"], pairs["base_period"]) == (
        biggest.unit_code,
        PERIOD,
        "2026-H2",
    )
    assert len(keyed) == len(kept) and [int(r) for _, _, r, _ in keyed] == list(
        range(HEADER_ROW + 1, HEADER_ROW + 1 + len(kept))
    )
    # each pre-filled row's status code, as the loader checks a change of status against it
    carried = [status or "" for _, _, status in sent if status not in ("DECEASED", "MOVED_AWAY")]
    assert [code for _, _, _, code in keyed] == carried


def test_drop_downs_hold_the_code_lists(built):
    warehouse = built["warehouse"]
    with open_warehouse(warehouse, read_only=True) as con:
        lists = load_code_lists(con)
    with duckdb.connect() as own:  # not the module's shared default connection another test may have left busy
        seeds = own.execute(
            f"select name_vi from read_csv('{DBT_PROJECT_DIR}/seeds/codes/ethnic_groups.csv', all_varchar = true)"
        ).fetchall()
    assert {n for n, _ in lists["ethnicity"].entries} == {n for (n,) in seeds}
    template = built["build"].templates[0].path
    with zipfile.ZipFile(template) as zf:
        for name in zf.namelist():  # every part well formed: nothing for Excel to repair
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(zf.read(name))
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        names = {d.get("name"): d.text for d in book.iterfind("m:definedNames/m:definedName", NS)}
        sheet = ElementTree.fromstring(zf.read("xl/worksheets/sheet1.xml"))
    validations = sheet.findall("m:dataValidations/m:dataValidation", NS)
    lists_used = {v.findtext("m:formula1", namespaces=NS) for v in validations if v.get("type") == "list"}
    assert lists_used == {f"ten_{c.short}" for c in lists.values()}
    assert any(
        v.get("type") == "custom" and "LEN(" in v.findtext("m:formula1", namespaces=NS) for v in validations
    )
    assert any(v.get("type") == "date" for v in validations)
    code_sheet = sheet_rows(template, LISTS_SHEET)
    for code_list in lists.values():
        ref = names[f"ten_{code_list.short}"]  # 'Danh mục'!$A$2:$A$57
        col, first, last = re.fullmatch(r"'Danh mục'!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)", ref).groups()
        c = ord(col) - ord("A")
        assert [r[c] for r in code_sheet[int(first) - 1 : int(last)]] == code_list.names, code_list.key
        # the formulas' table: the names and, beside them, their codes
        table = names[f"bang_{code_list.short}"]
        assert table == f"'Danh mục'!${col}${first}:${chr(ord(col) + 1)}${last}", table
        assert [r[c + 1] for r in code_sheet[int(first) - 1 : int(last)]] == [k for _, k in code_list.entries]


def test_the_cached_code_lookup_is_the_scan_of_the_list():
    """``_code_of`` (the codes cached on 'Mã') looks names up in a dict built once per list: the same code as a
    scan of the list for the first name equal in any case, for every name of every list (read from the seed files)
    and its variants."""

    def scanned(code_list: CodeList, text: str) -> str:  # the lookup as it was, one scan a cell
        folded = text.casefold()
        return next((code for name, code in code_list.entries if name.casefold() == folded), "?")

    with duckdb.connect() as con:  # no reference schema: every list from its seed file
        lists = load_code_lists(con)
    doubled = CodeList("doubled", "xx", "Doubled", (("Nam", "1"), ("NAM", "2"), ("nam", "3"), ("Nữ", "4")))
    for code_list in [*lists.values(), doubled]:
        assert code_list.entries, code_list.key
        spelt = [(n, n.upper(), n.lower(), n.swapcase(), f" {n}", f"{n}  ", f"x{n}") for n in code_list.names]
        unknown = ("", " ", "?", "không có trong danh mục", "Ｎａｍ", "NAM\u0301")
        for text in [*(v for vs in spelt for v in vs), *unknown]:
            assert _code_of(code_list, text) == scanned(code_list, text), (code_list.key, text)
    assert [_code_of(doubled, t) for t in ("nAm", "NỮ", "Nu")] == ["1", "4", "?"]  # the first of equal names


def test_templates_open_in_libreoffice(built, tmp_path):
    paths = [t.path for t in built["build"].templates]
    saved = libreoffice_save(paths, tmp_path / "saved")
    # LibreOffice computes the array formulas of the hidden codes sheet when it opens the file: its codes are the
    # ones the template wrote as cached values, row for row with the list, '?' for a value outside its list
    biggest = max(built["build"].templates, key=lambda t: t.prefilled)
    ours = sheet_rows(biggest.path, CODES_SHEET)
    theirs = sheet_rows(saved[paths.index(biggest.path)], CODES_SHEET)
    assert ours[HEADER_ROW - 2][:2] == ["Mã: Giới tính", "Mã: Dân tộc"]  # above the array's (hidden) head
    n = HEADER_ROW + biggest.prefilled
    assert theirs[HEADER_ROW:n] == ours[HEADER_ROW:n]
    assert {code for row in ours[HEADER_ROW:n] for code in row[:1]} <= {"M", "F", "?", ""}
    # the list sheet itself holds no formula: all a returned template's loader reads is the list
    with zipfile.ZipFile(biggest.path) as zf:
        assert b"</f>" not in zf.read("xl/worksheets/sheet1.xml")


@pytest.fixture(scope="module")
def returned(built, tmp_path_factory) -> dict:
    """A unit's template filled in as a clerk would (with openpyxl), saved by LibreOffice, landed and built."""
    warehouse, landing = built["warehouse"], built["landing"]
    candidates = []
    for t in built["build"].templates:
        if t.unit_kind != "ward" or t.prefilled < 8:
            continue
        codes = sheet_rows(t.path, CODES_SHEET)[HEADER_ROW : HEADER_ROW + t.prefilled]
        if all(code != "?" for row in codes for code in row):
            candidates.append(t)  # every pre-filled coded value is in its list
    assert candidates, "no ward template with 8 people, all coded values mapped"
    chosen = candidates[0]
    work = tmp_path_factory.mktemp("returned")
    first = HEADER_ROW + 1
    departed = sheet_rows(chosen.path, DATA_SHEET)[first + 2][1]  # the fourth person (column B: the name)

    def edit(sheet, col):
        # three people changed, the fourth deceased, the fifth deleted without a status, two added below the list
        clerk_edits(sheet, col, range(first, first + 5), first + chosen.prefilled - 1)

    edited = edit_template(chosen.path, work / "edited" / "danh sach tri thuc 2027.xlsx", edit)
    [saved] = libreoffice_save([edited], work / "saved")
    target = landing / PERIOD / chosen.unit_kind / chosen.unit_code / saved.name
    target.parent.mkdir(parents=True)
    shutil.copy(saved, target)
    summary = load_landing(landing, warehouse, now=NOW)
    _dbt_build(warehouse, work)
    source = target.relative_to(landing).as_posix()
    return {"template": chosen, "source_file": source, "summary": summary, "departed": departed}


def test_a_filled_template_loads_with_every_row_accounted_for(built, returned):
    warehouse, chosen, source = built["warehouse"], returned["template"], returned["source_file"]
    [outcome] = [f for f in returned["summary"].files if f.source_file == source]
    assert outcome.status == "loaded", outcome.message_en
    read, loaded, rejected, skipped = q(
        warehouse,
        "select rows_read, rows_loaded, rows_rejected, rows_skipped from quality.file_manifest where source_file = ?",
        [source],
    )[0]
    assert read == loaded + rejected + skipped and loaded == chosen.prefilled + 1  # -1 deleted, +2 new
    statuses = dict(q(
        warehouse, "select template_status, count(*) from quality.template_rows where source_file = ? group by 1",
        [source],
    ))  # fmt: skip
    assert statuses == {
        "confirmed": chosen.prefilled - 5, "edited": 3, "removed": 1, "new": 2, "removed_without_status": 1,
    }  # fmt: skip
    issues = q(
        warehouse, "select issue_code, severity from quality.row_issues where source_file = ?", [source]
    )
    assert ("template_row_removed", "warning") in issues
    assert not [i for i in issues if i[0] in ("unmapped_value", "fuzzy_mapped", "missing_key")], issues
    assert not q(
        warehouse,
        "select * from quality.unmapped_values where example_source_file = ?",
        [source],
    )
    # the departure is recorded as such; the people added are people
    status = q(
        warehouse,
        f"""
        select s.status_code from marts.person_source_records as s
        join ({as_sent_sql("persons")}) as r using (source_file, file_sha256, sheet_name, source_row)
        where s.source_file = ? and r.full_name = ?
        """,
        [source, returned["departed"]],
    )
    assert status == [("DECEASED",)]
    codes = q(
        warehouse,
        f"""
        select s.sex_code, s.qualification_code, s.science_field_code, s.status_code, s.cccd_status
        from marts.person_source_records as s
        join ({as_sent_sql("persons")}) as r using (source_file, file_sha256, sheet_name, source_row)
        where s.source_file = ? and r.full_name in (?, ?) order by r.full_name
        """,
        [source, *(name for name, *_ in NEW_PEOPLE)],
    )
    assert codes == [("F", "DH", "102", "ACTIVE", "valid"), ("M", "DH", "102", "ACTIVE", "valid")]


def test_feedback_quality_page_and_next_templates_speak_in_template_terms(built, returned):
    from orchestration.defs.resources import WarehouseResource
    from orchestration.defs.templates.assets import report_templates
    from publish.quality.feedback import SUMMARY_SHEET, write_feedback

    warehouse, chosen = built["warehouse"], returned["template"]
    result = dg.materialize(
        [report_templates], resources={"warehouse": WarehouseResource(database=str(warehouse))}
    )
    assert result.success
    [event] = result.get_asset_materialization_events()
    assert event.materialization.metadata["period"].value == NEXT
    # the unit's next template is filled from the list it sent back: minus the deceased, plus the two new people
    nxt = warehouse.parent / "reports" / "templates" / NEXT / f"{chosen.unit_code}.xlsx"
    pairs, keyed = marker(nxt)
    assert pairs["base_period"] == PERIOD and len(keyed) == chosen.prefilled
    names = [r[1] for r in sheet_rows(nxt, DATA_SHEET)[HEADER_ROW:] if r[1]]
    assert {name for name, *_ in NEW_PEOPLE} <= set(names) and returned["departed"] not in names
    # the period's page links the template, the feedback workbook says what became of the rows
    page = (warehouse.parent / "reports" / "quality" / f"{PERIOD}.html").read_text("utf-8")
    assert f"../templates/{NEXT}/{chosen.unit_code}.xlsx" in page and "Mẫu kỳ sau" in page
    written = {w.unit_code: w for w in write_feedback(warehouse, PERIOD)}
    summary = sheet_rows(written[chosen.unit_code].path, SUMMARY_SHEET)
    lines = {r[0]: r[1] for r in summary if r and r[0]}
    assert "1 dòng bị xoá (không ghi tình trạng)" in lines["Mẫu điền sẵn đã gửi lại"]
    assert f"{chosen.prefilled - 5} dòng giữ nguyên (đã xác nhận)" in lines["Mẫu điền sẵn đã gửi lại"]
    assert NEXT in lines["Mẫu cho kỳ sau"]
    rows = sheet_rows(written[chosen.unit_code].path, "Dòng cần sửa")
    assert any("không ghi tình trạng" in str(r[6]) and "Khôi phục dòng" in str(r[7]) for r in rows[1:])


def test_one_unit_on_demand_from_the_command_line(built, returned):
    warehouse, chosen = built["warehouse"], returned["template"]
    env = {**os.environ, "TRITHUC_TODAY": TODAY}
    proc = subprocess.run(
        [sys.executable, "-m", "publish.templates", chosen.unit_code, "--period", PERIOD, "--warehouse", str(warehouse)],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    path = Path(proc.stdout.split(" (")[0])
    assert path == chosen.path and stat.S_IMODE(path.stat().st_mode) == 0o600
    bad = subprocess.run([sys.executable, "-m", "publish.templates", "NOPE", "--warehouse", str(warehouse)],
                         capture_output=True, text=True, env=env, timeout=300)  # fmt: skip
    assert bad.returncode == 2 and "unknown unit" in bad.stderr


def test_the_privacy_scan_skips_the_templates_folder(built, returned):
    from tools.privacy_scan import personal_values, scan, scan_files

    warehouse = built["warehouse"]
    reports = warehouse.parent / "reports"
    _values, hits = scan(warehouse, [reports], skip=[reports / "feedback"])
    assert not [h for h in hits if "/templates/" in h.where], hits[:5]
    # ... and not because there is nothing to find: each template carries its unit's names and CCCDs
    values = personal_values(warehouse.parent / "restricted" / "restricted.duckdb")
    assert list(scan_files(reports / "templates", values))


def test_fastexcel_reads_the_hidden_sheet_of_a_template(built):
    """The loader finds the marker sheet through fastexcel (a very hidden sheet is listed like any other)."""
    assert MARKER_SHEET in fastexcel.read_excel(built["build"].templates[0].path).sheet_names


def test_a_large_build_shared_among_worker_processes_writes_the_same_templates(built, returned, monkeypatch):
    """Above PARALLEL_ROWS rows the templates are written by worker processes: the same rows, keys and digests."""
    from publish.templates import build as build_module

    warehouse = built["warehouse"]
    alone = build_templates(warehouse, "2028-H1", force=True)
    expected = {t.unit_code: marker(t.path)[1] for t in alone.templates}
    monkeypatch.setattr(build_module, "PARALLEL_ROWS", 1)
    shared = build_templates(warehouse, "2028-H1", force=True)
    assert {t.unit_code: marker(t.path)[1] for t in shared.templates} == expected
    assert sum(len(rows) for rows in expected.values()) == sum(t.prefilled for t in shared.templates) > 0
