"""The unit scorecard (real dbt model), feedback workbooks read back with calamine, and the quality page in a
real headless Chromium."""

from __future__ import annotations

import html.parser
from pathlib import Path

import duckdb
import pytest
from python_calamine import CalamineWorkbook

from publish.quality.feedback import ROWS_SHEET, SUMMARY_SHEET, write_feedback
from publish.quality.page import write_quality_page
from tests.small_warehouse import PERIOD


def _card(path: Path, unit: str) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    try:
        df = con.execute(
            "select * from quality.unit_scorecard where unit_code = ? and period = ?", [unit, PERIOD]
        ).df()
    finally:
        con.close()
    assert len(df) == 1
    return df.iloc[0].to_dict()


def test_scorecard_covers_every_registry_unit(scored_warehouse):
    con = duckdb.connect(str(scored_warehouse), read_only=True)
    try:
        n_units = con.execute("select count(*) from reference.unit_registry").fetchone()[0]
        n_cards = con.execute(
            "select count(*) from quality.unit_scorecard where period = ?", [PERIOD]
        ).fetchone()[0]
    finally:
        con.close()
    assert n_cards == n_units
    ok, bad, late = (_card(scored_warehouse, u) for u in ("26068", "26041", "LHU"))
    assert ok["submission_status"] == "ok" and ok["is_on_time"] and ok["rows_loaded"] == 3
    assert bad["submission_status"] == "errors" and bad["files_rejected"] == 1 and bad["duplicate_rows"] == 1
    assert bad["coded_values_unmapped"] == 1 and bad["required_filled_share"] < 1
    assert late["submission_status"] == "late" and late["days_late"] == 5 and late["is_on_time"] is False
    skhcn = _card(scored_warehouse, "SKHCN")
    assert (
        skhcn["submission_status"] == "missing"
        and skhcn["datasets_missing"] == "st_tasks,patents,awards,enterprises"
    )


def test_feedback_lists_exactly_the_units_problem_rows(scored_warehouse):
    written = {w.unit_code: w for w in write_feedback(scored_warehouse, PERIOD)}
    assert "26068" not in written  # no problem, no workbook
    assert {"26041", "LHU", "SKHCN"} <= set(written)
    wb = CalamineWorkbook.from_path(str(written["26041"].path))
    assert wb.sheet_names == [SUMMARY_SHEET, ROWS_SHEET]
    rows = wb.get_sheet_by_name(ROWS_SHEET).to_python()
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Tệp gốc", "Trang tính", "Dòng", "Cột"]
    got = sorted((r[0], r[2], r[3], r[4]) for r in body)
    assert got == sorted(
        [
            (
                "old.csv",
                "cả tệp",
                "",
                "",
            ),  # the rejected file (row_issues has it once, not repeated from the manifest)
            ("ds.xlsx", 6.0, "Trình độ chuyên môn cao nhất", "Kĩ sư xyz"),
            ("ds.xlsx", 7.0, "Họ và tên", ""),
        ]
    ), got
    assert all(r[6] and r[7] for r in body)  # what is wrong and how to fix, always
    summary = dict((r[0], r[1]) for r in wb.get_sheet_by_name(SUMMARY_SHEET).to_python()[2:])
    assert "Phường Trấn Biên" in summary["Đơn vị"] and "Xoá 1 dòng trùng lặp" in summary["Việc cần làm"]
    late = dict(
        (r[0], r[1])
        for r in CalamineWorkbook.from_path(str(written["LHU"].path))
        .get_sheet_by_name(SUMMARY_SHEET)
        .to_python()[2:]
    )
    assert late["Thời hạn"].startswith("Trễ hạn 5 ngày")
    assert (
        CalamineWorkbook.from_path(str(written["LHU"].path)).get_sheet_by_name(ROWS_SHEET).to_python()[1:]
        == []
    )


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"])


@pytest.mark.browser
def test_quality_page_renders_in_headless_chromium(scored_warehouse, chromium):
    from expectations import record_results, run_suite
    from tests.browser import dump_dom

    record_results(run_suite("raw_persons", scored_warehouse, PERIOD, "page-run"), scored_warehouse)
    write_feedback(scored_warehouse, PERIOD)
    page = write_quality_page(scored_warehouse, PERIOD)
    assert page.name == f"{PERIOD}.html"
    dom = dump_dom(page.as_uri())
    assert '<table id="scorecard"' in dom
    assert "Phường Trấn Biên" in dom and 'id="data-docs"' in dom and 'id="validations"' in dom
    # worst first: a unit that sent nothing comes before a late one, which comes before a clean one
    assert dom.index(">SKHCN<") < dom.index(">LHU<") < dom.index(">26068<")
    parser = _Links()
    parser.feed(dom)
    relative = [h for h in parser.hrefs if "://" not in h]
    assert any(h.endswith("26041.xlsx") for h in relative) and any(h.endswith("index.html") for h in relative)
    assert all((page.parent / h).resolve().exists() for h in relative), relative
    assert "http" not in page.read_text("utf-8").lower().replace("http-equiv", "")


def test_a_suite_that_passed_reads_as_passed_not_nan(scored_warehouse):
    """A suite with no failed check showed 'nan' in its 'failed checks' cell."""
    import re

    from expectations import record_results, run_suite

    record_results(run_suite("file_manifest", scored_warehouse, PERIOD, "nan-run"), scored_warehouse)
    text = write_quality_page(scored_warehouse, PERIOD).read_text("utf-8")
    table = text.split('id="validations"', 1)[1].split("</table>", 1)[0]
    assert not re.search(r"(?i)>\s*(nan|none)\s*<", table)
    assert "Tất cả đạt" in table


def test_quality_reports_page_is_for_the_latest_accepted_period_not_a_future_one(
    scored_warehouse, tmp_path, monkeypatch
):
    """Issue #15: a loaded row for 2099-H1 in the manifest does not move the quality page to 2099-H1; a failed
    run's alert shows in the page's header."""
    import shutil

    import dagster as dg

    from orchestration.alerts import build_alert, write_alert
    from orchestration.defs.quality.assets import quality_reports
    from orchestration.defs.resources import WarehouseResource

    copy = tmp_path / "trithuc.duckdb"
    shutil.copy(scored_warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute(
            "insert into quality.file_manifest select * replace ('2099-H1/ward/26068/ds.xlsx' as source_file, "
            "'sha-future' as file_sha256, '2099-H1' as period) "
            "from quality.file_manifest where source_file = '2026-H1/ward/26068/ds.xlsx'"
        )
    monkeypatch.setenv("TRITHUC_TODAY", "2026-07-15")
    write_alert(tmp_path, build_alert("everything", "run-1", ["dbt_build"], "RuntimeError", "dbt failed"))
    from orchestration.defs.partitions import REPORTING_PERIODS, period_range_tags

    # as the landing run asks: every period partition up to the current half-year (2099-H1 is none)
    tags = period_range_tags(REPORTING_PERIODS.get_partition_keys())
    assert "2099-H1" not in REPORTING_PERIODS.get_partition_keys()
    result = dg.materialize(
        [quality_reports], resources={"warehouse": WarehouseResource(database=str(copy))}, tags=tags
    )
    assert result.success
    quality = tmp_path / "reports" / "quality"
    page = (quality / f"{PERIOD}.html").read_text("utf-8")
    assert f"kỳ {PERIOD}" in page and "2099-H1" not in page
    assert 'id="alerts"' in page and "RuntimeError: dbt failed" in page
    assert sorted(p.name for p in quality.glob("*.html")) == [f"{PERIOD}.html", "index.html"]
    index = (quality / "index.html").read_text("utf-8")
    assert f'href="{PERIOD}.html"' in index and "2099-H1" not in index
    assert 'id="alerts"' in index and "RuntimeError: dbt failed" in index
    assert not (tmp_path / "reports" / "feedback" / "2099-H1").exists()
    materializations = result.asset_materializations_for_node("quality_reports")
    assert sorted(m.partition for m in materializations) == REPORTING_PERIODS.get_partition_keys()
    materialization = materializations[0]  # one run for the range: the same metadata on each partition
    assert materialization.metadata["quality_page"].path == str((quality / "index.html").resolve())
    assert materialization.metadata["quality_page_latest"].path == str((quality / f"{PERIOD}.html").resolve())


def test_a_masked_value_is_said_in_words_in_the_workbook():
    """'############' (a hidden CCCD) reads like Excel's 'column too narrow': the unit's workbook says it in words."""
    from publish.quality.feedback import _shown_value

    assert _shown_value("############") == "(đã ẩn: 12 chữ số)"
    assert _shown_value("##/##/####") == "(đã ẩn, dạng ##/##/####)"
    assert _shown_value("Kĩ sư xyz") == "Kĩ sư xyz" and _shown_value(None) == ""
