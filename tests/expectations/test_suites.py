"""Each suite catches the defect it exists for (with the right severity) and passes on clean data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from expectations import SUITES, run_check, run_suite
from expectations.errors import TableMissing, UnknownCheck, UnknownSuite
from tests.small_warehouse import PERIOD


def _failed(result, check_id):
    r = result[check_id]
    assert not r.success, f"{check_id} should fail: {r}"
    return r


def test_every_check_has_id_and_severity():
    for suite in SUITES.values():
        ids = [c.id for c in suite.expectations]
        assert len(ids) == len(set(ids)), suite.name
        assert all(c.severity in ("error", "warning") for c in suite.expectations)
    assert {
        "raw_persons",
        "persons_encoded",
        "dim_person",
        "person_source_records",
        "indicator_values",
        "file_manifest",
        "raw_budget",
    } <= set(SUITES)


def test_clean_warehouse_passes_blocking_checks(base_warehouse):
    for name in ("raw_persons", "raw_budget", "dim_person", "person_source_records", "indicator_values"):
        res = run_suite(name, base_warehouse, PERIOD, "clean", data_docs=False)
        assert res.success, [r for r in res.results if not r.success]
    manifest = run_suite("file_manifest", base_warehouse, PERIOD, "clean", data_docs=False)
    assert manifest.success, [r for r in manifest.results if not r.success]


def test_encoded_persons_flags_cccd_and_duplicates_as_warnings(base_warehouse):
    res = run_suite("persons_encoded", base_warehouse, PERIOD, "enc", data_docs=False)
    assert not res.blocking_failed
    cccd = _failed(res, "cccd_pass_rate")
    assert cccd.severity == "warning" and cccd.unexpected_count == 2
    dup = _failed(res, "no_duplicate_rows_in_file")
    assert dup.severity == "warning" and dup.unexpected_count == 1 and dup.sample_unexpected == ("4",)
    assert res["code_in_list__ethnicity_code"].success and res["birth_year_plausible"].success


def test_code_outside_seeded_list_blocks(warehouse, sql):
    sql("update marts.person_source_records set ethnicity_code = '99' where source_row = 5")
    sql("delete from reference.qualification_levels where code = 'THS'")  # read at validation time
    res = run_suite("persons_encoded", warehouse, PERIOD, "r", data_docs=False)
    assert res.blocking_failed
    eth = _failed(res, "code_in_list__ethnicity_code")
    assert eth.severity == "error" and eth.sample_unexpected == ("99", "99")  # row 5 of two files
    assert _failed(res, "code_in_list__qualification_code").unexpected_count == 2


def test_implausible_birth_year_is_a_warning(warehouse, sql):
    sql("update marts.person_source_records set birth_year = 2015 where source_row = 3")
    r = run_check("persons_encoded", "birth_year_plausible", warehouse, PERIOD, "r")
    assert not r.success and r.severity == "warning" and r.unexpected_count == 1


def test_raw_row_count_must_match_manifest(warehouse, sql):
    sql("delete from raw.persons where source_row = 7 and unit_code = '26068'")
    r = run_check("raw_persons", "row_count_matches_manifest", warehouse, PERIOD, "r")
    assert not r.success and r.severity == "error"
    assert json.loads(r.observed_value) == 7


def test_raw_missing_column_and_stale_rows(warehouse, sql):
    sql("alter table raw.persons drop column employer")
    sql("update raw.persons set file_sha256 = 'sha-replaced', source_row = null where source_row = 6")
    res = run_suite("raw_persons", warehouse, PERIOD, "r", data_docs=False)
    assert _failed(res, "columns_present").severity == "error"
    assert _failed(res, "rows_from_current_files").unexpected_count == 2
    assert _failed(res, "lineage_complete").sample_unexpected == ("source_row", "source_row")
    assert res.blocking_failed


def test_raw_persons_never_shows_personal_data(base_warehouse):
    from expectations._warehouse import read_only

    with read_only(base_warehouse) as con:
        frame = SUITES["raw_persons"].load(con, PERIOD)
    assert set(frame["full_name"]) == {"***"} and "075080000001" not in set(frame["cccd"])


# (suite, column): a GE check on a column that also has a dbt data test, reviewed: they check different properties
GE_AND_DBT_ON_ONE_COLUMN = {
    ("dim_person", "source_count"): "GE: at least 1 source row; dbt: not null",
    ("dim_person", "first_period"): "GE: first period not after the last; dbt: not null",
    ("dim_person", "status_code"): "GE: a code of the status list; dbt: not null (ACTIVE when no row gives one)",
    ("indicator_values", "indicator_code"): "GE: the code is in the catalog; dbt: not null",
    ("persons_encoded", "source_row"): "GE: no row repeated word for word in its file (warning); dbt: not null",
}


def test_one_tool_per_property(dbt_manifest):
    """A property is checked by dbt (keys, nulls, relationships: in the build) or by GE (what quality officers read
    in Data Docs), not both: a GE check on a column that also has a dbt data test must be one of the reviewed pairs
    above. person_key's uniqueness and not-null, person_source_records' keys and rows, indicator_values' geo_level
    and status were both once and are dbt's now; the person marts' code-list membership was both and is GE's."""
    manifest = json.loads(Path(dbt_manifest).read_text(encoding="utf-8"))
    tested: set[tuple[str, str]] = set()
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or not node.get("attached_node"):
            continue
        model = node["attached_node"].split(".")[-1]
        kwargs = (node.get("test_metadata") or {}).get("kwargs", {})
        for column in [node.get("column_name"), *kwargs.get("combination_of_columns", [])]:
            if column:
                tested.add((model, column))
    assert ("dim_person", "person_key") in tested  # the manifest is the one this test reads
    both = {
        (suite.name, check.column)
        for suite in SUITES.values()
        for check in suite.expectations
        if check.column and (suite.relation.split(".")[-1], check.column) in tested
    }
    assert both == set(GE_AND_DBT_ON_ONE_COLUMN), both ^ set(GE_AND_DBT_ON_ONE_COLUMN)


def test_every_raw_row_is_traced_to_a_source_record(warehouse, sql):
    """The row count against raw.persons is GE's; the keys and row ids are dbt's (not_null, relationships,
    unique_combination on person_source_records)."""
    res = run_suite("person_source_records", warehouse, PERIOD, "r", data_docs=False)
    assert res["every_raw_row_traced"].success
    sql("delete from marts.person_source_records where source_row = 3 and unit_code = 'LHU'")
    res = run_suite("person_source_records", warehouse, PERIOD, "r", data_docs=False)
    assert _failed(res, "every_raw_row_traced").severity == "error"
    assert [c.id for c in SUITES["person_source_records"].expectations] == ["every_raw_row_traced"]


def test_indicator_values_within_possible_ranges(warehouse, sql):
    sql("update marts.indicator_values set value = 130 where indicator_code = 'A4'")
    sql("update marts.indicator_values set value = 1.5 where indicator_code = 'B6'")
    sql("update marts.indicator_values set value = -1, numerator = -3 where indicator_code = 'A1'")
    res = run_suite("indicator_values", warehouse, PERIOD, "r", data_docs=False)
    for check in (
        "percent_within_0_100",
        "ratio_within_0_1",
        "count_or_rate_not_negative",
        "numerator_not_negative",
    ):
        assert _failed(res, check).severity == "error"
    assert res["denominator_not_negative"].success  # a negative growth rate (A2) is allowed


def test_manifest_rows_not_accounted_for(warehouse, sql):
    sql("update quality.file_manifest set rows_skipped = 0 where file_sha256 = 'sha-b'")
    r = run_check("file_manifest", "rows_accounted_for", warehouse, PERIOD, "r")
    assert not r.success and r.unexpected_count == 1


def test_missing_table_and_unknown_names_are_named_errors(warehouse, sql):
    sql("drop table marts.indicator_values")
    with pytest.raises(TableMissing, match="marts.indicator_values"):
        run_suite("indicator_values", warehouse, PERIOD, "r", data_docs=False)
    with pytest.raises(UnknownSuite):
        run_suite("nope", warehouse, PERIOD, "r")
    with pytest.raises(UnknownCheck):
        run_check("dim_person", "nope", warehouse, PERIOD, "r")


def test_run_suites_reads_ahead_and_gives_what_run_suite_gives(base_warehouse):
    """Several suites in one go (as a Dagster quality step runs them): the same results as one by one, an unknown
    or failing suite reported in its place without stopping the others, and each named page rendered at the end."""
    from expectations.runner import run_suites

    names = ["raw_persons", "nope", "dim_person", "indicator_values"]
    outcomes = list(run_suites(names, base_warehouse, PERIOD, "together"))
    assert [n for n, _ in outcomes] == names
    assert isinstance(outcomes[1][1], UnknownSuite)
    for name, outcome in (o for o in outcomes if o[0] != "nope"):
        alone = run_suite(name, base_warehouse, PERIOD, "alone", data_docs=False)
        strip = lambda rs: [(r.check_id, r.success, r.unexpected_count, r.sample_unexpected) for r in rs]  # noqa: E731
        assert strip(outcome.results) == strip(alone.results)
        assert outcome.data_docs_page and Path(outcome.data_docs_page).is_file()


def test_columns_no_check_reads_reach_ge_as_names_only(base_warehouse):
    from expectations._warehouse import read_only
    from expectations.runner import names_only_beyond, values_read

    suite = SUITES["raw_persons"]
    with read_only(base_warehouse) as con:
        frame = suite.load(con, PERIOD)
        ref = suite.reference(con, PERIOD)
    read = values_read([c.expectation(ref, suite.name) for c in suite.expectations])
    # the checks on values name their columns; columns_present reads names only
    assert {"source_row", "period", "unit_kind", "file_sha256", "chk_lineage_missing", "full_name"} <= read
    assert "sex" not in read and "phone" not in read
    slim = names_only_beyond(frame, read)
    assert list(slim.columns) == list(frame.columns) and len(slim) == len(frame)
    assert slim["sex"].isna().all() and frame["sex"].notna().any()
    for column in read:
        assert slim[column].equals(frame[column])
    # what GE concludes is the same: the clean table passes, and a missing column is still found
    assert run_suite("raw_persons", base_warehouse, PERIOD, "names", data_docs=False).success
