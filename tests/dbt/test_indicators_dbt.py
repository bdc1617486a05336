"""Builds the indicator models (with every dbt unit test) on a small hand-made warehouse and checks the published
marts: as-of status logic across periods, register measures, disclosure control, 'M' rows, contracts."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import indicator_harness as harness  # noqa: E402

pytestmark = pytest.mark.xdist_group("dbt_indicators")

PERIODS = ("2025-H2", "2026-H1")
WARD_A, WARD_B, WARD_C = "26068", "26041", "26017"


def _manifest_row(unit_code: str, unit_kind: str, period: str, datasets: str) -> dict:
    return {
        "source_file": f"{period}/{unit_kind}/{unit_code}/f.xlsx", "file_sha256": "x", "unit_code": unit_code,
        "unit_kind": unit_kind, "period": period, "datasets": datasets, "status": "loaded", "is_current": True,
        "ingested_at": "2026-07-01 00:00:00",
    }


def _persons() -> tuple[list[dict], list[dict], list[dict]]:
    """Researchers with a ThS: 12 in ward A, 2 in ward B, 5 in ward C; r0 retires in 2026-H1."""
    dims, records, history = [], [], []
    for i in range(19):
        key = f"r{i}"
        ward = WARD_A if i < 12 else WARD_B if i < 14 else WARD_C
        sex = "F" if i % 3 == 0 else "M"
        dims.append({"person_key": key, "sex_code": sex, "birth_year": 1985, "status_code": "ACTIVE"})
        for period in PERIODS:
            records.append({
                "person_key": key, "period": period, "unit_code": "SNV", "source_file": f"{period}/snv.xlsx",
                "source_row": i + 5, "qualification_code": "THS", "role_code": "RESEARCHER", "sex_code": sex,
                "residence_ward_code": ward, "sector_code": "GOV", "employer_type_code": "TCKHCN_CL",
            })
        if i == 0:
            history += [
                {"person_key": key, "status_code": "ACTIVE", "valid_from_period": "2025-H2",
                 "valid_to_period": "2025-H2", "is_current": False},
                {"person_key": key, "status_code": "RETIRED", "valid_from_period": "2026-H1",
                 "valid_to_period": None, "is_current": True},
            ]
        else:
            history.append({"person_key": key, "status_code": "ACTIVE", "valid_from_period": "2025-H2",
                            "valid_to_period": None, "is_current": True})
    return dims, records, history


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("indicators_dbt")
    project = harness.make_project(root / "dbt_project")
    warehouse = root / "warehouse.duckdb"
    harness.make_warehouse(warehouse)
    manifest = [
        _manifest_row("SNV", "department", "2025-H2", "persons"),
        _manifest_row("SNV", "department", "2026-H1", "persons"),
        _manifest_row("CTK", "department", "2025-H2", "population,labour_force"),
        _manifest_row("STC", "department", "2025-H2", "budget"),
        _manifest_row("SKHCN", "department", "2026-H1", "st_tasks"),
    ]
    harness.insert_rows(warehouse, "quality.file_manifest", manifest)
    harness.insert_rows(warehouse, "raw.population", [
        {"ward": "Phường Biên Hòa", "year": "2025", "population": "100.000", "period": "2025-H2", "source_row": 5,
         "source_file": "p.xlsx", "unit_code": "CTK"},
        {"ward": WARD_B, "year": "2025", "population": "50000", "period": "2025-H2", "source_row": 6,
         "source_file": "p.xlsx", "unit_code": "CTK"},
        {"ward": "Nơi không có", "year": "2025", "population": "50000", "period": "2025-H2", "source_row": 7,
         "source_file": "p.xlsx", "unit_code": "CTK"},
    ])
    harness.insert_rows(warehouse, "raw.budget", [
        {"year": "2025", "budget_spending": "2.000.000", "st_spending": "30.000", "period": "2025-H2",
         "source_row": 4, "source_file": "b.xlsx", "unit_code": "STC"},
    ])
    harness.insert_rows(warehouse, "raw.st_tasks", [
        {"task_code": "T1", "task_name": "a", "accepted_year": "2025", "is_applied": "Có", "period": "2026-H1",
         "source_row": 4, "source_file": "t.xlsx", "unit_code": "SKHCN"},
        {"task_code": "T2", "task_name": "b", "accepted_year": "2026", "is_applied": "Chưa", "period": "2026-H1",
         "source_row": 5, "source_file": "t.xlsx", "unit_code": "SKHCN"},
    ])
    dims, records, history = _persons()
    harness.insert_rows(warehouse, "fixture.dim_person", dims)
    harness.insert_rows(warehouse, "fixture.person_source_records", records)
    harness.insert_rows(warehouse, "fixture.person_status_history", history)
    result = harness.run_dbt(project, warehouse, "build")
    assert result.returncode == 0, result.stdout[-6000:]
    return warehouse


def _rows(warehouse: Path, where: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            "select period, geo_level, geo_code, breakdown, sex_code, numerator, denominator, value, status, "
            f"obs_status, conf_status, obs_note from marts.indicator_values where {where} "
            "order by period, geo_level, geo_code, breakdown, sex_code"
        ).fetchall()
    finally:
        con.close()


def test_a1_follows_status_as_of_period(built: Path) -> None:
    rows = _rows(built, "measure_code = 'A1' and geo_level = 'city' and breakdown = 'total'")
    # 19 active researchers with a ThS in 2025-H2; r0 retired in 2026-H1 -> 18. City population 200,000.
    assert [(r[0], r[5], r[6], r[7]) for r in rows] == [("2025-H2", 19, 200000, 0.95), ("2026-H1", 18, 200000, 0.9)]
    # incomplete reporting (wards, universities ... did not send persons) -> provisional
    assert {r[9] for r in rows} == {"P"}


def test_ward_cells_under_disclosure_control(built: Path) -> None:
    rows = _rows(built, "measure_code = 'A1' and geo_level = 'ward' and period = '2026-H1'")
    by_key = {(r[2], r[3], r[4]): r for r in rows}
    # ward B: 2 people -> primary suppression, value and numerator withheld
    total_b = by_key[(WARD_B, "total", "_T")]
    assert total_b[10] == "A" and total_b[7] is None and total_b[5] is None
    # across wards exactly one total was suppressed, so the next smallest ward (C, 5 people) is too
    assert by_key[(WARD_C, "total", "_T")][10] == "D"
    # ward A (name resolved to 26068, 100,000 people): 11 people, published: 11 / 100000 x 10000 = 1.1
    total_a = by_key[(WARD_A, "total", "_T")]
    assert total_a[10] == "F" and total_a[7] == pytest.approx(1.1)
    # ward A by sex: women r3, r6, r9 = 3 (r0 retired) -> A; so the men (8) are secondarily suppressed
    assert by_key[(WARD_A, "sex_code", "F")][10] == "A"
    assert by_key[(WARD_A, "sex_code", "M")][10] == "D"
    # no published ward cell is built from 1-3 people
    for row in rows:
        if row[10] == "F" and row[5] is not None:
            assert not 1 <= row[5] <= 3


def test_register_measures_and_missing_rows(built: Path) -> None:
    a3 = _rows(built, "measure_code = 'A3'")
    assert [(r[0], r[7], r[9]) for r in a3] == [("2025-H2", 1.5, "A"), ("2026-H1", None, "M")]
    assert a3[1][11] == "annual indicator: measured in H2 periods"
    a4 = _rows(built, "measure_code = 'A4' and breakdown = 'total'")
    assert [(r[0], r[5], r[6], r[7]) for r in a4] == [
        ("2025-H2", None, None, None), ("2026-H1", 1, 2, 50.0)]
    # B3 needs teaching levels the person records do not carry here: a row saying so, never a number
    b3 = _rows(built, "measure_code = 'B3_PRESCHOOL'")
    assert [(r[7], r[9]) for r in b3] == [(None, "M"), (None, "M")]


def test_every_catalogue_measure_has_a_city_row_each_period(built: Path) -> None:
    con = duckdb.connect(str(built), read_only=True)
    try:
        missing = con.execute("""
            select cat.measure_code, prd.period
            from marts.indicator_catalog as cat
            cross join (select distinct period from marts.indicator_values) as prd
            anti join marts.indicator_values as val
                on val.measure_code = cat.measure_code and val.period = prd.period
                and val.geo_level = 'city' and val.breakdown = 'total'
        """).fetchall()
        codes = {r[0] for r in con.execute("select distinct indicator_code from marts.indicator_catalog").fetchall()}
    finally:
        con.close()
    assert missing == []
    expected = {f"A{i}" for i in range(1, 7)} | {f"B{i}" for i in range(1, 8)} | {"C1", "C2", "D1", "D2", "D3", "D4",
                                                                                   "E1", "E2"}
    assert codes == expected
