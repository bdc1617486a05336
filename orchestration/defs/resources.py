"""The warehouse resource: short-lived DuckDB connections to the one file named by TRITHUC_WAREHOUSE."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import Field

from ingest.connect import connect_warehouse
from settings import landing_path, warehouse_path

# Every asset and check that touches the warehouse runs in this pool (limit 1 in $DAGSTER_HOME/dagster.yaml):
# DuckDB allows one writer per file.
DUCKDB_POOL = "duckdb"


class WarehouseResource(dg.ConfigurableResource):
    """Where the warehouse and the landing zone are. Never opens the database at import time."""

    database: str = Field(
        default="",
        description="The warehouse's DuckDB file; empty: $TRITHUC_WAREHOUSE (default warehouse/trithuc.duckdb).",
    )
    landing: str = Field(
        default="",
        description="The landing zone ({period}/{unit kind}/{unit code}/{file}); empty: $TRITHUC_LANDING.",
    )

    @property
    def database_path(self) -> Path:
        return Path(self.database) if self.database else warehouse_path()

    @property
    def landing_path(self) -> Path:
        return Path(self.landing) if self.landing else landing_path()

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived connection; waits (bounded, ``TRITHUC_LOCK_WAIT_SECONDS``) while another process holds the
        file's lock, and says which process (ingest.connect)."""
        self.database_path.parent.mkdir(parents=True, exist_ok=True)
        con = connect_warehouse(self.database_path, read_only=read_only)
        try:
            yield con
        finally:
            con.close()
