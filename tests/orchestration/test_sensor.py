"""The landing-zone sensor starts a run when files arrive or change, and only then."""

from __future__ import annotations

import os

import dagster as dg


def test_sensor_fires_on_new_and_changed_files_only(tmp_path, monkeypatch):
    monkeypatch.setenv("TRITHUC_LANDING", str(tmp_path))
    from orchestration.defs.jobs import landing_zone_sensor

    f = tmp_path / "2026-H1" / "ward" / "26068" / "ds.csv"
    f.parent.mkdir(parents=True)
    f.write_text("Họ và tên\nNguyễn Văn A\n", encoding="utf-8")

    first = landing_zone_sensor(dg.build_sensor_context(cursor=None))
    assert isinstance(first, dg.RunRequest)
    ctx = dg.build_sensor_context(cursor=first.run_key)
    assert isinstance(landing_zone_sensor(ctx), dg.SkipReason)

    f.write_text("Họ và tên\nNguyễn Văn A\nTrần Thị B\n", encoding="utf-8")
    os.utime(f, (1_900_000_000, 1_900_000_000))
    changed = landing_zone_sensor(dg.build_sensor_context(cursor=first.run_key))
    assert isinstance(changed, dg.RunRequest) and changed.run_key != first.run_key
