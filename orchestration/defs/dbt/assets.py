"""dbt models as Dagster assets: groups from the dbt folders, dbt tests as asset checks, in the DuckDB pool."""

import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from ingest.connect import ensure_restricted_store
from orchestration.defs.dbt.project import dbt_project
from orchestration.defs.owners import owners_for
from orchestration.defs.resources import DUCKDB_POOL
from settings import restricted_path

_PLACEHOLDER = re.compile(r"<([a-z][a-z _]*)>")


class FolderGroupTranslator(DagsterDbtTranslator):
    """Group = the first folder under models/ (staging, intermediate, marts, quality, pii); seeds -> reference.
    Asset key = the model's name (unique in the project), sources keep the raw asset keys from their meta."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            return dg.AssetKey(dbt_resource_props["name"])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "dbt"

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return owners_for(self.get_group_name(dbt_resource_props))

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        """The model's or seed's own description. dagster-dbt appends the raw SQL, which for a seed is an empty
        block ('Raw SQL' with nothing under it); the SQL is in the UI's code view and in dbt docs anyway."""
        description = (dbt_resource_props.get("description") or "").strip()
        if description:
            # The UI renders Markdown, where '<evidence>' is an unknown HTML tag and vanishes: keep it as text.
            return _PLACEHOLDER.sub(r"&lt;\1&gt;", description)
        return f"dbt {dbt_resource_props['resource_type']} {dbt_resource_props['name']} (no description yet)"


# A dbt test's asset check is named by the test's dbt name. The translator does not rename it: dagster-dbt 0.29 names
# the check results by the dbt name (asset_utils.get_asset_check_key_for_test), whatever get_asset_check_spec says,
# so a renamed check would never get a result. To shorten one, give the test a `name:` in its yml: both sides read it.
translator = FolderGroupTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=translator,
    pool=DUCKDB_POOL,
)
def trithuc_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    # dbt attaches the restricted store (profiles.yml): made here first, folder 0700 and file 0600, if missing.
    ensure_restricted_store(restricted_path())
    # Unit tests check the SQL, not the data: they run in CI (tests/dbt/test_dbt_unit_tests.py), not on every load.
    # A subset (checks run from the UI without their assets) may also run tests that were not asked for: see
    # failures_that_count.
    invocation = dbt.cli(
        ["build", "--exclude-resource-type", "unit_test"], context=context, raise_on_error=not context.is_subset
    )
    yield from invocation.stream()
    prune_run_targets(
        Path(dbt_project.project_dir) / "target", prefix=f"{context.op_execution_context.op.name}-"
    )
    if context.is_subset and not invocation.is_successful() and failures_that_count(invocation, context):
        raise invocation.get_error() or dg.Failure("dbt build failed")


def failures_that_count(invocation, context: dg.AssetExecutionContext) -> list[str]:
    """The failed dbt nodes of a subset run that make its step fail: all but failed tests nobody asked for.

    A test's check is named by its `name:` alone (tests/dbt/test_generic_test_names.py), so tests of the same name
    on models of one folder share their dbt fqn, and dagster-dbt selects the checks of a subset by fqn: running
    `sex_synonyms:not_null_code` from the UI also runs `not_null_code` on the other synonyms seeds. Their results
    are recorded as observations; one failing must not fail the check that was asked for, which dbt's exit code
    alone would do. Any failure that is not such a test counts, and so does a failed dbt with nothing failed in
    its run results (a compile error)."""
    try:
        results = invocation.get_artifact("run_results.json")["results"]
    except Exception:  # noqa: BLE001 - no run results: dbt failed before running anything
        return ["dbt (no run results)"]
    nodes = invocation.manifest["nodes"]
    asked = {(key.asset_key.path[-1], key.name) for key in context.selected_asset_check_keys}
    failed = [r["unique_id"] for r in results if r["status"] in ("error", "fail", "runtime error")]
    counted = []
    for unique_id in failed:
        node = nodes.get(unique_id, {})
        attached = (node.get("attached_node") or "").split(".")[-1]
        if node.get("resource_type") == "test" and attached and (attached, node.get("name")) not in asked:
            continue  # a same-named test of another model, run only because dbt selected it by fqn
        counted.append(unique_id)
    return counted if failed else ["dbt (no failed node in its run results)"]


RUN_TARGETS_KEPT = 3  # about 13 MB each; older ones are only history nobody reads


def prune_run_targets(target: Path, prefix: str, keep: int = RUN_TARGETS_KEPT) -> list[Path]:
    """dagster-dbt gives every run its own target folder (compiled SQL, run_results.json, dbt.log: about 10 MB).
    Keep the newest ``keep`` for looking into recent runs; delete older ones so a daily schedule does not fill the
    disk. Returns the folders removed."""
    runs = sorted(
        (p for p in target.glob(f"{prefix}*") if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for old in runs[keep:]:
        shutil.rmtree(old, ignore_errors=True)
    return runs[keep:]
