"""The accepted file kinds have one definition (ingest.readers.ACCEPTED_SUFFIXES), which the reader and the loader
both apply: a file gets the same treatment from either, read or rejected with the same reason.

.txt is read as delimited text (Excel's "Unicode Text" save: tab-separated UTF-16); .xlsb is rejected
(``unsupported_format``): ingest.limits cannot measure its binary sheets before the reader allocates them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest.connect import open_warehouse
from ingest.errors import UnsupportedFormat
from ingest.limits import _EXPECTED
from ingest.load import load_landing
from ingest.readers import ACCEPTED_SUFFIXES, read_file

UNIT = "2026-H1/ward/26068"
# What Excel writes for File > Save As > Unicode Text (*.txt): UTF-16 with its BOM, tab-separated, CRLF.
UNICODE_TEXT = "STT\tHọ và tên\tNăm sinh\tGiới tính\r\n1\tNguyễn Văn An\t1980\tNam\r\n2\tTrần Thị Bình\t1990\tNữ\r\n"


def _landed(tmp_path: Path, name: str, data: bytes) -> tuple[Path, Path]:
    landing = tmp_path / "landing"
    path = landing / UNIT / name
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    os.utime(path, (1_780_000_000, 1_780_000_000))
    return landing, path


def _manifest_and_issues(warehouse: Path) -> tuple[tuple, list[tuple]]:
    with open_warehouse(warehouse, read_only=True) as con:
        manifest = con.execute("select status, rows_loaded from quality.file_manifest").fetchone()
        issues = con.execute("select issue_code, message_vi, message_en from quality.ingest_row_issues").fetchall()
    return manifest, issues


def test_the_decisions_on_xlsb_and_txt() -> None:
    assert ".txt" in ACCEPTED_SUFFIXES and ".csv" in ACCEPTED_SUFFIXES
    assert ".xlsb" not in ACCEPTED_SUFFIXES
    assert {".xlsx", ".xlsm", ".xls", ".ods"} <= ACCEPTED_SUFFIXES


def test_the_limits_know_what_each_accepted_kind_may_hold_and_no_other_kind() -> None:
    assert set(_EXPECTED) == ACCEPTED_SUFFIXES


@pytest.mark.parametrize("name", ["danh_sach.txt", "DANH_SACH.TXT"])
def test_a_txt_file_is_read_by_the_reader_and_loaded_by_the_loader(tmp_path: Path, name: str) -> None:
    landing, path = _landed(tmp_path, name, UNICODE_TEXT.encode("utf-16"))
    result = read_file(path)
    assert [b.dataset for b in result.blocks] == ["persons"]
    assert [r for r in result.blocks[0].rows.column("row_kind").to_pylist()] == ["data", "data"]

    warehouse = tmp_path / "wh.duckdb"
    summary = load_landing(landing, warehouse)
    assert [f.status for f in summary.files] == ["loaded"]
    manifest, issues = _manifest_and_issues(warehouse)
    assert manifest == ("loaded", 2) and issues == []


@pytest.mark.parametrize("name", ["danh_sach.xlsb", "DANH_SACH.XLSB"])
def test_an_xlsb_file_is_rejected_by_both_with_the_same_reason(tmp_path: Path, name: str) -> None:
    # the content does not matter: the kind is refused by its name before anything is opened or hashed
    landing, path = _landed(tmp_path, name, b"PK\x03\x04 an Excel binary workbook")
    with pytest.raises(UnsupportedFormat) as refused:
        read_file(path)
    assert ".xlsx" in refused.value.message_en and name in refused.value.message_en

    warehouse = tmp_path / "wh.duckdb"
    summary = load_landing(landing, warehouse)
    assert [f.status for f in summary.files] == ["rejected"]
    manifest, issues = _manifest_and_issues(warehouse)
    assert manifest[0] == "rejected"
    assert issues == [("unsupported_format", refused.value.message_vi, refused.value.message_en)]
