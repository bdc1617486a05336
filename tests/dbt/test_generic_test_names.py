"""Issue #17: the name of a dbt generic test is its Dagster asset check's name (dagster-dbt names both the check and
its result after the test), and dbt's default name repeats the model's ('not_null_dim_person_person_key'), which
the UI's list of checks cuts off before the part that says what is checked. Every generic test has its own
`name:` in the yml instead: `<test>_<column>`, `relationships_<column>__<model>`, `unique_combination_<a>__<b>`."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def generic_tests(dbt_manifest: Path) -> list[dict]:
    manifest = json.loads(dbt_manifest.read_text(encoding="utf-8"))
    tests = [n for n in manifest["nodes"].values() if n["resource_type"] == "test" and n.get("test_metadata")]
    assert tests, "no generic test in the manifest: it is not what this test expects"
    return tests


def _tested(test: dict) -> str:
    """The name of the model or seed (or source table) a test is on: its asset's name."""
    if test.get("attached_node"):
        return test["attached_node"].split(".")[-1]
    return test["depends_on"]["nodes"][0].split(".")[-1]


def test_no_generic_test_name_repeats_its_model(generic_tests: list[dict]) -> None:
    assert sorted((_tested(t), t["name"]) for t in generic_tests if _tested(t) in t["name"]) == []


def test_generic_test_names_say_the_test_and_the_column(generic_tests: list[dict]) -> None:
    wrong = sorted(
        (_tested(t), t["name"]) for t in generic_tests
        if not t["name"].startswith(f"{t['test_metadata']['name']}_")
        or (t.get("column_name") and t["column_name"] not in t["name"])
    )
    assert wrong == []


def test_generic_test_names_are_unique_per_model(generic_tests: list[dict]) -> None:
    # The same short name on tests of different models is fine (Dagster keys a check by asset and name); on one
    # model it would give two checks one key.
    counts = Counter((_tested(t), t["name"]) for t in generic_tests)
    assert sorted(key for key, n in counts.items() if n > 1) == []
