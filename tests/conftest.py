"""Shared fixtures: safe environment (no telemetry, test secrets, temporary homes) and one small generated
landing zone per test session, made by the real sample generator."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("TRITHUC_PSEUDO_KEY", "test-pseudonymisation-key-not-secret")
os.environ.setdefault("TRITHUC_EXCHANGE_KEY", "test-exchange-key-not-secret")

SAMPLE_PERSONS = int(os.environ.get("TEST_SAMPLE_PERSONS", "400"))


@pytest.fixture(scope="session")
def sample_submissions(tmp_path_factory) -> tuple[Path, Path]:
    """(landing, truth) of a small generated set of submissions, broken files included. Read-only for tests:
    copy it (see ``fresh_landing``) before changing anything."""
    from samples.pipeline import generate

    root = tmp_path_factory.mktemp("samples")
    landing, truth = root / "landing", root / "truth"
    generate(out=landing, truth=truth, persons=SAMPLE_PERSONS)
    return landing, truth


@pytest.fixture
def fresh_landing(sample_submissions, tmp_path) -> tuple[Path, Path]:
    landing, truth = sample_submissions
    copy = tmp_path / "landing"
    shutil.copytree(landing, copy)  # copytree keeps mtimes (copy2), so 'on time' stays as generated
    return copy, truth


@pytest.fixture(scope="session")
def dbt_manifest() -> Path:
    from orchestration.setup_home import prepare_dbt_manifest

    return prepare_dbt_manifest()


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's headless Chromium (see tests/browser.py); skips, or fails under TRITHUC_REQUIRE_BROWSER=1."""
    from tests.browser import chromium_path

    return chromium_path()
