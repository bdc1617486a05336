"""Issue #17: timeliness is judged on when the warehouse first saw a file (quality.file_manifest.received_at),
and not judged at all for what came with the warehouse's first load (received_on_setup)."""

from __future__ import annotations

from ingest.connect import open_warehouse
from tests.small_warehouse import PERIOD, build_scorecard, copy_warehouse


def _card(warehouse, unit: str) -> dict:
    with open_warehouse(warehouse, read_only=True) as con:
        cur = con.execute(
            "select submission_status, is_on_time, days_late, datasets_late, datasets_received_on_setup "
            "from quality.unit_scorecard where unit_code = ? and period = ?",
            [unit, PERIOD],
        )
        names = [d[0] for d in cur.description]
        return dict(zip(names, cur.fetchone(), strict=True))


def test_a_late_file_loaded_with_the_warehouse_is_not_called_late(base_warehouse, tmp_path):
    path = copy_warehouse(base_warehouse, tmp_path / "trithuc.duckdb")
    with open_warehouse(path) as con:  # LHU's file came with the warehouse's very first load
        con.execute("update quality.file_manifest set received_on_setup = true where unit_code = 'LHU'")
    build_scorecard(path, tmp_path)
    lhu = _card(path, "LHU")
    assert lhu["is_on_time"] is None and lhu["days_late"] == 0 and lhu["datasets_late"] == ""
    assert lhu["datasets_received_on_setup"] == "persons" and lhu["submission_status"] != "late"
    clean = _card(path, "26068")  # received in a later pass, before the deadline: on time
    assert clean["is_on_time"] is True and clean["datasets_received_on_setup"] == ""
