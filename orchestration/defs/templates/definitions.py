import dagster as dg

from orchestration.defs.templates.assets import report_templates

defs = dg.Definitions(assets=[report_templates])
