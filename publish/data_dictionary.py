"""`make docs`: the dbt docs as a static data dictionary, ``warehouse/reports/data_dictionary/index.html``: every
source, seed and model with its description, columns and lineage graph, in one self-contained HTML file that
opens from disk (dbt's ``--static`` page: no server, no network).

Column types come from the readers' snapshot (warehouse/published/trithuc.duckdb), copied to a temporary folder
with an empty restricted store beside it: dbt never opens the file a run writes, and the catalog it reads holds
names and types only, never values. The restricted models are described from their yml (no types).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from orchestration.setup_home import dbt_executable
from publish.reader_snapshot import reader_snapshot_path
from settings import DBT_PROJECT_DIR, warehouse_dir, warehouse_path


def data_dictionary_path() -> Path:
    return warehouse_dir() / "reports" / "data_dictionary" / "index.html"


def build_data_dictionary(out: Path | None = None) -> Path:
    out = out or data_dictionary_path()
    snapshot = reader_snapshot_path(warehouse_path())
    with tempfile.TemporaryDirectory(prefix="trithuc-docs-") as tmp:
        database = Path(tmp) / "trithuc.duckdb"
        if snapshot.exists():
            shutil.copy(snapshot, database)
        env = {
            **os.environ,
            "TRITHUC_WAREHOUSE": str(database),
            "TRITHUC_RESTRICTED": str(Path(tmp) / "restricted" / "restricted.duckdb"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        (Path(tmp) / "restricted").mkdir(mode=0o700)
        target = Path(tmp) / "target"
        proc = subprocess.run(
            [dbt_executable(), "docs", "generate", "--static", "--profiles-dir", ".", "--target-path", str(target),
             "--log-path", str(Path(tmp) / "logs"), "--quiet"],
            cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        page = target / "static_index.html"
        if proc.returncode != 0 or not page.exists():
            raise RuntimeError(f"dbt docs generate failed:\n{(proc.stdout + proc.stderr)[-3000:]}")
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(page, out)
    return out


def main() -> int:
    snapshot = reader_snapshot_path(warehouse_path())
    if not snapshot.exists():
        print(f"No readers' snapshot at {snapshot} yet: column types are left out (run `make run` first for them).")
    path = build_data_dictionary()
    print(f"Data dictionary: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
