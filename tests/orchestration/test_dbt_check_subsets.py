"""A dbt check run on its own (the UI's 'Execute' on one check) reports that check, and fails only for it.

dbt test names are short and shared by models of one folder ('not_null_code' on every synonyms seed), so they share
a dbt fqn, by which dagster-dbt selects a subset's tests: the neighbours run too (orchestration/defs/dbt/assets.py,
failures_that_count)."""

from __future__ import annotations

import dagster as dg
import duckdb
import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("pipeline")]


def _run(job_def) -> dg.ExecuteInProcessResult:
    from orchestration.definitions import defs

    job = dg.Definitions.merge(defs(), dg.Definitions(jobs=[job_def])).resolve_job_def(job_def.name)
    with dg.instance_for_test() as instance:
        return job.execute_in_process(instance=instance, raise_on_error=False)


def _checks(result: dg.ExecuteInProcessResult) -> dict[str, bool]:
    return {e.asset_check_key.to_user_string(): e.passed for e in result.get_asset_check_evaluations()}


def test_one_check_fails_only_for_its_own_test(tmp_path, monkeypatch, dbt_manifest):
    monkeypatch.setenv("TRITHUC_WAREHOUSE", str(tmp_path / "trithuc.duckdb"))
    seeds = dg.AssetSelection.assets("sex_synonyms", "yes_no_synonyms")
    built = _run(dg.define_asset_job("two_seeds", selection=seeds))
    assert built.success
    assert _checks(built)["yes_no_synonyms:not_null_code"] is True
    # one seed's code column gets a hole; the other's stays whole
    with duckdb.connect(str(tmp_path / "trithuc.duckdb")) as con:
        con.execute(
            "update reference.yes_no_synonyms set code = null "
            "where rowid = (select min(rowid) from reference.yes_no_synonyms)"
        )

    sex = dg.AssetCheckKey(dg.AssetKey("sex_synonyms"), "not_null_code")
    alone = _run(dg.define_asset_job("sex_check", selection=dg.AssetSelection.checks(sex)))
    # dbt also ran yes_no_synonyms' not_null_code (same fqn) and it failed: not this check's failure
    assert _checks(alone) == {"sex_synonyms:not_null_code": True}
    assert alone.success

    yes_no = dg.AssetCheckKey(dg.AssetKey("yes_no_synonyms"), "not_null_code")
    failing = _run(dg.define_asset_job("yes_no_check", selection=dg.AssetSelection.checks(yes_no)))
    assert _checks(failing) == {"yes_no_synonyms:not_null_code": False}
    assert not failing.success  # an error-severity test that fails still fails its step, as in a full run
