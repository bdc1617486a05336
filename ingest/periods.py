"""Reporting periods: ``YYYY-H1`` (the half-year report) and ``YYYY-H2`` (the annual report), their deadlines, and
the run's clock that decides which periods are due: a file under a later period is rejected (``future_period``) and
"latest" for the published outputs (quality page, indicator report and exports, national package) is the latest
period with accepted data that is not in the future. The clock is Vietnam time; ``TRITHUC_TODAY=YYYY-MM-DD`` sets it
for tests and replays. One place for both, so the loader and the publishers never disagree around 1 January and
1 July.

The deadlines and which half is the annual report are written once, in the dbt seed
``dbt_project/seeds/registry/reporting_halves.csv``: dbt reads it as a seed (the unit scorecard, the reporting
periods) and this module reads the same file."""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from settings import DBT_PROJECT_DIR

# The one spelling of a period, for every reader of one (Python, Great Expectations, dbt's var period_regex).
PERIOD_REGEX = r"^20[0-9]{2}-H[12]$"
_PERIOD_RE = re.compile(PERIOD_REGEX)

REPORTING_HALVES_CSV = DBT_PROJECT_DIR / "seeds" / "registry" / "reporting_halves.csv"


@dataclass(frozen=True)
class ReportingHalf:
    """One row of ``reporting_halves.csv``: a half-year's deadline (in the period's own year) and whether its
    period is the annual report."""

    half: int
    deadline_month: int
    deadline_day: int
    is_annual: bool

    @property
    def deadline_vi(self) -> str:
        """The deadline as a clerk writes it: '20/6', '05/12'."""
        return f"{self.deadline_day:02d}/{self.deadline_month}"


@cache
def reporting_halves(path: Path = REPORTING_HALVES_CSV) -> dict[int, ReportingHalf]:
    """The two halves of a reporting year, keyed by 1 and 2, as the seed gives them."""
    with open(path, encoding="utf-8", newline="") as handle:
        halves = {
            int(row["half"]): ReportingHalf(
                half=int(row["half"]),
                deadline_month=int(row["deadline_month"]),
                deadline_day=int(row["deadline_day"]),
                is_annual=row["is_annual"].strip().lower() == "true",
            )
            for row in csv.DictReader(handle)
        }
    if set(halves) != {1, 2}:
        raise ValueError(f"{path} must have one row for half 1 and one for half 2, not {sorted(halves)}")
    return halves


def day_after_deadline_cron(half: int, hour: int) -> str:
    """The cron line for ``hour``:00 on the day after half ``half``'s deadline, every year (Vietnam time, the
    schedule's own timezone): when a period's files are all in and its package is published."""
    reporting_half = reporting_halves()[half]
    # the same day every year: any year without 29 February will do
    deadline = date(2001, reporting_half.deadline_month, reporting_half.deadline_day)
    after = deadline + timedelta(days=1)
    if after.year != deadline.year:
        # the schedules name the period by the year they run in
        raise ValueError(f"half {half}'s deadline is 31 December: the day after it is in the next year")
    return f"0 {hour} {after.day} {after.month} *"


@dataclass(frozen=True, order=True)
class Period:
    year: int
    half: int

    @property
    def code(self) -> str:
        return f"{self.year}-H{self.half}"

    @property
    def start(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    @property
    def deadline(self) -> date:
        half = reporting_halves()[self.half]
        return date(self.year, half.deadline_month, half.deadline_day)

    @property
    def is_annual(self) -> bool:
        return reporting_halves()[self.half].is_annual

    def previous(self) -> Period:
        return Period(self.year, 1) if self.half == 2 else Period(self.year - 1, 2)

    def next(self) -> Period:
        return Period(self.year, 2) if self.half == 1 else Period(self.year + 1, 1)

    def __str__(self) -> str:
        return self.code


def parse_period(text: str) -> Period | None:
    """``'2026-H1'`` -> Period(2026, 1); anything else -> None (the caller rejects, never guesses)."""
    text = text.strip()
    if not _PERIOD_RE.match(text):
        return None
    return Period(int(text[:4]), int(text[-1]))


TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY_ENV = "TRITHUC_TODAY"


def run_date(now: datetime | date | None = None) -> date:
    """The run's calendar date in Vietnam: ``now`` if given (a naive datetime is UTC, as the loader keeps its
    clock), else $TRITHUC_TODAY, else the clock."""
    if isinstance(now, datetime):
        return (now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(TIMEZONE).date()
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


# The first half-year the warehouse reports on: the plan runs from 2025 and its first reports are for 2025-H2 (the
# half-year after the July 2025 reorganisation of wards and communes).
FIRST_PERIOD = Period(2025, 2)


def periods_between(first: Period, last: Period) -> list[str]:
    """Every period code from ``first`` to ``last``, both included, oldest first."""
    out: list[str] = []
    period = first
    while period <= last:
        out.append(period.code)
        period = period.next()
    return out


def reporting_periods(now: datetime | date | None = None) -> list[str]:
    """The periods one may publish today: FIRST_PERIOD up to the current half-year."""
    return periods_between(FIRST_PERIOD, current_period(now))
