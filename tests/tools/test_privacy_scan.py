"""The privacy scan finds a landed value wherever it hides (so that its 'none found' means something)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter

from ingest.connect import open_warehouse
from ingest.load import ensure_tables
from tools.privacy_scan import scan


def _store(tmp_path: Path) -> Path:
    warehouse = tmp_path / "trithuc.duckdb"
    with open_warehouse(warehouse) as con:
        ensure_tables(con)
        con.execute(
            "insert into pii.raw_persons (source_file, file_sha256, sheet_name, source_row, full_name, cccd, phone, "
            "email, birth_date, residence_ward) values "
            "('f.csv', 'h', '', 2, 'Nguyễn Thị Bích Ngọc', '075 190 012 345', '+84 912 000 111', "
            "'ngoc.nt@gmail.com', '07/03/1990', 'Số 12 đường Võ Thị Sáu, KP 3, P. Trấn Biên')"
        )
    return warehouse


def test_a_value_hidden_anywhere_is_found(tmp_path: Path) -> None:
    warehouse = _store(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("<p>Người nộp: NGUYỄN THỊ BÍCH NGỌC (đã kiểm tra)</p>", encoding="utf-8")
    pq.write_table(pa.table({"msg": ["dòng 3: CCCD 75190012345 sai"]}), out / "x.parquet")  # the 0 dropped
    book = xlsxwriter.Workbook(str(out / "x.xlsx"))
    book.add_worksheet().write_string(0, 0, "liên hệ 0912000111 hoặc ngoc.nt@gmail.com")
    book.close()
    (out / "log.txt").write_text("sinh ngày 7/3/1990 tại số 12 đường Võ Thị Sáu", encoding="utf-8")
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create table quality.leak as select 'gọi 0912 000 111' as a, 'khác' as b")  # spaced: no find
        con.execute("create schema marts")
        con.execute("create table marts.leak2 as select ['x', 'Ngọc: nguyen thi bich ngoc'] as names")
    _, hits = scan(warehouse, [out])
    found = {(Path(h.where).name if "/" in h.where else h.where, h.label.split("#")[0]) for h in hits}
    assert found == {
        ("report.html", "name"), ("x.parquet", "number"), ("x.xlsx", "number"), ("x.xlsx", "email"),
        ("log.txt", "birth_date"), ("log.txt", "address"), ("trithuc.duckdb:marts.leak2.names", "name"),
    }, found


def test_nothing_is_found_where_nothing_leaked(tmp_path: Path) -> None:
    warehouse = _store(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("<p>Phường Trấn Biên: 12 trí thức; hạn nộp 07/03/2026</p>", encoding="utf-8")
    assert scan(warehouse, [out])[1] == []
