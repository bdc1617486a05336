"""stg_submissions__persons on hand-written rows, through the real dbt view: what the unit scorecard counts as a
repeated row."""

from __future__ import annotations

from pathlib import Path

from raw_warehouse import create_raw_warehouse, run_dbt

from ingest.connect import open_warehouse


def _row(source_row: int, **cells: str) -> dict[str, object]:
    return {
        "source_file": "2026-H1/ward/26068/ds.xlsx", "sheet_name": "Danh sách", "source_row": source_row,
        "unit_code": "26068", "unit_kind": "ward", "period": "2026-H1", "file_sha256": "sha-repeats",
        "ingested_at": "2026-06-21 00:00:00", **cells,
    }


def test_a_repeated_row_has_the_same_content_hash_and_a_shifted_separator_does_not(tmp_path: Path) -> None:
    """Rows 2 and 3 repeat each other (the clerk pasted the person twice); rows 4 and 5 hold the same characters
    with a '|' at another cell boundary ('Bác sĩ|CKI' + 'Nội' against 'Bác sĩ' + 'CKI|Nội'): two different rows,
    which an MD5 of the cells joined by '|' took for one. An empty cell and a missing one are the same."""
    rows = [
        _row(2, full_name="Nguyễn Văn An", qualification="Bác sĩ", major="Nội khoa"),
        _row(3, full_name="Nguyễn Văn An", qualification="Bác sĩ", major="Nội khoa", note=""),
        _row(4, full_name="Trần Thị Bình", qualification="Bác sĩ|CKI", major="Nội"),
        _row(5, full_name="Trần Thị Bình", qualification="Bác sĩ", major="CKI|Nội"),
    ]
    warehouse = tmp_path / "wh.duckdb"
    create_raw_warehouse(warehouse, rows)
    result = run_dbt(warehouse, "run", "--select", "stg_submissions__persons", target_dir=tmp_path / "target")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    with open_warehouse(warehouse, read_only=True) as con:
        hashes = dict(con.execute(
            "select source_row, content_hash from pii.working.stg_submissions__persons").fetchall())
    assert hashes[2] == hashes[3]
    assert hashes[4] != hashes[5]
    assert len({hashes[2], hashes[4], hashes[5]}) == 3
