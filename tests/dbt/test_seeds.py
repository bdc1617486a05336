"""Seeds are rebuilt on every run, so a code list or synonyms file whose columns changed loads into an existing
warehouse (a quality officer adding a column must not break the next load)."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))

from raw_warehouse import create_raw_warehouse, run_dbt  # noqa: E402


def test_a_seed_whose_columns_changed_loads_into_an_existing_warehouse(tmp_path):
    warehouse = tmp_path / "seeds.duckdb"
    create_raw_warehouse(warehouse)
    first = run_dbt(warehouse, "seed", "--select", "role_synonyms", target_dir=tmp_path / "target")
    assert first.returncode == 0, first.stdout[-3000:]
    # The warehouse holds the list as an older version had it: one column fewer.
    with duckdb.connect(str(warehouse)) as con:
        columns = [r[0] for r in con.execute("describe reference.role_synonyms").fetchall()]
        con.execute(f'alter table reference.role_synonyms drop column "{columns[-1]}"')
    again = run_dbt(warehouse, "seed", "--select", "role_synonyms", target_dir=tmp_path / "target")
    assert again.returncode == 0, again.stdout[-3000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert [r[0] for r in con.execute("describe reference.role_synonyms").fetchall()] == columns
