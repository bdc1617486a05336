"""The quality officers' pages, in Vietnamese: one per period and an index of periods.

``<warehouse dir>/reports/quality/<period>.html`` (e.g. ``2026-H1.html``) for each period: the unit scorecard
worst first (click a header to sort; a few lines of inline script), each unit's kind and missing datasets in
words, shares as '98,2 %', a link to each unit's feedback workbook and to its pre-filled template for the next
period (``publish.templates``, when made), the latest verdict of every validation suite
with each failed check said in words, its severity ('Lỗi chặn' / 'Cảnh báo') and a link to its Data Docs
validation page, counts of unmapped values and of borderline matches waiting for review (tables may be empty or
missing), and links to the Data Docs site, the data dictionary and the period's indicator report (each only
when it exists). Writing one period's page never touches another period's.

``<warehouse dir>/reports/quality/index.html``: the periods that have a page, newest first, each with its headline
counts (units expected, ok, with warnings, late, incomplete, missing, with errors) and a link to its page.

Static HTML, no external resource (the machine has no network), every link relative, so the folder can be copied
or opened from a file share. At a phone's width (420 px) nothing runs off the screen: wide tables scroll inside
their own box. Both pages' headers list the most recent failed runs (alerts written by the run-failure sensor to
``<warehouse dir>/alerts/alerts.jsonl``).
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd

from expectations._warehouse import read_only, relation_columns, relation_exists
from expectations.errors import TableMissing
from expectations.runner import data_docs_dir
from ingest.datasets import DATASETS
from ingest.periods import TIMEZONE, is_future, parse_period
from publish.quality.feedback import DATASET_VI, feedback_dir
from publish.templates.paths import template_path
from settings import ALERTS_FILE

SCORECARD = "quality.unit_scorecard"
VALIDATIONS = "quality.validation_results"
INDEX_NAME = "index.html"
STATUS_VI = {
    "missing": "Chưa gửi",
    "incomplete": "Thiếu dữ liệu",
    "late": "Trễ hạn",
    "errors": "Có lỗi",
    "warnings": "Có cảnh báo",
    "ok": "Đạt",
    "not_expected": "Không phải gửi",
}
# Headline counts, in the order a page and the index show them (best to worst, as the officer reads a row).
HEADLINE = ("ok", "warnings", "late", "incomplete", "missing", "errors")
# Unit kinds of the registry (ingest.registry.UNIT_KINDS) in words: 'university' also covers colleges and a
# vocational school, hence 'cơ sở đào tạo'; 'department' covers the statistics office and the union of associations.
KIND_VI = {"ward": "Phường, xã", "department": "Sở, ngành", "university": "Cơ sở đào tạo"}
SEVERITY_VI = {"error": "Lỗi chặn", "warning": "Cảnh báo"}
_COLUMNS = (
    ("unit_code", "Mã"),
    ("unit_name_vi", "Đơn vị"),
    ("submission_status", "Tình trạng"),
    ("unit_kind", "Loại"),
    ("datasets_missing", "Còn thiếu"),
    ("days_late", "Ngày trễ"),
    ("rows_loaded", "Dòng nhận"),
    ("rows_rejected", "Dòng loại"),
    ("required_filled_share", "Trường bắt buộc"),
    ("coded_mapped_share", "Khớp danh mục"),
    ("cccd_valid_share", "CCCD hợp lệ"),
    ("duplicate_rows", "Trùng lặp"),
    ("issue_warnings", "Cảnh báo"),
)
_SHARES = {"required_filled_share", "coded_mapped_share", "cccd_valid_share"}

# The validation suites in words (a raw_<dataset> suite is named after its dataset).
SUITE_VI = {
    "file_manifest": "Sổ theo dõi tệp đã nhận",
    "persons_encoded": "Danh sách trí thức đã mã hoá",
    "dim_person": "Danh mục trí thức (sau khi ghép người)",
    "person_source_records": "Dòng gốc và người đã ghép",
    "indicator_values": "Giá trị chỉ tiêu",
}
# Columns the checks of the marts and the manifest name, in words (raw tables' columns: ingest/datasets.py).
COLUMN_VI = {
    "sex_code": "Giới tính",
    "qualification_code": "Trình độ chuyên môn",
    "academic_title_code": "Học hàm",
    "ethnicity_code": "Dân tộc",
    "residence_ward_code": "Phường, xã nơi ở",
    "science_field_code": "Lĩnh vực khoa học",
    "occupation_code": "Nghề nghiệp",
    "employer_type_code": "Loại cơ quan công tác",
    "sector_code": "Khu vực làm việc",
    "status_code": "Tình trạng",
    "age_group": "Nhóm tuổi",
    "birth_year": "Năm sinh",
    "cccd": "CCCD",
    "source_row": "Số dòng",
    "source_file": "Tệp",
    "period": "Kỳ báo cáo",
    "unit_kind": "Loại đơn vị",
    "file_sha256": "Mã kiểm tra tệp",
    "person_key": "Mã người",
    "source_count": "Số dòng gốc",
    "first_period": "Kỳ xuất hiện đầu",
    "indicator_code": "Mã chỉ tiêu",
    "geo_level": "Cấp địa bàn",
    "value": "Giá trị chỉ tiêu",
    "numerator": "Tử số",
    "denominator": "Mẫu số",
    "completeness": "Độ đầy đủ",
    "status": "Trạng thái",
    "received_at": "Thời điểm nhận",
    "message_vi": "Lý do từ chối",
    "rows_loaded": "Số dòng nhận",
}
# What a failed check means, in words. Looked up as '<suite>.<check id>', then '<check id>', then the part of the
# id before '__' (code_in_list__sex_code -> code_in_list). {col}: the column in words; {n}: how many values, rows
# or files failed; {obs}: ' (the value observed)', e.g. a row count, or nothing when unknown.
CHECK_VI = {
    "columns_present": "Bảng thiếu cột so với mẫu dữ liệu quy định",
    "lineage_complete": "{n} dòng không ghi đủ nguồn gốc (tệp, dòng, đơn vị, kỳ, mã kiểm tra tệp)",
    "source_row_positive": "Cột {col}: {n} số dòng nhỏ hơn 1",
    "period_well_formed": "Cột {col}: {n} giá trị không đúng dạng năm-H1 hoặc năm-H2 (ví dụ 2026-H1)",
    "unit_kind_known": "Cột {col}: {n} giá trị không phải phường/xã, sở/ngành hay cơ sở đào tạo",
    "rows_from_current_files": "{n} dòng đến từ tệp không còn hiệu lực (đã bị thay thế hoặc bị từ chối)",
    "row_count_matches_manifest": "Số dòng trong bảng{obs} khác số dòng sổ theo dõi tệp ghi là đã nhận",
    "key_field_filled": "Cột {col}: {n} dòng để trống (dòng như vậy phải bị loại khi nhận tệp)",
    "required_filled": "Cột {col}: {n} dòng để trống trường bắt buộc",
    "rows_accounted_for": "{n} tệp có số dòng đọc khác tổng số dòng nhận, bị loại và bỏ qua",
    "loaded_rows_in_raw": "{n} tệp có số dòng đã nhận khác số dòng có trong dữ liệu gốc",
    "file_manifest.status_known": "{n} tệp có trạng thái không hợp lệ",
    "rejected_file_has_reason": "{n} tệp bị từ chối mà không ghi lý do bằng tiếng Việt",
    "one_current_version_per_file": "{n} tệp có hơn một phiên bản hiện hành",
    "received_at_known": "{n} tệp không rõ thời điểm nhận (không xét được đúng hạn)",
    "code_in_list": "Cột {col}: {n} mã không có trong danh mục",
    "birth_year_plausible": "Cột {col}: {n} năm sinh cho tuổi ngoài khoảng 18–100",
    "cccd_pass_rate": "Cột {col}: {n} số không hợp lệ (không đúng 12 chữ số, sai mã tỉnh, giới tính hoặc năm "
    "sinh); cần ít nhất 90 % số đã điền hợp lệ",
    "no_duplicate_rows_in_file": "{n} dòng lặp lại y hệt một dòng khác trong cùng tệp",
    "source_count_positive": "{n} người không gắn với dòng gốc nào",
    "periods_ordered": "{n} người có kỳ xuất hiện đầu sau kỳ xuất hiện cuối",
    "every_raw_row_traced": "Số dòng gốc đã ghép người{obs} khác số dòng trong danh sách gốc: có dòng bị mất",
    "indicator_in_catalog": "{n} mã chỉ tiêu không có trong danh mục chỉ tiêu",
    "percent_within_0_100": "{n} giá trị phần trăm ngoài khoảng 0–100",
    "ratio_within_0_1": "{n} tỷ số ngoài khoảng 0–1",
    "count_or_rate_not_negative": "{n} giá trị đếm hoặc tỷ suất bị âm",
    "numerator_not_negative": "{n} tử số bị âm",
    "denominator_not_negative": "{n} mẫu số bị âm",
    "completeness_is_share": "{n} giá trị độ đầy đủ ngoài khoảng 0–1",
}

_SCRIPT = """
document.querySelectorAll('table.sortable th').forEach(function (th, col) {
  th.addEventListener('click', function () {
    var tbody = th.closest('table').tBodies[0];
    var asc = th.dataset.dir !== 'asc';
    th.dataset.dir = asc ? 'asc' : 'desc';
    Array.from(tbody.rows).sort(function (a, b) {
      var x = a.cells[col].dataset.v, y = b.cells[col].dataset.v;
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y, 'vi');
      return asc ? c : -c;
    }).forEach(function (r) { tbody.appendChild(r); });
  });
});
"""

_STYLE = """
*, *::before, *::after { box-sizing: border-box; }
body { font-family: system-ui, "Segoe UI", Roboto, Arial, sans-serif; margin: 0 auto; padding: 1rem;
  max-width: 1500px; color: #222; line-height: 1.45; overflow-wrap: break-word; }
h1 { font-size: 1.6rem; margin: 0.5rem 0 0.75rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 0.5rem; }
a { color: #0b57a4; }
nav.links { display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; margin: 0.5rem 0 1rem; }
.muted { color: #666; }
.table-wrap { overflow-x: auto; max-width: 100%; margin: 0.5rem 0 1rem; }
.table-wrap.tall { max-height: 75vh; overflow-y: auto; border: 1px solid #bbb; }
table { border-collapse: collapse; font-size: 0.9rem; }
#scorecard, #validations { width: 100%; }
th, td { border: 1px solid #d0d0d0; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #ddebf7; position: sticky; top: 0; z-index: 1; }
table.sortable th { cursor: pointer; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.nowrap, .c-unit_code, .c-unit_kind, .c-submission_status { white-space: nowrap; }
.c-unit_name_vi { min-width: 11rem; }
.c-datasets_missing { min-width: 14rem; max-width: 30rem; }
.c-suite { min-width: 10rem; }
.c-failed { min-width: 20rem; }
tr.missing td, tr.incomplete td { background: #fde2e1; }
tr.late td, tr.errors td { background: #fff2cc; }
ul.counts li.missing, ul.counts li.incomplete { background: #fde2e1; }
ul.counts li.late, ul.counts li.errors { background: #fff2cc; }
ul.counts { display: flex; flex-wrap: wrap; gap: 0.5rem; list-style: none; padding: 0; margin: 0.5rem 0; }
ul.counts li { border: 1px solid #ccc; border-radius: 4px; padding: 0.3rem 0.6rem; background: #fafafa; }
ul.counts b { font-size: 1.1rem; }
.summary li { margin: 0.2rem 0; }
ul.failed { margin: 0; padding-left: 1.1rem; }
ul.failed li { margin: 0.15rem 0; }
.sev { display: inline-block; border-radius: 3px; padding: 0 0.35rem; font-size: 0.8rem; font-weight: 600;
  white-space: nowrap; }
.sev.error { background: #c0392b; color: #fff; }
.sev.warning { background: #f1c40f; color: #222; }
.ok { color: #1e7e34; }
.alerts { background: #fde2e1; border: 1px solid #c0392b; padding: 0.5rem 1rem; margin-bottom: 1rem;
  overflow-wrap: anywhere; }
@media (max-width: 600px) {
  body { padding: 0.6rem; }
  h1 { font-size: 1.25rem; }
  table { font-size: 0.85rem; }
  /* on a phone the validation results read as one block per suite: what failed is never off to the side */
  #validations thead { display: none; }
  #validations, #validations tbody, #validations tr, #validations td { display: block; width: 100%; }
  #validations tr { border-bottom: 2px solid #999; padding: 0.3rem 0; }
  #validations td { border: none; min-width: 0; text-align: left; white-space: normal; }
  #validations td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
}
"""


@dataclass(frozen=True)
class FailedCheck:
    severity: str  # 'error' | 'warning'
    text: str  # what failed, in words
    page: Path | None  # the Data Docs page of the validation it belongs to (None when there is none on disk)


@dataclass(frozen=True)
class SuiteVerdict:
    suite: str
    run_at: Any
    checks: int
    failed: tuple[FailedCheck, ...]
    page: Path | None
    period: str | None = None  # the period validated; None: the run covered every period

    def count(self, severity: str) -> int:
        return sum(f.severity == severity for f in self.failed)


def quality_dir(warehouse: Path) -> Path:
    return Path(warehouse).resolve().parent / "reports" / "quality"


def quality_page_path(warehouse: Path, period: str | None = None) -> Path:
    """The page of ``period`` (``reports/quality/<period>.html``), or the index of periods without one."""
    return quality_dir(warehouse) / (f"{_checked_period(period)}.html" if period else INDEX_NAME)


def write_quality_page(warehouse: Path, period: str) -> Path:
    """Render the page for ``period`` from the warehouse (read-only), refresh the index; return the page's path."""
    return write_quality_pages(warehouse, [period])[0]


def write_quality_pages(warehouse: Path, periods: Iterable[str]) -> list[Path]:
    """The page of each period (other periods' pages are left as they are), then the index; returns the pages."""
    warehouse = Path(warehouse)
    wanted = list(dict.fromkeys(_checked_period(p) for p in periods))
    rendered: dict[str, str] = {}
    alerts = read_recent_alerts(warehouse)
    with read_only(warehouse) as con:
        if not relation_exists(con, SCORECARD):
            raise TableMissing(SCORECARD, "quality_page")
        unmapped = _count(con, "quality.unmapped_values", "coalesce(sum(row_count), 0)")
        unmapped_values = _count(con, "quality.unmapped_values", "count(*)")
        review = _count(con, "quality.match_review", "count(*)")
        for period in wanted:
            cards = con.execute(
                f"select * from {SCORECARD} where period = ? and submission_status <> 'not_expected' "
                "order by problem_score desc, unit_code",
                [period],
            ).df()
            verdicts = _latest_verdicts(con, warehouse, period)
            page = quality_page_path(warehouse, period)
            rendered[period] = _render(
                page, warehouse, period, cards, unmapped, unmapped_values, review, verdicts, alerts
            )
        pages = []
        out = quality_dir(warehouse)
        out.mkdir(parents=True, exist_ok=True)
        for period, text in rendered.items():
            page = quality_page_path(warehouse, period)
            page.write_text(text, "utf-8")
            pages.append(page)
        _write_index(con, warehouse, alerts)
    return pages


def _checked_period(period: str | None) -> str:
    """A period as it names a file: well-formed (2026-H1) or refused, never a path of its own."""
    if period is None or parse_period(str(period)) is None:
        raise ValueError(f"not a reporting period (YYYY-H1 or YYYY-H2): {period!r}")
    return str(period).strip()


def _count(con: Any, relation: str, expr: str) -> int | None:
    if not relation_exists(con, relation):
        return None
    row = con.execute(f"select {expr} from {relation}").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


# ---------------------------------------------------------------------------------------------------------------
# Validation results in words


def _latest_verdicts(con: Any, warehouse: Path, period: str) -> list[SuiteVerdict]:
    """Per suite, its latest run for ``period`` (or for all periods), each failed check in words."""
    if not relation_exists(con, VALIDATIONS):
        return []
    page_col = "v.data_docs_page" if "data_docs_page" in relation_columns(con, VALIDATIONS) else "null"
    rows = con.execute(
        f"""
        with latest as (
            select suite, arg_max(run_id, run_at) as run_id from {VALIDATIONS}
            where period = ? or period is null group by suite
        )
        select v.suite, v.run_id, v.run_at, v.period, v.expectation, v."column", v.severity, v.success,
            v.observed_value, v.unexpected_count, {page_col} as data_docs_page
        from {VALIDATIONS} as v
        join latest as l on l.suite = v.suite and l.run_id = v.run_id
        order by v.suite, v.run_at
        """,
        [period],
    ).fetchall()
    by_suite: dict[str, list[tuple]] = {}
    for row in rows:
        by_suite.setdefault(row[0], []).append(row)
    verdicts = []
    for suite, items in by_suite.items():
        run_id, run_period = items[-1][1], items[-1][3]
        stored = next((r[10] for r in reversed(items) if r[10]), None)
        page = _docs_page(warehouse, suite, run_id, run_period, stored)
        failed = tuple(
            FailedCheck(severity, check_in_words(suite, check, column, count, observed), page)
            for _, _, _, _, check, column, severity, success, observed, count, _ in items
            if not success
        )
        verdicts.append(SuiteVerdict(suite, max(r[2] for r in items), len(items), failed, page, run_period))
    verdicts.sort(key=lambda v: (-v.count("error"), -v.count("warning"), v.suite))
    return verdicts


def _docs_page(
    warehouse: Path, suite: str, run_id: str, period: str | None, stored: str | None
) -> Path | None:
    """The Data Docs page of one validation run: the path recorded with the results, else (results recorded
    before the column existed) the page GE wrote for that suite and run; None when neither is on disk."""
    site = data_docs_dir(warehouse)
    if stored:
        page = site / stored
        if page.is_file():
            return page
    # GE's layout: validations/<suite>/<run_id>/<run_time>/<datasource>-<suite>__<period or 'all'>.html
    folder = site / "validations" / suite / run_id
    if not folder.is_dir():
        return None
    found = sorted(folder.glob("*/*.html"))
    same_period = [p for p in found if p.stem.endswith(f"__{period or 'all'}")]
    return (same_period or found or [None])[-1]


def suite_in_words(suite: str) -> str:
    if suite.startswith("raw_") and suite[4:] in DATASETS:
        return f"Dữ liệu gốc: {DATASETS[suite[4:]].label_vi}"
    return SUITE_VI.get(suite, suite)


def column_in_words(suite: str, column: str | None) -> str:
    if not column:
        return ""
    dataset = suite[4:] if suite.startswith("raw_") else "persons"
    fields = {f.name: f.label_vi for f in DATASETS[dataset].fields} if dataset in DATASETS else {}
    if column in COLUMN_VI and not (suite.startswith("raw_") and column in fields):
        return COLUMN_VI[column]
    return fields.get(column, column)


def check_in_words(
    suite: str, check_id: str, column: str | None, unexpected: Any = None, observed: Any = None
) -> str:
    """One failed check as a sentence, e.g. 'Cột CCCD: 3 số không hợp lệ (...)'."""
    try:
        value = json.loads(observed) if isinstance(observed, str) else observed
    except ValueError:
        value = observed
    if isinstance(value, dict) and value.get("error"):
        return f"Không chạy được kiểm tra này (lỗi kỹ thuật, xem chi tiết): {suite_in_words(suite)}"
    if unexpected is None and isinstance(value, dict) and value.get("unexpected_count") is not None:
        unexpected = value["unexpected_count"]
    template = (
        CHECK_VI.get(f"{suite}.{check_id}") or CHECK_VI.get(check_id) or CHECK_VI.get(check_id.split("__")[0])
    )
    col = column_in_words(suite, column) or "?"
    n = int_vi(unexpected) if _known(unexpected) else "một số"
    if isinstance(value, int | float) and not isinstance(value, bool):
        obs = f" ({int_vi(value)})"
    else:
        obs = f" ({value.strip()})" if isinstance(value, str) and value.strip() else ""
    if template is None:  # a check added to a suite without words here yet: still no bare id
        template = "Cột {col}: {n} giá trị không đạt kiểm tra" if column else "Kiểm tra không đạt"
        template += f" «{check_id}»"
    text = template.format(col=col, n=n, obs=obs)
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------------------------------------------
# Numbers and dates as a Vietnamese reader writes them


def int_vi(value: Any) -> str:
    """1234 -> '1.234'."""
    return f"{int(value):,}".replace(",", ".")


def pct_vi(share: Any) -> str:
    """0.982 -> '98,2 %'."""
    return f"{float(share) * 100:.1f}".replace(".", ",") + " %"


def _date_vi(value: Any) -> str:
    return "–" if not _known(value) else pd.Timestamp(value).strftime("%d/%m/%Y")


def _time_vi(value: Any) -> str:
    """A naive UTC timestamp (as results are recorded) in Vietnam time."""
    if not _known(value):
        return "–"
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
    return stamp.tz_convert(TIMEZONE).strftime("%d/%m/%Y %H:%M")


def _known(value: Any) -> bool:
    return value is not None and not (not isinstance(value, str) and pd.isna(value))


def _datasets_in_words(text: Any) -> str:
    names = [n.strip() for n in str(text or "").split(",") if n.strip()]
    return "; ".join(DATASET_VI.get(n, n) for n in names)


# ---------------------------------------------------------------------------------------------------------------
# Rendering


def _cell(col: str, value: Any) -> str:
    if not _known(value) or (isinstance(value, str) and not value.strip()):
        return f'<td class="c-{col}" data-v="">–</td>'
    if col in _SHARES:
        return f'<td class="num" data-v="{float(value):.6f}">{pct_vi(value)}</td>'
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<td class="num" data-v="{value}">{int_vi(value)}</td>'
    if col == "submission_status":
        shown = STATUS_VI.get(value, str(value))
    elif col == "unit_kind":
        shown = KIND_VI.get(value, str(value))
    elif col == "datasets_missing":
        shown = _datasets_in_words(value) or "–"
    else:
        shown = str(value)
    return f'<td class="c-{col}" data-v="{html.escape(shown)}">{html.escape(shown)}</td>'


def _link(target: Path, page: Path, text: str, element_id: str = "", cls: str = "") -> str:
    attrs = (f' id="{element_id}"' if element_id else "") + (f' class="{cls}"' if cls else "")
    return f'<a{attrs} href="{html.escape(_rel(target, page))}">{html.escape(text)}</a>'


def _wrap(table: str, label: str, tall: bool = False) -> str:
    """A table in a box of its own that scrolls sideways (and, when ``tall``, down with a fixed header)."""
    cls = "table-wrap tall" if tall else "table-wrap"
    return f'<div class="{cls}" role="region" tabindex="0" aria-label="{html.escape(label)}">{table}</div>'


def _page_head(title: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{_STYLE}</style></head>
<body>
"""


def _nav(page: Path, warehouse: Path, period: str | None) -> str:
    """Links to the index (from a period page), the Data Docs site, the data dictionary and the period's indicator
    report: each a link when the file exists, else a line saying it is not made yet."""
    reports = page.parent.parent
    items = []
    if period:
        items.append(_link(page.parent / INDEX_NAME, page, "← Tất cả các kỳ", "all-periods"))
    docs_index = data_docs_dir(warehouse) / "index.html"
    items.append(
        _link(docs_index, page, "Data Docs (kết quả kiểm tra chi tiết)", "data-docs")
        if docs_index.exists()
        else '<span class="muted">Data Docs chưa được tạo (chưa chạy kiểm tra).</span>'
    )
    dictionary = reports / "data_dictionary" / "index.html"
    items.append(
        _link(dictionary, page, "Từ điển dữ liệu", "data-dictionary")
        if dictionary.exists()
        else '<span class="muted">Từ điển dữ liệu chưa được tạo (make docs).</span>'
    )
    if period:
        indicators = reports / "indicators" / f"{period}.html"
        items.append(
            _link(indicators, page, f"Báo cáo chỉ tiêu kỳ {period}", "indicator-report")
            if indicators.exists()
            else f'<span class="muted">Báo cáo chỉ tiêu kỳ {html.escape(period)} chưa được tạo.</span>'
        )
    return '<nav class="links">' + "".join(f"<span>{i}</span>" for i in items) + "</nav>"


def _counts_html(statuses: dict[str, int], expected: int) -> str:
    # a status box is coloured (as the scorecard's rows are) only when some unit is in it
    items = [f"<li>Phải báo cáo: <b>{int_vi(expected)}</b></li>"] + [
        f'<li class="{s if statuses.get(s, 0) else "none"}">{STATUS_VI[s]}: <b>{int_vi(statuses.get(s, 0))}</b></li>'
        for s in HEADLINE
    ]
    return f'<ul class="counts" id="headline">{"".join(items)}</ul>'


def _verdicts_html(verdicts: list[SuiteVerdict], page: Path) -> str:
    if not verdicts:
        return "<p>Chưa có kết quả kiểm tra cho kỳ này.</p>"
    rows = []
    for v in verdicts:
        if v.failed:
            items = "".join(
                f'<li><span class="sev {html.escape(f.severity)}">'
                f"{html.escape(SEVERITY_VI.get(f.severity, f.severity))}</span> {html.escape(f.text)}"
                + (f" — {_link(f.page, page, 'chi tiết', cls='docs-page')}" if f.page else "")
                + "</li>"
                for f in sorted(v.failed, key=lambda f: (f.severity != "error", f.text))
            )
            result = f'<ul class="failed">{items}</ul>'
        else:
            result = '<span class="ok">Tất cả đạt</span>' + (
                f" — {_link(v.page, page, 'chi tiết', cls='docs-page')}" if v.page else ""
            )
        scope = "" if v.period else '<br><small class="muted">dữ liệu mọi kỳ</small>'
        rows.append(
            f'<tr><td class="c-suite" data-label="Bộ kiểm tra" title="{html.escape(v.suite)}">'
            f"{html.escape(suite_in_words(v.suite))}</td>"
            f'<td class="nowrap" data-label="Lần chạy">{_time_vi(v.run_at)}{scope}</td>'
            f'<td class="num" data-label="Số kiểm tra">{int_vi(v.checks)}</td>'
            f'<td class="num" data-label="Lỗi chặn">{int_vi(v.count("error"))}</td>'
            f'<td class="num" data-label="Cảnh báo">{int_vi(v.count("warning"))}</td>'
            f'<td class="c-failed" data-label="Kết quả">{result}</td></tr>'
        )
    note = (
        '<p class="muted">Lỗi chặn: các bước sau (bảng tổng hợp, xuất dữ liệu, gói gửi hệ thống quốc gia) '
        "không chạy trên dữ liệu này cho tới khi sửa. Cảnh báo: được ghi lại, quy trình vẫn chạy.</p>"
    )
    table = (
        '<table id="validations"><thead><tr><th>Bộ kiểm tra</th><th>Lần chạy</th><th>Số kiểm tra</th>'
        "<th>Lỗi chặn</th><th>Cảnh báo</th><th>Kiểm tra không đạt</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return note + _wrap(table, "Kết quả kiểm tra")


def _render(
    page: Path,
    warehouse: Path,
    period: str,
    cards: pd.DataFrame,
    unmapped: int | None,
    unmapped_values: int | None,
    review: int | None,
    verdicts: list[SuiteVerdict],
    alerts: list[dict[str, Any]],
) -> str:
    fb_dir = feedback_dir(warehouse, period)
    next_period = parse_period(period).next().code
    rows = []
    for rank, card in enumerate(cards.to_dict("records"), start=1):
        workbook = fb_dir / f"{card['unit_code']}.xlsx"
        link = _link(workbook, page, "phản hồi (.xlsx)", cls="feedback") if workbook.exists() else "–"
        # the unit's pre-filled workbook for its next report (publish.templates), when it has been made
        template = template_path(warehouse, next_period, str(card["unit_code"]))
        template_link = _link(template, page, f"mẫu {next_period} (.xlsx)", cls="template") if template.exists() else "–"
        # a unit that sent nothing is not '0 days late': its days are left blank
        shown = {**card, "days_late": None} if card["submission_status"] == "missing" else card
        cells = "".join(_cell(col, shown.get(col)) for col, _ in _COLUMNS)
        rows.append(
            f'<tr class="{html.escape(str(card["submission_status"]))}"><td class="num" data-v="{rank}">{rank}</td>'
            f'{cells}<td data-v="" class="nowrap">{link}</td><td data-v="" class="nowrap">{template_link}</td></tr>'
        )
    head = (
        "<th>#</th>"
        + "".join(f"<th>{html.escape(label)}</th>" for _, label in _COLUMNS)
        + "<th>Phản hồi</th><th>Mẫu kỳ sau</th>"
    )
    statuses = cards["submission_status"].value_counts().to_dict() if len(cards) else {}
    deadline = _date_vi(cards["deadline"].iloc[0]) if len(cards) and "deadline" in cards else "–"

    unmapped_line = (
        "chưa có số liệu (bảng quality.unmapped_values chưa được tạo)"
        if unmapped is None or unmapped_values is None
        else f"{int_vi(unmapped_values)} giá trị khác nhau, {int_vi(unmapped)} lần xuất hiện"
    )
    review_line = (
        "chưa có số liệu (bảng quality.match_review chưa được tạo)" if review is None else int_vi(review)
    )

    scorecard = (
        f'<table id="scorecard" class="sortable"><thead><tr>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(rows)
        + "\n</tbody></table>"
    )
    title = f"Chất lượng dữ liệu trí thức - kỳ {period}"
    return (
        _page_head(title)
        + f"""{_alerts_html(alerts)}
<h1>{html.escape(title)}</h1>
{_nav(page, warehouse, period)}
<p>Hạn nộp: <b>{deadline}</b>. Trang cập nhật lúc {_time_vi(datetime.now(TIMEZONE))}.</p>
{_counts_html(statuses, len(cards))}
<ul class="summary">
<li id="unmapped">Giá trị chưa khớp danh mục (mọi kỳ): {unmapped_line}</li>
<li id="match-review">Cặp hồ sơ cần xem xét ghép người (mọi kỳ): {review_line}</li>
</ul>
<h2>Bảng điểm đơn vị</h2>
<p class="muted">Kém nhất trước; bấm tiêu đề cột để sắp xếp. Tỷ lệ tính trên các dòng đã nhận.</p>
{_wrap(scorecard, "Bảng điểm đơn vị", tall=True) if rows else "<p>Không có đơn vị nào phải báo cáo kỳ này.</p>"}
<h2>Kết quả kiểm tra gần nhất</h2>
{_verdicts_html(verdicts, page)}
<script>{_SCRIPT}</script>
</body></html>
"""
    )


# ---------------------------------------------------------------------------------------------------------------
# The index of periods

_PAGE_NAME = re.compile(r"^(20[0-9]{2}-H[12])\.html$")


def _write_index(con: Any, warehouse: Path, alerts: list[dict[str, Any]]) -> Path:
    """``index.html``: every period that has a page (never a future one), newest first, with headline counts."""
    index = quality_page_path(warehouse)
    index.parent.mkdir(parents=True, exist_ok=True)
    periods = [
        m.group(1)
        for m in (_PAGE_NAME.match(p.name) for p in index.parent.iterdir())
        if m and not is_future(m.group(1))
    ]
    periods.sort(key=parse_period, reverse=True)
    statuses = ", ".join(f"count(*) filter (where submission_status = '{s}') as {s}" for s in HEADLINE)
    counts = {
        r[0]: r[1:]
        for r in con.execute(
            f"select period, min(deadline), count(*), {statuses} from {SCORECARD} "
            "where submission_status <> 'not_expected' group by period"
        ).fetchall()
    }
    rows = []
    for period in periods:
        page = index.parent / f"{period}.html"
        found = counts.get(period)
        numbers = (
            "".join(f'<td class="num">{int_vi(v)}</td>' for v in found[1:])
            if found
            else "".join('<td class="num">–</td>' for _ in range(len(HEADLINE) + 1))
        )
        indicators = index.parent.parent / "indicators" / f"{period}.html"
        rows.append(
            f'<tr><td class="nowrap">{_link(page, index, f"Kỳ {period}", cls="period")}</td>'
            f'<td class="nowrap">{_date_vi(found[0]) if found else "–"}</td>{numbers}'
            f'<td class="nowrap">{_link(indicators, index, "báo cáo chỉ tiêu") if indicators.exists() else "–"}</td></tr>'
        )
    head = "".join(
        f"<th>{h}</th>"
        for h in ("Kỳ báo cáo", "Hạn nộp", "Phải báo cáo", *(STATUS_VI[s] for s in HEADLINE), "Chỉ tiêu")
    )
    table = (
        f'<table id="periods"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
        if rows
        else "<p>Chưa có trang của kỳ nào.</p>"
    )
    title = "Chất lượng dữ liệu trí thức - các kỳ báo cáo"
    text = (
        _page_head(title)
        + f"""{_alerts_html(alerts)}
<h1>{html.escape(title)}</h1>
{_nav(index, warehouse, None)}
<p>Mỗi kỳ một trang (kỳ mới nhất trước): bảng điểm từng đơn vị, phiếu phản hồi gửi đơn vị và kết quả kiểm tra.
Các cột số là số đơn vị theo tình trạng nộp của kỳ. Trang cập nhật lúc {_time_vi(datetime.now(TIMEZONE))}.</p>
{_wrap(table, "Các kỳ báo cáo") if rows else table}
</body></html>
"""
    )
    index.write_text(text, "utf-8")
    return index


# ---------------------------------------------------------------------------------------------------------------
# Alerts

ALERTS_SHOWN = 5


def read_recent_alerts(warehouse: Path, limit: int = ALERTS_SHOWN) -> list[dict[str, Any]]:
    """The last ``limit`` run alerts (newest first) from ``<warehouse dir>/alerts/alerts.jsonl``; none if absent.

    Read here, not imported from orchestration, so the page has no dependency on Dagster code."""
    path = Path(warehouse).resolve().parent / ALERTS_FILE
    if not path.is_file():
        return []
    alerts: list[dict[str, Any]] = []
    for line in reversed(path.read_text(encoding="utf-8", errors="replace").splitlines()):
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict):
            alerts.append(item)
        if len(alerts) >= limit:
            break
    return alerts


def _alerts_html(alerts: list[dict[str, Any]]) -> str:
    """The page header's box of failed runs (nothing when there is none)."""
    if not alerts:
        return ""
    items = "".join(
        "<li>"
        + html.escape(str(a.get("time", "")))
        + f" — <b>{html.escape(str(a.get('job', '')))}</b>"
        + (f", bước/step <code>{html.escape(str(a['step']))}</code>" if a.get("step") else "")
        + f": {html.escape(str(a.get('summary', '')))}"
        + f" <small>(run {html.escape(str(a.get('run_id', '')))})</small></li>"
        for a in alerts
    )
    return (
        '<div id="alerts" class="alerts"><b>Lượt chạy thất bại gần đây / Recent failed runs</b> '
        "(xem Dagster và warehouse/alerts/alerts.jsonl):"
        f"<ul>{items}</ul></div>"
    )


def _rel(target: Path, page: Path) -> str:
    """``target`` relative to the folder of ``page``, '/'-separated and URL-quoted (an href)."""
    return quote(Path(os.path.relpath(target, page.parent)).as_posix(), safe="/")
