"""The indicator report's vega JavaScript comes from the repository's vendored copies (issue #18: ``splink`` was
a dependency only to lend its copies of these files), the same files the Data Docs site serves."""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

import pytest

from expectations.data_docs_offline import CDN_ASSETS, assets_root
from publish.indicators.errors import IndicatorPublishError
from publish.indicators.report import vega_javascript

REPO = Path(__file__).resolve().parents[2]
VENDORED = {  # file under expectations/data_docs_assets/ -> the version string the bundle carries
    "vega/vega.min.js": 'version="5.31.0"',
    "vega-lite/vega-lite.min.js": '"5.2.0"',
    "vega-embed/vega-embed.min.js": '"6.20.2"',
}


def test_vega_javascript_is_the_three_vendored_bundles_in_order(monkeypatch):
    monkeypatch.setitem(sys.modules, "splink", None)  # any `import splink` now fails
    script = vega_javascript()
    bundles = [(assets_root() / path).read_text(encoding="utf-8") for path in VENDORED]
    for (path, version), bundle in zip(VENDORED.items(), bundles, strict=True):
        assert len(bundle) > 50_000 and version in bundle, path
    escaped = [b.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT") for b in bundles]
    assert script == "\n;\n".join(escaped)
    assert "</script" not in script.lower()


def test_each_vendored_vega_bundle_has_its_licence():
    for path in VENDORED:
        licence = (assets_root() / path.split("/")[0] / "LICENSE").read_text(encoding="utf-8")
        assert "Copyright" in licence and "Redistribution and use in source and binary forms" in licence, path


def test_the_data_docs_site_serves_the_same_vega_files():
    """One copy: GE's vega@5, vega-lite@5 and vega-embed@6 are pointed at the report's bundles."""
    served = {v for k, v in CDN_ASSETS.items() if "/npm/vega" in k}
    assert served == set(VENDORED)


def test_a_missing_bundle_is_a_named_error(monkeypatch):
    import publish.indicators.report as report

    monkeypatch.setattr(report, "_VEGA_FILES", {**report._VEGA_FILES, "vega@0.0.0": "vega/missing.js"})
    with pytest.raises(IndicatorPublishError, match="vega@0.0.0"):
        vega_javascript()


def _names_splink(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "splink" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "splink":
            return True
        # importlib.import_module("splink"), resources.files("splink") ...
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.split(".")[0] == "splink"
        ):
            return True
    return False


def test_no_module_uses_splink_and_it_is_no_dependency():
    sources = [
        path
        for folder in ("ingest", "orchestration", "expectations", "tools", "tests")
        for path in (REPO / folder).rglob("*.py")
        if path != Path(__file__).resolve()  # this test names it, to block it
    ]
    assert len(sources) > 50
    assert [p for p in sources if _names_splink(ast.parse(p.read_text(encoding="utf-8")))] == []
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + [
        r for extra in project.get("optional-dependencies", {}).values() for r in extra
    ]
    assert not [r for r in requirements if r.lower().startswith("splink")]
