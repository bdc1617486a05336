import dagster as dg

from orchestration.defs.readers.assets import reader_snapshot

defs = dg.Definitions(assets=[reader_snapshot])
