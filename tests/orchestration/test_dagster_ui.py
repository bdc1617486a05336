"""Issue #17: the Dagster UI loads our definitions and draws the asset graph (the data engineers' first screen),
checked in headless Chromium against a real `dagster-webserver` on 127.0.0.1, with screenshots for a person."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

NUX_TITLE = "Join the Dagster community"  # the title of the dialog Dagster's UI opens on a local instance


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def webserver(tmp_path, dbt_manifest):
    port = _free_port()
    home = tmp_path / "dagster_home"
    env = {**os.environ, "DAGSTER_HOME": str(home), "TRITHUC_WAREHOUSE": str(tmp_path / "wh" / "trithuc.duckdb"),
           "TRITHUC_LANDING": str(tmp_path / "landing")}
    subprocess.run([sys.executable, "-m", "orchestration.setup_home"], env=env, check=True, capture_output=True)
    log = (tmp_path / "webserver.log").open("w")
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("dagster-webserver")), "-h", "127.0.0.1", "-p", str(port),
         "-m", "orchestration.definitions"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert server.poll() is None, (tmp_path / "webserver.log").read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"{url}/server_info", timeout=2):
                    break
            except OSError:
                time.sleep(1)
        else:
            pytest.fail("dagster-webserver did not answer within 180 s")
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


def test_the_dagster_ui_draws_our_asset_graph(webserver, chromium):
    from tests.browser import WIDTHS, dump_dom, screenshot

    lineage = f"{webserver}/asset-groups"
    dom = dump_dom(lineage, width=1600, budget_ms=25000, timeout=180)
    # the global lineage: every group of ours (the UI fetched our definitions over GraphQL and laid them out)
    for group in ("raw", "staging", "intermediate", "marts", "quality", "indicators", "national", "publish", "pii"):
        assert f">{group}<" in dom, f"group {group} is not on the asset graph"
    # nothing covers the graph: no "Join the Dagster community" dialog (it opens 1 s after load when shown)
    assert NUX_TITLE not in dom, "Dagster's community dialog covers the asset graph"
    # the catalog: our assets, with their descriptions
    catalog = dump_dom(f"{webserver}/assets", width=1600, budget_ms=25000, timeout=180)
    for name in ("academic_titles", "dim_person", "file_manifest", "indicator_package"):  # the list's first screen
        assert name in catalog, f"{name} is not in the asset catalog"
    # an asset's own page: its description, its owner and its period partitions
    page = dump_dom(f"{webserver}/assets/quality_reports", width=1600, budget_ms=25000, timeout=180)
    assert "quality-office" in page and "feedback/{period}/{unit}.xlsx" in page  # words survive the markdown
    for width in WIDTHS:
        # a screen-sized picture: the UI zooms the graph to fit it, so a taller one only adds empty canvas
        screenshot(lineage, "dagster_asset_graph", width=width, height=1000, budget_ms=25000, timeout=180)
