"""Raw landing: one asset per dataset (group ``raw``) plus the file manifest, all from one pass over the landing zone."""

import dagster as dg

from ingest.datasets import DATASETS, PERSONAL_DATASETS
from ingest.load import load_landing
from orchestration.defs.owners import owners_for
from orchestration.defs.resources import DUCKDB_POOL, WarehouseResource

RAW_ASSET_KEYS = {name: dg.AssetKey(f"raw_submissions__{name}") for name in DATASETS}
# The personal fields of those rows, in the restricted store (pii.raw_<dataset>), written by the same pass.
RESTRICTED_ASSET_KEYS = {name: dg.AssetKey(f"restricted_raw_{name}") for name in PERSONAL_DATASETS}
MANIFEST_KEY = dg.AssetKey("file_manifest")
ROW_ISSUES_KEY = dg.AssetKey("ingest_row_issues")
LANDING_DIGEST = "landing_digest"  # metadata of the manifest's materialization: the zone's fingerprint it loaded


@dg.multi_asset(
    name="land_submissions",
    specs=[
        dg.AssetSpec(
            key,
            group_name="raw",
            owners=owners_for("raw"),
            description=f"raw.{name}: {DATASETS[name].label_vi} — every field as text, with lineage.",
            kinds={"duckdb", "python"},
        )
        for name, key in RAW_ASSET_KEYS.items()
    ]
    + [
        dg.AssetSpec(
            key,
            group_name="raw",
            owners=owners_for("raw"),
            description=f"pii.raw_{name} (restricted store): the personal fields of raw.{name} "
            f"({', '.join(DATASETS[name].personal_fields)}), keyed by the raw row's id.",
            kinds={"duckdb", "python"},
            tags={"restricted": "true"},
        )
        for name, key in RESTRICTED_ASSET_KEYS.items()
    ]
    + [
        dg.AssetSpec(
            MANIFEST_KEY,
            group_name="raw",
            owners=owners_for("raw"),
            description="quality.file_manifest: every file version received, loaded or rejected and why; "
            "rows read = loaded + rejected + skipped.",
            kinds={"duckdb"},
        ),
        dg.AssetSpec(
            ROW_ISSUES_KEY,
            group_name="raw",
            owners=owners_for("raw"),
            description="quality.ingest_row_issues: every rejected file and row, with file, sheet, row, column, "
            "value and what to do (Vietnamese and English).",
            kinds={"duckdb"},
        ),
    ],
    pool=DUCKDB_POOL,
)
def land_submissions(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    from orchestration.defs.ingest.sensors import landing_fingerprint

    # What the zone held when this pass began: the landing sensor starts from it (no run for files already landed)
    digest, _count = landing_fingerprint(warehouse.landing_path)
    summary = load_landing(warehouse.landing_path, warehouse.database_path)
    with warehouse.connect(read_only=True) as con:
        counts = dict(
            con.execute(
                "select dataset, count(*) from ("
                + " union all ".join(f"select '{d}' as dataset from raw.{d}" for d in DATASETS)
                + ") group by dataset"
            ).fetchall()
        )
        manifest = con.execute(
            "select status, count(*) from quality.file_manifest where is_current group by status order by status"
        ).fetchall()
        issues = con.execute(
            "select issue_code, count(*) from quality.ingest_row_issues group by 1 order by 2 desc"
        ).fetchall()
    for name, key in RAW_ASSET_KEYS.items():
        yield dg.MaterializeResult(
            asset_key=key, metadata={"rows": dg.MetadataValue.int(int(counts.get(name, 0)))}
        )
    for name, key in RESTRICTED_ASSET_KEYS.items():  # one row per raw row: the same count
        yield dg.MaterializeResult(
            asset_key=key, metadata={"rows": dg.MetadataValue.int(int(counts.get(name, 0)))}
        )
    yield dg.MaterializeResult(
        asset_key=ROW_ISSUES_KEY,
        metadata={"issues_by_code": dg.MetadataValue.json({c: int(n) for c, n in issues})},
    )
    new = summary.new_files
    yield dg.MaterializeResult(
        asset_key=MANIFEST_KEY,
        metadata={
            LANDING_DIGEST: digest,
            "new_files": len(new),
            "new_loaded": sum(1 for f in new if f.status.startswith("loaded")),
            "new_rejected": sum(1 for f in new if f.status == "rejected"),
            "current_files_by_status": dg.MetadataValue.json({s: int(n) for s, n in manifest}),
            "rejected": dg.MetadataValue.md(
                "\n".join(f"- `{f.source_file}`: {f.message_en}" for f in new if f.status == "rejected")
                or "none"
            ),
        },
    )
