"""tools.compare_outputs: two runs' outputs compared table by table, export by export (issue #18's check that a
refactor leaves the outputs as they were)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd

from tools.compare_outputs import main


def _run(folder: Path, *, value: float, extra_column: bool = False, ran_at: str = "2026-12-01") -> Path:
    folder.mkdir()
    with duckdb.connect(str(folder / "wh.duckdb")) as con:
        con.execute("create schema marts")
        con.execute("create schema quality")
        con.execute(f"create table marts.indicator_values as select 'A1' as measure_code, {value} as value")
        # when the run happened differs between any two runs: not compared
        con.execute(
            f"create table quality.validation_results as select 'ok' as outcome, timestamp '{ran_at}' as run_at"
        )
    exports = folder / "exports" / "2026-H1"
    exports.mkdir(parents=True)
    frame = pd.DataFrame({"measure_code": ["A1", "A2"], "value": [value, 2.0]})
    if extra_column:
        frame["value_vi"] = ["một", "hai"]
    frame.to_parquet(exports / "chi_tieu.parquet")
    national = folder / "outbox" / "national" / "000001"
    national.mkdir(parents=True)
    (national / "records.jsonl").write_text(
        json.dumps({"cccd": "x", "datestamp": ran_at}) + "\n", encoding="utf-8"
    )
    return folder


def test_same_outputs_of_two_runs_compare_equal(tmp_path, capsys):
    before = _run(tmp_path / "before", value=1.0)
    after = _run(tmp_path / "after", value=1.0, extra_column=True, ran_at="2026-12-05")
    assert main([str(before), str(after)]) == 0
    out = capsys.readouterr().out
    assert "same marts.indicator_values" in out and "columns added: value_vi" in out
    assert "the outputs are the same" in out


def test_a_changed_value_is_reported(tmp_path, capsys):
    before = _run(tmp_path / "before", value=1.0)
    after = _run(tmp_path / "after", value=1.5)
    assert main([str(before), str(after)]) == 1
    out = capsys.readouterr().out
    assert "DIFF marts.indicator_values: rows 1 / 1, only before 1, only after 1" in out
    assert "DIFF exports/2026-H1/chi_tieu.parquet" in out


def test_a_column_the_later_run_lost_is_a_difference_and_an_added_export_is_named(tmp_path, capsys):
    before = _run(tmp_path / "before", value=1.0, extra_column=True)
    after = _run(tmp_path / "after", value=1.0)
    more = after / "exports" / "2026-H2"
    more.mkdir()
    pd.DataFrame({"measure_code": ["A1"]}).to_parquet(more / "chi_tieu.parquet")
    with duckdb.connect(str(before / "wh.duckdb")) as con:
        con.execute("alter table marts.indicator_values add column unit varchar default 'người'")
    assert main([str(before), str(after)]) == 1
    out = capsys.readouterr().out
    assert "DIFF marts.indicator_values: rows 1 / 1, only before 0, only after 0; columns lost: unit" in out
    assert "DIFF exports/2026-H1/chi_tieu.parquet: 2 / 2 rows; columns lost: value_vi" in out
    assert "added after: exports/2026-H2/chi_tieu.parquet" in out
