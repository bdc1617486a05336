"""Prepare a fresh machine for runs: $DAGSTER_HOME with the DuckDB pool limit, local secret key files, dbt manifest.

Idempotent; called by `make setup` (and so by `make run`, `make test`, `make dev`).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from ingest.config import DBT_PROJECT_DIR, PROJECT_ROOT

DAGSTER_YAML = """\
# Written by orchestration/setup_home.py. Runs and their history persist here.
telemetry:
  enabled: false
concurrency:
  pools:
    # DuckDB allows one writer per file: every asset and check that touches the warehouse is in pool 'duckdb'.
    default_limit: 1
  runs:
    # One run at a time: a sensor run and a scheduled run must not write the warehouse together.
    max_concurrent_runs: 1
"""

KEY_FILES = {
    "TRITHUC_PSEUDO_KEY": "pseudonymisation.key",
    "TRITHUC_EXCHANGE_KEY": "exchange.key",
}


def dagster_home() -> Path:
    return Path(os.environ.get("DAGSTER_HOME", PROJECT_ROOT / "warehouse" / "dagster_home"))


def ensure_dagster_home() -> Path:
    home = dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    yaml = home / "dagster.yaml"
    if not yaml.exists() or yaml.read_text() != DAGSTER_YAML:
        yaml.write_text(DAGSTER_YAML)
    return home


def ensure_key_files(secrets_dir: Path | None = None) -> dict[str, str]:
    """For each secret not set in the environment, create a local key file readable only by its owner and point
    ``<NAME>_FILE`` at it. Returns the environment additions (also applied to os.environ)."""
    secrets_dir = secrets_dir or PROJECT_ROOT / "warehouse" / "secrets"
    added: dict[str, str] = {}
    for env_name, file_name in KEY_FILES.items():
        if os.environ.get(env_name):
            continue
        path = Path(os.environ.get(f"{env_name}_FILE") or secrets_dir / file_name)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
        os.chmod(path, 0o600)
        added[f"{env_name}_FILE"] = str(path)
    os.environ.update(added)
    return added


def _newest_project_file() -> float:
    skip = {"target", "dbt_packages", "logs"}
    return max(
        (p.stat().st_mtime for p in DBT_PROJECT_DIR.rglob("*") if p.is_file() and not skip & set(p.parts)),
        default=0.0,
    )


def prepare_dbt_manifest(force: bool = False) -> Path:
    """`dbt parse` so dagster-dbt can read target/manifest.json when definitions load (skipped when the
    manifest is newer than every file of the dbt project)."""
    manifest = DBT_PROJECT_DIR / "target" / "manifest.json"
    if not force and manifest.exists() and manifest.stat().st_mtime > _newest_project_file():
        return manifest
    dbt = Path(sys.executable).parent / "dbt"
    subprocess.run(
        [
            str(dbt),
            "parse",
            "--quiet",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
        ],
        check=True,
        env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
    )
    return DBT_PROJECT_DIR / "target" / "manifest.json"


def main() -> None:
    home = ensure_dagster_home()
    ensure_key_files()
    prepare_dbt_manifest()
    print(f"DAGSTER_HOME={home}")


if __name__ == "__main__":
    main()
