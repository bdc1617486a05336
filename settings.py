"""The project's settings, in one place: where the warehouse, the restricted store, the landing zone and the
readers' snapshot are, and the small knobs of a run. One environment variable per setting (the README's table).
Read by ingestion, Dagster, the publishers and the tools; dbt reads the same variables in profiles.yml."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("TRITHUC_HOME", Path(__file__).resolve().parent))
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
REGISTRY_CSV = DBT_PROJECT_DIR / "seeds" / "registry" / "unit_registry.csv"
HEADER_SYNONYMS_CSV = Path(__file__).resolve().parent / "ingest" / "header_synonyms.csv"
# Run alerts (orchestration/alerts.py writes them, the quality page shows them), beside the warehouse file.
ALERTS_FILE = Path("alerts") / "alerts.jsonl"
# Words a group heading inside a table begins with ('Bệnh viện', 'Trường', 'Khoa'): read by the reader and by dbt.
SECTION_HEADING_WORDS_CSV = DBT_PROJECT_DIR / "seeds" / "synonyms" / "section_heading_words.csv"


def warehouse_path() -> Path:
    """The DuckDB file (``TRITHUC_WAREHOUSE``), read by Dagster and by dbt's profiles.yml."""
    return Path(os.environ.get("TRITHUC_WAREHOUSE", PROJECT_ROOT / "warehouse" / "trithuc.duckdb"))


# The restricted store is attached under this name: its tables read as pii.<table> (pii.persons, pii.raw_persons),
# in dbt, in Dagster and in a quality officer's SQL alike.
RESTRICTED_CATALOG = "pii"


def restricted_path(warehouse: Path | None = None) -> Path:
    """The restricted store (``TRITHUC_RESTRICTED``): the DuckDB file with every personal value. Default:
    ``restricted/restricted.duckdb`` beside the analytics file (``warehouse/restricted/restricted.duckdb``)."""
    if os.environ.get("TRITHUC_RESTRICTED"):
        return Path(os.environ["TRITHUC_RESTRICTED"])
    return Path(warehouse or warehouse_path()).parent / "restricted" / "restricted.duckdb"


def landing_path() -> Path:
    """The landing zone (``TRITHUC_LANDING``): <period>/<unit_kind>/<unit_code>/<file>."""
    return Path(os.environ.get("TRITHUC_LANDING", PROJECT_ROOT / "warehouse" / "landing"))


def warehouse_dir() -> Path:
    """Runtime outputs (exports, reports, outbox) live beside the DuckDB file."""
    return warehouse_path().parent


def published_path(warehouse: Path | None = None) -> Path:
    """The readers' snapshot (``TRITHUC_PUBLISHED``): ``published/trithuc.duckdb`` beside the pipeline's file."""
    override = os.environ.get("TRITHUC_PUBLISHED")
    return Path(override) if override else Path(warehouse or warehouse_path()).parent / "published" / "trithuc.duckdb"


DEFAULT_LOCK_WAIT_SECONDS = 300.0


def lock_wait_seconds() -> float:
    """How long a run waits for a lock held by another process (``TRITHUC_LOCK_WAIT_SECONDS``, default 300)."""
    try:
        return max(0.0, float(os.environ.get("TRITHUC_LOCK_WAIT_SECONDS", DEFAULT_LOCK_WAIT_SECONDS)))
    except ValueError:
        return DEFAULT_LOCK_WAIT_SECONDS


def sensor_interval_seconds() -> int:
    """Seconds between two looks of the landing sensor (``TRITHUC_SENSOR_INTERVAL``, default 60)."""
    return int(os.environ.get("TRITHUC_SENSOR_INTERVAL", "60"))


def verbose_log() -> bool:
    """`make run` shows Dagster's and dbt's full log on the terminal (``TRITHUC_LOG=debug``)."""
    return os.environ.get("TRITHUC_LOG", "").strip().lower() == "debug"
