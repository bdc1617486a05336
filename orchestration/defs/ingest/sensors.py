"""Start a run when files arrive in, or change in, the landing zone."""

from __future__ import annotations

import hashlib
import os

import dagster as dg

from ingest.config import landing_path
from ingest.load import discover_files


def landing_fingerprint() -> tuple[str, int]:
    """A digest of (path, size, mtime) of every file in the landing zone, and the file count. Cheap: no reading."""
    root = landing_path()
    if not root.exists():
        return "", 0
    h = hashlib.sha256()
    files = discover_files(root)
    for p in files:
        st = p.stat()
        h.update(f"{p.relative_to(root).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest(), len(files)


def build_landing_sensor(job: dg.UnresolvedAssetJobDefinition) -> dg.SensorDefinition:
    @dg.sensor(
        name="landing_zone_sensor",
        job=job,
        minimum_interval_seconds=int(os.environ.get("TRITHUC_SENSOR_INTERVAL", "60")),
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Runs the pipeline when files are added to or changed in the landing zone.",
    )
    def landing_zone_sensor(context: dg.SensorEvaluationContext):
        digest, count = landing_fingerprint()
        if not digest or digest == context.cursor:
            return dg.SkipReason(f"no change in the landing zone ({count} files)")
        context.update_cursor(digest)
        return dg.RunRequest(run_key=digest, tags={"trigger": "landing_zone", "files": str(count)})

    return landing_zone_sensor
