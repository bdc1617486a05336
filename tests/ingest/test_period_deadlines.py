"""The reporting deadlines are the seed's (ingest.periods): the period schedules' cron lines are derived from them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ingest import periods
from ingest.periods import Period, ReportingHalf, day_after_deadline_cron


@pytest.mark.parametrize("half", [1, 2])
def test_the_schedule_runs_the_day_after_the_deadline(half: int) -> None:
    after = Period(2026, half).deadline + timedelta(days=1)
    assert day_after_deadline_cron(half, hour=7) == f"0 7 {after.day} {after.month} *"


def test_a_deadline_on_31_december_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # the schedules name the period by the year they run in: the day after 31 December is the next year's
    monkeypatch.setattr(periods, "reporting_halves", lambda: {2: ReportingHalf(2, 12, 31, True)})
    with pytest.raises(ValueError, match="31 December"):
        day_after_deadline_cron(2, hour=7)
