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


def test_a_new_symlink_is_a_change_but_its_target_is_never_read(tmp_path, monkeypatch):
    """A link dropped into a unit's folder is recorded as rejected by the next run, so it is a change; the
    fingerprint looks at the link itself (lstat), never at what it points to."""
    landing = tmp_path / "landing"
    monkeypatch.setenv("TRITHUC_LANDING", str(landing))
    from orchestration.defs.jobs import landing_zone_sensor

    f = landing / "2026-H1" / "ward" / "26068" / "ds.csv"
    f.parent.mkdir(parents=True)
    f.write_text("Họ và tên\nNguyễn Văn A\n", encoding="utf-8")
    first = landing_zone_sensor(dg.build_sensor_context(cursor=None))
    assert isinstance(first, dg.RunRequest)

    secret = tmp_path / "outside.key"
    secret.write_text("not for the warehouse", encoding="utf-8")
    (f.parent / "link.csv").symlink_to(secret)
    after = landing_zone_sensor(dg.build_sensor_context(cursor=first.run_key))
    assert isinstance(after, dg.RunRequest) and after.run_key != first.run_key
    os.utime(secret, (1_900_000_000, 1_900_000_000))  # the target changing is not the landing zone changing
    again = landing_zone_sensor(dg.build_sensor_context(cursor=after.run_key))
    assert isinstance(again, dg.SkipReason)


def test_a_sensor_without_a_cursor_starts_from_what_the_last_run_landed(tmp_path, monkeypatch):
    """Issue #17: the first `make dev` after `make run` does not run everything again. land_submissions records
    the zone's fingerprint on the file manifest's materialization; a sensor with no cursor starts from it."""
    monkeypatch.setenv("TRITHUC_LANDING", str(tmp_path))
    from orchestration.defs.ingest.assets import LANDING_DIGEST, MANIFEST_KEY
    from orchestration.defs.ingest.sensors import landing_fingerprint
    from orchestration.defs.jobs import landing_zone_sensor

    f = tmp_path / "2026-H1" / "ward" / "26068" / "ds.csv"
    f.parent.mkdir(parents=True)
    f.write_text("Họ và tên\nNguyễn Văn A\n", encoding="utf-8")
    with dg.instance_for_test() as instance:
        landed, _ = landing_fingerprint()
        instance.report_runless_asset_event(dg.AssetMaterialization(MANIFEST_KEY, metadata={LANDING_DIGEST: landed}))
        ctx = dg.build_sensor_context(cursor=None, instance=instance)
        assert isinstance(landing_zone_sensor(ctx), dg.SkipReason)
        assert landed in (ctx.cursor or "")  # started from there: the next change is compared with it

        f.write_text("Họ và tên\nNguyễn Văn A\nTrần Thị B\n", encoding="utf-8")
        os.utime(f, (1_900_000_000, 1_900_000_000))
        changed = landing_zone_sensor(dg.build_sensor_context(cursor=None, instance=instance))
        assert isinstance(changed, dg.RunRequest)  # a zone that changed since that run: a run
