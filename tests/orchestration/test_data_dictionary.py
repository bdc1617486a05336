"""`make docs` (issue #17): the dbt docs as one static page under warehouse/reports/data_dictionary/, opening from
disk with no network, describing the marts."""

from __future__ import annotations

import re

import pytest


@pytest.mark.browser
def test_the_data_dictionary_is_one_offline_page_describing_the_marts(tmp_path, monkeypatch, chromium):
    from publish.data_dictionary import build_data_dictionary
    from tests.browser import dump_dom, screenshot

    monkeypatch.setenv("TRITHUC_WAREHOUSE", str(tmp_path / "trithuc.duckdb"))  # no snapshot: yml only
    page = build_data_dictionary(tmp_path / "data_dictionary" / "index.html")
    text = page.read_text(encoding="utf-8")
    # nothing loaded from the network (links to dbt's site may stay links)
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"https?://", text)
    assert "intellectuals data dictionary" in text  # our overview (embedded as JSON), not dbt's welcome page
    dom = dump_dom(page.as_uri(), budget_ms=8000)
    assert "dim_person" in dom and "indicator_values" in dom and "unit_scorecard" in dom
    assert "Từ điển dữ liệu trí thức Đồng Nai" in dom  # the overview page, rendered
    screenshot(page.as_uri(), "data_dictionary", width=1600, budget_ms=8000)
