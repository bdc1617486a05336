"""Returned pre-filled templates (issue #19): recognised by their signed hidden sheet, read by their own mapping,
every row classified (confirmed, edited, new, removed with a status, removed without one) and accounted for.

Templates here are made from hand-written lists (no warehouse, no dbt) and edited with openpyxl as a clerk edits
them in Excel (helpers shared with tests/publish/test_templates.py, which runs the whole cycle on generated
submissions, in tests/template_fixtures.py)."""

from __future__ import annotations

import os
import shutil
from datetime import date

import duckdb
import pytest

from ingest.headers import map_headers
from ingest.load import load_landing
from ingest.readers import read_file
from ingest.template_returns import (
    MARKER_SHEET,
    STATUS_CHANGES,
    TemplateReadResult,
    pack_rows,
    row_digest,
    unpack_rows,
)
from publish.templates.code_lists import load_code_lists
from publish.templates.data import BaseList, BaseRow
from publish.templates.layout import DATA_SHEET, GUIDE_SHEET, HEADER_ROW, columns_for
from publish.templates.workbook import block_rows
from tests.template_fixtures import (
    NEW_PEOPLE,
    NOW,
    PERIOD,
    UNIT,
    clerk_edits,
    edit_template,
    q,
    row_of,
    sheet_rows,
    template_bytes,
    write_template,
)

openpyxl = pytest.importorskip("openpyxl")

PEOPLE = [
    # name, birth date, sex, cccd, ethnicity, qualification, title, field, position, employer, ward, status
    ("Nguyễn Văn An", date(1980, 5, 3), "Nam", "075080123456", "Kinh", "Tiến sĩ", None, "Toán học và thống kê",
     "Trưởng khoa", "Trường Đại học Đồng Nai", "Phường Biên Hòa", "Đang công tác"),
    ("Trần Thị Bình", "1975", "Nữ", "075175000111", "Kinh", "Thạc sĩ", None, None, None,
     "Trường THPT Chu Văn An", "Phường Biên Hòa", "Đang công tác"),
    ("Lê Văn Cường", date(1962, 1, 20), "Nam", "075062000222", "Hoa", "Đại học", None, None, None, None,
     "Phường Biên Hòa", "Đã nghỉ hưu"),
    ("Phạm Thị Dung", date(1990, 12, 31), "Nữ", "075190000333", "Kinh", "Thạc sĩ", None, None, "Phó phòng",
     "Bệnh viện Đa khoa Đồng Nai", "Phường Biên Hòa", "Đang công tác"),
    ("Hoàng Văn Em", date(1985, 7, 7), "Nam", "075085000444", "Kinh", "Tiến sĩ", "Phó giáo sư", None, None,
     "Trường Đại học Lạc Hồng", "Phường Trấn Biên", "Đang công tác"),
    ("Võ Thị Gấm", date(1970, 3, 8), "Nữ", "075170000555", "Khơ Me", "Cao đẳng", None, None, None, None,
     "Phường Biên Hòa", "Đang công tác"),
]  # fmt: skip
FIELDS = ("full_name", "birth_date", "sex", "cccd", "ethnicity", "qualification", "academic_title",
          "science_field", "position", "employer", "residence_ward", "status")  # fmt: skip


@pytest.fixture(scope="module")
def lists():
    with duckdb.connect() as con:
        return load_code_lists(con)  # from the seed files: no warehouse needed


def _base(people=PEOPLE) -> BaseList:
    rows = [
        BaseRow("2026-H2/ward/26068/ds.xlsx", "a" * 64, "DS", 5 + i, dict(zip(FIELDS, person, strict=True)))
        for i, person in enumerate(people)
    ]
    return BaseList(UNIT[1], UNIT[0], "2026-H2", ["2026-H2/ward/26068/ds.xlsx"], rows)


def _template(folder, lists, base: BaseList | None = None):
    return write_template(folder, lists, base or _base())


def _clerk(sheet, col) -> None:
    """Three people changed, one died (a status), one deleted without a status, two added in the empty block."""
    people = ("Trần Thị Bình", "Phạm Thị Dung", "Võ Thị Gấm", "Lê Văn Cường", "Hoàng Văn Em")
    # the first empty row once one row above it is deleted
    clerk_edits(sheet, col, [row_of(sheet, col, name) for name in people], HEADER_ROW + len(PEOPLE))


def test_an_untouched_template_reads_back_exactly(tmp_path, lists):
    path = _template(tmp_path, lists)
    result = read_file(path)
    assert isinstance(result, TemplateReadResult) and result.template.verified
    assert result.template.counts() == {
        "confirmed": 6,
        "edited": 0,
        "new": 0,
        "removed": 0,
        "removed_without_status": 0,
    }
    [block] = result.blocks
    assert block.sheet_name == DATA_SHEET and block.header_rows == (HEADER_ROW,)
    assert block.rows.num_rows == len(PEOPLE)  # the empty block below is not read (nothing in it)
    rows = block.rows.to_pylist()
    assert [r["source_row"] for r in rows] == list(range(HEADER_ROW + 1, HEADER_ROW + 1 + len(PEOPLE)))
    for person, row in zip(PEOPLE, rows, strict=True):
        expected = [v.isoformat() if isinstance(v, date) else v for v in person]
        assert [row[f] for f in FIELDS] == expected
        assert row["row_kind"] == "data"
    # the mapping is the template's own, no header guessing: every column its field, under its header
    assert block.column_map == {c.field: c.header for c in columns_for(set())}
    assert result.skipped_sheets == []


def test_the_header_row_is_one_the_ordinary_reader_recognises(lists):
    """A template whose hidden sheet cannot be verified is read by its header: every header is a known spelling."""
    columns = columns_for({"major", "faculty", "teaching_level", "role", "occupation", "employer_type", "overseas",
                           "lhh_member", "trained", "digital_trained", "phone", "email"})  # fmt: skip
    match = map_headers(["STT", *(c.header for c in columns)], "persons")
    assert {i: f for i, f in match.fields_by_column.items()} == {
        i: c.field for i, c in enumerate(columns, start=1)
    }
    assert match.row_number_column == 0 and not match.unmapped


def test_a_clerks_edits_are_classified_row_by_row(tmp_path, lists):
    path = edit_template(_template(tmp_path / "sent", lists), tmp_path / "back" / "26068.xlsx", _clerk)
    result = read_file(path)
    template = result.template
    assert template.verified
    by_name = {
        row["full_name"]: status
        for row, status in zip(
            (r for r in result.blocks[0].rows.to_pylist() if r["row_kind"] in ("data", "rejected")),
            template.statuses,
            strict=True,
        )
    }
    assert by_name == {
        "Nguyễn Văn An": "confirmed",
        "Trần Thị Bình": "edited",
        "Lê Văn Cường": "removed",  # given a departure status: recorded as a departure by dbt
        "Phạm Thị Dung": "edited",
        "Võ Thị Gấm": "edited",
        "Đặng Minh Khoa": "new",
        "Bùi Thu Hà": "new",
    }
    # Hoàng Văn Em's row (the template's row 8) was deleted without a status
    assert [row for row, _ in template.removed] == [HEADER_ROW + 5]
    assert template.counts() == {
        "confirmed": 1,
        "edited": 3,
        "new": 2,
        "removed": 1,
        "removed_without_status": 1,
    }


def test_a_copied_row_is_new_and_an_inserted_title_line_moves_nothing(tmp_path, lists):
    def edit(sheet, col):
        src = row_of(sheet, col, "Nguyễn Văn An")
        dst = HEADER_ROW + len(PEOPLE) + 1  # into the empty block, hidden key included
        for c in range(1, sheet.max_column + 1):
            sheet.cell(dst, c).value = sheet.cell(src, c).value
        sheet.cell(dst, col["Họ và tên"]).value = "Nguyễn Văn Anh"
        sheet.insert_rows(1)  # a line typed above the title: the header is found by its own texts

    result = read_file(edit_template(_template(tmp_path / "sent", lists), tmp_path / "back.xlsx", edit))
    assert result.template.verified
    assert result.blocks[0].header_rows == (HEADER_ROW + 1,)
    assert result.template.counts() == {
        "confirmed": 6,
        "edited": 0,
        "new": 1,
        "removed": 0,
        "removed_without_status": 0,
    }


def test_an_emptied_row_is_removed_without_status_and_a_nameless_one_is_rejected(tmp_path, lists):
    def edit(sheet, col):
        gone = row_of(sheet, col, "Võ Thị Gấm")
        for c in range(
            2, len(FIELDS) + 2
        ):  # every visible cell of the row emptied; its hidden key is still there
            sheet.cell(gone, c).value = None
        sheet.cell(row_of(sheet, col, "Phạm Thị Dung"), col["Họ và tên"]).value = None

    result = read_file(edit_template(_template(tmp_path / "sent", lists), tmp_path / "back.xlsx", edit))
    kinds = result.blocks[0].rows.column("row_kind").to_pylist()
    assert kinds.count("data") == 4 and kinds.count("rejected") == 1
    assert result.template.counts() == {
        "confirmed": 4,
        "edited": 1,
        "new": 0,
        "removed": 0,
        "removed_without_status": 1,
    }


def test_a_changed_hidden_sheet_or_another_key_means_an_ordinary_list(tmp_path, lists, monkeypatch):
    sent = _template(tmp_path / "sent", lists)
    book = openpyxl.load_workbook(sent)
    marker = book[MARKER_SHEET]
    rows = unpack_rows([marker.cell(2, 4).value])
    forged = [(rows[0][0], row_digest(b"not the key", rows[0][0], ["x"]), *rows[0][2:]), *rows[1:]]
    marker.cell(2, 4).value = pack_rows(forged)[0]
    book.save(tmp_path / "forged.xlsx")
    result = read_file(tmp_path / "forged.xlsx")
    assert isinstance(result, TemplateReadResult) and not result.template.verified
    assert "đã bị sửa" in result.template.note_vi and "changed" in result.template.note_en
    # read by its header, as any list: the same people, nobody lost
    assert [r["full_name"] for r in result.blocks[0].rows.to_pylist() if r["row_kind"] == "data"] == [
        p[0] for p in PEOPLE
    ]

    monkeypatch.setenv("TRITHUC_PSEUDO_KEY", "another-key")
    result = read_file(sent)
    assert not result.template.verified and "khóa khác" in result.template.note_vi
    monkeypatch.delenv("TRITHUC_PSEUDO_KEY")
    monkeypatch.delenv("TRITHUC_PSEUDO_KEY_FILE", raising=False)
    assert "chưa có khóa" in read_file(sent).template.note_vi


def test_the_loader_accounts_for_every_row_and_flags_a_deletion_without_status(tmp_path, lists):
    landing, warehouse = tmp_path / "landing", tmp_path / "wh" / "trithuc.duckdb"
    folder = landing / PERIOD / "ward" / "26068"
    edit_template(_template(tmp_path / "sent", lists), folder / "danh sach 2027.xlsx", _clerk)
    summary = load_landing(landing, warehouse, now=NOW)
    [outcome] = summary.files
    assert outcome.status == "loaded" and outcome.rows_loaded == 7
    read, loaded, rejected, skipped, rule, message_vi, message_en = q(
        warehouse,
        "select rows_read, rows_loaded, rows_rejected, rows_skipped, combine_rule, message_vi, message_en "
        "from quality.file_manifest",
    )[0]
    assert read == loaded + rejected + skipped == 7
    assert rule == "first"
    assert "1 dòng giữ nguyên (đã xác nhận), 3 dòng đã sửa, 2 dòng thêm mới" in message_vi
    assert "1 removed without a status" in message_en
    statuses = dict(q(warehouse, "select template_status, count(*) from quality.template_rows group by 1"))
    assert statuses == {"confirmed": 1, "edited": 3, "new": 2, "removed": 1, "removed_without_status": 1}
    # every pre-filled row is accounted for: found (confirmed, edited, removed) or reported deleted
    assert sum(statuses[s] for s in ("confirmed", "edited", "removed", "removed_without_status")) == len(
        PEOPLE
    )
    [(row, column, code, severity, vi, en)] = q(
        warehouse,
        "select source_row, column_name, issue_code, severity, message_vi, message_en from quality.ingest_row_issues",
    )
    assert (row, column, code, severity) == (HEADER_ROW + 5, "status", "template_row_removed", "warning")
    assert "không ghi tình trạng" in vi and "without a status" in en
    # no personal value in the quality tables: row keys are keyed hashes of the source rows
    keys = [k for (k,) in q(warehouse, "select row_key from quality.template_rows where row_key is not null")]
    assert len(keys) == 6 and all(len(k) == 16 and int(k, 16) >= 0 for k in keys)

    # the unit sends the template again, corrected: it replaces the first (a template is a whole list)
    def fix(sheet, col):
        sheet.cell(row_of(sheet, col, "Nguyễn Văn An"), col["Chức vụ"]).value = "Phó Hiệu trưởng"

    again = edit_template(folder / "danh sach 2027.xlsx", folder / "danh sach 2027 (sửa).xlsx", fix)
    os.utime(again, (NOW.timestamp() + 60, NOW.timestamp() + 60))
    load_landing(landing, warehouse, now=NOW)
    rule, reason = q(
        warehouse,
        "select combine_rule, combine_reason from quality.file_manifest where source_file like '%sửa%'",
    )[0]
    assert rule == "replace" and "mẫu điền sẵn" in reason


def test_a_template_sent_to_another_units_folder_is_rejected(tmp_path, lists):
    landing, warehouse = tmp_path / "landing", tmp_path / "wh" / "trithuc.duckdb"
    other = landing / PERIOD / "ward" / "26041" / "ds.xlsx"
    other.parent.mkdir(parents=True)
    shutil.copy(_template(tmp_path / "sent", lists), other)
    [outcome] = load_landing(landing, warehouse, now=NOW).files
    assert outcome.status == "rejected" and "26068" in outcome.message_en
    assert q(warehouse, "select issue_code from quality.ingest_row_issues") == [("template_other_unit",)]


def test_the_empty_block_follows_the_list(lists):
    assert block_rows(0) == 30 and block_rows(1000) == 130 and block_rows(100_000) == 300


def test_a_status_change_the_guide_does_not_allow_is_flagged_and_the_row_kept(tmp_path, lists):
    """Statuses may change only as the guide says (STATUS_CHANGES): a retired person does not come back to work,
    a deceased one stays deceased. Such a row is loaded as written and flagged for the unit; allowed changes and a
    status outside the list (dbt's unmapped_value, not this rule) are not."""
    # base_lists never carries a deceased person into a template: made by hand here to reach the final statuses
    hai = ("Đỗ Văn Hải", date(1950, 2, 2), "Nam", "075050000888", "Kinh", "Đại học", None, None, None, None,
           "Phường Biên Hòa", "Từ trần")  # fmt: skip
    sent = write_template(tmp_path / "sent", lists, _base([*PEOPLE, hai]))

    def edit(sheet, col):
        status = col["Tình trạng"]
        sheet.cell(row_of(sheet, col, "Lê Văn Cường"), status).value = "Đang công tác"  # retired -> active
        sheet.cell(row_of(sheet, col, "Đỗ Văn Hải"), status).value = "Đang làm việc"  # deceased -> active
        sheet.cell(row_of(sheet, col, "Nguyễn Văn An"), status).value = "Đã nghỉ hưu"  # active -> retired
        sheet.cell(row_of(sheet, col, "Trần Thị Bình"), status).value = "Chuyển công tác về TP.HCM"
        sheet.cell(row_of(sheet, col, "Phạm Thị Dung"), status).value = "Nghỉ việc"  # no status of the seed

    landing, warehouse = tmp_path / "landing", tmp_path / "wh" / "trithuc.duckdb"
    edit_template(sent, landing / PERIOD / UNIT[0] / UNIT[1] / "danh sach.xlsx", edit)
    [outcome] = load_landing(landing, warehouse, now=NOW).files

    # Expected, worked out by hand: the list's rows are 4 (An) to 9 (Gấm) in PEOPLE's order, then Hải in row 10
    # (header in row 3). The hidden sheet recorded each pre-filled status: An, Bình, Dung, Em, Gấm ACTIVE, Cường
    # RETIRED, Hải DECEASED. RETIRED -> ACTIVE and DECEASED -> ACTIVE are not in STATUS_CHANGES; ACTIVE ->
    # RETIRED and ACTIVE -> MOVED_AWAY are; 'Nghỉ việc' is no spelling of the status seed.
    expected_issues = [
        (6, "status", "Đang công tác", "template_status_transition", "warning"),
        (10, "status", "Đang làm việc", "template_status_transition", "warning"),
    ]
    expected_counts = {"confirmed": 2, "edited": 4, "removed": 1, "new": 0, "removed_without_status": 0}
    expected_accounting = (7, 7, 0, 0)  # rows read, loaded, rejected, skipped: both flagged rows are loaded

    assert outcome.status == "loaded", outcome.message_en
    issues = q(
        warehouse,
        "select source_row, column_name, raw_value, issue_code, severity, message_vi, message_en "
        "from quality.ingest_row_issues order by source_row",
    )
    assert [i[:5] for i in issues] == expected_issues
    (_, _, _, _, _, cuong_vi, cuong_en), (_, _, _, _, _, hai_vi, hai_en) = issues
    assert "Dòng 6: tình trạng đổi từ 'Đã nghỉ hưu' (mẫu điền sẵn) sang 'Đang công tác'" in cuong_vi
    assert "chỉ có thể chuyển sang 'Chuyển công tác', 'Ở nước ngoài' hoặc 'Từ trần'" in cuong_vi
    assert "Row 6: the status changed from 'Đã nghỉ hưu' (as pre-filled) to 'Đang công tác'" in cuong_en
    assert "Dòng 10: tình trạng đổi từ 'Từ trần'" in hai_vi and "không chuyển sang tình trạng khác" in hai_vi
    assert "Row 10" in hai_en and "'Đang làm việc'" in hai_en
    assert q(
        warehouse, "select rows_read, rows_loaded, rows_rejected, rows_skipped from quality.file_manifest"
    ) == [expected_accounting]
    assert dict(q(warehouse, "select template_status, count(*) from quality.template_rows group by 1")) == {
        s: n for s, n in expected_counts.items() if n
    }
    # both flagged people are in raw.persons with the status the unit wrote
    assert sorted(q(warehouse, "select source_row, status from raw.persons where source_row in (6, 10)")) == [
        (6, "Đang công tác"),
        (10, "Đang làm việc"),
    ]


def test_the_guide_explains_the_status_changes_the_loader_checks(tmp_path, lists):
    """One definition (ingest.template_returns.STATUS_CHANGES) for the guide and the loader: every status has its
    line in the guide, worded as below (written out by hand from the definition)."""
    guide = {r[0]: r[1] for r in sheet_rows(_template(tmp_path, lists), GUIDE_SHEET) if r and r[0]}
    text = guide["Tình trạng và cách chuyển"]
    expected = [
        "• Đang công tác → Đã nghỉ hưu, Chuyển công tác, Ở nước ngoài hoặc Từ trần.",
        "• Đã nghỉ hưu → Chuyển công tác, Ở nước ngoài hoặc Từ trần.",
        "• Ở nước ngoài → Đang công tác, Đã nghỉ hưu, Chuyển công tác hoặc Từ trần.",
        "• Chuyển công tác: không đổi sang tình trạng khác.",
        "• Từ trần: không đổi sang tình trạng khác.",
    ]
    lines = text.split("\n")
    assert all(line in lines for line in expected), text
    rules = [line for line in lines if line.startswith("• ") and ("→" in line or "không đổi sang" in line)]
    assert len(rules) == len(STATUS_CHANGES)


def test_an_empty_template_filled_in_is_all_new(tmp_path, lists):
    """A unit without a list yet gets an empty template (nothing pre-filled, no row table): what it writes is new."""
    sent = tmp_path / "sent" / "26068.xlsx"
    sent.parent.mkdir()
    sent.write_bytes(template_bytes(None, lists).data)

    def edit(sheet, col):
        for i, (name, sex, cccd, born) in enumerate(NEW_PEOPLE):
            r = HEADER_ROW + 1 + i
            sheet.cell(r, col["Họ và tên"]).value = name
            sheet.cell(r, col["Giới tính"]).value = sex
            sheet.cell(r, col["Số CCCD (12 số)"]).value = cccd
            sheet.cell(r, col["Ngày sinh (dd/mm/yyyy)"]).value = born

    result = read_file(edit_template(sent, tmp_path / "back.xlsx", edit))
    assert result.template.verified and result.template.status_breaks == []
    assert result.template.counts() == {
        "confirmed": 0, "edited": 0, "new": 2, "removed": 0, "removed_without_status": 0,
    }  # fmt: skip
    assert result.template.classified.to_pylist() == [
        {"source_row": HEADER_ROW + 1, "template_row": None, "row_key": None, "template_status": "new"},
        {"source_row": HEADER_ROW + 2, "template_row": None, "row_key": None, "template_status": "new"},
    ]


# --- Resource limits: a template's sheets are measured as they are loaded ------------------------------------------
_FAR_CORNER = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
    'x</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    "</worksheet>"
)
_FAR_ROW = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
# read_file of each file in a process of its own, under a memory limit: a sheet given to calamine unmeasured would
# make it ask for 512 GB, and abort that process only
_READ = """
import json, os, resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
from ingest.errors import FileRejected
from ingest.readers import read_file
out = []
for path, key in json.loads(sys.argv[1]):
    os.environ["TRITHUC_PSEUDO_KEY"] = key
    try:
        result = read_file(Path(path))
        template = result.template
        out.append({"verified": template.verified, "counts": template.counts() if template.verified else None,
                    "rows": sum(b.rows.num_rows for b in result.blocks), "skipped": result.skipped_sheets})
    except FileRejected as exc:
        out.append({"rejected": exc.issue_code, "message": exc.message_en})
print(json.dumps(out))
"""


def _with_sheet(path, out, sheet: str, change) -> object:
    """A copy of the workbook ``path`` whose sheet ``sheet`` (by name) is ``change(xml)``, every other member as is."""
    import zipfile

    from ingest.limits import _worksheet_members

    with zipfile.ZipFile(path) as src:
        member = dict(_worksheet_members(src)[1])[sheet]
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info)
                dst.writestr(info, change(data.decode("utf-8")) if info.filename == member else data)
    return out


def test_a_template_measures_the_sheets_it_loads_and_an_ordinary_read_measures_all(tmp_path, lists):
    """A verified template loads its marker sheet and its list only: a hidden sheet it never loads (the codes sheet,
    a third of a big template) is not measured, so one breaching the limits does not stop it. The same file read as
    an ordinary list (another key) loads every sheet, so that sheet rejects it as before; and a list whose dimension
    hides a far cell is rejected before calamine sees it, as any sheet is."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    sent = _template(tmp_path / "sent", lists)
    codes = _with_sheet(sent, tmp_path / "codes_sheet_far.xlsx", "Mã", lambda xml: _FAR_CORNER)
    lying = _with_sheet(sent, tmp_path / "list_lying.xlsx", DATA_SHEET,
                        lambda xml: xml.replace("</sheetData>", _FAR_ROW + "</sheetData>"))  # fmt: skip
    key = os.environ["TRITHUC_PSEUDO_KEY"]
    files = [(str(codes), key), (str(codes), "another-key"), (str(lying), key)]
    root = Path(__file__).resolve().parents[2]
    run = subprocess.run(
        [sys.executable, "-c", _READ, json.dumps(files)], capture_output=True, text=True, cwd=root, timeout=300,
        env={**os.environ, "PYTHONPATH": str(root)},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    verified, ordinary, lied = json.loads(run.stdout.strip().splitlines()[-1])
    assert verified == {
        "verified": True, "rows": len(PEOPLE), "skipped": [],
        "counts": {"confirmed": 6, "edited": 0, "new": 0, "removed": 0, "removed_without_status": 0},
    }  # fmt: skip
    for rejected in (ordinary, lied):
        assert rejected["rejected"] == "sheet_too_large" and "XFD1,048,576" in rejected["message"], rejected
