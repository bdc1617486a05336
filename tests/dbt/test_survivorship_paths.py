"""Issue #18: the survivorship models keep a one-record path beside the grouping path (speed). Both must give the
same rows: built once as in production and once with every person through the grouping path
(var single_record_shortcut = false), on the same generated submissions, the three models are identical."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.connect import open_warehouse
from tests.dbt.raw_warehouse import run_dbt

MODELS = {
    "pii.persons": "pii.main.persons",
    "int_persons_survived": "intermediate.int_persons_survived",
    "int_person_status_spells": "intermediate.int_person_status_spells",
}


def _rows(warehouse: Path, relation: str) -> list[tuple]:
    with open_warehouse(warehouse, read_only=True) as con:
        rows = con.execute(f"select * from {relation}").fetchall()
    return sorted(rows, key=repr)


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[Path, Path]:
    from ingest.load import load_landing
    from samples.generate import generate

    tmp = tmp_path_factory.mktemp("paths")
    landing, truth = tmp / "landing", tmp / "truth"
    generate(landing, truth, persons=300)
    shortcut, grouped = tmp / "shortcut" / "wh.duckdb", tmp / "grouped" / "wh.duckdb"
    load_landing(landing, shortcut)
    shutil.copytree(shortcut.parent, grouped.parent)  # the same rows, and its own restricted store beside it
    select = ["--select", "+int_persons_survived", "+int_person_status_spells", "+persons",
              "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]
    done = run_dbt(shortcut, "build", *select, target_dir=tmp / "t1")
    assert done.returncode == 0, done.stdout[-3000:]
    done = run_dbt(grouped, "build", *select, "--vars", "{single_record_shortcut: false}", target_dir=tmp / "t2")
    assert done.returncode == 0, done.stdout[-3000:]
    with open_warehouse(shortcut, read_only=True) as con:
        singles, several = con.execute(
            "select count(distinct person_key) filter (where person_record_count = 1), "
            "count(distinct person_key) filter (where person_record_count > 1) from pii.working.int_persons_resolved"
        ).fetchone()
    # the sample spans three periods: most people have several records, some only one; both paths must be used
    assert singles >= 10 and several >= 100, (singles, several)
    return shortcut, grouped


@pytest.mark.parametrize("model", sorted(MODELS))
def test_the_one_record_path_gives_what_the_grouping_path_gives(two_builds, model):
    shortcut, grouped = two_builds
    relation = MODELS[model]
    fast, slow = _rows(shortcut, relation), _rows(grouped, relation)
    assert fast, f"{relation} is empty"
    assert fast == slow, f"{relation}: {len(set(fast) ^ set(slow))} rows differ between the two paths"
