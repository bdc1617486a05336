"""Which reporting period is "latest" for the published outputs (quality page, indicator report and exports,
national package).

Why this exists: a file under ``2099-H1/`` once reached the warehouse and moved every output to 2099-H1,
superseding the real national packages. The loader now rejects such files (``future_period``), but the consumers
must not trust that alone: "latest" here always means the latest period with accepted data that is not later
than the current half-year by the run's clock (Vietnam time; ``TRITHUC_TODAY=YYYY-MM-DD`` sets the clock for
tests and replays). A period in the future is skipped, never published.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ingest.periods import Period, parse_period

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY_ENV = "TRITHUC_TODAY"


def run_date(now: datetime | date | None = None) -> date:
    """The run's calendar date in Vietnam: ``now`` if given, else $TRITHUC_TODAY, else the clock."""
    if isinstance(now, datetime):
        return now.astimezone(TIMEZONE).date() if now.tzinfo else now.date()
    if isinstance(now, date):
        return now
    override = os.environ.get(TODAY_ENV, "").strip()
    if override:
        return date.fromisoformat(override)
    return datetime.now(TIMEZONE).date()


def current_period(now: datetime | date | None = None) -> Period:
    """The half-year the run's date falls in (1 Jan-30 Jun: H1; 1 Jul-31 Dec: H2)."""
    today = run_date(now)
    return Period(today.year, 1 if today.month <= 6 else 2)


def is_future(period: str, now: datetime | date | None = None) -> bool:
    """True for a well-formed period later than the current half-year; False for anything else."""
    parsed = parse_period(str(period))
    return parsed is not None and parsed > current_period(now)


def publishable_periods(periods: Iterable[str], now: datetime | date | None = None) -> list[str]:
    """The well-formed, not-future periods of ``periods``, oldest first, without duplicates."""
    kept = {str(p) for p in periods if p is not None and parse_period(str(p)) is not None}
    return sorted((p for p in kept if not is_future(p, now)), key=lambda p: parse_period(p))


def latest_period(periods: Iterable[str], now: datetime | date | None = None) -> str | None:
    """The latest well-formed period of ``periods`` that is not in the future, or None."""
    kept = publishable_periods(periods, now)
    return kept[-1] if kept else None
