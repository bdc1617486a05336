import shutil
import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.defs.dbt.assets import trithuc_dbt_assets
from orchestration.defs.dbt.project import dbt_project

# The dbt installed beside this Python (the project's virtual environment), else the one on PATH.
_venv_dbt = Path(sys.executable).parent / "dbt"
DBT_EXECUTABLE = str(_venv_dbt) if _venv_dbt.exists() else (shutil.which("dbt") or "dbt")

defs = dg.Definitions(
    assets=[trithuc_dbt_assets],
    resources={
        "dbt": DbtCliResource(
            project_dir=dbt_project, profiles_dir=str(dbt_project.profiles_dir), dbt_executable=DBT_EXECUTABLE
        )
    },
)
