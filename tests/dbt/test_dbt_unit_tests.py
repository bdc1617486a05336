"""Every dbt unit test of the project (the `unit_tests:` in the models' yml), one pytest item each.

The production build skips them (they test the SQL, not the data). Here dbt runs them all once per session against
a throwaway warehouse; each item then reads its own result from dbt's run_results.json. The items are the unit
tests of the manifest, named at collection time: one dbt did not run fails too, it does not pass unseen.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from raw_warehouse import create_raw_warehouse, run_dbt

from orchestration.setup_home import prepare_dbt_manifest

pytestmark = pytest.mark.xdist_group("dbt_unit_tests")  # one worker runs dbt once for all of them
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # dbt colours its diff of actual and expected rows


def _unit_tests_in_manifest() -> list[tuple[str, str]]:
    """(unique_id, 'model.test_name') of every enabled unit test, from the manifest `dbt parse` writes."""
    manifest = json.loads(prepare_dbt_manifest().read_text(encoding="utf-8"))
    tests = manifest.get("unit_tests", {})
    return sorted((uid, f"{node['model']}.{node['name']}") for uid, node in tests.items())


UNIT_TESTS = _unit_tests_in_manifest()


@dataclass(repr=False)
class DbtRun:
    """One dbt command: its exit code, output and results by unique_id (from its run_results.json)."""

    returncode: int
    stdout: str
    results: dict[str, dict]

    def __repr__(self) -> str:  # shown in a failure's traceback: not the whole output
        return f"DbtRun(returncode={self.returncode}, {len(self.results)} results)"

    def tail(self, lines: int = 40) -> str:
        return _ANSI.sub("", "\n".join(self.stdout.splitlines()[-lines:]))


def _dbt(warehouse: Path, target: Path, *args: str) -> DbtRun:
    done = run_dbt(warehouse, *args, target_dir=target)
    run_results = target / "run_results.json"
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"] if run_results.exists() else []
    run_results.unlink(missing_ok=True)  # the next command's results must be its own
    return DbtRun(done.returncode, done.stdout, {r["unique_id"]: r for r in results})


@pytest.fixture(scope="session")
def dbt_unit_test_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[DbtRun, DbtRun]:
    """(the empty build, the unit tests): run once per session, in a throwaway warehouse and target folder."""
    tmp = tmp_path_factory.mktemp("dbt_unit_tests")
    warehouse, target = tmp / "unit.duckdb", tmp / "target"
    create_raw_warehouse(warehouse)
    # Unit tests need their parents' relations to exist: build every model empty first.
    empty = _dbt(warehouse, target, "build", "--empty", "--exclude-resource-type", "unit_test",
                 "--exclude-resource-type", "test")
    unit = _dbt(warehouse, target, "test", "--select", "test_type:unit")
    return empty, unit


def test_the_manifest_has_unit_tests() -> None:
    assert len(UNIT_TESTS) >= 30, f"only {len(UNIT_TESTS)} dbt unit tests in the manifest"


def test_every_model_builds_empty(dbt_unit_test_runs: tuple[DbtRun, DbtRun]) -> None:
    """What the unit tests stand on: every model built with --empty (its relation must exist)."""
    empty, _ = dbt_unit_test_runs
    broken = [f"{uid}: {r['status']}: {r.get('message')}" for uid, r in empty.results.items()
              if r["status"] not in ("success", "pass")]
    assert empty.returncode == 0 and not broken, "dbt build --empty failed:\n" + ("\n".join(broken) or empty.tail())


@pytest.mark.parametrize("unique_id", [uid for uid, _ in UNIT_TESTS], ids=[name for _, name in UNIT_TESTS])
def test_dbt_unit_test(dbt_unit_test_runs: tuple[DbtRun, DbtRun], unique_id: str) -> None:
    empty, unit = dbt_unit_test_runs
    result = unit.results.get(unique_id)
    if result is None:
        pytest.fail(f"dbt did not run {unique_id} (`dbt test --select test_type:unit` exited {unit.returncode}):\n"
                    f"{unit.tail()}")
    if result["status"] != "pass":
        hint = "" if empty.returncode == 0 else "\n(dbt build --empty failed too: see test_every_model_builds_empty)"
        pytest.fail(f"{unique_id}: {result['status']}\n{_ANSI.sub('', result.get('message') or '')}{hint}")
