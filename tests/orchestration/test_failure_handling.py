"""A failed change is retried and someone is told (issue #15, item 7): the landing sensor asks again for a change
whose run failed (5 min, 15 min, 1 h, then the schedule); the run-failure sensor writes an alert line without
personal data, the quality page shows it, and the e-mail hook is off by default and never fails the sensor."""

from __future__ import annotations

import json

import dagster as dg
import pytest

from orchestration import alerts
from orchestration.defs.alerts import run_failure_alert
from orchestration.defs.ingest import sensors
from orchestration.defs.jobs import everything_job, landing_zone_sensor


@pytest.fixture
def landing(tmp_path, monkeypatch):
    monkeypatch.setenv("TRITHUC_LANDING", str(tmp_path / "landing"))
    monkeypatch.setenv("TRITHUC_WAREHOUSE", str(tmp_path / "wh" / "trithuc.duckdb"))
    f = tmp_path / "landing" / "2026-H1" / "ward" / "26068" / "ds.csv"
    f.parent.mkdir(parents=True)
    f.write_text("Họ và tên\nNguyễn Văn A\n", encoding="utf-8")
    return tmp_path


def _finish_run(instance: dg.DagsterInstance, ok: bool) -> str:
    """A run of `everything` that succeeded or failed, as the sensor finds it in storage."""
    job = dg.GraphDefinition(name=everything_job.name, node_defs=[]).to_job()
    run = instance.create_run_for_job(job)
    instance.handle_run_event(
        run.run_id,
        dg.DagsterEvent(event_type_value=dg.DagsterEventType.RUN_START.value, job_name=run.job_name),
    )
    if ok:
        instance.handle_run_event(
            run.run_id,
            dg.DagsterEvent(event_type_value=dg.DagsterEventType.RUN_SUCCESS.value, job_name=run.job_name),
        )
    else:
        instance.report_run_failed(run, message="boom")
    return run.run_id


def test_a_change_whose_run_failed_is_retried_with_backoff(landing, monkeypatch):
    clock = {"now": 0.0}
    with dg.instance_for_test() as instance:
        first = landing_zone_sensor(dg.build_sensor_context(instance=instance, cursor=None))
        assert isinstance(first, dg.RunRequest)
        cursor = json.dumps({"digest": first.run_key, "attempt": 0})
        failed = _finish_run(instance, ok=False)
        ended = instance.get_run_record_by_id(failed).end_time
        monkeypatch.setattr(sensors, "_now", lambda: clock["now"])

        requests = []
        for attempt, delay in enumerate(sensors.RETRY_BACKOFF_SECONDS, start=1):
            clock["now"] = ended + delay - 10
            ctx = dg.build_sensor_context(instance=instance, cursor=cursor)
            early = landing_zone_sensor(ctx)
            assert isinstance(early, dg.SkipReason) and f"retry {attempt} in" in early.skip_message
            clock["now"] = ended + delay + 1
            ctx = dg.build_sensor_context(instance=instance, cursor=cursor)
            retry = landing_zone_sensor(ctx)
            assert isinstance(retry, dg.RunRequest), retry
            assert (
                retry.tags[sensors.ATTEMPT_TAG] == str(attempt) and retry.tags["trithuc/retry_of"] == failed
            )
            requests.append(retry.run_key)
            cursor = ctx.cursor
            assert json.loads(cursor)["attempt"] == attempt
            failed = _finish_run(instance, ok=False)  # the retry failed as well
            ended = instance.get_run_record_by_id(failed).end_time
        assert len(set(requests)) == 3  # distinct run keys: Dagster does not drop them as duplicates
        clock["now"] = ended + 10 * 3600
        gave_up = landing_zone_sensor(dg.build_sensor_context(instance=instance, cursor=cursor))
        assert isinstance(gave_up, dg.SkipReason) and "daily schedule" in gave_up.skip_message


def test_no_retry_after_a_success_or_while_nothing_failed(landing, monkeypatch):
    monkeypatch.setattr(sensors, "_now", lambda: 1e12)
    with dg.instance_for_test() as instance:
        first = landing_zone_sensor(dg.build_sensor_context(instance=instance, cursor=None))
        cursor = json.dumps({"digest": first.run_key, "attempt": 0})
        assert isinstance(
            landing_zone_sensor(dg.build_sensor_context(instance=instance, cursor=cursor)), dg.SkipReason
        )
        _finish_run(instance, ok=False)
        _finish_run(instance, ok=True)  # e.g. the schedule's run succeeded
        assert isinstance(
            landing_zone_sensor(dg.build_sensor_context(instance=instance, cursor=cursor)), dg.SkipReason
        )
        # an old cursor (the bare digest) is still understood
        assert isinstance(
            landing_zone_sensor(dg.build_sensor_context(instance=instance, cursor=first.run_key)),
            dg.SkipReason,
        )


@dg.op
def load_file():
    raise ValueError(
        "cannot parse '012345678901' in 'Nguyễn Văn A' from /srv/landing/2026-H1/ward/x.xlsx a@b.vn"
    )


@dg.job
def failing_job():
    load_file()


def _failure_context(instance):
    result = failing_job.execute_in_process(instance=instance, raise_on_error=False)
    assert not result.success
    return dg.build_run_status_sensor_context(
        sensor_name="run_failure_alert",
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        dagster_event=result.get_run_failure_event(),
    ).for_run_failure(), result.run_id


def test_a_failed_run_writes_an_alert_without_personal_data(landing, monkeypatch):
    monkeypatch.delenv(alerts.SMTP_HOST_ENV, raising=False)
    sent = []
    monkeypatch.setattr(alerts.smtplib, "SMTP", lambda *a, **k: sent.append(a))
    with dg.instance_for_test() as instance:
        context, run_id = _failure_context(instance)
        run_failure_alert(context)
    lines = (landing / "wh" / "alerts" / "alerts.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    alert = json.loads(lines[0])
    assert alert["run_id"] == run_id and alert["job"] == "failing_job" and alert["step"] == "load_file"
    assert alert["time"].endswith("Z") and alert["summary"].startswith("ValueError")
    for secret in ("012345678901", "Nguyễn", "a@b.vn", "/srv/landing"):
        assert secret not in lines[0]
    assert sent == []  # e-mail is off by default


def test_the_email_hook_sends_when_configured_and_never_fails_the_sensor(landing, monkeypatch):
    monkeypatch.setenv(alerts.SMTP_HOST_ENV, "127.0.0.1")
    monkeypatch.setenv(alerts.TO_ENV, "qa@example.org, it@example.org")
    messages = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            assert (host, port, timeout) == ("127.0.0.1", 25, 10)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, msg):
            messages.append(msg)

    monkeypatch.setattr(alerts.smtplib, "SMTP", FakeSMTP)
    with dg.instance_for_test() as instance:
        context, run_id = _failure_context(instance)
        run_failure_alert(context)
        assert len(messages) == 1 and messages[0]["To"] == "qa@example.org, it@example.org"
        assert run_id in messages[0].get_content()

        def refused(*_a, **_k):
            raise ConnectionRefusedError("no server")

        monkeypatch.setattr(alerts.smtplib, "SMTP", refused)
        run_failure_alert(context)  # does not raise
    assert len((landing / "wh" / "alerts" / "alerts.jsonl").read_text().splitlines()) == 2


def test_the_quality_page_header_shows_recent_alerts(tmp_path):
    from publish.quality.page import _alerts_html, read_recent_alerts

    warehouse = tmp_path / "trithuc.duckdb"
    for i in range(7):
        alerts.write_alert(
            tmp_path, alerts.build_alert("everything", f"run-{i}", ["dbt_build"], "Boom", "<b>x</b>")
        )
    shown = read_recent_alerts(warehouse)
    assert [a["run_id"] for a in shown] == ["run-6", "run-5", "run-4", "run-3", "run-2"]
    page = _alerts_html(shown)
    assert 'id="alerts"' in page and "run-6" in page and "<b>x</b>" not in page and "dbt_build" in page
    assert read_recent_alerts(tmp_path / "none" / "w.duckdb") == [] and _alerts_html([]) == ""


@dg.asset(
    check_specs=[
        dg.AssetCheckSpec("rows_have_cccd", asset="people"),
        dg.AssetCheckSpec("keys_unique", asset="people"),
        dg.AssetCheckSpec("fine", asset="people"),
    ]
)
def people():
    yield dg.MaterializeResult()
    yield dg.AssetCheckResult(check_name="rows_have_cccd", passed=False, severity=dg.AssetCheckSeverity.WARN)
    yield dg.AssetCheckResult(check_name="keys_unique", passed=False, severity=dg.AssetCheckSeverity.ERROR)
    yield dg.AssetCheckResult(check_name="fine", passed=True, severity=dg.AssetCheckSeverity.WARN)


def test_the_make_run_summary_lists_failed_checks_with_their_severity():
    from orchestration.run_all import failed_check_lines

    result = dg.materialize([people])
    assert failed_check_lines(result) == [
        "Failed checks (2):",
        "  [error] people: keys_unique",
        "  [warning] people: rows_have_cccd",
    ]


def test_the_sensor_also_finishes_runs_a_killed_make_run_left_behind(landing):
    """Under `make dev` no `make run` starts to clean up: the sensor does it (pid gone: failed, slot freed)."""
    import subprocess
    import sys

    from orchestration.recovery import process_tags

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    with dg.instance_for_test() as instance:
        job = dg.GraphDefinition(name=everything_job.name, node_defs=[]).to_job()
        run = instance.create_run_for_job(job, tags={**process_tags(), "trithuc/pid": str(dead.pid)})
        instance.handle_run_event(
            run.run_id,
            dg.DagsterEvent(event_type_value=dg.DagsterEventType.RUN_START.value, job_name=run.job_name),
        )
        landing_zone_sensor(dg.build_sensor_context(instance=instance, cursor=None))
        assert instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.FAILURE


def test_make_run_is_quiet_unless_asked(monkeypatch):
    """`make run` prints what the steps say (INFO) and the summary; Dagster's ~1,400 DEBUG events only with -v or
    TRITHUC_LOG=debug."""
    from orchestration.run_all import log_run_config

    def level(config: dict) -> str:
        return config["loggers"]["console"]["config"]["log_level"]

    monkeypatch.delenv("TRITHUC_LOG", raising=False)
    assert level(log_run_config()) == "INFO"
    assert level(log_run_config(verbose=True)) == "DEBUG"
    monkeypatch.setenv("TRITHUC_LOG", "debug")
    assert level(log_run_config()) == "DEBUG"


def test_step_progress_prints_one_line_per_finished_step():
    """The quiet `make run` shows each step as it finishes, read from the run's event log."""
    from orchestration.run_all import StepProgress

    @dg.asset
    def first():
        return 1

    @dg.asset
    def second(first):
        raise RuntimeError("broken on purpose")

    with dg.instance_for_test() as instance:
        result = dg.materialize([first, second], instance=instance, raise_on_error=False)
        lines: list[str] = []
        progress = StepProgress(instance, result.run_id, lines.append)
        progress.poll()
        progress.poll()  # nothing new: nothing printed twice
    assert [line.split("  ")[1] for line in lines] == ["✓ first", "✗ second"]
    assert all(line.endswith(" s\n") for line in lines)
