"""Hostile files never take the pass down or leak what they touch (issue #15, the loader's side).

Every hostile file is built here, in the test (a minimal .xlsx is five zip members): symlinks to files and folders
inside and outside the landing zone, a workbook declaring A1:XFD1048576 with a cell at the far corner (calamine
would ask for 512 GB), zip bombs (honest and lying about their size), a future period, a Word document named
.xlsx, a password-protected workbook, a row of personal data where the header should be. Each is rejected with its
reason, the good file beside it loads, and nothing outside the zone is read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from ingest.connect import open_warehouse
from ingest.datasets import as_sent_sql
from ingest.errors import LimitExceeded, PasswordProtected, UnrecognisedHeader, WrongFileKind
from ingest.limits import check_file, limits_table, sniff_kind
from ingest.load import discover_files, load_landing
from ingest.readers import read_file

ROOT = Path(__file__).resolve().parents[2]
WARD = "2026-H1/ward/26068"
OTHER_WARD = "2026-H1/ward/26041"
NOW = datetime(2026, 5, 1)
GOOD_CSV = "STT,Họ và tên,Năm sinh,Giới tính,Trình độ chuyên môn\n1,Nguyễn Văn An,1980,Nam,Tiến sĩ\n2,Trần Thị Bình,1990,Nữ,ThS\n"


# --- Building files ---------------------------------------------------------------------------------------
def _cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _sheet_xml(rows: list[tuple[int, list[tuple[str, str]]]], dimension: str | None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    body = "".join(
        f'<row r="{r}">' + "".join(_cell(ref, v) for ref, v in cells) + "</row>" for r, cells in rows
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dim}<sheetData>{body}</sheetData></worksheet>"
    )


def _xlsx(path: Path, sheet_xml: str | bytes, level: int = 6, method: int = zipfile.ZIP_DEFLATED) -> Path:
    """A minimal valid workbook: content types, package rels, workbook, its rels, one sheet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", method, compresslevel=level) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        zf.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        zf.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="DS" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        zf.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return path


def _good_rows() -> list[tuple[int, list[tuple[str, str]]]]:
    return [
        (1, [("A1", "STT"), ("B1", "Họ và tên"), ("C1", "Năm sinh"), ("D1", "Giới tính")]),
        (2, [("A2", "1"), ("B2", "Lê Văn Cường"), ("C2", "1975"), ("D2", "Nam")]),
        (3, [("A3", "2"), ("B3", "Phạm Thị Dung"), ("C3", "1988"), ("D3", "Nữ")]),
    ]


def _good_xlsx(path: Path) -> Path:
    return _xlsx(path, _sheet_xml(_good_rows(), "A1:D3"))


def _far_corner_xlsx(path: Path, dimension: str | None) -> Path:
    """The 5.6 KB killer: one cell at A1, one at XFD1048576 (calamine allocates the box between them)."""
    rows = [*_good_rows(), (1048576, [("XFD1048576", "x")])]
    return _xlsx(path, _sheet_xml(rows, dimension))


def _bomb_xlsx(path: Path, rows: int = 200_000) -> Path:
    """A sheet whose XML is very repetitive: a few hundred KB inflating ~100 times."""
    header = _good_rows()[:1]
    row = (
        '<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>1</t></is></c>'
        + '<c t="inlineStr"><is><t>Nguyễn Văn An</t></is></c>' * 4
        + "</row>"
    )
    body = "".join(row.format(r=r) for r in range(2, rows + 2))
    xml = _sheet_xml(header, f"A1:E{rows + 1}").replace("</sheetData>", body + "</sheetData>")
    return _xlsx(path, xml, level=9)


def _lying_xlsx(path: Path) -> Path:
    """A sheet member that declares 20 KB (local header and central directory) but inflates to ~2 MB: the
    declared sizes pass every check; only counting while inflating catches it."""
    _bomb_xlsx(path, rows=15_000)
    return _declared_smaller(path, "xl/worksheets/sheet1.xml")


def _declared_smaller(path: Path, member: str) -> Path:
    """``member`` of the zip at ``path`` made to declare 20 KB, in its local header and its central directory
    entry, whatever it inflates to (over 1 MB)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    assert info.file_size > 1_000_000
    fake = (20_000).to_bytes(4, "little")
    local = info.header_offset
    data[local + 22 : local + 26] = fake  # local header: uncompressed size
    pos = 0
    while True:  # the member's central directory entry
        pos = data.find(b"PK\x01\x02", pos)
        assert pos >= 0
        n = int.from_bytes(data[pos + 28 : pos + 30], "little")
        if bytes(data[pos + 46 : pos + 46 + n]) == name:
            data[pos + 24 : pos + 28] = fake
            break
        pos += 4
    path.write_bytes(bytes(data))
    return path


def _write(root: Path, rel: str, data: bytes | str) -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data.encode() if isinstance(data, str) else data)
    return p


def _q(warehouse: Path, sql: str):
    """raw.persons reads as sent: its personal fields joined from the restricted store."""
    sql = sql.replace("from raw.persons", f"from ({as_sent_sql('persons')})")
    with open_warehouse(Path(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


# --- Resource limits, file by file --------------------------------------------------------------------------
@pytest.mark.parametrize("dimension", ["A1:XFD1048576", "A1:D3", None])
def test_a_sheet_reaching_the_far_corner_is_rejected_before_calamine_sees_it(tmp_path, dimension):
    """Declared (the dimension says so), lying (the dimension says A1:D3) or undeclared: the box is measured
    from the cell references, streamed, and the file rejected without a reader allocating anything."""
    path = _far_corner_xlsx(tmp_path / "far.xlsx", dimension)
    assert path.stat().st_size < 8_000
    with pytest.raises(LimitExceeded) as err:
        read_file(path)
    assert err.value.issue_code == "sheet_too_large"
    assert "XFD1,048,576" in err.value.message_en and "1,000,000" in err.value.message_vi


def test_cells_placed_by_order_are_followed_as_the_reader_would(tmp_path):
    """No ``r`` on the cells: each takes the next column. 16,384 of them in row 1,000,000 under a dimension saying
    A1:D3 (stored, so no size limit trips first) would have calamine allocate 16 G cells."""
    rows = "".join(
        f'<row r="{r}">' + "".join(_cell(ref, v) for ref, v in cells) + "</row>" for r, cells in _good_rows()
    )
    far = '<row r="1000000">' + "<c><v>1</v></c>" * 16_384 + "</row>"
    xml = _sheet_xml([], "A1:D3").replace("<sheetData></sheetData>", f"<sheetData>{rows}{far}</sheetData>")
    path = _xlsx(tmp_path / "order.xlsx", xml, method=zipfile.ZIP_STORED)
    with pytest.raises(LimitExceeded) as err:
        check_file(path, ".xlsx")
    assert err.value.issue_code == "sheet_too_large" and "XFD1,000,000" in err.value.message_en


def test_single_quotes_and_spaces_do_not_hide_a_far_cell(tmp_path):
    far = "<row r = '1048576'><c r = 'xfd1048576' t='inlineStr'><is><t>x</t></is></c></row>"
    xml = _sheet_xml(_good_rows(), "A1:D3").replace("</sheetData>", far + "</sheetData>")
    with pytest.raises(LimitExceeded) as err:
        check_file(_xlsx(tmp_path / "quotes.xlsx", xml), ".xlsx")
    assert err.value.issue_code == "sheet_too_large"


def test_only_a_cell_or_row_reference_sends_a_sheet_to_the_exact_pass():
    """The fast pass looks for an ``r="..."`` past the declared box. LibreOffice writes
    ``<sheetView defaultGridColor="true" ...>`` in every sheet it saves: an attribute ending in 'r' is no reference
    ('TRUE' would read as a column far past the box), and ``ref=`` neither; a real reference past the box is."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ingest.limits import _beyond_pattern

    pattern = _beyond_pattern(rows=3, cols=4)  # the box A1:D3

    def hits(xml: str) -> bool:
        return pc.match_substring_regex(pa.array([xml]), pattern)[0].as_py()

    assert not hits('<sheetView showGridLines="true" defaultGridColor="true" workbookViewId="0">')
    assert not hits('<mergeCell ref="A1:ZZ900"/>') and not hits('<c r="D3" t="s"><v>1</v></c>')
    assert hits('<c r="E3"><v>1</v></c>') and hits("<row r = '4'>") and hits('<c\tr="xfd1048576"/>')


def test_a_zip_bomb_is_rejected_by_its_declared_sizes(tmp_path):
    path = _bomb_xlsx(tmp_path / "bomb.xlsx")
    with zipfile.ZipFile(path) as zf:
        assert sum(i.file_size for i in zf.infolist()) > 50 * path.stat().st_size
    with pytest.raises(LimitExceeded) as err:
        read_file(path)
    assert err.value.issue_code == "too_large" and "50" in err.value.message_en


def test_a_member_lying_about_its_size_is_stopped_while_inflating(tmp_path):
    path = _lying_xlsx(tmp_path / "liar.xlsx")
    with zipfile.ZipFile(path) as zf:
        declared = sum(i.file_size for i in zf.infolist())
    assert declared < 50 * path.stat().st_size  # the declared sizes pass
    with pytest.raises(LimitExceeded) as err:
        check_file(path, ".xlsx")
    assert err.value.issue_code == "too_large"


def test_shared_strings_lying_about_their_size_are_stopped_before_the_reader_opens_them(tmp_path):
    """The reader inflates xl/sharedStrings.xml as it opens the workbook, before any sheet: a shared-strings part
    that declares 20 KB and inflates to megabytes is stopped while being counted, as a lying sheet is."""
    import xlsxwriter

    path = tmp_path / "strings.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    sheet = wb.add_worksheet("DS")
    sheet.write_row(0, 0, ["STT", "Họ và tên", "Ngày sinh"])
    for r in range(1, 40_000):
        sheet.write_row(r, 0, [r, f"Nguyễn Văn {r:06d} {'x' * 20}", "01/01/1980"])
    wb.close()
    _declared_smaller(path, "xl/sharedStrings.xml")
    for defer in (False, True):  # the shared strings are measured whether or not the sheets are left for later
        with pytest.raises(LimitExceeded) as err:
            check_file(path, ".xlsx", defer_sheets=defer)
        assert err.value.issue_code == "too_large"


def _workbook(path: Path, sheets: list[tuple[str, str, str, str]]) -> Path:
    """A workbook of several sheets, each (name, member, relationship target, sheet XML)."""
    tags = "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, (n, *_) in enumerate(sheets, 1))
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'worksheet" Target="{t}"/>'
        for i, (_n, _m, t, _x) in enumerate(sheets, 1)
    )
    _xlsx(path, "")
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist() if i.filename != "xl/worksheets/sheet1.xml"}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b'<sheet name="DS" sheetId="1" r:id="rId1"/>', tags.encode()
    )
    parts["xl/_rels/workbook.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        b'2006/relationships">' + rels.encode() + b"</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
        for _n, member, _t, xml in sheets:
            zf.writestr(member, xml)
    return path


def test_a_sheet_is_measured_under_the_name_the_reader_finds_it_by(tmp_path):
    """calamine finds a sheet's member by name in any case: 'worksheets/sheet1.xml' reads 'XL/Worksheets/SHEET1.XML'.
    Such a member is measured like any other (it once reached calamine unmeasured, and took the process down)."""
    far = _sheet_xml([*_good_rows(), (1048576, [("XFD1048576", "x")])], "A1:D3")
    sheet = ("DS", "XL/Worksheets/SHEET1.XML", "worksheets/sheet1.xml", far)
    path = _workbook(tmp_path / "case.xlsx", [sheet])
    with pytest.raises(LimitExceeded) as err:
        check_file(path, ".xlsx")
    assert err.value.issue_code == "sheet_too_large" and "XFD1,048,576" in err.value.message_en


def test_sheets_left_to_the_reader_are_measured_before_it_loads_them(tmp_path):
    """``check_file(..., defer_sheets=True)`` checks the whole file's sizes and leaves the sheets to measure: the
    sheets a reader is about to load (a returned template: its marker sheet and its list), or all of them. Unless
    the reader lists the sheets as the workbook does, every sheet is measured at the first call."""
    good = _sheet_xml(_good_rows(), "A1:D3")
    far = _sheet_xml([*_good_rows(), (1048576, [("XFD1048576", "x")])], "A1:D3")
    path = _workbook(tmp_path / "two.xlsx", [
        ("DS", "xl/worksheets/sheet1.xml", "worksheets/sheet1.xml", good),
        ("Mã", "xl/worksheets/sheet2.xml", "/xl/worksheets/sheet2.xml", far),
    ])  # fmt: skip
    pending = check_file(path, ".xlsx", defer_sheets=True)
    pending.check_sheets(["DS"], ["DS", "Mã"])  # the far sheet is not loaded: not measured
    with pytest.raises(LimitExceeded):
        pending.check_sheets(["Mã"], ["DS", "Mã"])
    with pytest.raises(LimitExceeded):  # the reader lists the sheets otherwise: all of them are measured
        check_file(path, ".xlsx", defer_sheets=True).check_sheets(["DS"], ["Mã", "DS"])
    with pytest.raises(LimitExceeded):
        check_file(path, ".xlsx", defer_sheets=True).check_all()
    with pytest.raises(LimitExceeded) as err:
        read_file(path)  # no template: every sheet is loaded, every sheet measured first
    assert err.value.issue_code == "sheet_too_large"
    with pytest.raises(LimitExceeded):
        check_file(path, ".xlsx")


def test_limits_come_from_the_environment_and_are_documented(tmp_path, monkeypatch):
    csv = _write(
        tmp_path,
        "a.csv",
        GOOD_CSV.splitlines()[0] + "\n" + "".join(f"{i},Người Số {i},1980,Nam,ThS\n" for i in range(30)),
    )
    assert read_file(csv).blocks[0].rows_read == 30
    monkeypatch.setenv("TRITHUC_MAX_ROWS", "10")
    with pytest.raises(LimitExceeded) as err:
        read_file(csv)
    assert err.value.issue_code == "too_many_rows"
    monkeypatch.delenv("TRITHUC_MAX_ROWS")
    monkeypatch.setenv("TRITHUC_MAX_COLUMNS", "3")
    with pytest.raises(LimitExceeded) as err:
        read_file(csv)
    assert err.value.issue_code == "too_many_columns"
    monkeypatch.setenv("TRITHUC_MAX_COLUMNS", "500")
    monkeypatch.setenv("TRITHUC_MAX_FILE_MB", "0")  # not a positive number: the default applies
    assert read_file(csv).blocks[0].rows_read == 30
    table = limits_table()
    for env in ("TRITHUC_MAX_FILE_MB", "TRITHUC_MAX_UNZIPPED_MB", "TRITHUC_MAX_UNZIPPED_RATIO", "TRITHUC_MAX_ROWS",
                "TRITHUC_MAX_COLUMNS", "TRITHUC_MAX_SHEET_CELLS", "TRITHUC_MAX_CELL_CHARS"):  # fmt: skip
        assert env in table


def test_a_cell_longer_than_excel_allows_rejects_the_file_naming_where_not_what(tmp_path):
    long = "Nguyễn" * 6000  # 36,000 characters
    csv = _write(tmp_path, "long.csv", GOOD_CSV + f"3,{long},1970,Nam,ThS\n")
    with pytest.raises(LimitExceeded) as err:
        read_file(csv)
    assert err.value.issue_code == "cell_too_long"
    assert "row 4" in err.value.message_en and "column B" in err.value.message_en
    assert "Nguyễn" not in err.value.message_en + err.value.message_vi


# --- Kinds by content -----------------------------------------------------------------------------------------
def test_file_kinds_are_checked_by_content(tmp_path):
    good = _good_xlsx(tmp_path / "good.xlsx")
    assert sniff_kind(good) == "xlsx"
    docx = tmp_path / "report.xlsx"
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(WrongFileKind) as err:
        read_file(docx)
    assert err.value.issue_code == "wrong_file_kind" and "Word" in err.value.message_en
    pdf = _write(tmp_path, "scan.xlsx", b"%PDF-1.7\n...")
    with pytest.raises(WrongFileKind) as err:
        read_file(pdf)
    assert "PDF" in err.value.message_en
    xlsx_as_csv = tmp_path / "list.csv"
    xlsx_as_csv.write_bytes(good.read_bytes())
    with pytest.raises(WrongFileKind):
        read_file(xlsx_as_csv)


def test_a_password_protected_workbook_says_so(tmp_path):
    """Office encrypts a workbook into an OLE2 file holding an 'EncryptedPackage' stream."""
    ole = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1016)
    ole += "EncryptedPackage".encode("utf-16-le") + b"\x00" * 2000
    path = _write(tmp_path, "locked.xlsx", bytes(ole))
    with pytest.raises(PasswordProtected) as err:
        read_file(path)
    assert err.value.issue_code == "password_protected"
    assert "mật khẩu" in err.value.message_vi and "corrupt" not in err.value.message_en


# --- What a rejection may quote -------------------------------------------------------------------------------
def test_headers_seen_never_quote_a_persons_record(tmp_path):
    """A file whose first line is a person's record: the rejection quotes no name, ID, phone, e-mail or date."""
    record = "Nguyễn Văn An,079085001234,0912 345 678,an.nguyen@gmail.com,12/05/1985,Phường Tân Mai\n"
    path = _write(tmp_path, "nohead.csv", record * 3)
    with pytest.raises(UnrecognisedHeader) as err:
        read_file(path)
    text = (
        err.value.message_vi + err.value.message_en + json.dumps(err.value.headers_seen, ensure_ascii=False)
    )
    for secret in ("Nguyễn Văn An", "079085001234", "0912 345 678", "an.nguyen", "12/05/1985"):
        assert secret not in text
    # what is left says what kind of cells were there, which is what the unit needs to find the problem
    assert "[số định danh / ID]" in text and "[email]" in text


def test_headers_seen_still_show_real_headers(tmp_path):
    path = _write(tmp_path, "odd.csv", "Sở thích,Màu mắt,Họ và tên\nx,y,z\n")
    with pytest.raises(UnrecognisedHeader) as err:
        read_file(path)
    assert "Sở thích" in err.value.message_en and "Họ và tên" in err.value.message_en


# --- The loader: links, periods, files that go ---------------------------------------------------------------
def test_symlinks_are_rejected_and_never_followed(tmp_path):
    landing = tmp_path / "landing"
    _write(landing, f"{WARD}/ds.csv", GOOD_CSV)
    secret = _write(tmp_path / "outside", "exchange.key", "Họ và tên,Năm sinh\nBí Mật,1999\n")
    other = _write(landing, f"{OTHER_WARD}/theirs.csv", GOOD_CSV.replace("Nguyễn Văn An", "Hồ Văn Khác"))
    (landing / WARD / "key.csv").symlink_to(secret)
    (landing / WARD / "copy.csv").symlink_to(other)  # another ward's file inside the zone
    (landing / "2026-H1/ward/26017").symlink_to(landing / OTHER_WARD, target_is_directory=True)
    (landing / WARD / "dangling.csv").symlink_to(tmp_path / "nowhere.csv")
    assert all(not p.is_symlink() for p in discover_files(landing))
    wh = tmp_path / "wh.duckdb"
    summary = load_landing(landing, wh, NOW)
    by_file = {f.source_file: f for f in summary.files}
    for rel in (f"{WARD}/key.csv", f"{WARD}/copy.csv", "2026-H1/ward/26017", f"{WARD}/dangling.csv"):
        assert by_file[rel].status == "rejected", rel
    rows = _q(wh, "select source_file, unit_code, period, status, message_en from quality.file_manifest "
                  "where status = 'rejected' order by 1")  # fmt: skip
    assert len(rows) == 4
    for _rel, unit, period, status, message in rows:
        assert status == "rejected" and "symbolic link" in message and unit and period == "2026-H1"
    assert _q(wh, "select count(*) from quality.ingest_row_issues where issue_code = 'symlink'") == [(4,)]
    names = {r[0] for r in _q(wh, "select full_name from raw.persons")}
    assert names == {"Nguyễn Văn An", "Trần Thị Bình", "Hồ Văn Khác"}  # each once, under its own ward
    assert _q(wh, "select count(*) from raw.persons where unit_code = '26017'") == [(0,)]
    everything = json.dumps(_q(wh, "select * from quality.file_manifest"), default=str)
    everything += json.dumps(_q(wh, "select * from quality.ingest_row_issues"), default=str)
    assert "Bí Mật" not in everything and str(tmp_path / "outside") not in everything
    again = load_landing(landing, wh, NOW)
    assert {f.status for f in again.files} == {"unchanged"}


def test_a_future_period_is_rejected_by_the_runs_clock(tmp_path):
    landing = tmp_path / "landing"
    _write(landing, "2026-H2/ward/26068/ds.csv", GOOD_CSV)
    _write(landing, "2099-H1/ward/26068/ds.csv", GOOD_CSV)
    wh = tmp_path / "wh.duckdb"
    summary = load_landing(landing, wh, NOW)  # May 2026: 2026-H1 is current
    assert {f.source_file: f.status for f in summary.files} == {
        "2026-H2/ward/26068/ds.csv": "rejected", "2099-H1/ward/26068/ds.csv": "rejected"}  # fmt: skip
    (code, vi, en), *_ = _q(wh, "select issue_code, message_vi, message_en from quality.ingest_row_issues")
    assert code == "future_period" and "2026-H1" in vi and "future" in en
    assert _q(wh, "select distinct period from quality.file_manifest") == [
        (None,)
    ]  # no future period anywhere
    assert _q(wh, "select count(*) from raw.persons") == [(0,)]
    # when its period comes, the same file is looked at again and loaded; its rejection becomes history
    later = load_landing(landing, wh, datetime(2026, 7, 1))
    assert {f.source_file: f.status for f in later.files if f.status != "unchanged"} == {
        "2026-H2/ward/26068/ds.csv": "loaded"
    }
    assert _q(wh, "select status, is_current, period from quality.file_manifest "
                  "where source_file like '2026-H2%' order by is_current") == [
        ("rejected", False, None), ("loaded", True, "2026-H2")]  # fmt: skip
    assert {f.status for f in load_landing(landing, wh, datetime(2026, 7, 2)).files} == {"unchanged"}


def test_a_file_that_disappears_is_withdrawn_and_comes_back_when_re_added(tmp_path):
    landing = tmp_path / "landing"
    keep = _write(landing, f"{WARD}/ds.csv", GOOD_CSV)
    gone = _write(landing, f"{OTHER_WARD}/ds.csv", GOOD_CSV.replace("Nguyễn Văn An", "Võ Văn Đi"))
    data = gone.read_bytes()
    wh = tmp_path / "wh.duckdb"
    load_landing(landing, wh, NOW)
    assert _q(wh, "select count(*) from raw.persons") == [(4,)]
    gone.unlink()
    summary = load_landing(landing, wh, NOW)
    assert [(f.source_file, f.status) for f in summary.files if f.status != "unchanged"] == [
        (f"{OTHER_WARD}/ds.csv", "withdrawn")
    ]
    assert _q(wh, "select count(*) from raw.persons where unit_code = '26041'") == [(0,)]
    (status, current, vi, en), = _q(
        wh, f"select status, is_current, message_vi, message_en from quality.file_manifest "
            f"where source_file = '{OTHER_WARD}/ds.csv'")  # fmt: skip
    assert (status, current) == ("withdrawn", False)
    assert "tệp không còn trong thư mục nhận" in vi and "file no longer in the landing zone" in en
    assert {f.status for f in load_landing(landing, wh, NOW).files} == {"unchanged"}  # once
    gone.write_bytes(data)  # the same file again: loaded again
    back = load_landing(landing, wh, NOW)
    assert [(f.source_file, f.status) for f in back.files if f.status != "unchanged"] == [
        (f"{OTHER_WARD}/ds.csv", "loaded")
    ]
    assert _q(wh, "select count(*) from raw.persons") == [(4,)]
    assert _q(wh, f"select status, is_current from quality.file_manifest where source_file = '{OTHER_WARD}/ds.csv' "
                  "order by is_current") == [("withdrawn", False), ("loaded", True)]  # fmt: skip
    assert keep.exists()


def test_a_file_deleted_between_the_scan_and_its_read_does_not_stop_the_pass(tmp_path, monkeypatch):
    import ingest.load as load_mod

    landing = tmp_path / "landing"
    doomed = _write(landing, f"{WARD}/a.csv", GOOD_CSV)
    _write(landing, f"{OTHER_WARD}/b.csv", GOOD_CSV)
    real_walk = load_mod._walk

    def walk_then_delete(root):
        found = real_walk(root)
        doomed.unlink()
        return found

    monkeypatch.setattr(load_mod, "_walk", walk_then_delete)
    summary = load_landing(landing, tmp_path / "wh.duckdb", NOW, read_workers=1)
    assert {f.source_file: f.status for f in summary.files} == {
        f"{WARD}/a.csv": "vanished", f"{OTHER_WARD}/b.csv": "loaded"}  # fmt: skip


def test_an_unsupported_file_is_recorded_with_its_unit_and_period(tmp_path):
    landing = tmp_path / "landing"
    _write(landing, f"{WARD}/baocao.docx", b"PK\x03\x04 not really")
    wh = tmp_path / "wh.duckdb"
    load_landing(landing, wh, NOW)
    assert _q(wh, "select unit_code, unit_kind, period, status from quality.file_manifest") == [
        ("26068", "ward", "2026-H1", "rejected")
    ]


def test_an_internal_error_names_no_server_path(tmp_path, monkeypatch):
    import ingest.load as load_mod

    landing = tmp_path / "landing"
    path = _write(landing, f"{WARD}/ds.csv", GOOD_CSV)

    def broken(p):
        raise RuntimeError(f"failed at {p.resolve()} (see /opt/trithuc/lib/x.py)")

    monkeypatch.setattr(load_mod, "read_file", broken)
    wh = tmp_path / "wh.duckdb"
    load_landing(landing, wh, NOW, read_workers=1)
    ((en,),) = _q(wh, "select message_en from quality.file_manifest")
    assert "internal error" in en.lower() and "ds.csv" in en
    assert str(tmp_path) not in en and "/opt/trithuc" not in en and str(path.parent) not in en


# --- One pass, hostile and good together, in a process of its own -------------------------------------------
_PASS = """
import json, resource, sys
from datetime import datetime
from pathlib import Path
from ingest.load import load_landing
summary = load_landing(Path(sys.argv[1]), Path(sys.argv[2]), datetime(2026, 5, 1))
print(json.dumps({"peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "files": {f.source_file: [f.status, f.message_en] for f in summary.files}}))
"""


def test_one_pass_of_hostile_and_good_files_rejects_each_hostile_file_and_loads_the_good(tmp_path):
    landing = tmp_path / "landing"
    outside = _write(tmp_path / "outside", "passwd", "root:x:0:0:root:/root:/bin/bash\n")
    _write(landing, f"{WARD}/good.csv", GOOD_CSV)
    _good_xlsx(landing / OTHER_WARD / "good.xlsx")
    _far_corner_xlsx(landing / WARD / "far.xlsx", "A1:XFD1048576")
    _far_corner_xlsx(landing / WARD / "far_lying.xlsx", "A1:D3")
    _bomb_xlsx(landing / WARD / "bomb.xlsx")
    _lying_xlsx(landing / WARD / "liar.xlsx")
    _write(landing, "2099-H1/ward/26068/future.csv", GOOD_CSV)
    _write(landing, f"{WARD}/=cmd()|x.csv", "Nguyễn Văn An,079085001234,0912345678\n")
    locked = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1016)
    locked += "EncryptedPackage".encode("utf-16-le") + b"\x00" * 2000
    _write(landing, f"{WARD}/locked.xlsx", bytes(locked))
    _write(landing, f"{WARD}/bao_cao.docx", b"PK\x03\x04 a Word report")
    (landing / WARD / "passwd.csv").symlink_to(outside)
    (landing / "2026-H1/ward/26017").symlink_to(landing / OTHER_WARD, target_is_directory=True)
    wh = tmp_path / "wh.duckdb"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", _PASS, str(landing), str(wh)], capture_output=True, text=True, env=env, cwd=ROOT,
        timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    files = result["files"]
    assert files[f"{WARD}/good.csv"][0] == "loaded"
    assert files[f"{OTHER_WARD}/good.xlsx"][0] == "loaded"
    for rel in ("far.xlsx", "far_lying.xlsx", "bomb.xlsx", "liar.xlsx", "passwd.csv", "=cmd()|x.csv", "locked.xlsx",
                "bao_cao.docx"):
        assert files[f"{WARD}/{rel}"][0] == "rejected", rel
    assert files["2099-H1/ward/26068/future.csv"][0] == "rejected"
    assert files["2026-H1/ward/26017"][0] == "rejected"
    assert result["peak_kb"] < 2 * 1024 * 1024, result["peak_kb"]  # < 2 GB for the whole pass
    codes = dict(
        _q(wh, "select source_file, issue_code from quality.ingest_row_issues where source_row is null")
    )
    assert codes[f"{WARD}/far.xlsx"] == codes[f"{WARD}/far_lying.xlsx"] == "sheet_too_large"
    assert codes[f"{WARD}/bomb.xlsx"] == codes[f"{WARD}/liar.xlsx"] == "too_large"
    assert (
        codes[f"{WARD}/passwd.csv"] == "symlink" and codes["2099-H1/ward/26068/future.csv"] == "future_period"
    )
    assert codes[f"{WARD}/=cmd()|x.csv"] == "unrecognised_header"
    assert codes[f"{WARD}/locked.xlsx"] == "password_protected"
    assert codes[f"{WARD}/bao_cao.docx"] != "internal_error"
    text = json.dumps(_q(wh, "select * from quality.file_manifest"), default=str, ensure_ascii=False)
    text += json.dumps(_q(wh, "select * from quality.ingest_row_issues"), default=str, ensure_ascii=False)
    for leaked in ("root:x:0", "079085001234", "0912345678", "Nguyễn Văn An,"):
        assert leaked not in text
    assert _q(wh, "select count(*) from raw.persons") == [(4,)]


# --- .ods and .xls: measured by the reader in a process of its own --------------------------------------------
def _ods(path: Path, rows_xml: str) -> Path:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
        f'<office:spreadsheet><table:table table:name="DS">{rows_xml}</table:table></office:spreadsheet>'
        "</office:body></office:document-content>"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
            'manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
            'vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
            'manifest:media-type="text/xml"/></manifest:manifest>',
        )
        zf.writestr("content.xml", content)
    return path


def _ods_row(cells: list[str]) -> str:
    return "<table:table-row>" + "".join(
        f'<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>' for c in cells
    ) + "</table:table-row>"  # fmt: skip


def test_an_ods_is_probed_and_a_reader_crash_rejects_that_file_only(tmp_path, monkeypatch):
    import ingest.limits as limits_mod

    rows = _ods_row(["STT", "Họ và tên", "Năm sinh", "Giới tính"]) + _ods_row(
        ["1", "Lê Văn Cường", "1975", "Nam"]
    )
    good = _ods(tmp_path / "good.ods", rows)
    assert read_file(good).blocks[0].rows_read == 1
    far = _ods(tmp_path / "far.ods", rows + '<table:table-row table:number-rows-repeated="2000000">'
               '<table:table-cell table:number-columns-repeated="3"/></table:table-row>' + _ods_row(["x"]))  # fmt: skip
    with pytest.raises(LimitExceeded) as err:  # the probe reports 2 M rows
        read_file(far)
    assert err.value.issue_code == "sheet_too_large"
    monkeypatch.setattr(limits_mod, "PROBE_MEMORY", 16 << 20)  # the probing process cannot even start
    with pytest.raises(LimitExceeded) as err:
        read_file(good)
    assert err.value.issue_code == "reader_crashed"
