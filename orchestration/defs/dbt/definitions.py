import shutil
import sys
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource
from packaging import version

from orchestration.defs.dbt.assets import trithuc_dbt_assets
from orchestration.defs.dbt.project import dbt_project

# The dbt installed beside this Python (the project's virtual environment), else the one on PATH.
_venv_dbt = Path(sys.executable).parent / "dbt"
DBT_EXECUTABLE = str(_venv_dbt) if _venv_dbt.exists() else (shutil.which("dbt") or "dbt")


class WarehouseDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt resource without two start-up costs this project does not use (about 4 s per run):

    * ``dbt --version`` in a subprocess, to learn the version of the dbt it runs: it is the dbt-core pinned and
      installed in this environment (``DBT_EXECUTABLE`` below), so the installed package says it;
    * a dbt adapter opened in the Dagster process. Only ``fetch_row_counts()`` / ``fetch_column_metadata()`` use
      it, and this project calls neither: DuckDB allows one writer, and dagster-dbt would hold back every dbt
      event until the build ends to keep the file free for them. Without it, events stream as dbt emits them.

    Both are private hooks of dagster-dbt 0.29 (pinned); tests/orchestration/test_definitions.py fails if a new
    version renames them, so that the saving is not lost silently.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):  # noqa: ARG002 - the signature of the method it replaces
        return None


defs = dg.Definitions(
    assets=[trithuc_dbt_assets],
    resources={
        "dbt": WarehouseDbtCliResource(
            project_dir=dbt_project, profiles_dir=str(dbt_project.profiles_dir), dbt_executable=DBT_EXECUTABLE
        )
    },
)
