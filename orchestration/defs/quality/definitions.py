import dagster as dg

from orchestration.defs.quality.assets import quality_reports
from orchestration.defs.quality.checks import suite_checks

defs = dg.Definitions(assets=[quality_reports], asset_checks=suite_checks)
