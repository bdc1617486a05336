import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.defs.dbt.assets import trithuc_dbt_assets
from orchestration.defs.dbt.project import dbt_project
from orchestration.setup_home import dbt_executable

# dagster-dbt's default is the `dbt` on PATH, which `make run` (.venv/bin/python) does not have.
DBT_EXECUTABLE = dbt_executable()

# dagster-dbt's stock resource, configured through its public fields only. Each `dbt.cli(...)` call also runs
# `dbt --version` and opens a dbt adapter in the Dagster process (about 2.5 s together, once per dbt step);
# dagster-dbt 0.29 has no public setting to skip either, and this project does not subclass its private hooks.
defs = dg.Definitions(
    assets=[trithuc_dbt_assets],
    resources={
        "dbt": DbtCliResource(
            project_dir=dbt_project, profiles_dir=str(dbt_project.profiles_dir), dbt_executable=DBT_EXECUTABLE
        )
    },
)
