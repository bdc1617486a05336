"""Alerts for failed runs: one JSON line each in ``<warehouse dir>/alerts/alerts.jsonl``, shown in the quality
page's header, and optionally an e-mail.

Why: a run that failed used to be visible only in the Dagster UI, which nobody watches at 06:00. The file is what
the quality page reads (publish/quality/page.py) and what any other tool can tail.

An alert says when, which job, which run, which step failed and a short error summary. It never carries personal
data: the summary is the error's type and the first line of its message with anything that could be a value from a
file masked (quoted text, long digit runs, e-mail addresses), cut to 300 characters.

E-mail is off unless configured by environment variables; sending never fails the sensor:

    TRITHUC_ALERT_SMTP_HOST   SMTP server (required to send)
    TRITHUC_ALERT_SMTP_PORT   default 25
    TRITHUC_ALERT_FROM        sender address (default trithuc-warehouse@localhost)
    TRITHUC_ALERT_TO          comma-separated recipients (required to send)
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import smtplib
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from settings import ALERTS_FILE

SUMMARY_MAX = 300
SMTP_HOST_ENV = "TRITHUC_ALERT_SMTP_HOST"
SMTP_PORT_ENV = "TRITHUC_ALERT_SMTP_PORT"
FROM_ENV = "TRITHUC_ALERT_FROM"
TO_ENV = "TRITHUC_ALERT_TO"

_QUOTED = re.compile(r"(['\"`]).*?\1")
_EMAIL = re.compile(r"[^\s@'\"<>]+@[^\s@'\"<>]+")
_DIGITS = re.compile(r"\d{6,}")
_PATHISH = re.compile(r"(/[^\s/:'\"]+){2,}/?")

log = logging.getLogger(__name__)


def alerts_path(warehouse_dir: Path) -> Path:
    return Path(warehouse_dir) / ALERTS_FILE  # the file the quality page reads (one name for both)


def safe_summary(error_type: str | None, message: str | None) -> str:
    """A one-line summary of an error that carries no value from a submitted file."""
    first = (message or "").strip().splitlines()[0] if (message or "").strip() else ""
    if error_type and first.split(": ", 1)[0].rsplit(".", 1)[-1] == error_type:
        first = first.split(": ", 1)[1] if ": " in first else ""  # "pkg.ValueError: ..." -> "..."
    first = _QUOTED.sub("'…'", first)
    first = _EMAIL.sub("<e-mail>", first)
    first = _DIGITS.sub("<số/number>", first)
    first = _PATHISH.sub("<path>", first)
    text = f"{error_type}: {first}" if error_type and first else (error_type or first or "unknown error")
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1] + "…"


def write_alert(warehouse_dir: Path, alert: dict[str, Any]) -> Path:
    """Append ``alert`` as one JSON line (whole lines only: writers take a lock)."""
    path = alerts_path(warehouse_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(alert, ensure_ascii=False, sort_keys=True) + "\n"
    with path.open("a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            handle.write(line)
            handle.flush()
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    return path


def build_alert(
    job: str,
    run_id: str,
    steps: list[str],
    error_type: str | None,
    message: str | None,
    now: datetime | None = None,
) -> dict[str, Any]:
    return {
        "time": (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "kind": "run_failure",
        "job": job,
        "run_id": run_id,
        "step": ", ".join(steps) if steps else None,
        "summary": safe_summary(error_type, message),
    }


def email_settings() -> dict[str, Any] | None:
    """The SMTP settings from the environment, or None when e-mail alerts are off (the default)."""
    host = os.environ.get(SMTP_HOST_ENV, "").strip()
    to = [a.strip() for a in os.environ.get(TO_ENV, "").split(",") if a.strip()]
    if not host or not to:
        return None
    port = os.environ.get(SMTP_PORT_ENV, "").strip()
    return {
        "host": host,
        "port": int(port) if port.isdigit() else 25,
        "from": os.environ.get(FROM_ENV, "").strip() or "trithuc-warehouse@localhost",
        "to": to,
    }


def send_email(alert: dict[str, Any], smtp_factory: Callable[..., Any] | None = None) -> bool:
    """Send ``alert`` by e-mail when configured. Never raises: returns whether a message went out."""
    settings = email_settings()
    if settings is None:
        return False
    smtp_factory = smtp_factory or smtplib.SMTP
    try:
        msg = EmailMessage()
        msg["Subject"] = f"[trithuc] Lượt chạy thất bại / Run failed: {alert['job']} {alert['run_id'][:8]}"
        msg["From"] = settings["from"]
        msg["To"] = ", ".join(settings["to"])
        msg.set_content(
            "Một lượt chạy của kho dữ liệu trí thức đã thất bại. / A warehouse run failed.\n\n"
            + "\n".join(f"{k}: {alert.get(k)}" for k in ("time", "job", "run_id", "step", "summary"))
            + "\n\nXem trang chất lượng dữ liệu và Dagster để biết chi tiết. / "
            "See the quality page and Dagster for details.\n"
        )
        with smtp_factory(settings["host"], settings["port"], timeout=10) as smtp:
            smtp.send_message(msg)
        return True
    except Exception as exc:  # noqa: BLE001 - an alert must never fail the sensor that raises it
        log.warning("alert e-mail not sent: %s", type(exc).__name__)
        return False
