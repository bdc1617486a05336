"""The quality officers' page: ``<warehouse dir>/reports/quality/index.html`` for one period.

Static HTML, no external resource (the machine has no network): the unit scorecard worst first (click a header
to sort; a few lines of inline script), a link to each unit's feedback workbook and to the Data Docs site (both
relative), counts of unmapped values and borderline matches waiting for review (tables may be empty or missing),
and the latest verdict of every validation suite for the period. Its header lists the most recent failed runs
(alerts written by the run-failure sensor to ``<warehouse dir>/alerts/alerts.jsonl``).
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from expectations._warehouse import read_only, relation_exists
from expectations.errors import TableMissing
from expectations.feedback import feedback_dir
from expectations.runner import data_docs_dir
from ingest.config import ALERTS_FILE

SCORECARD = "quality.unit_scorecard"
STATUS_VI = {
    "missing": "Chưa gửi",
    "incomplete": "Thiếu dữ liệu",
    "late": "Trễ hạn",
    "errors": "Có lỗi",
    "warnings": "Có cảnh báo",
    "ok": "Đạt",
    "not_expected": "Không phải gửi",
}
_COLUMNS = (
    ("unit_code", "Mã"),
    ("unit_name_vi", "Đơn vị"),
    ("unit_kind", "Loại"),
    ("submission_status", "Tình trạng"),
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
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }
table { border-collapse: collapse; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; }
th { background: #ddebf7; cursor: pointer; position: sticky; top: 0; }
td.num { text-align: right; }
tr.missing td, tr.incomplete td { background: #fde2e1; }
tr.late td, tr.errors td { background: #fff2cc; }
.summary li { margin: 0.2rem 0; }
.alerts { background: #fde2e1; border: 1px solid #c0392b; padding: 0.5rem 1rem; margin-bottom: 1rem; }
"""


def quality_page_path(warehouse: Path) -> Path:
    return Path(warehouse).resolve().parent / "reports" / "quality" / "index.html"


def write_quality_page(warehouse: Path, period: str) -> Path:
    """Render the page for ``period`` from the warehouse (read-only) and return its path."""
    with read_only(Path(warehouse)) as con:
        if not relation_exists(con, SCORECARD):
            raise TableMissing(SCORECARD, "quality_page")
        cards = con.execute(
            f"select * from {SCORECARD} where period = ? and submission_status <> 'not_expected' "
            "order by problem_score desc, unit_code",
            [period],
        ).df()
        unmapped = _count(con, "quality.unmapped_values", "coalesce(sum(row_count), 0)", period)
        unmapped_values = _count(con, "quality.unmapped_values", "count(*)", period)
        review = _count(con, "quality.match_review", "count(*)", period)
        suites = _latest_validations(con, period)
    page = quality_page_path(warehouse)
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(
        _render(page, warehouse, period, cards, unmapped, unmapped_values, review, suites), "utf-8"
    )
    return page


def _count(con: Any, relation: str, expr: str, period: str) -> int | None:
    if not relation_exists(con, relation):
        return None
    row = con.execute(f"select {expr} from {relation}").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _latest_validations(con: Any, period: str) -> pd.DataFrame:
    if not relation_exists(con, "quality.validation_results"):
        return pd.DataFrame()
    return con.execute(
        """
        with latest as (
            select suite, arg_max(run_id, run_at) as run_id from quality.validation_results
            where period = ? or period is null group by suite
        )
        select v.suite, count(*) as checks,
            count(*) filter (where not v.success and v.severity = 'error') as errors_failed,
            count(*) filter (where not v.success and v.severity = 'warning') as warnings_failed,
            string_agg(v.expectation, ', ') filter (where not v.success) as failed
        from quality.validation_results as v
        join latest as l on l.suite = v.suite and l.run_id = v.run_id
        group by v.suite order by errors_failed desc, warnings_failed desc, v.suite
        """,
        [period],
    ).df()


def _cell(col: str, value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return '<td data-v="">–</td>'
    if col in _SHARES:
        return f'<td class="num" data-v="{float(value):.6f}">{float(value) * 100:.1f}%</td>'
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<td class="num" data-v="{value}">{int(value)}</td>'
    if col == "submission_status":
        return f'<td data-v="{html.escape(str(value))}">{html.escape(STATUS_VI.get(value, str(value)))}</td>'
    return f'<td data-v="{html.escape(str(value))}">{html.escape(str(value))}</td>'


def _render(
    page: Path,
    warehouse: Path,
    period: str,
    cards: pd.DataFrame,
    unmapped: int | None,
    unmapped_values: int | None,
    review: int | None,
    suites: pd.DataFrame,
) -> str:
    fb_dir = feedback_dir(warehouse, period)
    rows = []
    for rank, card in enumerate(cards.to_dict("records"), start=1):
        workbook = fb_dir / f"{card['unit_code']}.xlsx"
        link = (
            f'<a class="feedback" href="{html.escape(_rel(workbook, page))}">phản hồi (.xlsx)</a>'
            if workbook.exists()
            else "–"
        )
        cells = "".join(_cell(col, card.get(col)) for col, _ in _COLUMNS)
        rows.append(
            f'<tr class="{html.escape(str(card["submission_status"]))}"><td class="num" data-v="{rank}">{rank}</td>'
            f'{cells}<td data-v="">{link}</td></tr>'
        )
    head = (
        "<th>#</th>"
        + "".join(f"<th>{html.escape(label)}</th>" for _, label in _COLUMNS)
        + "<th>Phản hồi</th>"
    )
    docs_index = data_docs_dir(warehouse) / "index.html"
    docs = (
        f'<a id="data-docs" href="{html.escape(_rel(docs_index, page))}">Data Docs (kết quả kiểm tra chi tiết)</a>'
        if docs_index.exists()
        else "Data Docs chưa được tạo (chưa chạy kiểm tra)."
    )
    statuses = cards["submission_status"].value_counts().to_dict() if len(cards) else {}
    status_line = ", ".join(f"{STATUS_VI.get(k, k)}: {v}" for k, v in statuses.items()) or "không có đơn vị"

    def n(value: int | None) -> str:
        return "chưa có bảng" if value is None else str(value)

    suite_rows = "".join(
        f"<tr><td>{html.escape(r['suite'])}</td><td class='num'>{int(r['checks'])}</td>"
        f"<td class='num'>{int(r['errors_failed'])}</td><td class='num'>{int(r['warnings_failed'])}</td>"
        f"<td>{html.escape(r['failed'] if isinstance(r['failed'], str) and r['failed'] else 'Tất cả đạt')}</td></tr>"
        for r in suites.to_dict("records")
    )
    suites_html = (
        "<table id='validations'><thead><tr><th>Bộ kiểm tra</th><th>Số kiểm tra</th><th>Lỗi</th>"
        f"<th>Cảnh báo</th><th>Không đạt</th></tr></thead><tbody>{suite_rows}</tbody></table>"
        if suite_rows
        else "<p>Chưa có kết quả kiểm tra cho kỳ này.</p>"
    )
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>Chất lượng dữ liệu trí thức - kỳ {html.escape(period)}</title>
<style>{_STYLE}</style></head>
<body>
{_alerts_html(read_recent_alerts(warehouse))}
<h1>Chất lượng dữ liệu trí thức - kỳ {html.escape(period)}</h1>
<ul class="summary">
<li>Đơn vị phải báo cáo: {len(cards)} ({html.escape(status_line)})</li>
<li id="unmapped">Giá trị chưa khớp danh mục: {n(unmapped_values)} giá trị khác nhau, {n(unmapped)} lần xuất hiện</li>
<li id="match-review">Cặp hồ sơ cần xem xét ghép người: {n(review)}</li>
<li>{docs}</li>
</ul>
<h2>Bảng điểm đơn vị (kém nhất trước; bấm tiêu đề cột để sắp xếp)</h2>
<table id="scorecard" class="sortable"><thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
<h2>Kết quả kiểm tra gần nhất</h2>
{suites_html}
<script>{_SCRIPT}</script>
</body></html>
"""


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
    return Path(os.path.relpath(target, page.parent)).as_posix()
