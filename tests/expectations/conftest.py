"""The small hand-made warehouse of tests/small_warehouse.py, once per session, and a private copy per test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ingest.connect import open_warehouse
from tests.small_warehouse import build_warehouse, copy_warehouse


@pytest.fixture(scope="session")
def base_warehouse(tmp_path_factory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("wh_base") / "trithuc.duckdb")


@pytest.fixture
def warehouse(tmp_path, base_warehouse) -> Path:
    """A private copy of the base warehouse a test may damage."""
    return copy_warehouse(base_warehouse, tmp_path / "trithuc.duckdb")


@pytest.fixture
def sql(warehouse) -> Callable[[str], None]:
    def run(statement: str) -> None:
        con = open_warehouse(warehouse)
        try:
            con.execute(statement)
        finally:
            con.close()

    return run
