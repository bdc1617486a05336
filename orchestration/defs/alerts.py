"""The run-failure sensor: every failed run of this code location becomes an alert (orchestration/alerts.py) in
``<warehouse dir>/alerts/alerts.jsonl``, shown in the quality page's header, and an e-mail where configured."""

from __future__ import annotations

import dagster as dg

from orchestration.alerts import build_alert, send_email, write_alert
from settings import warehouse_dir


def alert_for_run(job_name: str, run_id: str, step_failures, run_message: str | None) -> dict:
    """Write the alert of a failed run (and e-mail it if configured); return it. ``step_failures``: the run's
    STEP_FAILURE events; the first one's error (unwrapped from Dagster's wrapper) is the summary."""
    steps: list[str] = []
    error_type, message = None, run_message
    for event in step_failures:
        if event.step_key and event.step_key not in steps:
            steps.append(event.step_key)
        data = event.step_failure_data
        if error_type is None and data is not None and data.error is not None:
            error = data.error
            # the user's error, not Dagster's wrapper around it
            while error.cause is not None and error.cls_name.startswith("Dagster"):
                error = error.cause
            error_type, message = error.cls_name, error.message
    alert = build_alert(job_name, run_id, steps, error_type or "RunFailure", message)
    write_alert(warehouse_dir(), alert)
    send_email(alert)
    return alert


def failure_alert(context: dg.RunFailureSensorContext) -> dict:
    """The alert of the failed run in ``context``."""
    run = context.dagster_run
    return alert_for_run(
        run.job_name, run.run_id, context.get_step_failure_events(), context.failure_event.message
    )


@dg.run_failure_sensor(
    name="run_failure_alert",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Writes an alert for every failed run to warehouse/alerts/alerts.jsonl (shown on the quality "
    "page) and e-mails it when TRITHUC_ALERT_SMTP_HOST and TRITHUC_ALERT_TO are set.",
)
def run_failure_alert(context: dg.RunFailureSensorContext):
    alert = failure_alert(context)
    context.log.info(f"alert written for run {alert['run_id']} ({alert['job']}): {alert['summary']}")
