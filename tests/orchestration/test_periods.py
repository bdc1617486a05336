"""'Latest period' never means a period in the future (issue #15): the run's clock decides what is due."""

from __future__ import annotations

from datetime import UTC, date, datetime

from ingest.periods import current_period, is_future, latest_period, publishable_periods


def test_current_period_follows_the_run_clock_in_vietnam_time(monkeypatch):
    monkeypatch.delenv("TRITHUC_TODAY", raising=False)
    assert current_period(date(2026, 6, 30)).code == "2026-H1"
    assert current_period(date(2026, 7, 1)).code == "2026-H2"
    # 30 June 18:00 UTC is already 1 July in Vietnam (UTC+7)
    assert current_period(datetime(2026, 6, 30, 18, 0, tzinfo=UTC)).code == "2026-H2"
    monkeypatch.setenv("TRITHUC_TODAY", "2027-01-02")
    assert current_period().code == "2027-H1"


def test_future_and_malformed_periods_are_never_latest():
    today = date(2026, 8, 1)
    found = ["2025-H2", "2099-H1", "2026-H2", "2026-H1", "2027-H1", "junk", None, "2026-H1"]
    assert publishable_periods(found, today) == ["2025-H2", "2026-H1", "2026-H2"]
    assert latest_period(found, today) == "2026-H2"
    assert latest_period(["2099-H1"], today) is None and latest_period([], today) is None
    assert is_future("2099-H1", today) and is_future("2027-H1", today)
    assert not is_future("2026-H2", today) and not is_future("junk", today)


def test_dbt_spells_a_period_as_ingest_does():
    """One spelling of a period: dbt's var period_regex is ingest.periods.PERIOD_REGEX without its anchors."""
    from pathlib import Path

    import yaml

    from ingest.periods import PERIOD_REGEX

    project = yaml.safe_load((Path(__file__).resolve().parents[2] / "dbt_project" / "dbt_project.yml").read_text())
    assert "^" + project["vars"]["period_regex"] + "$" == PERIOD_REGEX


def test_dbt_knows_the_personal_fields_the_loader_splits_off():
    """The restricted store's columns: dbt's var personal_fields is ingest.datasets' Field(personal=True)."""
    import yaml

    from ingest.datasets import DATASETS, PERSONAL_DATASETS
    from settings import DBT_PROJECT_DIR

    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["vars"]["personal_fields"] == {d: list(DATASETS[d].personal_fields) for d in PERSONAL_DATASETS}
