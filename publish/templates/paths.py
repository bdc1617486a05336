"""Where the pre-filled templates are written (read by the quality page, the feedback workbooks and the privacy
scan, which skips the folder: each template carries a unit's own people back to it)."""

from __future__ import annotations

from pathlib import Path

from ingest.periods import parse_period


def templates_root(warehouse: Path) -> Path:
    """``<warehouse dir>/reports/templates``: mode 0700, as is every period folder in it."""
    return Path(warehouse).resolve().parent / "reports" / "templates"


def templates_dir(warehouse: Path, period: str) -> Path:
    if parse_period(str(period)) is None:
        raise ValueError(f"not a reporting period: {period!r}")
    return templates_root(warehouse) / str(period)


def template_path(warehouse: Path, period: str, unit_code: str) -> Path:
    """``reports/templates/<period>/<unit_code>.xlsx``."""
    return templates_dir(warehouse, period) / f"{unit_code}.xlsx"
