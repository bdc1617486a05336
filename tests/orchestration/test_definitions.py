"""The Dagster code location loads, and its asset keys, jobs, schedules and sensors are the ones we publish."""

from __future__ import annotations

import re
from collections import Counter

import dagster as dg

from ingest.datasets import DATASETS


def _defs(dbt_manifest) -> dg.Definitions:
    from orchestration.definitions import defs

    return defs() if callable(defs) else defs


def test_definitions_load_as_the_dagster_ui_loads_them(dbt_manifest):
    dg.Definitions.validate_loadable(_defs(dbt_manifest))


def test_raw_and_dbt_asset_keys_are_pinned(dbt_manifest):
    defs = _defs(dbt_manifest)
    keys = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    expected_raw = {f"raw_submissions__{d}" for d in DATASETS} | {"file_manifest"}
    assert expected_raw <= keys
    for published in ("dim_person", "person_source_records", "person_status_history", "persons"):
        assert any(k.endswith(published) for k in keys), published


def test_every_warehouse_asset_is_in_the_duckdb_pool(dbt_manifest):
    defs = _defs(dbt_manifest)
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if node.is_materializable:
            assert node.pools == {"duckdb"}, key


def test_jobs_schedules_and_sensor(dbt_manifest):
    defs = _defs(dbt_manifest)
    assert defs.resolve_job_def("everything")
    assert defs.resolve_schedule_def("daily_refresh").cron_schedule == "0 6 * * *"
    assert defs.resolve_sensor_def("landing_zone_sensor")
    assert defs.resolve_sensor_def("run_failure_alert")  # issue #15: a failed run raises an alert
    assert defs.resolve_job_def("land")
    assert defs.resolve_job_def("publish_indicators") and defs.resolve_job_def("national_handover")
    schedules = {s.name for s in defs.schedules}
    assert {
        "half_year_indicator_package",
        "annual_indicator_package",
        "annual_national_handover",
    } <= schedules


def test_dbt_resource_is_dagster_dbts_own(dbt_manifest):
    """Issue #18: no private hook of dagster-dbt is overridden; the resource is the stock one, set through its
    public fields, running the venv's dbt (through orchestration/bin/dbt: tests/orchestration/test_dbt_command.py)."""
    import os

    from dagster_dbt import DbtCliResource

    from orchestration.setup_home import DBT_FOR_DAGSTER, dbt_executable

    resource = _defs(dbt_manifest).resources["dbt"]
    assert type(resource) is DbtCliResource and resource.dbt_executable == str(DBT_FOR_DAGSTER)
    assert os.environ["TRITHUC_DBT"] == dbt_executable()


def test_loading_the_definitions_does_not_import_great_expectations(dbt_manifest):
    # The webserver, the daemon and every step process of a run load the definitions; GE takes 3-4 s to import
    # and only the quality steps need it (expectations._gx). A fresh interpreter, as Dagster starts one.
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from orchestration.definitions import defs\n"
        "d = defs() if callable(defs) else defs\n"
        "d.resolve_job_def('everything')\n"
        "d.resolve_asset_graph()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'great_expectations')[:5])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout[-2000:] + out.stderr[-2000:]


def test_the_lazy_gxe_proxy_builds_real_expectations():
    from expectations._gx import gxe

    built = gxe.ExpectColumnValuesToNotBeNull(column="person_key")
    import great_expectations.expectations as real

    assert isinstance(built, real.Expectation) and built.column == "person_key"
    assert gxe.ExpectColumnValuesToNotBeNull is real.ExpectColumnValuesToNotBeNull


def test_every_asset_has_an_owner_a_description_and_short_check_names(dbt_manifest):
    """Issue #17: the UI shows an owner on every asset; descriptions end in words, not an empty 'Raw SQL' block;
    a check's name does not repeat its asset's (the UI's list cut the meaningful part off)."""
    from orchestration.defs.owners import OWNERS_BY_GROUP

    graph = _defs(dbt_manifest).resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if not node.is_materializable:
            continue
        assert node.owners and set(node.owners) <= set(OWNERS_BY_GROUP.values()), key
        assert node.description and "Raw SQL" not in node.description, key
        # the UI renders descriptions as Markdown: '<period>' would vanish as an unknown HTML tag
        assert not re.search(r"<[a-z][a-z _]*>", node.description), (key, node.description)
    # A check's name holds its asset's name (or a raw table's dataset name) nowhere: dbt's default test names
    # did ('not_null_dim_person_person_key'); each dbt generic test has a short `name:` in its yml.
    repeating = []
    for key in graph.asset_check_keys:
        asset = key.asset_key.path[-1]
        if asset in key.name or asset.removeprefix("raw_submissions__") in key.name:
            repeating.append(key.to_user_string())
    assert sorted(repeating) == []
    # ... and is unique on its asset (a short name is shared by checks of different assets, never of one).
    specs = [spec for assets_def in graph.assets_defs for spec in assets_def.check_specs]
    assert {spec.key for spec in specs} == set(graph.asset_check_keys)
    assert [key.to_user_string() for key, n in Counter(spec.key for spec in specs).items() if n > 1] == []


def test_no_module_imports_a_private_part_of_a_library():
    """Issue #18: public APIs only. No module of ours (dbt's Python models included) imports a private part of
    Dagster, its integrations, Great Expectations or dbt (``dagster._core``, ``dagster_dbt.x._y``,
    ``from dagster import _x``): an upgrade may change those without notice."""
    from settings import PROJECT_ROOT

    libraries = r"(dagster\w*|great_expectations|dbt)"
    private = re.compile(
        rf"^\s*(from|import)\s+{libraries}(\.\w+)*\._|^\s*from\s+{libraries}(\.\w+)*\s+import\s+\(?\s*_\w",
        re.MULTILINE,
    )
    folders = (
        "ingest",
        "orchestration",
        "expectations",
        "publish",
        "samples",
        "tools",
        "tests",
        "dbt_project",
    )
    files = [
        p
        for folder in folders
        for p in (PROJECT_ROOT / folder).rglob("*.py")
        if not {"target", "dbt_packages"} & set(p.relative_to(PROJECT_ROOT).parts)
    ] + [PROJECT_ROOT / "settings.py"]
    assert len(files) > 100, "the tree is not where this test looks"
    found = sorted(
        str(p.relative_to(PROJECT_ROOT)) for p in files if private.search(p.read_text(encoding="utf-8"))
    )
    assert found == []
    # what the pattern catches (so that the test above can fail)
    for line in ("from dagster._core.storage import x", "import dagster_dbt.core._cli", "from dagster import _check",
                 "from great_expectations.core import (\n _private)", "import dbt._x"):  # fmt: skip
        assert private.search(line), line
    for line in (
        "import dagster as dg",
        "from dagster_dbt import DbtCliResource",
        "from dbt.cli.main import x",
    ):
        assert not private.search(line), line
