"""The small hand-made warehouse of tests/small_warehouse.py with its unit scorecard, for the quality pages and the
feedback workbooks (publish/quality)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.small_warehouse import build_scorecard, build_warehouse


@pytest.fixture(scope="session")
def scored_warehouse(tmp_path_factory) -> Path:
    """The small warehouse plus quality.unit_scorecard built by the real dbt model (dbt run -s unit_scorecard)."""
    root = tmp_path_factory.mktemp("wh_scored")
    return build_scorecard(build_warehouse(root / "trithuc.duckdb"), root)
