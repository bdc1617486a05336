"""A static HTML page for the director: an overview table of every indicator, then per indicator the latest value
against its 2030 target, the status in colour and words, how it is computed (with its definition from
marts.indicator_catalog folded under it), the trend over periods (Vega-Altair chart), a ward ranking where there are
ward values, and the numbers behind them in a table. Links to the quality page and the data dictionary (built by
``make docs``; always linked). Readable from a phone (420 px: tables scroll in their own box, charts take the
width of theirs) to a wide screen (one centred column of at most 1280 px).

No network at run time: the vega, vega-lite and vega-embed JavaScript is inlined from the copies vendored in the
repository (``expectations/data_docs_assets/``, with their licences; the Data Docs site serves the same files);
charts are Altair specs rendered by vega-embed.
"""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import altair as alt
import pandas as pd

from publish.indicators.constants import (
    FREQUENCY_VI,
    GROUP_SHEET_NAMES,
    MISSING_COLOUR,
    MISSING_LABEL_VI,
    STATUS_COLOURS,
    STATUS_LABELS_VI,
    note_vi,
)
from publish.indicators.data import indicator_values_for
from publish.indicators.errors import IndicatorPublishError

__all__ = ["render_report", "vega_javascript", "vn_number"]


def vn_number(value: float | int | None, decimals: int = 2) -> str:
    """A number as Vietnamese readers write it: '.' between thousands, ',' before decimals ('1.234,57'); '-' for
    none. Counts are shown with decimals=0 ('21', never '21.00')."""
    if value is None or pd.isna(value):
        return "-"
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


# vega-lite 5.2 (the inlined compiler) reads Altair's specs when they claim its schema version.
_VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.2.0.json"
# The vendored bundles (package@version: file under expectations/data_docs_assets/, see its README), in load order.
_VEGA_ASSETS = ("expectations", "data_docs_assets")
_VEGA_FILES = {
    "vega@5.31.0": "vega/vega.min.js",
    "vega-lite@5.2.0": "vega-lite/vega-lite.min.js",
    "vega-embed@6.20.2": "vega-embed/vega-embed.min.js",
}
_WARD_RANKING_SIZE = 15
# Only '</script' can end an inline script early; '<\/script' means the same inside JS strings.
_SCRIPT_END = re.compile(r"</(script)", re.IGNORECASE)


def vega_javascript() -> str:
    """The vega, vega-lite and vega-embed bundles, concatenated, safe to put inside a <script> element."""
    package, folder = _VEGA_ASSETS
    base = resources.files(package) / folder
    parts = []
    for name, path in _VEGA_FILES.items():
        resource = base.joinpath(*path.split("/"))
        if not resource.is_file():
            raise IndicatorPublishError(
                f"The vega JavaScript '{name}' ({path}) is missing from {base}; "
                "reinstall the project (make setup) or restore the vendored file."
            )
        parts.append(_SCRIPT_END.sub(r"<\\/\1", resource.read_text(encoding="utf-8")))
    return "\n;\n".join(parts)


def render_report(warehouse: Path, period: str, out_dir: Path, values: pd.DataFrame | None = None) -> Path:
    """Write ``out_dir/indicators/<period>.html`` (out_dir is e.g. warehouse/reports) and return its path.
    ``values``: ``read_indicator_values(warehouse, period)`` when the caller has read it already."""
    values = indicator_values_for(warehouse, period, values)
    target = Path(out_dir) / "indicators"
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{period}.html"
    path.write_text(_page(values, period), encoding="utf-8")
    return path


# Inside an inline script, '</body' and '</html' (vega-embed writes them in a string) are escaped like '</script':
# the page stays whole for any tool that edits it by text ("insert before </body>"); '<\/' means '</' in JS.
_MARKUP_END = re.compile(r"</(body|html)", re.IGNORECASE)


def _inline(script: str) -> str:
    return _MARKUP_END.sub(r"<\\/\1", script)


def _page(values: pd.DataFrame, period: str) -> str:
    city = values[(values["geo_level"] == "city") & (values["breakdown"] == "total")]
    # each card reads its own measure's rows: the frame is split once, not filtered whole for every card
    by_measure = dict(tuple(values.groupby("measure_code", sort=False)))
    sections, charts, overview, toc = [], [], [], []
    for group_code, group_short in GROUP_SHEET_NAMES.items():
        group_rows = city[city["group_code"] == group_code]
        if group_rows.empty:
            continue
        names = group_rows["group_name_vi"].dropna() if "group_name_vi" in group_rows else pd.Series()
        group_title = str(names.iloc[0]) if not names.empty else group_short
        cards = []
        for measure_code, series in group_rows.groupby("measure_code", sort=False):
            card, card_charts, summary = _card(
                str(measure_code), series.sort_values("period"), by_measure[measure_code], period
            )
            cards.append(card)
            charts.extend(card_charts)
            overview.append(summary)
        anchor = f"group-{group_code}"
        toc.append(f'<a href="#{anchor}">{html.escape(group_short)}</a>')
        sections.append(
            f'<section id="{anchor}"><h2>{html.escape(group_title)}</h2>{"".join(cards)}</section>'
        )
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    embed_calls = "\n".join(
        f"vegaEmbed({json.dumps('#' + chart_id)}, {spec}, {{actions: false, renderer: 'svg'}})"
        f".catch(function (e) {{ document.getElementById({json.dumps(chart_id)}).textContent = 'Lỗi biểu đồ: ' + e; }});"
        for chart_id, spec in charts
    )
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chỉ tiêu phát triển đội ngũ trí thức - kỳ {html.escape(period)}</title>
<style>{_CSS}</style>
<script>{_inline(vega_javascript())}</script>
</head><body>
<div class="page">
<header>
<h1>Chỉ tiêu phát triển đội ngũ trí thức thành phố Đồng Nai đến năm 2030 - kỳ {html.escape(period)}</h1>
<p class="note">Giá trị mới nhất so với mục tiêu 2030; đánh giá "đúng lộ trình" so với đường thẳng từ kỳ đo đầu tiên tới
mục tiêu cuối năm 2030. Ô tính từ 1-3 người được ẩn. Lập lúc {generated}.</p>
<nav class="links" aria-label="Trang liên quan">
<a href="../quality/index.html">Chất lượng dữ liệu</a>
<a href="../data_dictionary/index.html">Từ điển dữ liệu</a> <span class="hint">(tạo bằng lệnh <code>make docs</code>)</span>
</nav>
<nav class="toc" aria-label="Các nhóm chỉ tiêu">{" ".join(toc)}</nav>
</header>
<main>
<section id="overview"><h2>Tổng quan kỳ {html.escape(period)}</h2>
<div class="table-wrap"><table class="data">
<thead><tr><th>Chỉ tiêu</th><th>Giá trị mới nhất</th><th>Đánh giá</th><th>Mục tiêu 2030</th></tr></thead>
<tbody>{"".join(overview)}</tbody></table></div>
</section>
{"".join(sections)}
</main>
</div>
<script>
{embed_calls}
</script>
</body></html>
"""


# Narrow screens: nothing wider than the window (tables scroll inside their own box, charts take the width of
# theirs, long words wrap); wide screens: one centred column of at most 1280 px, a card's charts side by side.
_CSS = """
*, *::before, *::after { box-sizing: border-box; }
body { font-family: 'Segoe UI', Arial, sans-serif; margin: 0; color: #222; line-height: 1.4; }
.page { max-width: 1280px; margin: 0 auto; padding: 16px clamp(10px, 3vw, 32px) 48px; }
h1 { font-size: clamp(20px, 1.2vw + 16px, 28px); line-height: 1.25; margin: 8px 0; }
h1, h2, h3, p, dd, summary { overflow-wrap: anywhere; }
h2 { border-bottom: 2px solid #2f6fb3; padding-bottom: 4px; margin-top: 32px; font-size: 21px; }
a { color: #1f5a99; }
nav.links, nav.toc { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 8px 0; }
nav.toc a { white-space: nowrap; }
.hint { color: #666; font-size: 13px; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 12px clamp(10px, 2vw, 16px); margin: 14px 0; }
.card h3 { margin: 0 0 6px 0; font-size: 17px; }
.facts { display: flex; gap: 8px 28px; flex-wrap: wrap; margin: 6px 0; }
.facts div span { display: block; font-size: 12px; color: #666; }
.facts div b { font-size: 20px; }
.status { color: #fff; border-radius: 4px; padding: 2px 8px; font-weight: bold; white-space: nowrap; }
.note { color: #666; font-size: 13px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 480px), 1fr)); gap: 16px; }
.vega-chart { width: 100%; min-width: 0; }
details { margin: 8px 0; }
summary { cursor: pointer; color: #1f5a99; }
dl.about { font-size: 14px; display: grid; grid-template-columns: minmax(7em, max-content) minmax(0, 1fr); gap: 4px 12px; margin: 8px 0; }
dl.about dt { font-weight: bold; color: #444; }
dl.about dd { margin: 0; }
@media (max-width: 560px) { dl.about { grid-template-columns: minmax(0, 1fr); } dl.about dd { margin-bottom: 6px; } }
.table-wrap { overflow-x: auto; max-width: 100%; }
table.data { border-collapse: collapse; font-size: 13px; }
table.data th, table.data td { padding: 3px 8px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top;
    white-space: nowrap; }
table.data td.wrap { white-space: normal; min-width: 10em; }
table.data th { background: #f2f6fa; }
table.data td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
#overview table.data { width: 100%; }
#overview table.data td:first-child { min-width: 11em; }
#overview table.data td:last-child { min-width: 7em; }
@media print { .page { max-width: none; } details { display: block; } }
"""


def _text(value: object) -> str | None:
    """A catalogue text, or None when there is none (never 'nan')."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _card(
    measure_code: str, series: pd.DataFrame, values: pd.DataFrame, period: str
) -> tuple[str, list, str]:
    """One indicator's card, its charts and its overview row. ``series``: the city's total rows of the measure, in
    period order; ``values``: every row of the report's frame for the measure (its wards and breakdowns)."""
    first = series.iloc[0]
    measured = series[series["value"].notna()]
    latest = measured.iloc[-1] if not measured.empty else None
    unit = str(first["unit_vi"] or "")
    decimals = 0 if first["unit"] == "count" else 2
    if latest is None:
        status_label, colour, value_text, latest_period = MISSING_LABEL_VI, MISSING_COLOUR, "-", "-"
        notes = series["obs_note"].dropna()
        note = html.escape(str(note_vi(notes.iloc[-1]))) if not notes.empty else ""
    else:
        status = latest["status"]
        status_label = STATUS_LABELS_VI.get(status, MISSING_LABEL_VI)
        colour = STATUS_COLOURS.get(status, MISSING_COLOUR)
        value_text = f"{vn_number(latest['value'], decimals)} {html.escape(unit)}"
        latest_period = str(latest["period"])
        note = "Số liệu tạm thời (còn đơn vị chưa nộp)" if latest["obs_status"] == "P" else ""
    target_text = html.escape(_text(first["target_2030_text"]) or "không có mục tiêu số")
    formula = _text(first.get("formula_vi"))
    definition = f'<p class="definition">Cách tính: {html.escape(formula)}</p>' if formula else ""
    chart_id = f"trend-{measure_code}"
    charts = []
    body = ""
    if len(measured) >= 1:
        charts.append((chart_id, _trend_spec(series, first)))
        body += f'<div id="{chart_id}" class="vega-chart"></div>'
    wards = values[
        (values["geo_level"] == "ward")
        & (values["breakdown"] == "total")
        & (values["period"] == period)
        & values["value"].notna()
    ]
    if not wards.empty:
        ranking_id = f"wards-{measure_code}"
        charts.append((ranking_id, _ward_spec(wards)))
        body += f'<div id="{ranking_id}" class="vega-chart"></div>'
    name = html.escape(str(first["name_vi"]))
    status_html = f'<b class="status" style="background:{colour}">{html.escape(status_label)}</b>'
    card = f"""<article class="card" id="card-{measure_code}">
<h3>{html.escape(measure_code)} - {name}</h3>
<div class="facts">
<div><span>Giá trị mới nhất ({latest_period})</span><b>{value_text}</b></div>
<div><span>Mục tiêu 2030</span><b>{target_text}</b></div>
<div><span>Đánh giá</span>{status_html}</div>
</div>
<p class="note">{note}</p>
{definition}
{_about(first)}
<div class="charts">{body}</div>
{_data_table(series, values, period, decimals)}
</article>"""
    when = f'<br><span class="hint">kỳ {latest_period}</span>' if latest is not None else ""
    summary = (
        f'<tr><td class="wrap"><a href="#card-{measure_code}">{html.escape(measure_code)}</a> {name}</td>'
        f'<td class="num">{value_text}{when}</td><td>{status_html}</td><td class="wrap">{target_text}</td></tr>'
    )
    return card, charts, summary


def _about(first: pd.Series) -> str:
    """What the indicator counts, from marts.indicator_catalog, folded away under the formula."""
    english = [
        ("Tử số", _text(first.get("numerator_definition"))),
        ("Mẫu số", _text(first.get("denominator_definition"))),
        ("Ghi chú định nghĩa", _text(first.get("definition_note"))),
    ]
    vietnamese = [
        ("Tên tiếng Anh", _text(first.get("name_en"))),
        ("Tầm nhìn 2045", _text(first.get("target_2045_text"))),
        ("Tần suất", _text(FREQUENCY_VI.get(first.get("frequency"), first.get("frequency")))),
        ("Đơn vị cung cấp số liệu", _text(first.get("source_units"))),
    ]
    items = [f'<dt>{label}</dt><dd lang="en">{html.escape(text)}</dd>' for label, text in english if text] + [
        f"<dt>{label}</dt><dd>{html.escape(text)}</dd>" for label, text in vietnamese if text
    ]
    if not items:
        return ""
    caveat = (
        '<p class="note">Tử số, mẫu số và ghi chú định nghĩa: danh mục chỉ tiêu hiện chỉ có bản tiếng Anh.</p>'
        if any(text for _, text in english)
        else ""
    )
    return (
        '<details class="about"><summary>Định nghĩa: tử số, mẫu số, ghi chú</summary>'
        f'<dl class="about">{"".join(items)}</dl>{caveat}</details>'
    )


def _data_table(series: pd.DataFrame, values: pd.DataFrame, period: str, decimals: int) -> str:
    """The numbers behind the trend chart (the city, every period) and the city's breakdowns this period
    (``values``: the measure's rows)."""
    breakdowns = values[
        (values["geo_level"] == "city")
        & (values["breakdown"] != "total")
        & (values["period"] == period)
    ]
    rows = []
    for _, row in pd.concat([series, breakdowns]).iterrows():
        hidden = row["conf_status"] not in ("F", None) and pd.notna(row["conf_status"])
        if row["breakdown"] == "total":
            group = "Tổng"
        else:
            group = f"{row.get('breakdown_vi', row['breakdown'])}: {row.get('category_vi', '')}"

        def number(value: object, places: int, *, hidden: bool = hidden) -> str:
            return "ẩn" if hidden else vn_number(value, places)

        status = row.get("status_vi")
        flags = row.get("obs_status_vi")
        rows.append(
            f'<tr><td>{html.escape(str(row["period"]))}</td><td class="wrap">{html.escape(group)}</td>'
            f'<td class="num">{number(row["numerator"], 0)}</td>'
            f'<td class="num">{number(row["denominator"], 0)}</td>'
            f'<td class="num">{number(row["value"], decimals)}</td>'
            f"<td>{html.escape(_text(status) or '-')}</td>"
            f"<td>{html.escape(_text(flags) or '-')}{' (ẩn)' if hidden else ''}</td></tr>"
        )
    return (
        '<details class="data"><summary>Bảng số liệu (toàn thành phố: theo kỳ và theo phân tổ kỳ '
        f"{html.escape(period)})</summary>"
        '<div class="table-wrap"><table class="data"><thead><tr><th>Kỳ</th><th>Phân tổ</th><th>Tử số</th>'
        "<th>Mẫu số</th><th>Giá trị</th><th>Đánh giá</th><th>Trạng thái số liệu</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div></details>"
    )


# Charts take the width of their box ("container"; vega-embed follows the window's resizes).
_AUTOSIZE = alt.AutoSizeParams(type="fit-x", contains="padding")


def _trend_spec(series: pd.DataFrame, first: pd.Series) -> str:
    data = series[["period", "value"]].dropna()
    base = alt.Chart(data).encode(
        x=alt.X("period:O", title="Kỳ báo cáo", axis=alt.Axis(labelAngle=0, labelOverlap="parity")),
        y=alt.Y("value:Q", title=str(first["unit_vi"] or "")),
        tooltip=["period", alt.Tooltip("value:Q", format=",.2f")],
    )
    chart = base.mark_line(point=True, color="#2f6fb3")
    title = "Xu hướng theo kỳ"
    if pd.notna(first["target_2030"]):
        title += " (đường đỏ: mục tiêu 2030)"
        target = (
            alt.Chart(pd.DataFrame({"target": [float(first["target_2030"])]}))
            .mark_rule(color="#c0392b", strokeDash=[6, 4])
            .encode(y="target:Q")
        )
        chart = chart + target
    return _spec_json(
        chart.properties(
            width="container",
            height=180,
            autosize=_AUTOSIZE,
            title=alt.TitleParams(title, fontSize=12),
        )
    )


def _ward_spec(wards: pd.DataFrame) -> str:
    ranked = wards.sort_values("value", ascending=False).head(_WARD_RANKING_SIZE)
    names = ranked["geo_name"] if "geo_name" in ranked else ranked["geo_code"]
    ranked = ranked.assign(ward=names.fillna(ranked["geo_code"]) + " (" + ranked["geo_code"] + ")")[
        ["ward", "geo_code", "value"]
    ]
    chart = (
        alt.Chart(ranked)
        .mark_bar(color="#5b8fc7")
        .encode(
            x=alt.X("value:Q", title="Giá trị"),
            y=alt.Y("ward:N", sort="-x", title="Phường, xã (mã)", axis=alt.Axis(labelLimit=170)),
            tooltip=[alt.Tooltip("ward:N", title="Phường, xã"), alt.Tooltip("value:Q", format=",.2f")],
        )
    )
    return _spec_json(
        chart.properties(
            width="container",
            height=max(80, 16 * len(ranked)),
            autosize=_AUTOSIZE,
            title=alt.TitleParams(f"Xếp hạng phường, xã ({len(ranked)} cao nhất)", fontSize=12),
        )
    )


def _spec_json(chart: alt.TopLevelMixin) -> str:
    spec = chart.to_dict()
    spec["$schema"] = _VEGA_LITE_SCHEMA
    return _inline(_SCRIPT_END.sub(r"<\\/\1", json.dumps(spec, ensure_ascii=False)))
