import os

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.defs.dbt.assets import trithuc_dbt_assets
from orchestration.defs.dbt.project import dbt_project
from orchestration.setup_home import DBT_FOR_DAGSTER, dbt_executable

# dagster-dbt's stock resource, configured through its public fields only. Its dbt is orchestration/bin/dbt, which
# runs the project's dbt ($TRITHUC_DBT; dagster-dbt's default is the `dbt` on PATH, which `make run`'s
# .venv/bin/python does not have) but answers the `dbt --version` dagster-dbt asks before every command from the
# installed packages' metadata (1.5 s saved per dbt step). The resource also opens a dbt adapter in the Dagster
# process (about 1 s); dagster-dbt 0.29 has no public setting to skip it, and this project does not subclass its
# private hooks.
os.environ.setdefault("TRITHUC_DBT", dbt_executable())

defs = dg.Definitions(
    assets=[trithuc_dbt_assets],
    resources={
        "dbt": DbtCliResource(
            project_dir=dbt_project, profiles_dir=str(dbt_project.profiles_dir), dbt_executable=str(DBT_FOR_DAGSTER)
        )
    },
)
