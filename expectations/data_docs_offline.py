"""Make the Data Docs site work without internet (issue #17).

Great Expectations 1.24's page templates load Bootstrap, jQuery, bootstrap-table, Font Awesome, vega ... from
CDNs and the GE logo from an S3 bucket, with no option to change that: the URLs are written in the templates
(``js_script_imports.j2``, ``page.j2``, ``index_page.j2``; ``top_navbar.j2`` even replaces the local images
folder it has just computed by the S3 bucket), a ``custom_views_directory`` is searched *after* GE's own
templates so it cannot replace them, and custom styles can only add CSS. So after every build the site is
post-processed:

* :func:`install_assets` copies ``expectations/data_docs_assets/`` (the same files, vendored from npm with
  their licences, see its README) into ``<site>/static/vendor/``, once (a fingerprint says when it is current);
* :func:`make_offline` rewrites, in each HTML page written since the last pass, every CDN URL of a
  ``<link>``/``<script>`` to the vendored copy, relative to the page's own folder (pages live at different depths:
  ``index.html``, ``validations/<suite>/<run>/<time>/<batch>.html``), drops the ``integrity``/``crossorigin``
  attributes of those tags (a ``file://`` page cannot make CORS requests, so Chromium would refuse the
  script), points the S3 logo at GE's own copy in ``static/images/`` (an S3 image with no local copy is
  removed; an S3 image in the inline CSS becomes ``none``), and repairs GE's relative ``static/`` paths whose
  depth is wrong (the favicon of validation pages is one folder short).

Links a reader may follow (``<a href="https://greatexpectations.io">``) are left alone: nothing is *loaded*
from the network. A ``<link>``/``<script>``/``<img>`` that still points at the network after the rewrite (a GE
upgrade with new URLs) is logged as a warning; ``tests/expectations/test_data_docs_offline.py`` fails on it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import time
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

log = logging.getLogger(__name__)

ASSETS_PACKAGE = "expectations"
ASSETS_DIR = "data_docs_assets"
VENDOR_DIR = "static/vendor"  # inside the site
_FINGERPRINT = ".fingerprint"  # in VENDOR_DIR: which assets were copied
_STAMP = ".pages-checked"  # in VENDOR_DIR: when the last pass started (ns since the epoch)
# Pages written up to this long before the last pass started are read again: file times can lag the clock.
_MARGIN_NS = 2_000_000_000

# Every URL GE 1.24's templates load, and the vendored file that replaces it (a path in data_docs_assets/).
CDN_ASSETS: dict[str, str] = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap/bootstrap.min.js",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper.js/popper.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "bootstrap-table/bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "bootstrap-table/bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js": (
        "bootstrap-table/bootstrap-table-filter-control.min.js"
    ),
    # GE asks for 1.19.0's stylesheet (minified on the index, plain elsewhere): same rules as 1.19.1's.
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css": (
        "bootstrap-table/bootstrap-table-filter-control.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css": (
        "bootstrap-table/bootstrap-table-filter-control.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "fontawesome-free/css/all.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": (
        "bootstrap-datepicker/bootstrap-datepicker.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": (
        "bootstrap-datepicker/bootstrap-datepicker.min.js"
    ),
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": (
        "bootstrap-dark/bootstrap-prefers-dark.min.css"
    ),
    "https://cdn.jsdelivr.net/npm/vega@5": "vega/vega.min.js",
    "https://cdn.jsdelivr.net/npm/vega-lite@5": "vega-lite/vega-lite.min.js",
    "https://cdn.jsdelivr.net/npm/vega-embed@6": "vega-embed/vega-embed.min.js",
}
GE_WEB_ASSETS = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/"
GE_IMAGES_DIR = "static/images"  # GE copies its own images (logo-long.png ...) there on every build

_TAG = re.compile(r"<(link|script|img)\b[^>]*>", re.IGNORECASE)
_URL_ATTR = re.compile(r"""(?<![\w-])(src|href)\s*=\s*(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_SRI_ATTRS = re.compile(r"""\s+(?:integrity|crossorigin)(?:\s*=\s*(["']).*?\1)?(?=[\s/>])""", re.IGNORECASE)
# A path into the site's static/ folder, as GE writes it: './static/...', '../../static/...', 'static/...'.
_SITE_STATIC = re.compile(r"^(?:\./|(?:\.\./)+)?(static/.+)$")
_S3_CSS_URL = re.compile(r"""url\(\s*(["']?)""" + re.escape(GE_WEB_ASSETS) + r"""([^)"'?]*)[^)"']*\1\s*\)""")
_NETWORK = re.compile(r"^(?:https?:)?//", re.IGNORECASE)


def assets_root() -> Traversable:
    """``expectations/data_docs_assets/`` (vendored files, licences, README), as installed."""
    return resources.files(ASSETS_PACKAGE) / ASSETS_DIR


@lru_cache(maxsize=1)
def _asset_files() -> tuple[tuple[str, bytes], ...]:
    """Every vendored file as (path under data_docs_assets/, content), read once per process (2 MB)."""
    found: list[tuple[str, bytes]] = []

    def walk(node: Traversable, prefix: str) -> None:
        for child in node.iterdir():
            name = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, f"{name}/")
            elif child.is_file() and not child.name.startswith("."):
                found.append((name, child.read_bytes()))

    walk(assets_root(), "")
    return tuple(sorted(found))


@lru_cache(maxsize=1)
def _assets_fingerprint() -> str:
    digest = hashlib.sha256()
    for name, content in _asset_files():
        digest.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest()


def install_assets(site: Path) -> bool:
    """Copy the vendored files into ``<site>/static/vendor/`` unless they are there already (same fingerprint).
    Returns whether anything was copied."""
    vendor = Path(site) / VENDOR_DIR
    marker = vendor / _FINGERPRINT
    fingerprint = _assets_fingerprint()
    try:
        if marker.read_text(encoding="ascii").strip() == fingerprint:
            return False
    except OSError:
        pass
    for name, content in _asset_files():
        target = vendor / name
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_bytes(target, content)
    _write_bytes(marker, fingerprint.encode("ascii"))  # last: a copy cut short is redone next time
    return True


def make_offline(site: Path, pages: Iterable[Path | str] = ()) -> int:
    """Install the assets, then rewrite the HTML pages of ``site`` written since the last pass (and ``pages``,
    whatever their time) so that nothing is loaded from the network. Idempotent; returns the pages rewritten."""
    site = Path(site).resolve()
    if not site.is_dir():
        return 0
    started = time.time_ns()
    install_assets(site)
    stamp = site / VENDOR_DIR / _STAMP
    try:
        since = int(stamp.read_text(encoding="ascii"))
    except (OSError, ValueError):
        since = 0  # first pass (or an older site): every page
    candidates = {Path(p).resolve() for p in pages if str(p).endswith(".html")}
    candidates = {p for p in candidates if site in p.parents}
    candidates.update(p for p, mtime in _html_files(site) if mtime >= since - _MARGIN_NS)
    rewritten = sum(rewrite_page(site, page) for page in sorted(candidates) if page.is_file())
    _write_bytes(stamp, str(started).encode("ascii"))
    return rewritten


def rewrite_page(site: Path, page: Path) -> bool:
    """Rewrite one page in place (only when something changes); returns whether it changed."""
    text = page.read_text(encoding="utf-8", errors="surrogateescape")
    new = offline_html(text, site=Path(site), page=page)
    left = network_loads(new)
    if left:  # a URL this module does not know (a GE upgrade?): add the file to data_docs_assets/
        log.warning("Data Docs page %s still loads from the network: %s", page, ", ".join(sorted(left)))
    if new == text:
        return False
    _write_bytes(page, new.encode("utf-8", errors="surrogateescape"))
    return True


def offline_html(text: str, *, site: Path, page: Path) -> str:
    """``text`` (the HTML of ``page``, a file of ``site``) with every load from the network made local."""
    depth = len(page.relative_to(site).parts) - 1
    up = "../" * depth

    def in_site(path: str) -> str:  # a path under the site root, relative to the page's folder
        return up + path

    def tag(match: re.Match[str]) -> str:
        whole = match.group(0)
        attr = _URL_ATTR.search(whole)
        if attr is None:
            return whole
        url = attr.group(3).strip()
        if url in CDN_ASSETS:
            local = in_site(f"{VENDOR_DIR}/{CDN_ASSETS[url]}")
            whole = _SRI_ATTRS.sub("", whole)  # a file:// page cannot make CORS requests
            attr = _URL_ATTR.search(whole)
        elif url.startswith(GE_WEB_ASSETS):
            image = url[len(GE_WEB_ASSETS) :].split("?", 1)[0].split("#", 1)[0]
            if not image or not (site / GE_IMAGES_DIR / image).is_file():
                return ""  # not shipped with GE: the page goes without it
            local = in_site(f"{GE_IMAGES_DIR}/{image}")
        elif static := _SITE_STATIC.match(url):
            local = in_site(static.group(1))  # GE's depth is one folder short for some pages' favicon
        else:
            return whole
        return whole[: attr.start(3)] + local + whole[attr.end(3) :]

    def css_url(match: re.Match[str]) -> str:
        image = match.group(2)
        if image and (site / GE_IMAGES_DIR / image).is_file():
            return f"url('{in_site(f'{GE_IMAGES_DIR}/{image}')}')"
        return "none"

    return _S3_CSS_URL.sub(css_url, _TAG.sub(tag, text))


def network_loads(text: str) -> set[str]:
    """The URLs of ``<link>``/``<script>``/``<img>`` tags of ``text`` that point at the network."""
    urls = set()
    for match in _TAG.finditer(text):
        attr = _URL_ATTR.search(match.group(0))
        if attr and _NETWORK.match(attr.group(3).strip()):
            urls.add(attr.group(3).strip())
    return urls


def _html_files(site: Path) -> Iterable[tuple[Path, int]]:
    """(page, mtime in ns) of every HTML file of the site but the vendored and GE's static folders."""
    for root, dirs, files in os.walk(site):
        if Path(root) == site:
            dirs[:] = [d for d in dirs if d != "static"]
        for name in files:
            if name.endswith(".html"):
                path = Path(root, name)
                try:
                    yield path, path.stat().st_mtime_ns
                except OSError:  # removed meanwhile (pruning)
                    continue


def _write_bytes(path: Path, content: bytes) -> None:
    """Write through a temporary file beside ``path`` and rename it into place: a reader (a browser, another
    process's pass) sees the old file or the new one, never half of one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:  # ordinary permissions, like the files GE writes
        handle.write(content)
    os.replace(tmp, path)
