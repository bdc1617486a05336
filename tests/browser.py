"""Headless Chromium for the browser tests: one way to start it, offline by default, and screenshots kept for a
person to look at under ``warehouse/reports/screenshots/`` (git-ignored).

The machine's Chromium is Debian's (``/usr/bin/chromium``, or ``$TRITHUC_CHROMIUM``); ``.ci/run`` installs it.
Without it the browser tests skip with the reason, unless ``TRITHUC_REQUIRE_BROWSER=1`` (CI sets it), where
they fail: a missing browser must not make a CI run look green.
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCREENSHOT_DIR = REPO / "warehouse" / "reports" / "screenshots"
WIDTHS = (420, 1600)  # a phone and a desktop screen

# Every host name fails to resolve and every proxied request goes to a closed port: the page gets what a
# government office without internet gets. file:// pages and 127.0.0.1 still load.
OFFLINE_FLAGS = (
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>;127.0.0.1;localhost",
)
_BASE_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def chromium_path() -> Path:
    """The browser binary, or skip (fail under TRITHUC_REQUIRE_BROWSER=1) naming how to get it."""
    binary = Path(os.environ.get("TRITHUC_CHROMIUM", "/usr/bin/chromium"))
    if binary.exists():
        return binary
    reason = f"Chromium not found at {binary}: install Debian's 'chromium' package (.ci/run does) or set TRITHUC_CHROMIUM"
    if os.environ.get("TRITHUC_REQUIRE_BROWSER") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def _run(args: list[str], timeout: int) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        return subprocess.run(
            [str(chromium_path()), *_BASE_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
        )


def dump_dom(url: str, *, width: int = 1280, offline: bool = True, budget_ms: int = 5000, timeout: int = 120) -> str:
    """The page's DOM after its scripts ran (``--virtual-time-budget`` lets timers and charts finish)."""
    flags = [*(OFFLINE_FLAGS if offline else ()), f"--window-size={width},2000", f"--virtual-time-budget={budget_ms}"]
    proc = _run([*flags, "--dump-dom", url], timeout)
    if "<html" not in proc.stdout.lower():
        raise AssertionError(f"Chromium returned no page for {url}: {proc.stderr[-2000:]}")
    return proc.stdout


# Headless Chromium never makes its window narrower than 500 px: a narrower page is laid out in an iframe exactly
# that wide (cross-origin file:// frames still reach their parent through postMessage).
_MIN_WINDOW = 500


def _framed(url: str, width: int, folder: Path, extra: str = "") -> Path:
    frame = folder / f"frame-{width}.html"
    frame.write_text(
        f'<!DOCTYPE html><html><body style="margin:0"><iframe src="{url}" '
        f'style="width:{width}px;height:2400px;border:0;display:block"></iframe>{extra}</body></html>',
        encoding="utf-8",
    )
    return frame


def screenshot(
    url: str, name: str, *, width: int, height: int = 2400, offline: bool = True, budget_ms: int = 5000,
    timeout: int = 120,
) -> Path:
    """Save ``SCREENSHOT_DIR/<name>_<width>px.png`` of the page and return its path. Below 500 px a file page is
    shown in an iframe of exactly ``width`` px (the picture is then 500 px wide, the page's own width at its left);
    a served page (the Dagster UI refuses to be framed) is taken at 500 px and named so."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    framed = width < _MIN_WINDOW and url.startswith("file:")
    if width < _MIN_WINDOW and not framed:
        width = _MIN_WINDOW
    out = SCREENSHOT_DIR / f"{name}_{width}px.png"
    with tempfile.TemporaryDirectory(prefix="frame-") as tmp:
        target = _framed(url, width, Path(tmp)).as_uri() if framed else url
        flags = [*(OFFLINE_FLAGS if offline else ()), f"--window-size={max(width, _MIN_WINDOW)},{height}",
                 f"--virtual-time-budget={budget_ms}"]
        proc = _run([*flags, f"--screenshot={out}", target], timeout)
    if not out.exists() or out.stat().st_size == 0:
        raise AssertionError(f"no screenshot of {url}: {proc.stderr[-2000:]}")
    return out


_PROBE = (
    "<script>window.addEventListener('load',()=>setTimeout(()=>{const r=document.documentElement;"
    "parent.postMessage({overflow:r.scrollWidth-r.clientWidth,width:window.innerWidth},'*')},500))</script>"
)
_LISTEN = (
    "<script>addEventListener('message',(e)=>document.body.setAttribute('data-probe',"
    "JSON.stringify(e.data)))</script>"
)


def probe_in_frame(page: Path, *, width: int, script: str, offline: bool = True, budget_ms: int = 5000) -> dict:
    """What ``script`` posts to its parent (``parent.postMessage({...}, '*')``) once the page is laid out in an
    iframe exactly ``width`` px wide. The script goes into a copy of the page beside it, before its last
    ``</body>`` (scripts may hold the text '</body>' in strings)."""
    text = page.read_text(encoding="utf-8")
    head, found, tail = text.rpartition("</body>")
    probed = head + script + found + tail if found else text + script
    copy = page.with_name(f".probe-{page.name}")
    copy.write_text(probed, encoding="utf-8")
    try:
        with tempfile.TemporaryDirectory(prefix="frame-") as tmp:
            frame = _framed(copy.as_uri(), width, Path(tmp), _LISTEN)
            dom = dump_dom(frame.as_uri(), width=max(width + 100, 800), offline=offline, budget_ms=budget_ms)
    finally:
        copy.unlink(missing_ok=True)
    marker = 'data-probe="'
    if marker not in dom:
        raise AssertionError(f"the probe did not report from {page}")
    return json.loads(html.unescape(dom.split(marker, 1)[1].split('"', 1)[0]))


def overflow_px(page: Path, *, width: int, offline: bool = True) -> int:
    """How many CSS pixels the page runs off a screen ``width`` px wide (0 = it fits; tables that scroll inside
    their own box do not count)."""
    measured = probe_in_frame(page, width=width, script=_PROBE, offline=offline)
    if measured["width"] != width:
        raise AssertionError(f"the page was laid out {measured['width']} px wide, not {width}")
    return int(measured["overflow"])
