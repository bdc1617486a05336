import dagster as dg

from orchestration.defs.ingest.assets import land_submissions

defs = dg.Definitions(assets=[land_submissions])
