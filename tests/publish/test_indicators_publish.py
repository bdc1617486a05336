"""Indicator exports (Parquet, CSV with BOM, Excel) and the static HTML report, on a hand-made marts warehouse.
The report is opened in a real headless Chromium and must show its vega charts without any network."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from orchestration.publish.indicators import (
    PeriodNotInWarehouse,
    WarehouseNotReady,
    export_period,
    render_report,
)
from orchestration.publish.indicators.constants import GROUP_SHEET_NAMES

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "dbt_project" / "seeds" / "indicators" / "indicator_definitions.csv"
WARDS = REPO / "dbt_project" / "seeds" / "codes" / "admin_units_dong_nai.csv"
PII_WORDS = ("full_name", "cccd", "phone", "email", "birth_date", "name_key")

_VALUES_DDL = """
create table marts.indicator_values (
    indicator_code varchar, measure_code varchar, period varchar, geo_level varchar, geo_code varchar,
    breakdown varchar, sex_code varchar, age_group varchar, sector_code varchar, science_field_code varchar,
    unit varchar, numerator double, denominator double, value double, target_2030 double, target_2030_high double,
    gap_2030 double, status varchar, change_from_previous double, completeness double, units_expected integer,
    units_received integer, obs_status varchar, conf_status varchar, obs_note varchar)
"""


def _value(measure: str, period: str, value: float | None, **extra) -> dict:
    row = {
        "indicator_code": measure.split("_")[0],
        "measure_code": measure,
        "period": period,
        "geo_level": "city",
        "geo_code": "_T",
        "breakdown": "total",
        "sex_code": "_T",
        "age_group": "_T",
        "sector_code": "_T",
        "science_field_code": "_T",
        "unit": "percent",
        "numerator": None,
        "denominator": None,
        "value": value,
        "target_2030": None,
        "target_2030_high": None,
        "gap_2030": None,
        "status": None,
        "change_from_previous": None,
        "completeness": 1.0,
        "units_expected": 1,
        "units_received": 1,
        "obs_status": "A" if value is not None else "M",
        "conf_status": "F",
        "obs_note": None if value is not None else "no source data for this measure in this period",
    }
    row.update(extra)
    return row


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("indicators_publish") / "warehouse.duckdb"
    rows = [
        _value(
            "A1",
            "2025-H2",
            8.0,
            unit="per_10000",
            numerator=160,
            denominator=200000,
            target_2030=12,
            gap_2030=4,
            status="on_track",
        ),
        _value(
            "A1",
            "2026-H1",
            8.5,
            unit="per_10000",
            numerator=170,
            denominator=200000,
            target_2030=12,
            gap_2030=3.5,
            status="on_track",
            obs_status="P",
            completeness=0.9,
        ),
        _value(
            "A1",
            "2026-H1",
            11.0,
            unit="per_10000",
            geo_level="ward",
            geo_code="26068",
            numerator=110,
            denominator=100000,
            target_2030=12,
            gap_2030=1,
            status="on_track",
        ),
        _value(
            "A1",
            "2026-H1",
            6.0,
            unit="per_10000",
            geo_level="ward",
            geo_code="26041",
            numerator=30,
            denominator=50000,
            target_2030=12,
            gap_2030=6,
            status="off_track",
        ),
        _value(
            "A1",
            "2026-H1",
            None,
            unit="per_10000",
            geo_level="ward",
            geo_code="26017",
            conf_status="A",
            obs_status="A",
            obs_note=None,
        ),
        _value(
            "A3",
            "2025-H2",
            1.6,
            numerator=32000,
            denominator=2000000,
            target_2030=1.5,
            gap_2030=-0.1,
            status="achieved",
        ),
        _value("A3", "2026-H1", None, obs_note="annual indicator: measured in H2 periods"),
        _value("C2", "2026-H1", 40.0, numerator=40, denominator=100, status="no_target"),
        _value(
            "D1",
            "2026-H1",
            35.0,
            numerator=35,
            denominator=100,
            target_2030=40,
            gap_2030=5,
            status="off_track",
        ),
        _value("E1_STE", "2026-H1", 12.0, unit="count", numerator=12, status="no_target"),
        _value("B6", "2026-H1", None),
    ]
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema marts")
        con.execute(
            "create table marts.indicator_catalog as select *, source_datasets as source "
            f"from read_csv('{SEED}', header = true, all_varchar = true)"
        )
        con.execute(_VALUES_DDL)
        con.execute("create schema reference")
        con.execute(
            "create table reference.admin_units_dong_nai as select * "
            f"from read_csv('{WARDS}', header = true, all_varchar = true)"
        )
        frame = pd.DataFrame(rows)  # noqa: F841 - read by DuckDB's replacement scan
        con.execute("insert into marts.indicator_values by name select * from frame")
    finally:
        con.close()
    return path


def test_exports_written_and_readable(warehouse: Path, tmp_path: Path) -> None:
    paths = export_period(warehouse, "2026-H1", tmp_path / "exports")
    assert [p.suffix for p in paths] == [".parquet", ".csv", ".xlsx"]
    assert all(p.parent == tmp_path / "exports" / "2026-H1" for p in paths)

    parquet = pd.read_parquet(paths[0])
    assert set(parquet["period"]) == {"2026-H1"}
    assert len(parquet) == 9  # only the period's rows (4 A1, A3, C2, D1, E1_STE, B6)
    assert parquet.loc[parquet["measure_code"] == "D1", "value"].item() == 35.0

    raw = paths[1].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    csv = pd.read_csv(paths[1], encoding="utf-8-sig")
    assert list(csv.columns) == list(parquet.columns)
    assert "Nhân lực nghiên cứu" in raw.decode("utf-8-sig")

    book = CalamineWorkbook.from_path(str(paths[2]))
    assert book.sheet_names == ["README", *GROUP_SHEET_NAMES.values()]
    readme = book.get_sheet_by_name("README").to_python()
    readme_text = "\n".join(str(cell) for row in readme for cell in row)
    for column in parquet.columns:
        assert column in readme_text, f"README does not define {column}"
    for flag in ("achieved", "on_track", "off_track", "no_target", "Ẩn sơ cấp", "Ẩn thứ cấp"):
        assert flag in readme_text
    group_a = book.get_sheet_by_name(GROUP_SHEET_NAMES["A"]).to_python()
    assert group_a[1][:3] == ["Nhóm", "Mã chỉ tiêu", "Mã thành phần"]
    assert {row[2] for row in group_a[2:]} == {"A1", "A3"}
    # the reading copy speaks Vietnamese; Parquet and CSV keep the mart's note
    a3_row = next(row for row in group_a[2:] if row[2] == "A3")
    assert "Chỉ tiêu năm: tính ở kỳ cuối năm (H2)" in a3_row
    assert "annual indicator: measured in H2 periods" in set(parquet["obs_note"].dropna())


def test_every_note_the_indicator_models_write_has_its_vietnamese_text() -> None:
    import re

    from orchestration.publish.indicators.constants import OBS_NOTES_VI

    sql = "\n".join(
        path.read_text(encoding="utf-8")
        for folder in ("models/intermediate/registers", "models/marts/indicators")
        for path in (REPO / "dbt_project" / folder).glob("*.sql")
    )
    notes = set(re.findall(r"(?:then|else) '([a-z][^']* [^']*)'", sql))
    assert "annual indicator: measured in H2 periods" in notes and len(notes) >= 5
    assert notes <= set(OBS_NOTES_VI), f"no Vietnamese text for {sorted(notes - set(OBS_NOTES_VI))}"


def test_exports_carry_no_personal_data(warehouse: Path, tmp_path: Path) -> None:
    paths = export_period(warehouse, "2026-H1", tmp_path / "exports")
    columns = [c.lower() for c in pd.read_parquet(paths[0]).columns]
    assert not [c for c in columns if any(word in c for word in PII_WORDS)]
    suppressed = pd.read_parquet(paths[0]).query("conf_status != 'F'")
    assert suppressed["value"].isna().all() and suppressed["numerator"].isna().all()


def test_unknown_period_and_missing_warehouse_are_named_errors(warehouse: Path, tmp_path: Path) -> None:
    with pytest.raises(PeriodNotInWarehouse, match="2030-H1"):
        export_period(warehouse, "2030-H1", tmp_path)
    with pytest.raises(WarehouseNotReady):
        render_report(tmp_path / "nothing.duckdb", "2026-H1", tmp_path)


@pytest.mark.browser
def test_report_speaks_to_its_reader(warehouse: Path, tmp_path: Path) -> None:
    """No 'nan' or 'None' on the page, numbers in the Vietnamese way (decimal comma, counts as integers), each card
    saying how the indicator is computed, and ward rankings naming the wards beside their codes."""
    text = render_report(warehouse, "2026-H1", tmp_path / "reports").read_text(encoding="utf-8")
    body = text.split("<body", 1)[1].split("<script", 1)[0]  # the page, not the inlined JavaScript
    assert not re.search(r"(?i)\bnan\b|\bNone\b", body)
    assert "8,50 người/vạn dân" in body  # A1 2026-H1: 8.5 -> 8,50
    assert "12 doanh nghiệp" in body and "12,00" not in body  # E1_STE: a count
    assert "không có mục tiêu số" in body  # C2 has no numeric 2030 target
    assert body.count("Cách tính:") >= 4
    assert "Phường Biên Hòa (26068)" in text  # the ranking's labels are in the chart specs


def test_report_renders_charts_in_headless_chromium(warehouse: Path, tmp_path: Path, chromium: Path) -> None:
    page = render_report(warehouse, "2026-H1", tmp_path / "reports")
    assert page == tmp_path / "reports" / "indicators" / "2026-H1.html"
    text = page.read_text(encoding="utf-8")
    assert "<script src=" not in text and "cdn.jsdelivr" not in text  # everything inlined
    assert "Chậm lộ trình" in text and "Đã đạt" in text and "Chưa có số liệu" in text

    result = subprocess.run(
        [
            str(chromium),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=5000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    dom = result.stdout
    assert 'id="trend-A1"' in dom, result.stderr[-2000:]
    for chart_id in ("trend-A1", "wards-A1", "trend-D1"):
        block = dom[dom.index(f'id="{chart_id}"') :]
        block = block[: block.index("</svg>") + 6] if "</svg>" in block else block[:3000]
        assert "<svg" in block and 'class="marks"' in block, f"{chart_id} did not render: {block[:500]}"
        assert "Lỗi biểu đồ" not in block
    assert dom.count('class="marks"') >= 3  # vega's rendered SVG groups
    # the ward ranking lists the published wards, not the suppressed one
    ranking = dom[dom.index('id="wards-A1"') :]
    ranking = ranking[: ranking.index("</svg>")]
    assert "26068" in ranking and "26041" in ranking and "26017" not in ranking


def test_a_future_period_in_the_warehouse_is_never_published(
    warehouse: Path, tmp_path: Path, monkeypatch
) -> None:
    """Issue #15: rows for 2099-H1 (a file that should have been rejected) do not make exports or a report."""
    import dagster as dg

    from orchestration.defs.indicators.assets import indicator_package
    from orchestration.defs.resources import WarehouseResource

    copy = tmp_path / "wh" / "trithuc.duckdb"
    copy.parent.mkdir()
    shutil.copy(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute(
            "insert into marts.indicator_values select * replace ('2099-H1' as period) "
            "from marts.indicator_values where period = '2026-H1'"
        )
    monkeypatch.setenv("TRITHUC_WAREHOUSE", str(copy))
    monkeypatch.setenv("TRITHUC_TODAY", "2026-07-15")
    result = dg.materialize(
        [indicator_package], resources={"warehouse": WarehouseResource(database=str(copy))}
    )
    assert result.success
    assert sorted(p.name for p in (copy.parent / "exports").iterdir()) == ["2025-H2", "2026-H1"]
    assert not (copy.parent / "reports" / "indicators" / "2099-H1.html").exists()
    asked = dg.materialize(
        [indicator_package],
        resources={"warehouse": WarehouseResource(database=str(copy))},
        run_config={"ops": {"indicator_package": {"config": {"period": "2099-H1"}}}},
        raise_on_error=False,
    )
    assert not asked.success and not (copy.parent / "exports" / "2099-H1").exists()
