"""Every dbt unit test of the project (the production build skips them: they test the SQL, not the data)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from raw_warehouse import create_raw_warehouse, run_dbt  # noqa: E402


def test_every_dbt_unit_test_passes(tmp_path):
    warehouse = tmp_path / "unit.duckdb"
    create_raw_warehouse(warehouse)
    # Unit tests need their parents' relations to exist: build every model empty first.
    empty = run_dbt(warehouse, "build", "--empty", "--exclude-resource-type", "unit_test", "--exclude-resource-type",
                    "test", target_dir=tmp_path / "target")
    assert empty.returncode == 0, empty.stdout[-4000:]
    result = run_dbt(warehouse, "test", "--select", "test_type:unit", target_dir=tmp_path / "target")
    errors = [line for line in result.stdout.splitlines() if "ERROR" in line or "not found" in line or "FAIL" in line]
    assert result.returncode == 0, "\n".join(errors[:20]) or result.stdout[-4000:]
    assert "ERROR=0" in result.stdout
    passed = int(result.stdout.split("PASS=")[1].split()[0])
    assert passed >= 30, f"only {passed} unit tests ran"
