"""The dbt project's shape, read from the manifest `dbt parse` writes (no warehouse needed): the layering of dbt's
"How we structure our dbt projects" guide, documented and contracted published tables, typed seeds, and each fact
of issue #18 ("one concept, one place") written once and read by SQL and Python alike."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
import yaml

from ingest.datasets import DATASETS, LINEAGE_COLUMNS
from ingest.periods import Period, reporting_halves
from ingest.registry import load_registry
from settings import DBT_PROJECT_DIR

REPO = DBT_PROJECT_DIR.parent
MODELS = DBT_PROJECT_DIR / "models"
# the folders under models/ whose models are published: the marts, the restricted table, the quality tables
PUBLISHED = ("marts", "pii", "quality")


@pytest.fixture(scope="module")
def manifest(dbt_manifest: Path) -> dict:
    return json.loads(dbt_manifest.read_text(encoding="utf-8"))


def _models(manifest: dict) -> dict[str, dict]:
    return {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}


def _layer(node: dict) -> str:
    """The first folder under models/ (staging, intermediate, marts, quality, pii)."""
    return Path(node["original_file_path"]).relative_to("models").parts[0]


def _sql_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.sql")) + sorted(folder.rglob("*.py"))


# ---------------------------------------------------------------------------------------------------- layering


def test_only_staging_models_read_sources(manifest: dict) -> None:
    models = _models(manifest)
    readers = {name: [p for p in node["depends_on"]["nodes"] if p.startswith("source.")]
               for name, node in models.items()}
    readers = {name: sources for name, sources in readers.items() if sources}
    assert readers, "no model reads a source: the manifest is not what this test expects"
    assert {name: sources for name, sources in readers.items() if _layer(models[name]) != "staging"} == {}
    # and no model file outside staging calls source() at all (a macro that calls it counts where it is used)
    calls = [p.relative_to(MODELS).as_posix() for p in _sql_files(MODELS)
             if "source(" in p.read_text(encoding="utf-8") and p.relative_to(MODELS).parts[0] != "staging"]
    assert calls == []


def test_intermediate_models_never_read_a_published_model(manifest: dict) -> None:
    models = _models(manifest)
    by_id = {node["unique_id"]: node for node in models.values()}
    wrong = {
        name: [by_id[parent]["name"] for parent in node["depends_on"]["nodes"]
               if parent in by_id and _layer(by_id[parent]) in PUBLISHED]
        for name, node in models.items() if _layer(node) in ("staging", "intermediate")
    }
    assert {name: parents for name, parents in wrong.items() if parents} == {}


def test_the_restricted_schema_holds_only_what_is_published_as_restricted(manifest: dict) -> None:
    """pii.main (the restricted store's schema main) holds the pii folder's models and nothing else of dbt's; the
    working models with personal data live in the restricted store's schema for working relations, named unlike
    any schema of the analytics file."""
    models = _models(manifest)
    in_pii_main = {name for name, n in models.items() if n["database"] == "pii" and n["schema"] == "main"}
    assert in_pii_main == {name for name, n in models.items() if _layer(n) == "pii"} == {"persons"}
    working = {name: n["schema"] for name, n in models.items() if n["database"] == "pii" and _layer(n) != "pii"}
    assert working and set(working.values()) == {"working"}, working
    assert {"stg_submissions__persons", "int_persons_encoded", "int_persons_resolved"} <= set(working)


def test_no_model_fills_a_column_it_cannot_find(manifest: dict) -> None:
    """A column a model needs fails the build when it is missing, never turns into a null at compile time (as
    int_person_records_for_indicators once did, asking the adapter which columns its parent had)."""
    guessing = [name for name, node in _models(manifest).items()
                if re.search(r"get_columns_in_relation|get_columns_in_query", node["raw_code"])]
    assert guessing == []


def test_model_files_are_named_and_split_as_the_guide_does(manifest: dict) -> None:
    """One _<folder>__models.yml per folder holding its models' properties and unit tests; sources in
    _<folder>__sources.yml beside the staging models that read them."""
    for node in _models(manifest).values():
        folder = Path(node["original_file_path"]).parent
        assert node["patch_path"], f"{node['name']} has no yml"
        assert node["patch_path"].split("://", 1)[1] == f"{folder.as_posix()}/_{folder.name}__models.yml", node["name"]
    for source in manifest["sources"].values():
        folder = Path(source["original_file_path"]).parent
        assert folder.parts[:2] == ("models", "staging"), source["unique_id"]
        assert Path(source["original_file_path"]).name == f"_{folder.name}__sources.yml", source["unique_id"]
    for test in manifest.get("unit_tests", {}).values():
        model = _models(manifest)[test["model"]]
        assert Path(test["original_file_path"]) == Path(model["patch_path"].split("://", 1)[1]), test["name"]
    ymls = [p for p in MODELS.rglob("*.yml")]
    assert all(re.fullmatch(r"_[a-z_]+__(models|sources)\.yml", p.name) for p in ymls), ymls


# ------------------------------------------------------------------------------------ documentation, contracts


def test_every_published_column_is_documented(manifest: dict) -> None:
    undocumented = {
        name: [c for c, col in node["columns"].items() if not (col.get("description") or "").strip()]
        for name, node in _models(manifest).items() if _layer(node) in PUBLISHED
    }
    assert {name: cols for name, cols in undocumented.items() if cols} == {}
    for name, node in _models(manifest).items():
        if _layer(node) in PUBLISHED:
            assert node["description"].strip(), name
            assert node["columns"], f"{name} lists no columns"


def test_published_models_have_enforced_contracts_with_types(manifest: dict) -> None:
    """Contracts on every mart, on pii.persons and on the quality tables the feedback workbooks read: a column
    dropped, renamed or retyped fails the build."""
    models = _models(manifest)
    contracted = {name for name, node in models.items() if _layer(node) in PUBLISHED}
    assert {"dim_person", "person_source_records", "person_status_history", "indicator_values",
            "indicator_catalog", "persons", "unit_scorecard", "row_issues", "unmapped_values",
            "match_review"} <= contracted
    for name in contracted:
        node = models[name]
        assert node["config"]["contract"]["enforced"], name
        assert all(col.get("data_type") for col in node["columns"].values()), name


def test_every_seed_has_a_description_and_a_type_for_every_column(manifest: dict) -> None:
    seeds = [n for n in manifest["nodes"].values() if n["resource_type"] == "seed"]
    assert len(seeds) == len(list((DBT_PROJECT_DIR / "seeds").rglob("*.csv")))
    for seed in seeds:
        path = DBT_PROJECT_DIR / seed["original_file_path"]
        with path.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        types = seed["config"].get("column_types") or {}
        assert seed["description"].strip(), seed["name"]
        assert [c for c in header if c not in types] == [], seed["name"]


# ----------------------------------------------------------------------------- one concept, one place (#18)


def _model_text(name: str, manifest: dict) -> str:
    return _models(manifest)[name]["raw_code"]


def _models_reading(manifest: dict, ref_name: str) -> set[str]:
    target = next(n["unique_id"] for n in manifest["nodes"].values() if n["name"] == ref_name)
    return {name for name, node in _models(manifest).items() if target in node["depends_on"]["nodes"]}


def test_deadlines_and_the_annual_period_are_read_from_one_seed(manifest: dict) -> None:
    halves = reporting_halves()
    with (DBT_PROJECT_DIR / "seeds" / "registry" / "reporting_halves.csv").open(encoding="utf-8") as handle:
        rows = {int(r["half"]): r for r in csv.DictReader(handle)}
    for half, row in rows.items():
        period = Period(2026, half)
        assert period.deadline.month == int(row["deadline_month"]) and period.deadline.day == int(row["deadline_day"])
        assert period.is_annual == (row["is_annual"] == "true") == halves[half].is_annual
    assert {"unit_scorecard", "int_reporting_periods", "int_unit_datasets_expected"} <= _models_reading(
        manifest, "reporting_halves")
    # no model or macro types a deadline or the annual half again
    written = [p.relative_to(DBT_PROJECT_DIR).as_posix()
               for p in [*_sql_files(MODELS), *_sql_files(DBT_PROJECT_DIR / "macros")]
               if re.search(r"make_date\([^)]*,\s*(6,\s*20|12,\s*5)\)|right\(\w*\.?period, 1\) = '2'",
                            p.read_text(encoding="utf-8"))]
    assert written == []


def test_what_each_unit_owes_is_derived_once(manifest: dict) -> None:
    """The registry's dataset lists are read by one model, which the scorecard and the completeness read."""
    readers = {name for name, node in _models(manifest).items()
               if re.search(r"datasets_(half_year|annual)", node["raw_code"])}
    assert readers == {"int_unit_datasets_expected"}
    assert {"unit_scorecard", "int_indicator_completeness"} <= _models_reading(manifest, "int_unit_datasets_expected")
    # Python reads the same registry file the seed is
    unit = next(u for u in load_registry().values() if u.datasets_annual)
    assert unit.expected_datasets(Period(2026, 2)) == unit.datasets_half_year + unit.datasets_annual
    assert unit.expected_datasets(Period(2026, 1)) == unit.datasets_half_year


def test_required_fields_are_defined_once_and_name_real_fields() -> None:
    """dbt's var required_fields is the one definition: the scorecard's macros read it, and so does
    ingest.datasets (Dataset.requirements); every field it names is a field of its dataset."""
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    var = project["vars"]["required_fields"]
    assert set(var) == set(DATASETS)
    for name, dataset in DATASETS.items():
        assert dataset.requirements == {f: tuple(alts) for f, alts in var[name].items()}
        named = {f for f, alts in var[name].items() for f in (f, *alts)}
        assert named <= set(dataset.field_names), (name, named - set(dataset.field_names))
    # what a unit must fill in a persons list: name, birth date (or the Nam/Nữ year), sex (or the layout), CCCD,
    # highest qualification
    assert list(DATASETS["persons"].requirements) == ["full_name", "birth_date", "sex", "cccd", "qualification"]
    scorecard = (MODELS / "quality" / "scorecard" / "unit_scorecard.sql").read_text(encoding="utf-8")
    assert "required_cell_count(" in scorecard and "required_fields =" not in scorecard


def test_citizen_id_rules_live_in_one_macro(manifest: dict) -> None:
    """The CCCD rules are written in macros/cccd.sql only: the row check and pii.persons use the macro, and the
    national hand-over reads the warehouse's answer instead of the code lists."""
    for seed in ("cccd_province_codes", "cccd_gender_century_codes"):
        readers = {p.relative_to(DBT_PROJECT_DIR).as_posix() for p in _sql_files(MODELS)
                   if seed in p.read_text(encoding="utf-8")}
        assert readers == set(), (seed, readers)
    for name in ("int_persons_cccd_checked", "persons"):
        assert "cccd_checked(" in _model_text(name, manifest), name
    snapshot = (REPO / "publish" / "national" / "snapshot.py").read_text(encoding="utf-8")
    assert "cccd_issue_code" in snapshot
    assert not re.search(r"cccd_province_codes|cccd_gender_century_codes|CCCD_RE|\.csv", snapshot)


def test_register_staging_models_pass_the_loaders_lineage_through_one_macro(manifest: dict) -> None:
    """The lineage columns the register staging models pass through are written once (macro lineage_columns, the
    same list as ingest.datasets.LINEAGE_COLUMNS), and every register staging model uses it."""
    macro = (DBT_PROJECT_DIR / "macros" / "submitted_cells.sql").read_text(encoding="utf-8")
    listed = re.search(r"for column in \[(.*?)\]", macro, re.S)
    assert listed, "macros/submitted_cells.sql: lineage_columns lists its columns in a for loop"
    assert tuple(re.findall(r"'(\w+)'", listed.group(1))) == LINEAGE_COLUMNS
    staging = [n for n in _models(manifest) if n.startswith("stg_submissions__") and n != "stg_submissions__persons"]
    assert len(staging) == len(DATASETS) - 1
    for name in staging:
        text = _model_text(name, manifest)
        assert "lineage_columns(" in text and "nrm.ingested_at" not in text and "src.ingested_at" not in text, name


def test_wards_are_resolved_through_one_lookup(manifest: dict) -> None:
    """int_ward_lookup is the one way a written ward becomes a code: persons' residences and the register files
    read it; nothing else reads the 2025 crosswalk for that."""
    assert _models_reading(manifest, "admin_units_dong_nai_old_to_new") == {"int_ward_lookup",
                                                                           "int_admin_units_versioned"}
    assert {"int_residence_addresses", "int_population_by_ward", "int_indicator_register_cells"} <= _models_reading(
        manifest, "int_ward_lookup")
    assert _models_reading(manifest, "admin_units_dong_nai") == {"int_ward_lookup", "int_admin_units_versioned"}
    # the register files key a written ward name as the lookup does (one normaliser, macros/normalise_key.sql)
    for name in ("stg_submissions__populations", "stg_submissions__enterprises"):
        assert "ward_name_key('" in _model_text(name, manifest), name


def test_the_privacy_guard_runs_after_every_relation_it_scans(manifest: dict) -> None:
    """assert_no_personal_data_outside_pii lists the analytics file's tables when it starts: a model or seed that is
    not upstream of it may still be built (or replaced) by the build's other thread meanwhile, and the guard then
    fails on a table that vanished under it, or misses this build's rows. Every model and seed outside the
    restricted store must be upstream of it."""
    nodes = manifest["nodes"]
    [guard] = [u for u, n in nodes.items() if n["resource_type"] == "test" and n["name"] == "assert_no_personal_data_outside_pii"]
    upstream: set[str] = set()
    stack = list(nodes[guard]["depends_on"]["nodes"])
    while stack:
        unique_id = stack.pop()
        if unique_id not in upstream:
            upstream.add(unique_id)
            stack += nodes.get(unique_id, {}).get("depends_on", {}).get("nodes", [])
    outside_pii = {
        u for u, n in nodes.items() if n["resource_type"] in ("model", "seed") and n["database"] != "pii"
    }
    assert outside_pii, "no model outside the restricted store: the manifest is not what this test expects"
    assert outside_pii <= upstream, sorted(n.split(".")[-1] for n in outside_pii - upstream)


def test_the_registrys_sector_column_agrees_with_the_employer_types():
    """seeds/registry/unit_registry.csv carries each unit's Frascati sector for the readers of the reference tables;
    the mapping itself is seeds/codes/employment_sectors.csv (employer type -> sector). The copy must agree."""
    seeds = DBT_PROJECT_DIR / "seeds"
    with (seeds / "codes" / "employment_sectors.csv").open(encoding="utf-8") as fh:
        sector_of = {r["code"]: r["frascati_sector"] for r in csv.DictReader(fh) if r["scheme"] == "employer_type"}
    with (seeds / "registry" / "unit_registry.csv").open(encoding="utf-8") as fh:
        units = list(csv.DictReader(fh))
    assert len(units) > 100 and sector_of
    wrong = [(u["unit_code"], u["employer_type_code"], u["frascati_sector"]) for u in units
             if sector_of.get(u["employer_type_code"]) != u["frascati_sector"]]  # fmt: skip
    assert wrong == []
