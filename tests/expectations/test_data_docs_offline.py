"""The Data Docs site works without internet (issue #17): a real site, built by running real suites, loads its
CSS, JavaScript, fonts and images from files inside the site, and renders in a Chromium that has no network."""

from __future__ import annotations

import html
import html.parser
import json
import os
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from expectations.data_docs_offline import CDN_ASSETS, VENDOR_DIR, assets_root, install_assets, make_offline
from tests.small_warehouse import PERIOD, copy_warehouse

SUITES = ("raw_persons", "file_manifest")
_NETWORK = re.compile(r"^(?:https?:)?//", re.IGNORECASE)


@pytest.fixture(scope="module")
def docs_site(base_warehouse, tmp_path_factory) -> Path:
    """A Data Docs site as a run of checks leaves it: two suites' pages, then the index rebuilt once."""
    from expectations import record_results, run_suite
    from expectations.runner import data_docs_dir, rebuild_data_docs_index

    warehouse = copy_warehouse(base_warehouse, tmp_path_factory.mktemp("wh_docs") / "trithuc.duckdb")
    for suite in SUITES:
        result = run_suite(suite, warehouse, PERIOD, "offline-run")
        assert result.data_docs_page and Path(result.data_docs_page).is_file()
        record_results(result, warehouse, rebuild_index=False)
    index = rebuild_data_docs_index(warehouse)
    assert index == data_docs_dir(warehouse) / "index.html" and index.is_file()
    return data_docs_dir(warehouse)


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if VENDOR_DIR not in p.relative_to(site).as_posix())


def _validation_pages(site: Path) -> list[Path]:
    return sorted((site / "validations").glob("*/*/*/*.html"))


class _Loads(html.parser.HTMLParser):
    """What a browser fetches when it opens the page: <link href>, <script src>, <img src>, CSS url()."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.loads: list[tuple[str, str]] = []  # (tag, url)
        self.css: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("href"):
            self.loads.append((tag, attrs["href"]))
        elif tag in ("script", "img") and attrs.get("src"):
            self.loads.append((tag, attrs["src"]))
        if attrs.get("style"):
            self.css.append(attrs["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.css.append(data)


def _loads(page: Path) -> _Loads:
    parser = _Loads()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def _local(page: Path, url: str) -> Path:
    return (page.parent / unquote(url.split("#", 1)[0].split("?", 1)[0])).resolve()


def test_no_page_loads_anything_from_the_network_and_every_local_file_exists(docs_site):
    pages = _pages(docs_site)
    validations = _validation_pages(docs_site)
    assert docs_site / "index.html" in pages and len(validations) == len(SUITES), pages
    vendored = set()
    for page in pages:
        found = _loads(page)
        remote = [url for _, url in found.loads if _NETWORK.match(url.strip())]
        assert remote == [], f"{page} loads from the network: {remote}"
        css_urls = [u.strip("'\" ") for css in found.css for u in re.findall(r"url\(([^)]*)\)", css)]
        assert [u for u in css_urls if _NETWORK.match(u)] == [], f"{page}: inline CSS loads {css_urls}"
        for tag, url in found.loads:
            if url.startswith(("data:", "#")):
                continue
            assert _local(page, url).is_file(), f"{page}: <{tag}> {url} is not a file of the site"
            if f"{VENDOR_DIR}/" in url:
                vendored.add(url.split(f"{VENDOR_DIR}/", 1)[1])
        text = page.read_text(encoding="utf-8")
        # the CORS attributes of GE's CDN tags would make Chromium refuse a file:// script
        assert "integrity=" not in text and "crossorigin" not in text, page
    # every file GE's templates load is served from the site, not only some
    assert vendored == set(CDN_ASSETS.values())


def test_vendored_stylesheets_load_nothing_from_the_network(docs_site):
    vendor = docs_site / VENDOR_DIR
    sheets = sorted(vendor.rglob("*.css"))
    assert len(sheets) == 6, sheets
    for sheet in sheets:
        urls = [u.strip("'\" ") for u in re.findall(r"url\(([^)]*)\)", sheet.read_text(encoding="utf-8"))]
        assert [u for u in urls if _NETWORK.match(u)] == [], sheet
        for url in urls:
            # Font Awesome lists a .woff2 and a .ttf for each font: the browser takes the .woff2 (kept)
            if not url.startswith("data:") and not url.endswith(".ttf"):
                assert _local(sheet, url).is_file(), f"{sheet}: {url}"
    fonts = re.findall(
        r"url\((\.\./webfonts/[^)]+\.woff2)\)", (vendor / "fontawesome-free/css/all.min.css").read_text()
    )
    assert len(set(fonts)) == 4


def test_vendored_files_are_the_repository_copies_with_their_licences(docs_site):
    root = assets_root()
    for path in CDN_ASSETS.values():
        assert (docs_site / VENDOR_DIR / path).read_bytes() == (root / path).read_bytes(), path
        package = path.split("/", 1)[0]
        assert any(c.name.startswith("LICENSE") for c in (root / package).iterdir()), package
        assert any(c.name.startswith("LICENSE") for c in (docs_site / VENDOR_DIR / package).iterdir()), (
            package
        )


def test_the_rewrite_is_idempotent_and_only_reads_pages_written_since(docs_site):
    pages = _pages(docs_site)
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in pages}
    assert install_assets(docs_site) is False  # already there: nothing copied again
    assert make_offline(docs_site, pages) == 0  # every page already offline: nothing rewritten
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in pages} == before

    # A page GE (re)writes with its CDN URLs is rewritten by the next pass; an old one is not even read.
    cdn = next(iter(CDN_ASSETS))
    originals = {p: p.read_text(encoding="utf-8") for p in _validation_pages(docs_site)}
    for p, text in originals.items():
        stale = text.replace(f'"{_relative_vendor(p, docs_site, CDN_ASSETS[cdn])}"', f'"{cdn}"', 1)
        assert stale != text
        p.write_text(stale, encoding="utf-8")
    fresh, old = originals
    os.utime(old, ns=(1_000_000_000, 1_000_000_000))  # long before the last pass
    assert make_offline(docs_site) == 1
    assert fresh.read_text(encoding="utf-8") == originals[fresh]
    assert cdn in old.read_text(encoding="utf-8")  # older than the last pass: left alone ...
    assert make_offline(docs_site, [old]) == 1  # ... unless named
    assert old.read_text(encoding="utf-8") == originals[old]


def _relative_vendor(page: Path, site: Path, asset: str) -> str:
    depth = len(page.relative_to(site).parts) - 1
    return "../" * depth + f"{VENDOR_DIR}/{asset}"


# Run on each page (a copy beside it, so relative paths hold): which libraries ran, which fonts loaded, whether
# Bootstrap's stylesheet applies and the logo is drawn.
_PROBE = """<script>
window.addEventListener('load', () => setTimeout(() => document.fonts.ready.then(() => {
  const $ = window.jQuery, navbar = document.querySelector('.navbar'), logo = document.querySelector('.navbar-brand img');
  const icon = document.querySelector('.fas, .far, .fa');
  document.documentElement.setAttribute('data-probe', JSON.stringify({
    jquery: $ ? $.fn.jquery : null,
    popper: typeof window.Popper === 'function',
    bootstrap: !!($ && $.fn.modal && $.fn.tooltip && $.fn.collapse),
    bootstrapTable: !!($ && $.fn.bootstrapTable),
    datepicker: !!($ && $.fn.datepicker),
    vega: window.vega ? vega.version : null,
    vegaLite: window.vegaLite ? vegaLite.version : null,
    vegaEmbed: typeof window.vegaEmbed === 'function',
    navbarDisplay: navbar ? getComputedStyle(navbar).display : null,
    logoWidth: logo ? logo.naturalWidth : null,
    iconFont: icon ? getComputedStyle(icon, '::before').fontFamily : null,
    fontsLoaded: [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family),
  }));
}), 300));
</script>"""


def _probe(page: Path) -> tuple[dict, str]:
    from tests.browser import dump_dom

    copy = page.with_name(f".probe-{page.name}")
    copy.write_text(page.read_text(encoding="utf-8").replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    try:
        dom = dump_dom(copy.as_uri())  # offline: every host name fails to resolve
    finally:
        copy.unlink(missing_ok=True)
    match = re.search(r'data-probe="([^"]*)"', dom)
    assert match, f"the probe did not run on {page}"
    return json.loads(html.unescape(match.group(1))), dom


def _assert_libraries_ran(state: dict) -> None:
    assert state["jquery"] == "3.7.1"
    assert state["popper"] and state["bootstrap"] and state["bootstrapTable"] and state["datepicker"]
    assert state["vega"] == "5.31.0" and state["vegaLite"] == "5.2.0" and state["vegaEmbed"]
    assert state["navbarDisplay"] == "flex"  # Bootstrap's .navbar rule applies
    assert state["logoWidth"] and state["logoWidth"] > 0  # GE's logo, from the site's static/images/


@pytest.mark.browser
def test_index_lists_the_validations_offline(docs_site, chromium):
    state, dom = _probe(docs_site / "index.html")
    _assert_libraries_ran(state)
    # bootstrap-table drew the list of validations (offline, GE's CDN version leaves it empty)
    assert 'class="bootstrap-table' in dom
    rows = re.findall(r'<tr class="clickable-row" data-href="([^"]+)" data-index="\d+"', dom)
    assert sorted(rows) == sorted(p.relative_to(docs_site).as_posix() for p in _validation_pages(docs_site))
    assert "Font Awesome" in state["iconFont"] and any("Font Awesome" in f for f in state["fontsLoaded"])


@pytest.mark.browser
def test_a_validation_page_renders_offline(docs_site, chromium):
    page = next(p for p in _validation_pages(docs_site) if "/raw_persons/" in p.as_posix())
    state, dom = _probe(page)
    _assert_libraries_ran(state)
    assert "Expectation Validation Result" in dom and "raw_persons" in dom
    assert dom.count("<tr") >= 5  # the overview and the table of checks
    assert "Font Awesome" in state["iconFont"] and any("Font Awesome" in f for f in state["fontsLoaded"])


@pytest.mark.browser
@pytest.mark.parametrize("width", [420, 1600])
def test_screenshots_of_the_offline_site(docs_site, chromium, width):
    """For a person to look at: warehouse/reports/screenshots/data_docs_{index,validation}_<width>px.png."""
    from tests.browser import screenshot

    page = next(p for p in _validation_pages(docs_site) if "/raw_persons/" in p.as_posix())
    for name, target in (("data_docs_index", docs_site / "index.html"), ("data_docs_validation", page)):
        shot = screenshot(target.as_uri(), name, width=width, height=1400)
        assert shot.stat().st_size > 10_000


def test_an_unknown_network_load_is_reported_and_an_unshipped_s3_image_dropped(tmp_path, caplog):
    """What a GE upgrade with new URLs would look like: the known ones are rewritten, the new one is named."""
    site = tmp_path / "site"
    page = site / "validations" / "s" / "r" / "t" / "b.html"
    page.parent.mkdir(parents=True)
    (site / "static" / "images").mkdir(parents=True)
    (site / "static" / "images" / "logo-long.png").write_bytes(b"png")
    page.write_text(
        '<html><head><script src="https://cdn.jsdelivr.net/npm/vega@5"></script>'
        '<script src="https://cdn.example.org/new-lib@1.0/x.min.js"></script>'
        '<link rel="shortcut icon" href="../../../static/images/favicon.ico" type="image/x-icon"/>'
        "<style>.a{background:url('https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/dark.png')}"
        "</style></head><body>"
        '<img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=1&x=2">'
        '<img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/not-shipped.png">'
        '<a href="https://greatexpectations.io">GX</a></body></html>',
        encoding="utf-8",
    )
    with caplog.at_level("WARNING", logger="expectations.data_docs_offline"):
        assert make_offline(site) == 1
    text = page.read_text(encoding="utf-8")
    assert '<script src="../../../../static/vendor/vega/vega.min.js">' in text
    assert 'href="../../../../static/images/favicon.ico"' in text  # GE's depth was one short
    assert '<img src="../../../../static/images/logo-long.png">' in text and "not-shipped" not in text
    assert ".a{background:none}" in text
    assert '<a href="https://greatexpectations.io">' in text  # a link to follow, not a load: kept
    assert "https://cdn.example.org/new-lib@1.0/x.min.js" in text
    assert "new-lib@1.0" in caplog.text
