"""The one DbtProject. The manifest is prepared by prepare_if_dev() (under `dagster dev`) or by `dbt parse`
in `make run` / the tests before definitions load; nothing here runs dbt at import time otherwise."""

from __future__ import annotations

from dagster_dbt import DbtProject

from settings import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()
