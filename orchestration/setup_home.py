"""Prepare a fresh machine for runs: $DAGSTER_HOME with the DuckDB pool limit and Dagster's storage created, local
secret key files, dbt manifest.

$DAGSTER_HOME/dagster.yaml names Dagster's stock SQLite storage (public settings only).

Idempotent; called by `make setup` (and so by `make run`, `make test`, `make dev`).
"""

from __future__ import annotations

import fcntl
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

from settings import DBT_PROJECT_DIR, PROJECT_ROOT, warehouse_path

DAGSTER_YAML = """\
# Written by orchestration/setup_home.py. Runs and their history persist here.
telemetry:
  enabled: false
# No "Join the Dagster community" dialog over the asset graph (an office without internet cannot join anyway).
nux:
  enabled: false
concurrency:
  pools:
    # DuckDB allows one writer per file: every asset and check that touches the warehouse is in pool 'duckdb'.
    default_limit: 1
  runs:
    # One run at a time: a sensor run and a scheduled run must not write the warehouse together.
    max_concurrent_runs: 1
# The daemon looks at the queue every second (Dagster's default is 5 s): a run from the UI or the sensor starts
# about as soon as `make run` would.
run_queue:
  dequeue_interval_seconds: 1
# A run whose worker died (kill -9, a crash) must not keep the duckdb slot forever: the daemon of `make dev` fails
# runs that never start or run far too long, and frees the pool slots of finished runs. `make run` does the same
# for its own runs when it starts (orchestration/recovery.py).
run_monitoring:
  enabled: true
  start_timeout_seconds: 180
  cancel_timeout_seconds: 180
  max_runtime_seconds: 21600
  poll_interval_seconds: 60
  free_slots_after_run_end_seconds: 60
# Dagster's own SQLite storage, in its usual places under $DAGSTER_HOME (history/runs.db, history/runs/<run>.db,
# schedules/): the public `storage: sqlite` setting.
storage:
  sqlite:
    base_dir: {home}
"""

KEY_FILES = {
    "TRITHUC_PSEUDO_KEY": "pseudonymisation.key",
    "TRITHUC_EXCHANGE_KEY": "exchange.key",
}


def dagster_home() -> Path:
    return Path(os.environ.get("DAGSTER_HOME", PROJECT_ROOT / "warehouse" / "dagster_home"))


def dagster_yaml(home: Path) -> str:
    return DAGSTER_YAML.replace("{home}", str(home.resolve()))


def ensure_dagster_home() -> Path:
    """$DAGSTER_HOME with this project's dagster.yaml and Dagster's storage created (see ``_create_storage``)."""
    home = dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    yaml = home / "dagster.yaml"
    text = dagster_yaml(home)
    if not yaml.exists() or yaml.read_text() != text:
        yaml.write_text(text)
    _create_storage(home)
    return home


def _create_storage(home: Path) -> None:
    """Open the instance once, in this one process, so Dagster creates its SQLite databases before any server does.

    `dagster dev` starts its webserver, daemon and code server together; on a fresh $DAGSTER_HOME each of them
    creates the databases and stamps their schema version, and two doing it at once can leave two versions stamped
    ("Version table 'alembic_version' has more than one head present", dagster-io/dagster#27390). The daemon then
    never starts: no schedule, no sensor, no queued run. Created here, the servers only open them (0.7 s the first
    time, a few ms after that)."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(home)):
        pass


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


PARSED_FOR = "parsed_for_warehouse.txt"


def prepare_dbt_manifest(force: bool = False, *, for_this_warehouse: bool = False) -> Path:
    """`dbt parse` so dagster-dbt can read target/manifest.json when definitions load.

    Skipped when the manifest is newer than every file of the dbt project. With ``for_this_warehouse`` (what
    `make run` asks) also re-parsed when it was parsed for another warehouse file: dbt's partial parsing, which
    every dagster-dbt run starts from, holds only for the profile it was made with, and the profile names the
    warehouse. Parsed for another path, every run would parse the whole project again (about 5 s).
    """
    target = DBT_PROJECT_DIR / "target"
    manifest = target / "manifest.json"
    marker = target / PARSED_FOR
    warehouse = str(warehouse_path().resolve())

    def up_to_date() -> bool:
        fresh = manifest.exists() and manifest.stat().st_mtime > _newest_project_file()
        same_warehouse = marker.exists() and marker.read_text(encoding="utf-8") == warehouse
        return not force and fresh and (same_warehouse or not for_this_warehouse)

    if up_to_date():
        return manifest
    # One parse at a time: two processes (pytest workers, a run and the UI) writing target/manifest.json together
    # leave a file neither can read. The second waits, then finds the first one's manifest fresh.
    target.mkdir(parents=True, exist_ok=True)
    with open(target / ".parse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if up_to_date():
            return manifest
        _parse(warehouse)
        marker.write_text(warehouse, encoding="utf-8")
    return manifest


# The dbt command Dagster runs: this project's dbt, with dagster-dbt's `dbt --version` answered quickly (see it).
DBT_FOR_DAGSTER = Path(__file__).resolve().parent / "bin" / "dbt"


def dbt_executable() -> str:
    """The dbt CLI of this environment: the one installed beside this Python (the project's virtual environment),
    else the one on PATH. `make` starts .venv/bin/python without putting .venv/bin on PATH."""
    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def _parse(warehouse: str) -> None:
    subprocess.run(
        [
            dbt_executable(),
            "parse",
            "--quiet",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
        ],
        check=True,
        env={**os.environ, "TRITHUC_WAREHOUSE": warehouse, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
    )


def main() -> None:
    home = ensure_dagster_home()
    ensure_key_files()
    prepare_dbt_manifest()
    print(f"DAGSTER_HOME={home}")


if __name__ == "__main__":
    main()
