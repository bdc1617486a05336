"""Issue #17: one quality page per period and an index of periods, words instead of codes in the Vietnamese
columns, failed checks in words linked to their Data Docs pages, a page that fits a phone's width, and feedback
workbooks that print one page wide with their header row on every page."""

from __future__ import annotations

import html.parser
import re
import stat
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import duckdb
import pytest

from expectations import SUITES, record_results, run_suite
from expectations.runner import data_docs_dir
from ingest.connect import open_warehouse
from ingest.datasets import DATASETS
from publish.quality.feedback import ROW_COLUMNS, ROWS_SHEET, SUMMARY_SHEET, write_feedback
from publish.quality.page import (
    KIND_VI,
    check_in_words,
    quality_page_path,
    write_quality_page,
    write_quality_pages,
)
from tests.small_warehouse import PERIOD, copy_warehouse

EARLIER = "2025-H2"


class _Tables(html.parser.HTMLParser):
    """Every table of a page by id: rows of cells, each cell its text and the hrefs of its links."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[dict]]] = {}
        self.links: list[str] = []
        self._table: list[list[dict]] | None = None
        self._cell: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self._table = self.tables.setdefault(a.get("id") or f"table{len(self.tables)}", [])
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = {"text": "", "hrefs": [], "head": tag == "th"}
            self._table[-1].append(self._cell)
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
            if self._cell is not None:
                self._cell["hrefs"].append(a["href"])

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data


def _parse(page: Path) -> _Tables:
    parser = _Tables()
    parser.feed(page.read_text("utf-8"))
    return parser


def _columns(rows: list[list[dict]]) -> dict[str, list[dict]]:
    """A table's body cells by header text."""
    header = [c["text"].strip() for c in rows[0]]
    return {name: [r[i] for r in rows[1:] if len(r) == len(header)] for i, name in enumerate(header)}


def _resolves(page: Path, href: str) -> Path:
    from urllib.parse import unquote

    assert "://" not in href and not href.startswith("/"), href
    target = (page.parent / unquote(href)).resolve()
    assert target.exists(), (href, target)
    return target


@pytest.fixture(scope="module")
def reports(scored_warehouse, tmp_path_factory) -> dict:
    """A warehouse with two periods of scorecards, a raw row of an unknown unit kind (an error) and CCCDs and a
    duplicate row that fail warnings, validated and recorded; feedback workbooks for both periods; a data
    dictionary and the indicator report of PERIOD, as `make docs` and the indicator package would leave them."""
    root = tmp_path_factory.mktemp("quality_pages")
    wh = copy_warehouse(scored_warehouse, root / "trithuc.duckdb")
    con = open_warehouse(wh)
    try:
        # the earlier period: the same units, LHU on time and clean this time, 26041 late
        con.execute(
            f"""
            insert into quality.unit_scorecard
            select * replace ('{EARLIER}' as period, date '2025-12-05' as deadline,
                case unit_code when 'LHU' then 'ok' when '26041' then 'late' else submission_status end
                    as submission_status)
            from quality.unit_scorecard where period = '{PERIOD}'
            """
        )
        con.execute("update raw.persons set unit_kind = 'xa' where unit_code = '26068' and source_row = 5")
    finally:
        con.close()
    results = [run_suite(name, wh, PERIOD, "run-17") for name in ("raw_persons", "persons_encoded")]
    results.append(run_suite("file_manifest", wh, PERIOD, "run-17"))
    record_results(results, wh)
    for period in (EARLIER, PERIOD):
        write_feedback(wh, period)
    reports_dir = wh.parent / "reports"
    (reports_dir / "data_dictionary").mkdir(parents=True)
    (reports_dir / "data_dictionary" / "index.html").write_text("<html><body>từ điển</body></html>", "utf-8")
    (reports_dir / "indicators").mkdir()
    (reports_dir / "indicators" / f"{PERIOD}.html").write_text("<html><body>chỉ tiêu</body></html>", "utf-8")
    earlier = write_quality_page(wh, EARLIER)
    earlier_text = earlier.read_text("utf-8")
    current = write_quality_page(wh, PERIOD)
    return {
        "warehouse": wh,
        "earlier": earlier,
        "earlier_text": earlier_text,
        "current": current,
        "index": quality_page_path(wh),
    }


def test_each_period_has_its_own_page_and_the_index_lists_them_newest_first(reports):
    wh, earlier, current, index = (
        reports["warehouse"],
        reports["earlier"],
        reports["current"],
        reports["index"],
    )
    assert (
        earlier.name == f"{EARLIER}.html" and current.name == f"{PERIOD}.html" and index.name == "index.html"
    )
    assert earlier.parent == current.parent == index.parent
    # writing the later period's page left the earlier one as it was
    assert earlier.read_text("utf-8") == reports["earlier_text"]
    assert f"kỳ {EARLIER}" in earlier.read_text("utf-8") and f"kỳ {PERIOD}" in current.read_text("utf-8")

    rows = _parse(index).tables["periods"]
    cols = _columns(rows)
    assert [c["text"] for c in cols["Kỳ báo cáo"]] == [f"Kỳ {PERIOD}", f"Kỳ {EARLIER}"]  # newest first
    assert [_resolves(index, c["hrefs"][0]) for c in cols["Kỳ báo cáo"]] == [current, earlier]
    con = duckdb.connect(str(wh), read_only=True)
    try:
        for i, period in enumerate((PERIOD, EARLIER)):
            expected, ok, late, missing, errors = con.execute(
                "select count(*), count(*) filter (where submission_status = 'ok'), "
                "count(*) filter (where submission_status = 'late'), "
                "count(*) filter (where submission_status = 'missing'), "
                "count(*) filter (where submission_status = 'errors') "
                "from quality.unit_scorecard where period = ? and submission_status <> 'not_expected'",
                [period],
            ).fetchone()
            got = {k: cols[k][i]["text"] for k in ("Phải báo cáo", "Đạt", "Trễ hạn", "Chưa gửi", "Có lỗi")}
            assert got == {
                "Phải báo cáo": str(expected),
                "Đạt": str(ok),
                "Trễ hạn": str(late),
                "Chưa gửi": str(missing),
                "Có lỗi": str(errors),
            }, period
    finally:
        con.close()
    assert cols["Hạn nộp"][0]["text"] == "20/06/2026" and cols["Hạn nộp"][1]["text"] == "05/12/2025"
    # the index links the indicator report only where it exists
    assert (
        cols["Chỉ tiêu"][0]["hrefs"] == [f"../indicators/{PERIOD}.html"]
        and cols["Chỉ tiêu"][1]["hrefs"] == []
    )


def test_pages_written_in_any_order_keep_the_index_newest_first(reports, tmp_path):
    wh = copy_warehouse(reports["warehouse"], tmp_path / "trithuc.duckdb")
    pages = write_quality_pages(wh, [PERIOD, EARLIER])
    assert [p.name for p in pages] == [f"{PERIOD}.html", f"{EARLIER}.html"]
    text = quality_page_path(wh).read_text("utf-8")
    assert text.index(f'href="{PERIOD}.html"') < text.index(f'href="{EARLIER}.html"')
    # a period names a file: nothing else does
    for bad in ("../evil", "2026-H3", "index", ""):
        with pytest.raises(ValueError):
            write_quality_page(wh, bad)
    assert sorted(p.name for p in quality_page_path(wh).parent.iterdir()) == [
        f"{EARLIER}.html",
        f"{PERIOD}.html",
        "index.html",
    ]


def test_a_future_period_page_is_never_listed(reports, tmp_path, monkeypatch):
    wh = copy_warehouse(reports["warehouse"], tmp_path / "trithuc.duckdb")
    write_quality_pages(wh, [EARLIER, PERIOD])
    monkeypatch.setenv("TRITHUC_TODAY", "2026-03-01")  # 2026-H1 is now the current half-year, not past it
    write_quality_pages(wh, [EARLIER])
    assert 'href="2026-H1.html"' in quality_page_path(wh).read_text("utf-8")
    monkeypatch.setenv("TRITHUC_TODAY", "2025-09-01")  # 2026-H1 lies in the future of this clock
    write_quality_pages(wh, [EARLIER])
    text = quality_page_path(wh).read_text("utf-8")
    assert f'href="{EARLIER}.html"' in text and "2026-H1" not in text


_ENGLISH = {"ward", "department", "university", "nan", "none", "nat", "null", "true", "false"}


def test_vietnamese_columns_carry_words_not_codes(reports):
    for page in (reports["current"], reports["earlier"], reports["index"]):
        parsed = _parse(page)
        for table_id, rows in parsed.tables.items():
            for row in rows:
                for cell in row:
                    words = set(re.findall(r"\w+", cell["text"].lower()))
                    assert not words & _ENGLISH, (page.name, table_id, cell["text"])
                    assert not words & set(DATASETS), (page.name, table_id, cell["text"])
    cols = _columns(_parse(reports["current"]).tables["scorecard"])
    kinds = {c["text"] for c in cols["Loại"]}
    assert kinds == set(KIND_VI.values())  # the fixture's registry has all three kinds
    by_unit = {c["text"]: i for i, c in enumerate(cols["Mã"])}
    assert cols["Loại"][by_unit["26041"]]["text"] == "Phường, xã"
    assert cols["Loại"][by_unit["LHU"]]["text"] == "Cơ sở đào tạo"
    assert cols["Loại"][by_unit["SKHCN"]]["text"] == "Sở, ngành"
    missing = cols["Còn thiếu"][by_unit["SKHCN"]]["text"]
    assert missing.split("; ") == [
        DATASETS[d].label_vi for d in ("st_tasks", "patents", "awards", "enterprises")
    ]
    assert cols["Tình trạng"][by_unit["SKHCN"]]["text"] == "Chưa gửi"
    assert cols["Ngày trễ"][by_unit["SKHCN"]]["text"] == "–"  # sent nothing: not '0 days late'
    # shares with a decimal comma, e.g. '66,7 %'; '–' where there is nothing to divide
    con = duckdb.connect(str(reports["warehouse"]), read_only=True)
    try:
        share = con.execute(
            "select required_filled_share from quality.unit_scorecard where unit_code = '26041' and period = ?",
            [PERIOD],
        ).fetchone()[0]
    finally:
        con.close()
    assert 0 < share < 1
    assert cols["Trường bắt buộc"][by_unit["26041"]]["text"] == f"{share * 100:.1f}".replace(".", ",") + " %"
    for name in ("Trường bắt buộc", "Khớp danh mục", "CCCD hợp lệ"):
        for cell in cols[name]:
            assert re.fullmatch(r"\d{1,3},\d %|–", cell["text"]), (name, cell["text"])


def test_a_failed_check_reads_in_words_with_its_severity_and_a_link_to_its_data_docs_page(reports):
    page = reports["current"]
    rows = _parse(page).tables["validations"]
    cols = _columns(rows)
    suites = [c["text"] for c in cols["Bộ kiểm tra"]]
    assert suites[0] == "Dữ liệu gốc: Danh sách trí thức"  # the suite with a blocking error comes first
    failed = dict(zip(suites, cols["Kiểm tra không đạt"], strict=True))
    raw, encoded = failed["Dữ liệu gốc: Danh sách trí thức"], failed["Danh sách trí thức đã mã hoá"]
    assert "Lỗi chặn Cột Loại đơn vị: 1 giá trị không phải phường/xã" in raw["text"]
    assert "Cảnh báo Cột CCCD: 2 số không hợp lệ (không đúng 12 chữ số" in encoded["text"]
    assert "Cảnh báo 1 dòng lặp lại y hệt một dòng khác trong cùng tệp" in encoded["text"]
    assert failed["Sổ theo dõi tệp đã nhận"]["text"].startswith("Tất cả đạt")
    table_text = " ".join(c["text"] for r in rows for c in r)
    for technical in (
        "unit_kind_known",
        "cccd_pass_rate",
        "no_duplicate_rows_in_file",
        "unit_kind",
        "raw_persons",
    ):
        assert technical not in table_text
    # each failed check links its own validation's Data Docs page, relative, and the page exists
    site = data_docs_dir(reports["warehouse"]).resolve()
    for cell, suite, n_failed in ((raw, "raw_persons", 1), (encoded, "persons_encoded", 2)):
        assert len(cell["hrefs"]) == n_failed
        for href in cell["hrefs"]:
            target = _resolves(page, href)
            assert target.relative_to(site).parts[:3] == ("validations", suite, "run-17"), target
            assert target.suffix == ".html"


def test_the_page_path_is_recorded_with_the_results_and_found_without_it(reports, tmp_path):
    wh = copy_warehouse(reports["warehouse"], tmp_path / "trithuc.duckdb")
    import shutil

    shutil.copytree(reports["warehouse"].parent / "reports", tmp_path / "reports")
    con = open_warehouse(wh)
    try:
        recorded = con.execute(
            "select distinct suite, data_docs_page from quality.validation_results where run_id = 'run-17'"
        ).fetchall()
        assert {s for s, _ in recorded} == {"raw_persons", "persons_encoded", "file_manifest"}
        for suite, rel in recorded:  # relative to the site root: the folder may move
            assert rel.startswith(f"validations/{suite}/run-17/") and (data_docs_dir(wh) / rel).is_file()
        # results recorded before the column existed: the page GE wrote for the suite and run is found
        con.execute("update quality.validation_results set data_docs_page = null")
    finally:
        con.close()
    page = write_quality_page(wh, PERIOD)
    cols = _columns(_parse(page).tables["validations"])
    hrefs = [h for c in cols["Kiểm tra không đạt"] for h in c["hrefs"]]
    assert len(hrefs) == 4  # 1 + 2 failed checks, and the passing suite's page
    for href in hrefs:
        assert _resolves(page, href).is_relative_to(data_docs_dir(wh).resolve())


def test_every_check_of_every_suite_has_words():
    for suite in SUITES.values():
        for check in suite.expectations:
            text = check_in_words(suite.name, check.id, check.column, 3, None)
            assert check.id not in text and "{" not in text and "?" not in text, (suite.name, check.id, text)
            assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), (suite.name, check.id, text)  # no column ids
    assert check_in_words("persons_encoded", "cccd_pass_rate", "cccd", 3).startswith(
        "Cột CCCD: 3 số không hợp lệ"
    )
    assert check_in_words("raw_persons", "row_count_matches_manifest", None, None, "1234").startswith(
        "Số dòng trong bảng (1.234)"
    )
    assert "lỗi kỹ thuật" in check_in_words(
        "dim_person", "periods_ordered", "first_period", None, '{"error": "x"}'
    )


def test_links_to_the_data_dictionary_and_the_indicator_report(reports, tmp_path):
    page, index = reports["current"], reports["index"]
    for p in (page, index):
        links = _parse(p).links
        assert "../data_dictionary/index.html" in links and f"../indicators/{PERIOD}.html" in links
        for href in links:
            _resolves(p, href)
    assert "index.html" in _parse(page).links  # back to the index of periods
    # not made yet: said in words, no dead link
    earlier_links = _parse(reports["earlier"]).links
    assert not any("indicators" in h for h in earlier_links)
    assert f"Báo cáo chỉ tiêu kỳ {EARLIER} chưa được tạo" in reports["earlier"].read_text("utf-8")
    wh = copy_warehouse(reports["warehouse"], tmp_path / "trithuc.duckdb")
    bare = write_quality_page(wh, PERIOD)
    assert "../data_dictionary/index.html" not in _parse(bare).links
    assert "Từ điển dữ liệu chưa được tạo" in bare.read_text("utf-8")


# ---------------------------------------------------------------------------------------------------------------
# Feedback workbooks: print setup read back from the xlsx XML

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _sheets(book: zipfile.ZipFile) -> list[tuple[int, str, ElementTree.Element]]:
    """(index, name, worksheet XML root) of every sheet, in the workbook's order."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{_REL_NS}Relationship")}
    out = []
    for i, sheet in enumerate(workbook.find("m:sheets", _NS)):
        target = targets[sheet.get(f"{{{_NS['r']}}}id")].removeprefix("/xl/")
        out.append((i, sheet.get("name"), ElementTree.fromstring(book.read(f"xl/{target}"))))
    return out


def test_feedback_workbooks_print_one_page_wide_with_the_header_row_on_every_page(reports):
    folder = reports["warehouse"].parent / "reports" / "feedback" / PERIOD
    books = sorted(folder.glob("*.xlsx"))
    assert {"26041.xlsx", "LHU.xlsx", "SKHCN.xlsx"} <= {b.name for b in books}
    # restricted as before: they quote a unit's own rows back to it
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in books:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        with zipfile.ZipFile(path) as book:
            workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
            titles = {
                int(d.get("localSheetId")): d.text
                for d in workbook.iter(f"{{{_NS['m']}}}definedName")
                if d.get("name") == "_xlnm.Print_Titles"
            }
            sheets = _sheets(book)
            assert [name for _, name, _ in sheets] == [SUMMARY_SHEET, ROWS_SHEET]
            for i, name, xml in sheets:
                header_row = 2 if name == SUMMARY_SHEET else 1  # Excel's 1-based row of the header
                setup = xml.find("m:pageSetup", _NS)
                assert setup is not None, (path.name, name)
                assert setup.get("orientation") == "landscape", (path.name, name)
                assert setup.get("fitToWidth", "1") == "1", (path.name, name)  # OOXML's default is 1
                assert setup.get("fitToHeight") == "0", (path.name, name)  # as many pages down as needed
                assert setup.get("paperSize") == "9", (path.name, name)  # A4
                fit = xml.find("m:sheetPr/m:pageSetUpPr", _NS)
                assert fit is not None and fit.get("fitToPage") == "1", (path.name, name)
                assert titles.get(i, "").endswith(f"!${header_row}:${header_row}"), (path.name, name, titles)
                pane = xml.find("m:sheetViews/m:sheetView/m:pane", _NS)
                assert pane is not None and pane.get("state") == "frozen", (path.name, name)
                assert pane.get("ySplit") == str(header_row) and pane.get("xSplit") is None, (path.name, name)
                widths = [
                    float(c.get("width"))
                    for c in xml.iter(f"{{{_NS['m']}}}col")
                    for _ in range(int(c.get("min")), int(c.get("max")) + 1)
                ]
                assert len(widths) == (2 if name == SUMMARY_SHEET else len(ROW_COLUMNS)), (path.name, name)
                assert all(5 <= w <= 95 for w in widths), (path.name, name, widths)
                assert sum(widths) <= 200, (path.name, name, sum(widths))  # still legible at one page wide
                footer = xml.find("m:headerFooter/m:oddFooter", _NS)
                assert footer is not None and "&P" in footer.text, (path.name, name)


def test_feedback_summary_has_a_header_row_and_shares_with_a_decimal_comma(reports):
    from python_calamine import CalamineWorkbook

    path = reports["warehouse"].parent / "reports" / "feedback" / PERIOD / "26041.xlsx"
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SUMMARY_SHEET).to_python()
    assert rows[1][:2] == ["Mục", "Nội dung"]
    summary = {r[0]: r[1] for r in rows[2:]}
    assert re.fullmatch(r"\d{1,3},\d %", summary["Trường bắt buộc đã điền"]), summary[
        "Trường bắt buộc đã điền"
    ]
    assert summary["Số CCCD hợp lệ"].endswith(" %")


# ---------------------------------------------------------------------------------------------------------------
# In a real browser: nothing runs off a phone's screen


@pytest.mark.browser
def test_the_pages_fit_a_phone_and_a_desktop_screen(reports, chromium):
    from tests.browser import WIDTHS, overflow_px, screenshot

    page, index = reports["current"], reports["index"]
    for p in (page, index):
        for width in WIDTHS:
            assert overflow_px(p, width=width) == 0, (p.name, width)
    # the scorecard is wider than a phone: without its own scroll box the page would run off the screen (so the
    # measurement above is not vacuous)
    unboxed = page.with_name("unboxed.html")
    text = page.read_text("utf-8")
    assert text.count('<div class="table-wrap') == 2
    unboxed.write_text(text.replace('<div class="table-wrap', '<div class="unboxed'), "utf-8")
    try:
        assert overflow_px(unboxed, width=420) > 100
    finally:
        unboxed.unlink()
    for width in WIDTHS:
        shot = screenshot(page.as_uri(), "quality_page", width=width)
        assert shot.stat().st_size > 10_000
        shot = screenshot(index.as_uri(), "quality_index", width=width, height=900)
        assert shot.stat().st_size > 5_000
