"""read_file on workbooks and CSVs built in the test: layouts, row kinds, source rows, broken files."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
import xlsxwriter

from ingest.datasets import DATASETS
from ingest.errors import (
    EmptyFile,
    HeaderOnly,
    TruncatedWorkbook,
    UnrecognisedHeader,
    UnsupportedFormat,
    WrongFileKind,
)
from ingest.readers import ROW_KINDS, read_file
from ingest.text_repair import unicode_to_tcvn3, unicode_to_vni


def _workbook(
    path: Path, sheets: dict[str, list[tuple[int, int, object]]], merges=None, date_cells=()
) -> Path:
    """sheets: name -> [(row0, col0, value)]; merges: name -> [(r1, c1, r2, c2, text)]."""
    wb = xlsxwriter.Workbook(str(path))
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    for name, cells in sheets.items():
        ws = wb.add_worksheet(name)
        for r, c, v in cells:
            if isinstance(v, dt.datetime):
                ws.write_datetime(r, c, v, date_fmt)
            elif isinstance(v, str) and (r, c) in date_cells:
                ws.write_string(r, c, v)
            else:
                ws.write(r, c, v)
        for r1, c1, r2, c2, text in (merges or {}).get(name, []):
            ws.merge_range(r1, c1, r2, c2, text)
    wb.close()
    return path


def _row(r: int, c0: int, values: list[object]) -> list[tuple[int, int, object]]:
    return [(r, c0 + i, v) for i, v in enumerate(values) if v is not None]


def _rows(block) -> list[dict]:
    return block.rows.to_pylist()


@pytest.fixture
def ward_workbook(tmp_path: Path) -> Path:
    """Title lines, blank lines, empty leading rows/columns, a two-row Nam/Nữ header over a column-number
    row, blank/total/note rows below the data."""
    cells = []
    cells += _row(1, 1, ["ỦY BAN NHÂN DÂN XÃ LONG THÀNH"])
    cells += _row(2, 1, ["DANH SÁCH TRÍ THỨC TRÊN ĐỊA BÀN NĂM 2026"])
    # row 4 (0-based) = Excel row 5: parent header; row 5 = Excel row 6: child header
    cells += _row(4, 1, ["STT", "Họ và tên", None, None, "Số CCCD/ĐDCN", "Trình độ", None, "Ngày cập nhật"])
    cells += _row(5, 1, [None, None, "Nam", "Nữ", None, "Chuyên môn", "Học hàm", None])
    cells += _row(6, 1, ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"])
    cells += _row(
        7, 1, [1, "Nguyễn Văn Hùng", 1985, None, 79123456789, "Thạc sĩ", None, dt.datetime(2026, 3, 5)]
    )
    cells += _row(8, 1, [2, "Trần Thị Lan", None, 1990.0, "079123456789", "Tiến sĩ", "PGS", None])
    cells += _row(9, 1, [3, None, 1970, None, None, "Cử nhân", None, None])  # no name -> rejected
    # Excel row 11 blank
    cells += _row(11, 1, [4, "Lê Văn Tám", 1960, None, None, "Kỹ sư", None, None])
    cells += _row(12, 1, ["Tổng cộng", None, 3, 1, None, None, None, None])
    cells += _row(14, 2, ["Ghi chú: số liệu tính đến ngày 30/6/2026"])
    cells += _row(15, 6, ["Người lập biểu"])
    cells += _row(16, 6, ["(Ký, ghi rõ họ tên)"])
    cells += _row(19, 2, ["Phạm Thị Hoa"])
    merges = {"DS": [(4, 3, 4, 4, "Năm sinh")]}
    return _workbook(tmp_path / "ward.xlsx", {"DS": cells}, merges)


def test_workbook_layout_and_source_rows(ward_workbook: Path) -> None:
    result = read_file(ward_workbook)
    assert result.encoding == "xlsx"
    [block] = result.blocks
    assert block.dataset == "persons" and block.sheet_name == "DS"
    assert block.header_rows == (5, 6, 7)
    assert block.column_map == {
        "full_name": "Họ và tên",
        "birth_year_male": "Năm sinh Nam",
        "birth_year_female": "Năm sinh Nữ",
        "cccd": "Số CCCD/ĐDCN",
        "qualification": "Trình độ Chuyên môn",
        "academic_title": "Trình độ Học hàm",
        "updated_at": "Ngày cập nhật",
    }
    rows = _rows(block)
    kinds = {r["source_row"]: r["row_kind"] for r in rows}
    assert kinds == {
        8: "data",
        9: "data",
        10: "rejected",
        11: "blank",
        12: "data",
        13: "total",
        14: "blank",
        15: "note",
        16: "note",
        17: "note",
        18: "blank",
        19: "blank",
        20: "note",
    }
    # rows_read = every row below the header down to the last non-empty row
    assert block.rows_read == 20 - 7
    first, second, rejected = rows[0], rows[1], rows[2]
    assert first["full_name"] == "Nguyễn Văn Hùng"
    assert first["birth_year_male"] == "1985"  # not '1985.0'
    assert second["birth_year_female"] == "1990"
    assert first["updated_at"] == "2026-03-05"
    # a CCCD stored as a number has lost its leading zero; the digits that are there are kept
    assert first["cccd"] == "79123456789"
    assert second["cccd"] == "079123456789"
    assert second["academic_title"] == "PGS"
    assert rejected["issue_code"] == "missing_key" and rejected["issue_column"] == "full_name"
    assert "Họ và tên" in rejected["message_vi"] and rejected["message_en"]
    assert set(block.rows.column_names[7:]) == set(DATASETS["persons"].field_names)
    assert block.rows.column_names[:7] == [
        "source_row",
        "row_kind",
        "issue_code",
        "issue_column",
        "issue_value",
        "message_vi",
        "message_en",
    ]
    assert all(r["sex"] is None for r in rows)  # no such column in the file
    assert {k for k in ROW_KINDS} >= set(kinds.values())


def test_source_row_with_empty_leading_rows_and_columns(tmp_path: Path) -> None:
    cells = _row(9, 5, ["Họ và tên", "Năm sinh"]) + _row(10, 5, ["An", 1980]) + _row(12, 5, ["Bình", 1981])
    [block] = read_file(_workbook(tmp_path / "far.xlsx", {"S": cells})).blocks
    assert block.header_rows == (10,)
    assert [(r["source_row"], r["row_kind"], r["full_name"]) for r in _rows(block)] == [
        (11, "data", "An"),
        (12, "blank", None),
        (13, "data", "Bình"),
    ]


def test_all_sheets_are_examined(tmp_path: Path) -> None:
    sheets = {
        "Hướng dẫn": _row(0, 0, ["Hướng dẫn điền biểu mẫu"])
        + _row(2, 0, ["Họ và tên", "Ghi đầy đủ, có dấu"]),
        "Trí thức": _row(0, 0, ["STT", "Họ và tên", "Ngày sinh"]) + _row(1, 0, [1, "An", "01/02/1980"]),
        "Dân số": _row(0, 0, ["Phường, xã", "Năm", "Dân số"]) + _row(1, 0, ["Trấn Biên", 2025, 123456]),
        "Trống": [],
    }
    result = read_file(_workbook(tmp_path / "multi.xlsx", sheets))
    assert [(b.sheet_name, b.dataset) for b in result.blocks] == [
        ("Trí thức", "persons"),
        ("Dân số", "population"),
    ]
    skipped = dict(result.skipped_sheets)
    assert set(skipped) == {"Hướng dẫn", "Trống"}
    pop = _rows(result.blocks[1])[0]
    assert (pop["ward"], pop["year"], pop["population"]) == ("Trấn Biên", "2025", "123456")


def test_column_number_row_without_parentheses(tmp_path: Path) -> None:
    cells = (
        _row(0, 0, ["TT", "Họ tên", "Năm sinh"]) + _row(1, 0, ["1", "2", "3"]) + _row(2, 0, [1, "An", 1980])
    )
    [block] = read_file(_workbook(tmp_path / "n.xlsx", {"S": cells})).blocks
    assert block.header_rows == (1, 2)
    assert [(r["source_row"], r["full_name"]) for r in _rows(block)] == [(3, "An")]


def test_legacy_text_in_workbook_is_repaired(tmp_path: Path) -> None:
    cells = _row(0, 0, ["Họ và tên", "Nơi cư trú", "Email"])
    cells += _row(1, 0, [unicode_to_tcvn3("Nguyễn Văn Hùng"), unicode_to_vni("Phường Trấn Biên"), "a@b.vn"])
    cells += _row(2, 0, [unicodedata.normalize("NFD", "Đỗ Thị Hà"), "Müller", "müller@x.de"])
    [block] = read_file(_workbook(tmp_path / "legacy.xlsx", {"S": cells})).blocks
    rows = _rows(block)
    assert [r["full_name"] for r in rows] == ["Nguyễn Văn Hùng", "Đỗ Thị Hà"]
    assert [r["residence_ward"] for r in rows] == ["Phường Trấn Biên", "Müller"]
    assert {"tcvn3->unicode", "vni->unicode", "nfd->nfc"} <= set(block.repairs)


CSV_TEXT = (
    "STT,Họ và tên,Năm sinh,Số CCCD\n"
    "1,Nguyễn Văn Hùng,1985,079123456789\n"
    "\n"
    "2,,1990,001\n"
    "3,Trần Thị Lan,1991,002,thừa\n"
    '4,"Lê Văn\nTám",1960,003\n'
    "5,Phạm Hoa,1970\n"
    "Tổng cộng,,,\n"
    "Người lập biểu,,,\n"
)


def test_csv_rows_and_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(CSV_TEXT.encode("utf-8"))
    result = read_file(path)
    assert result.encoding == "utf-8"
    [block] = result.blocks
    assert block.sheet_name == "" and block.header_rows == (1,)
    got = [(r["source_row"], r["row_kind"], r["issue_code"], r["full_name"]) for r in _rows(block)]
    assert got == [
        (2, "data", None, "Nguyễn Văn Hùng"),
        (3, "blank", None, None),
        (4, "rejected", "missing_key", None),
        (5, "rejected", "too_many_fields", "Trần Thị Lan"),
        (6, "data", None, "Lê Văn\nTám"),
        (8, "data", None, "Phạm Hoa"),  # a short line is padded, not lost
        (9, "total", None, None),
        (10, "note", None, None),
    ]
    # the rejected line is described, never quoted: it holds a person's name and data
    assert _rows(block)[3]["issue_value"] == "5 ô / 5 fields"
    assert _rows(block)[0]["cccd"] == "079123456789"  # text keeps its leading zero


@pytest.mark.parametrize(
    ("encode", "encoding"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "utf-8-sig"),
        (lambda t: b"\xff\xfe" + t.encode("utf-16-le"), "utf-16-le"),
        (lambda t: t.encode("utf-16-be"), "utf-16-be"),
        (lambda t: unicode_to_tcvn3(t).encode("latin-1"), "tcvn3"),
        (lambda t: unicode_to_vni(t).encode("latin-1"), "vni"),
        (lambda t: unicodedata.normalize("NFD", t).encode("utf-8"), "utf-8"),
    ],
)
def test_csv_encodings(tmp_path: Path, encode, encoding: str) -> None:
    text = "Số TT;Họ và tên;Nơi cư trú;Trình độ chuyên môn\n1;Nguyễn Văn Hùng;Phường Trấn Biên;Thạc sĩ\n"
    path = tmp_path / "e.csv"
    path.write_bytes(encode(text))
    result = read_file(path)
    assert result.encoding == encoding
    [row] = _rows(result.blocks[0])
    assert (row["full_name"], row["residence_ward"], row["qualification"]) == (
        "Nguyễn Văn Hùng",
        "Phường Trấn Biên",
        "Thạc sĩ",
    )


def test_csv_with_title_lines(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("DANH SÁCH TRÍ THỨC,,\n,,\nHọ và tên,Năm sinh,Ghi chú\nAn,1980,\n", encoding="utf-8")
    [block] = read_file(path).blocks
    assert block.header_rows == (3,)
    assert [(r["source_row"], r["full_name"]) for r in _rows(block)] == [(4, "An")]


# --- broken files ------------------------------------------------------------------------------------------
def test_empty_files(tmp_path: Path) -> None:
    for name in ("e.csv", "e.xlsx"):
        (tmp_path / name).write_bytes(b"")
        with pytest.raises(EmptyFile) as err:
            read_file(tmp_path / name)
        assert "Tệp rỗng" in err.value.message_vi and err.value.issue_code == "empty_file"
    (tmp_path / "blank.csv").write_text("\n \n", encoding="utf-8")
    with pytest.raises(EmptyFile):
        read_file(tmp_path / "blank.csv")
    with pytest.raises(EmptyFile):
        read_file(_workbook(tmp_path / "blank.xlsx", {"A": [], "B": []}))


def test_header_only(tmp_path: Path) -> None:
    (tmp_path / "h.csv").write_text("STT,Họ và tên,Năm sinh\n1,,\n2,,\n", encoding="utf-8")
    with pytest.raises(HeaderOnly) as err:
        read_file(tmp_path / "h.csv")
    assert err.value.issue_code == "header_only"
    with pytest.raises(HeaderOnly):
        read_file(_workbook(tmp_path / "h.xlsx", {"S": _row(2, 0, ["Họ và tên", "Năm sinh"])}))


def test_truncated_workbook(tmp_path: Path, ward_workbook: Path) -> None:
    data = ward_workbook.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(TruncatedWorkbook) as err:
        read_file(cut)
    assert "gửi lại" in err.value.message_vi
    # a text file named .xlsx is told by its content, not called corrupt (ingest.limits.sniff_kind)
    (tmp_path / "text.xlsx").write_text("this is not a workbook", encoding="utf-8")
    with pytest.raises(WrongFileKind):
        read_file(tmp_path / "text.xlsx")


def test_unrecognised_header_lists_what_was_seen(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "u.xlsx", {"S": _row(0, 0, ["Sở thích", "Màu mắt"]) + _row(1, 0, ["x", "y"])})
    with pytest.raises(UnrecognisedHeader) as err:
        read_file(path)
    assert "Sở thích" in err.value.message_vi and "Màu mắt" in err.value.message_en


def test_unsupported_format(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    with pytest.raises(UnsupportedFormat):
        read_file(tmp_path / "a.pdf")


def test_csv_whitespace_only_cells_are_empty(tmp_path: Path) -> None:
    path = tmp_path / "ws.csv"
    path.write_text("Họ và tên,Năm sinh\r\nAn,1980\r\n  , \r\n ,1990\r\n", encoding="utf-8")
    rows = _rows(read_file(path).blocks[0])
    assert [(r["source_row"], r["row_kind"]) for r in rows] == [(2, "data"), (3, "blank"), (4, "rejected")]


# --- Rules added for the clerks' files (each a generic layout, built here) ---------------------------------
_PERSON_HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Trình độ chuyên môn", "Chức vụ"]


def _person(i: int, name: str | None) -> list[object]:
    return [i, name, "01/02/1980", "Nam", "Kinh", "Thạc sĩ", "Trưởng phòng"]


def _kinds(block) -> dict[int, str]:
    return {r["source_row"]: r["row_kind"] for r in block.rows.to_pylist()}


@pytest.mark.parametrize(
    "total_cells",
    [
        ["Tổng số", "2 người"],  # label in the STT column, head count in the name column
        [None, "Cộng: 2 người"],  # label and count in the name column
        ["TỔNG CỘNG", None],
        [None, "Tổng số: 2"],
    ],
)
def test_total_rows_as_clerks_write_them(tmp_path: Path, total_cells: list[object]) -> None:
    cells = _row(0, 0, _PERSON_HEADER) + _row(1, 0, _person(1, "An")) + _row(2, 0, _person(2, "Bình"))
    cells += _row(3, 0, total_cells)
    [block] = read_file(_workbook(tmp_path / "t.xlsx", {"DS": cells})).blocks
    assert _kinds(block) == {2: "data", 3: "data", 4: "total"}


def test_a_name_starting_like_a_total_word_is_data(tmp_path: Path) -> None:
    cells = _row(0, 0, _PERSON_HEADER) + _row(1, 0, _person(1, "Tống Văn Minh"))
    cells += _row(2, 0, _person(2, "Tong Van Cong"))
    [block] = read_file(_workbook(tmp_path / "t.xlsx", {"DS": cells})).blocks
    assert _kinds(block) == {2: "data", 3: "data"}


def test_header_merged_over_an_empty_second_line(tmp_path: Path) -> None:
    """Each header cell merged over two lines: the empty second line is header, not a blank data row."""
    cells = _row(3, 0, [1, "Nguyễn An", "01/02/1980", "Nam", "Kinh", "ĐH", None])
    merges = {"DS": [(1, c, 2, c, text) for c, text in enumerate(_PERSON_HEADER)]}
    [block] = read_file(_workbook(tmp_path / "m.xlsx", {"DS": cells}, merges)).blocks
    assert block.header_rows == (2, 3)
    assert _kinds(block) == {4: "data"}


def test_blank_line_under_an_unmerged_header_is_a_blank_row(tmp_path: Path) -> None:
    cells = _row(0, 0, _PERSON_HEADER) + _row(2, 0, _person(1, "An"))
    [block] = read_file(_workbook(tmp_path / "b.xlsx", {"DS": cells})).blocks
    assert block.header_rows == (1,)
    assert _kinds(block) == {2: "blank", 3: "data"}


def test_two_line_header_with_sub_labels_and_column_numbers(tmp_path: Path) -> None:
    """'Nơi cư trú' over 'Phường, xã' | 'Huyện, TP (cũ)', then the '(1) (2) ...' line: all three are header."""
    top = ["STT", "Họ và tên", "Dân tộc", "Nơi cư trú", None, "Ghi chú"]
    sub = [None, None, None, "Phường, xã", "Huyện, TP (cũ)", None]
    cells = _row(0, 0, top) + _row(1, 0, sub) + _row(2, 0, [f"({i})" for i in range(1, 7)])
    cells += _row(3, 0, [1, "Trần Bình", "Kinh", "Xã Long Hưng", "Thành phố Biên Hòa", None])
    [block] = read_file(_workbook(tmp_path / "h.xlsx", {"DS": cells})).blocks
    assert block.header_rows == (1, 2, 3)
    [row] = block.rows.to_pylist()
    assert (row["residence_ward"], row["residence_district"]) == ("Xã Long Hưng", "Thành phố Biên Hòa")


@pytest.mark.parametrize(
    "header,values,expected",
    [
        (["Nữ"], [["x"], [None], ["X"]], ["Nữ", None, "Nữ"]),  # only women ticked: no tick says nothing
        (["Nam", "Nữ"], [["x", None], [None, "x"], [None, None]], ["Nam", "Nữ", None]),
    ],
)
def test_sex_tick_columns(tmp_path: Path, header, values, expected) -> None:
    width = len(header)
    parent = ["STT", "Họ và tên", "Giới tính", *([None] * (width - 1)), "Dân tộc"]
    child = [None, None, *header, None]
    cells = _row(0, 0, parent) + _row(1, 0, child)
    for i, ticks in enumerate(values):
        cells += _row(2 + i, 0, [i + 1, f"Người {i}", *ticks, "Kinh"])
    merges = {"DS": [(0, 2, 0, 1 + width, "Giới tính")]} if width > 1 else {}
    [block] = read_file(_workbook(tmp_path / "x.xlsx", {"DS": cells}, merges)).blocks
    assert [r["sex"] for r in block.rows.to_pylist()] == expected
    assert "sex" in block.column_map


def test_lone_female_tick_column_without_parent(tmp_path: Path) -> None:
    cells = _row(0, 0, ["STT", "Họ và tên", "Nữ", "Dân tộc"])
    cells += _row(1, 0, [1, "Lan", "x", "Kinh"]) + _row(2, 0, [2, "Minh", None, "Kinh"])
    [block] = read_file(_workbook(tmp_path / "f.xlsx", {"DS": cells})).blocks
    assert [r["sex"] for r in block.rows.to_pylist()] == ["Nữ", None]


def test_birth_year_under_nam_nu(tmp_path: Path) -> None:
    cells = _row(0, 0, ["STT", "Họ và tên", "Năm sinh", None, "Dân tộc"])
    cells += _row(1, 0, [None, None, "Nam", "Nữ", None])
    cells += _row(2, 0, [1, "An", 1980, None, "Kinh"]) + _row(3, 0, [2, "Lan", None, "1990", "Kinh"])
    merges = {"DS": [(0, 2, 0, 3, "Năm sinh")]}
    [block] = read_file(_workbook(tmp_path / "y.xlsx", {"DS": cells}, merges)).blocks
    rows = block.rows.to_pylist()
    assert [(r["birth_year_male"], r["birth_year_female"], r["sex"]) for r in rows] == [
        ("1980", None, None),
        (None, "1990", None),
    ]


def _tcvn3_sheet() -> list[tuple[int, int, object]]:
    """A whole sheet typed with a .VnTime font: title, header, upper-case names, footer and signature."""
    enc = unicode_to_tcvn3
    cells = _row(0, 0, [enc("ỦY BAN NHÂN DÂN XÃ LONG THÀNH")])
    cells += _row(2, 0, [enc(h) for h in ["STT", "Họ tên", "GT", "DT", "TĐCM", "Ghi chú"]])
    cells += _row(3, 0, [1, enc("NGUYỄN THỊ LAN"), enc("Nữ"), "Kinh", enc("ĐH"), None])
    cells += _row(4, 0, [2, enc("PHẠM HOÀNG TÍN"), "Nam", enc("Xtiêng"), "TS", enc("Mới bổ sung")])
    cells += _row(
        6, 0, [enc("Ghi chú: - Trình độ chuyên môn ghi trình độ cao nhất; - Cột tình trạng ghi rõ.")]
    )
    cells += _row(7, 4, [enc("Long Khánh, ngày 24 tháng 11 năm 2025")])
    cells += _row(8, 1, [enc("NGƯỜI LẬP BIỂU")]) + _row(8, 4, [enc("TM. ỦY BAN NHÂN DÂN - CHỦ TỊCH")])
    cells += _row(11, 1, [enc("Nguyễn Thị Bích Ngọc")]) + _row(11, 4, [enc("Võ Thanh Bình")])
    return cells


def test_tcvn3_sheet_is_repaired_before_rows_are_classified(tmp_path: Path) -> None:
    [block] = read_file(_workbook(tmp_path / "tcvn3.xlsx", {"DS": _tcvn3_sheet()})).blocks
    assert block.column_map["qualification"] == "TĐCM"
    assert block.column_map["ethnicity"] == "DT"
    kinds = [k for _, k in sorted(_kinds(block).items())]
    assert kinds == ["data", "data", "blank", "note", "note", "note", "blank", "blank", "note"]
    data = [r for r in block.rows.to_pylist() if r["row_kind"] == "data"]
    assert [(r["full_name"], r["sex"], r["ethnicity"], r["qualification"]) for r in data] == [
        ("NGUYỄN THỊ LAN", "Nữ", "Kinh", "ĐH"),
        ("PHẠM HOÀNG TÍN", "Nam", "Xtiêng", "TS"),
    ]
    assert "tcvn3->unicode" in block.repairs


def test_tcvn3_csv_upper_case_names(tmp_path: Path) -> None:
    text = "STT,Họ và tên,Giới tính,Dân tộc\r\n1,NGUYỄN THỊ LAN,Nữ,Kinh\r\n2,Trần Hà,Nam,Xtiêng\r\n"
    path = tmp_path / "l.csv"
    path.write_bytes(unicode_to_tcvn3(text).encode("latin-1"))
    [block] = read_file(path).blocks
    assert [r["full_name"] for r in block.rows.to_pylist()] == ["NGUYỄN THỊ LAN", "Trần Hà"]


def test_sheet_without_data_keeps_its_rows_accounted(tmp_path: Path) -> None:
    """A second list left empty (header, footer, signer's name in the name column): its rows are read and
    skipped; the signer is not a person."""
    full = _row(0, 0, _PERSON_HEADER) + _row(1, 0, _person(1, "An"))
    empty = _row(0, 0, _PERSON_HEADER) + _row(2, 0, ["Ghi chú: danh sách hợp đồng chưa có."])
    empty += _row(3, 1, ["Người lập biểu"]) + _row(6, 1, ["Nguyễn Thị Bích Ngọc"])
    result = read_file(_workbook(tmp_path / "two.xlsx", {"Biên chế": full, "Hợp đồng": empty}))
    by_sheet = {b.sheet_name: _kinds(b) for b in result.blocks}
    assert by_sheet["Biên chế"] == {2: "data"}
    assert by_sheet["Hợp đồng"] == {2: "blank", 3: "note", 4: "note", 5: "blank", 6: "blank", 7: "note"}


def test_nfd_sheet_name_is_reported_nfc(tmp_path: Path) -> None:
    name = unicodedata.normalize("NFD", "Biểu 01")
    cells = _row(0, 0, _PERSON_HEADER) + _row(1, 0, _person(1, "An"))
    [block] = read_file(_workbook(tmp_path / "n.xlsx", {name: cells})).blocks
    assert block.sheet_name == unicodedata.normalize("NFC", "Biểu 01")


def test_statistics_office_population_header(tmp_path: Path) -> None:
    header = ["STT", "Mã xã", "Tên đơn vị hành chính", "Dân số trung bình (người)", "Nam", "Nữ"]
    cells = _row(0, 0, ["DÂN SỐ TRUNG BÌNH PHÂN THEO XÃ, PHƯỜNG NĂM 2025"]) + _row(2, 0, header)
    cells += _row(3, 0, [1, "25057", "Xã A", 1000, 490, 510]) + _row(4, 0, [None, None, "Tổng cộng", 1000])
    [block] = read_file(_workbook(tmp_path / "p.xlsx", {"Dan so": cells})).blocks
    assert block.dataset == "population"
    assert _kinds(block) == {4: "data", 5: "total"}
    assert block.rows.to_pylist()[0]["ward"] == "25057"


def test_utf8_csv_holding_text_typed_in_a_legacy_font(tmp_path: Path) -> None:
    """TCVN3 bytes read as Latin-1 and saved as UTF-8: header 'T§CM' and capital names are repaired too."""
    lines = ["STT,Họ tên,GT,TĐCM", "1,NGUYỄN THỊ LAN,Nữ,ĐH", "2,Trần Văn Bình,Nam,Thạc sĩ"]
    path = tmp_path / "u.csv"
    path.write_text("\r\n".join(unicode_to_tcvn3(line) for line in lines) + "\r\n", encoding="utf-8")
    [block] = read_file(path).blocks
    assert block.column_map["qualification"] == "TĐCM"
    assert [(r["full_name"], r["qualification"]) for r in block.rows.to_pylist()] == [
        ("NGUYỄN THỊ LAN", "ĐH"),
        ("Trần Văn Bình", "Thạc sĩ"),
    ]


def test_csv_invalid_utf8_only_after_the_sample_is_decoded_not_lost(tmp_path: Path) -> None:
    """UTF-8 is checked on a sample up front; a Windows-1258 row far down still sends the file to decoding."""
    from samples.legacy_encodings import encode_cp1258

    lines = ["STT,Ho va ten,Dan toc"] + [f"{i},Nguyen Van {i},Kinh" for i in range(1, 4001)]
    body = ("\r\n".join(lines) + "\r\n").encode("ascii")
    path = tmp_path / "late.csv"
    path.write_bytes(body + encode_cp1258("4001,Nguyễn Thị Lan,Kinh\r\n"))
    assert len(body) > 1 << 16
    result = read_file(path)
    [block] = result.blocks
    assert result.encoding == "cp1258"
    rows = block.rows.to_pylist()
    assert len(rows) == 4001 and rows[-1]["full_name"] == "Nguyễn Thị Lan" and rows[-1]["source_row"] == 4002


def test_nam_nu_columns_holding_years_are_birth_years(tmp_path: Path) -> None:
    """'Nam' | 'Nữ' in a one-line header with years below: the two-column birth-year layout, not ticks."""
    cells = _row(0, 0, ["STT", "Họ và tên", "Nam", "Nữ", "Dân tộc"])
    cells += _row(1, 0, [1, "An", 1980, None, "Kinh"]) + _row(2, 0, [2, "Lan", None, "1990", "Kinh"])
    [block] = read_file(_workbook(tmp_path / "yn.xlsx", {"DS": cells})).blocks
    rows = block.rows.to_pylist()
    assert [(r["birth_year_male"], r["birth_year_female"], r["sex"]) for r in rows] == [
        ("1980", None, None),
        (None, "1990", None),
    ]
    assert block.column_map["birth_year_male"] == "Nam" and "sex" not in block.column_map


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("DÂN SỐ TRUNG BÌNH PHÂN THEO XÃ, PHƯỜNG NĂM 2025", "2025"),
        ("Dân số trung bình năm 2024 (sơ bộ)", "2024"),
        ("DÂN SỐ TRUNG BÌNH PHÂN THEO XÃ, PHƯỜNG", None),  # no year stated
        ("Dân số năm 2024 và năm 2025", None),  # two years: ambiguous
        ("Dân số năm học 2025-2026", None),  # a span, not one year
    ],
)
def test_year_from_the_title_when_the_table_has_no_year_column(tmp_path: Path, title: str, year) -> None:
    header = ["STT", "Mã xã", "Dân số trung bình (người)"]
    cells = _row(0, 0, [title]) + _row(2, 0, header) + _row(3, 0, [1, "25057", 1000])
    [block] = read_file(_workbook(tmp_path / "p.xlsx", {"Dan so": cells})).blocks
    assert block.rows.to_pylist()[0]["year"] == year
    assert ("year" in block.column_map) == (year is not None)


def test_a_year_column_wins_over_the_title(tmp_path: Path) -> None:
    cells = _row(0, 0, ["DÂN SỐ NĂM 2025"]) + _row(1, 0, ["Mã xã", "Năm", "Dân số"])
    cells += _row(2, 0, ["25057", "2024", 1000])
    [block] = read_file(_workbook(tmp_path / "p.xlsx", {"Dan so": cells})).blocks
    assert block.rows.to_pylist()[0]["year"] == "2024"


# --- Section rows: group headings inside the table ---------------------------------------------------------
def _section_rows(block) -> list[tuple[int, str, str | None]]:
    return [(r["source_row"], r["row_kind"], r["section"]) for r in block.rows.to_pylist()]


def test_section_rows_are_skipped_and_carried_to_the_rows_below(tmp_path: Path) -> None:
    """A hospital's list as clerks make it: headings in capitals, with Roman numerals or letters in the STT column
    or inline, a school's name merged across the table in title case, a heading ending with ':'."""
    cells = _row(0, 0, ["DANH SÁCH TRÍ THỨC NGÀNH Y TẾ NĂM 2026"]) + _row(2, 0, _PERSON_HEADER)
    cells += _row(3, 0, ["I. TRÍ THỨC ĐANG CÔNG TÁC"])  # inline marker, label in the STT column
    cells += _row(4, 0, [None, "BỆNH VIỆN ĐA KHOA ĐỒNG NAI"])  # capitals in the name column
    cells += _row(5, 0, _person(1, "Nguyễn Văn An"))
    cells += _row(6, 0, ["A", "Trung tâm Y tế Long Khánh"])  # a letter marker, title case
    cells += _row(7, 0, _person(2, "Trần Thị Bình"))
    cells += _row(8, 0, [3, "Lê Văn Cường"])  # a person with nothing but the name: stays a data row
    # Excel row 10: a school's name merged across the table (title case, no marker)
    cells += _row(10, 0, _person(4, "Phạm Thị Dung"))
    cells += _row(11, 0, ["II", "Trí thức đã nghỉ hưu"])
    cells += _row(12, 0, _person(5, "Võ Văn Em"))
    cells += _row(13, 0, [None, "Khối trường học:"])
    cells += _row(14, 0, _person(6, None))  # no name: rejected, and still told its section
    cells += _row(15, 0, ["Tổng cộng", "6 người"])
    cells += _row(17, 1, ["Người lập biểu"])
    merges = {"DS": [(9, 0, 9, 6, "Trường Mầm non Hoa Sen")]}
    [block] = read_file(_workbook(tmp_path / "s.xlsx", {"DS": cells}, merges)).blocks
    assert block.title_lines == ["DANH SÁCH TRÍ THỨC NGÀNH Y TẾ NĂM 2026"]
    first = "TRÍ THỨC ĐANG CÔNG TÁC"
    hospital = f"{first} » BỆNH VIỆN ĐA KHOA ĐỒNG NAI"
    centre = f"{hospital} » Trung tâm Y tế Long Khánh"
    school = f"{centre} » Trường Mầm non Hoa Sen"
    retired = "Trí thức đã nghỉ hưu"  # a sibling of 'TRÍ THỨC ĐANG CÔNG TÁC': closes it and all under it
    assert _section_rows(block) == [
        (4, "section", None),
        (5, "section", None),
        (6, "data", hospital),
        (7, "section", None),
        (8, "data", centre),
        (9, "data", centre),
        (10, "section", None),
        (11, "data", school),
        (12, "section", None),
        (13, "data", retired),
        (14, "section", None),
        (15, "rejected", f"{retired} » Khối trường học"),
        (16, "total", None),
        (17, "blank", None),
        (18, "note", None),
    ]
    assert "section" in ROW_KINDS and block.count("section") == 6


def test_sections_keep_the_last_six_labels(tmp_path: Path) -> None:
    cells = _row(0, 0, _PERSON_HEADER)
    words = ["KHỐI", "NGÀNH", "CỤM", "TỔ", "NHÓM", "ĐỘI", "BAN", "BỘ PHẬN"]  # eight nested headings
    for i, word in enumerate(words):
        cells += _row(1 + i, 0, [f"{'IVX'[i % 3]}", f"{word} SỐ {i + 1}"])
    cells += _row(9, 0, _person(1, "Nguyễn Văn An"))
    [block] = read_file(_workbook(tmp_path / "d.xlsx", {"DS": cells})).blocks
    [row] = [r for r in block.rows.to_pylist() if r["row_kind"] == "data"]
    assert row["section"] == " » ".join(f"{w} SỐ {i + 1}" for i, w in enumerate(words) if i >= 2)


def test_a_sibling_heading_closes_the_one_before_it(tmp_path: Path) -> None:
    """'KHOA ĐIỀU DƯỠNG' and then 'KHOA DƯỢC' are two faculties, not one inside the other."""
    cells = _row(0, 0, _PERSON_HEADER)
    cells += _row(1, 0, ["I", "TRƯỜNG CAO ĐẲNG Y TẾ ĐỒNG NAI"])
    cells += _row(2, 0, [None, "KHOA ĐIỀU DƯỠNG"])
    cells += _row(3, 0, _person(1, "Nguyễn Văn An"))
    cells += _row(4, 0, [None, "KHOA DƯỢC"])
    cells += _row(5, 0, _person(2, "Trần Thị Bình"))
    [block] = read_file(_workbook(tmp_path / "k.xlsx", {"DS": cells})).blocks
    data = [r["section"] for r in block.rows.to_pylist() if r["row_kind"] == "data"]
    assert data == ["TRƯỜNG CAO ĐẲNG Y TẾ ĐỒNG NAI » KHOA ĐIỀU DƯỠNG", "TRƯỜNG CAO ĐẲNG Y TẾ ĐỒNG NAI » KHOA DƯỢC"]


def test_csv_section_lines(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "STT,Họ và tên,Năm sinh,Giới tính,Trình độ chuyên môn\n"
        "A,MẦM NON,,,\n"
        "1,Nguyễn Thị Lan,1990,Nữ,Đại học\n"
        ",TIỂU HỌC,,,\n"
        "2,Trần Văn Bình,1985,Nam,Thạc sĩ\n"
        ",Nguyễn Văn Cường,,,\n",
        encoding="utf-8",
    )
    [block] = read_file(path).blocks
    assert _section_rows(block) == [
        (2, "section", None),
        (3, "data", "MẦM NON"),
        (4, "section", None),
        (5, "data", "MẦM NON » TIỂU HỌC"),
        (6, "data", "MẦM NON » TIỂU HỌC"),  # a title-case name alone is a person
    ]


def test_title_case_headings_that_begin_with_an_organisation_word(tmp_path: Path) -> None:
    """A school's or faculty's name typed alone in the name column, in title case, with no marker and no merge:
    it begins with a heading word (seeds/synonyms/section_heading_words.csv), which no person's name does."""
    path = tmp_path / "gv.csv"
    path.write_text(
        "STT,Họ và tên,Năm sinh,Giới tính,Trình độ chuyên môn\n"
        ",Trường Tiểu học Tân Mai,,,\n"
        "1,Nguyễn Thị Lan,1990,Nữ,Đại học\n"
        ",Khoa Công nghệ thông tin,,,\n"
        "2,Trương Văn Bình,1985,Nam,Thạc sĩ\n"
        ",Trương Thị Khoa,,,\n"
        ",Tổng cộng,,,\n",
        encoding="utf-8",
    )
    [block] = read_file(path).blocks
    assert _section_rows(block) == [
        (2, "section", None),
        (3, "data", "Trường Tiểu học Tân Mai"),
        (4, "section", None),
        (5, "data", "Trường Tiểu học Tân Mai » Khoa Công nghệ thông tin"),
        (6, "data", "Trường Tiểu học Tân Mai » Khoa Công nghệ thông tin"),  # 'Trương' is a family name
        (7, "total", None),
    ]


def test_section_heading_in_a_tcvn3_sheet_is_read_after_repair(tmp_path: Path) -> None:
    enc = unicode_to_tcvn3
    cells = _row(0, 0, [enc(h) for h in ["STT", "Họ tên", "GT", "DT", "TĐCM"]])
    cells += _row(1, 0, ["I", enc("Trường Trung học cơ sở Long Thành")])
    cells += _row(2, 0, [1, enc("Nguyễn Thị Lan"), enc("Nữ"), "Kinh", enc("ĐH")])
    [block] = read_file(_workbook(tmp_path / "t.xlsx", {"DS": cells})).blocks
    assert _section_rows(block) == [
        (2, "section", None),
        (3, "data", "Trường Trung học cơ sở Long Thành"),
    ]


def test_capitals_say_nothing_in_a_list_of_names_in_capitals(tmp_path: Path) -> None:
    """Names written in capitals: a row with only 'NGUYỄN VĂN CƯỜNG' is a person; a marked heading is a section."""
    cells = _row(0, 0, _PERSON_HEADER) + _row(1, 0, ["I", "KHOA NỘI"])
    cells += _row(2, 0, _person(1, "NGUYỄN VĂN AN")) + _row(3, 0, _person(2, "TRẦN THỊ BÌNH"))
    cells += _row(4, 0, [3, "NGUYỄN VĂN CƯỜNG"])
    [block] = read_file(_workbook(tmp_path / "c.xlsx", {"DS": cells})).blocks
    assert _section_rows(block) == [
        (2, "section", None),
        (3, "data", "KHOA NỘI"),
        (4, "data", "KHOA NỘI"),
        (5, "data", "KHOA NỘI"),
    ]


def test_a_lone_label_right_of_the_name_column_is_not_a_heading(tmp_path: Path) -> None:
    cells = _row(0, 0, _PERSON_HEADER) + _row(1, 0, _person(1, "Nguyễn Văn An"))
    cells += _row(2, 0, [None, None, None, None, None, "THẠC SĨ"])  # a stray cell, not merged: rejected
    [block] = read_file(_workbook(tmp_path / "r.xlsx", {"DS": cells})).blocks
    assert _kinds(block) == {2: "data", 3: "rejected"}


def test_datasets_without_a_section_field_keep_their_rules(tmp_path: Path) -> None:
    header = ["STT", "Mã xã", "Tên đơn vị hành chính", "Dân số trung bình (người)"]
    cells = _row(0, 0, header) + _row(1, 0, ["I", None, "KHU VỰC PHÍA BẮC"]) + _row(2, 0, [1, "25057", "Xã A", 1000])
    [block] = read_file(_workbook(tmp_path / "p.xlsx", {"Dan so": cells})).blocks
    assert block.dataset == "population" and "section" not in block.rows.column_names
    assert _kinds(block) == {2: "rejected", 3: "data"}
