"""orchestration/bin/dbt, the dbt command Dagster runs: the `dbt --version` dagster-dbt asks before every dbt
command is answered from the installed packages (no dbt import, no PyPI request); every other command is dbt's."""

from __future__ import annotations

import os
import re
import subprocess
from importlib.metadata import version

from orchestration.setup_home import DBT_FOR_DAGSTER, dbt_executable

# dagster-dbt 0.29 (DbtCliResource._cli_version) takes the first x.y.z of the output as dbt's version
_VERSION = re.compile(r"(\d+\.\d+\.\d+)")


def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(DBT_FOR_DAGSTER), *args], capture_output=True, text=True, timeout=120,
        env={**os.environ, "TRITHUC_DBT": dbt_executable(), **(env or {})},
    )  # fmt: skip


def test_the_version_dagster_dbt_reads_is_the_one_dbt_itself_prints():
    assert os.access(DBT_FOR_DAGSTER, os.X_OK), "orchestration/bin/dbt must be executable (git mode 100755)"
    quick = _run("--version")
    real = subprocess.run([dbt_executable(), "--version"], capture_output=True, text=True, timeout=120)
    assert quick.returncode == 0 == real.returncode, quick.stderr
    assert _VERSION.search(quick.stdout).group(1) == _VERSION.search(real.stdout).group(1) == version("dbt-core")
    assert f"duckdb: {version('dbt-duckdb')}" in quick.stdout


def test_every_other_command_is_dbts_own():
    out = _run("parse", "--help")
    assert out.returncode == 0, out.stderr
    assert "Usage: dbt parse" in out.stdout
    # a failing command fails as dbt fails it (its exit code passed back)
    bad = _run("no-such-command")
    assert bad.returncode != 0 and "no-such-command" in (bad.stdout + bad.stderr)


def test_without_a_dbt_it_says_so(tmp_path):
    out = subprocess.run(
        [str(DBT_FOR_DAGSTER), "build"], capture_output=True, text=True, timeout=60,
        env={"PATH": str(tmp_path), "HOME": str(tmp_path)},
    )  # fmt: skip
    assert out.returncode == 127 and "dbt not found" in out.stderr


def test_dagster_runs_this_command_with_the_projects_dbt():
    from dagster_dbt import DbtCliResource

    from orchestration.defs.dbt.definitions import defs

    resource = defs.resources["dbt"]
    assert type(resource) is DbtCliResource and resource.dbt_executable == str(DBT_FOR_DAGSTER)
    assert os.environ["TRITHUC_DBT"] == dbt_executable()


def test_a_python_without_dbt_core_leaves_the_question_to_dbt(tmp_path):
    """A dbt from PATH (pipx, a system install) may have no dbt-core beside the Python found: dbt then answers."""
    fake = tmp_path / "dbt"
    fake.write_text('#!/bin/sh\necho "Core:"\necho "  - installed: 9.8.7 (asked dbt itself: $*)"\n')
    python = tmp_path / "python"
    python.write_text("#!/bin/sh\nexit 1\n")
    for script in (fake, python):
        script.chmod(0o755)
    out = _run("--version", env={"TRITHUC_DBT": str(fake)})
    assert out.returncode == 0, out.stderr
    assert "9.8.7 (asked dbt itself: --version)" in out.stdout
