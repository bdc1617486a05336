"""`make sql` opens the readers' snapshot read-only and answers statements."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb


def _snapshot(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("create table marts.indicator_values as select 'C1' as indicator_code, 13.5 as value")
    con.close()


def test_one_statement_and_the_table_list(tmp_path: Path) -> None:
    db = tmp_path / "trithuc.duckdb"
    _snapshot(db)
    cmd = [sys.executable, "-m", "orchestration.sql_shell", str(db)]
    out = subprocess.run([*cmd, "-c", "select indicator_code, value from marts.indicator_values;"],
                         capture_output=True, text=True, check=True).stdout
    assert "C1" in out and "13.5" in out
    session = subprocess.run(cmd, input=".tables\nselect count(*)\n as n from marts.indicator_values;\n.quit\n",
                             capture_output=True, text=True, check=True).stdout
    assert "marts.indicator_values" in session and "(read-only)" in session


def test_it_never_writes(tmp_path: Path) -> None:
    db = tmp_path / "trithuc.duckdb"
    _snapshot(db)
    out = subprocess.run([sys.executable, "-m", "orchestration.sql_shell", str(db), "-c", "drop table marts.indicator_values"],
                         capture_output=True, text=True, check=True).stdout
    assert "read-only" in out.lower()
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from marts.indicator_values").fetchone() == (1,)
    con.close()
