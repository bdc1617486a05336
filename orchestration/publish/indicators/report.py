"""A static HTML page for the director: per indicator, the latest value against its 2030 target, the trend over
periods (Vega-Altair chart), the status in colour and words, and a ward ranking where there are ward values.

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

from orchestration.publish.indicators.constants import (
    GROUP_SHEET_NAMES,
    MISSING_COLOUR,
    MISSING_LABEL_VI,
    STATUS_COLOURS,
    STATUS_LABELS_VI,
    note_vi,
)
from orchestration.publish.indicators.data import read_indicator_values
from orchestration.publish.indicators.errors import IndicatorPublishError

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


def render_report(warehouse: Path, period: str, out_dir: Path) -> Path:
    """Write ``out_dir/indicators/<period>.html`` (out_dir is e.g. warehouse/reports) and return its path."""
    values = read_indicator_values(Path(warehouse), period)
    target = Path(out_dir) / "indicators"
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{period}.html"
    path.write_text(_page(values, period), encoding="utf-8")
    return path


def _page(values: pd.DataFrame, period: str) -> str:
    city = values[(values["geo_level"] == "city") & (values["breakdown"] == "total")]
    sections, charts = [], []
    for group_code, group_title in GROUP_SHEET_NAMES.items():
        group_rows = city[city["group_code"] == group_code]
        if group_rows.empty:
            continue
        cards = []
        for measure_code, series in group_rows.groupby("measure_code", sort=False):
            card, card_charts = _card(str(measure_code), series.sort_values("period"), values, period)
            cards.append(card)
            charts.extend(card_charts)
        sections.append(f"<section><h2>{html.escape(group_title)}</h2>{''.join(cards)}</section>")
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    embed_calls = "\n".join(
        f"vegaEmbed({json.dumps('#' + chart_id)}, {spec}, {{actions: false, renderer: 'svg'}})"
        f".catch(function (e) {{ document.getElementById({json.dumps(chart_id)}).textContent = 'Lỗi biểu đồ: ' + e; }});"
        for chart_id, spec in charts
    )
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>Chỉ tiêu phát triển đội ngũ trí thức - kỳ {html.escape(period)}</title>
<style>
body {{ font-family: 'Segoe UI', Arial, sans-serif; margin: 24px auto; max-width: 1100px; color: #222; }}
h1 {{ font-size: 24px; }} h2 {{ border-bottom: 2px solid #2f6fb3; padding-bottom: 4px; margin-top: 36px; }}
.card {{ border: 1px solid #ddd; border-radius: 6px; padding: 12px 16px; margin: 14px 0; }}
.card h3 {{ margin: 0 0 6px 0; font-size: 17px; }}
.facts {{ display: flex; gap: 28px; flex-wrap: wrap; margin: 6px 0; }}
.facts div span {{ display: block; font-size: 12px; color: #666; }}
.facts div b {{ font-size: 20px; }}
.status {{ color: #fff; border-radius: 4px; padding: 2px 8px; font-weight: bold; }}
.charts {{ display: flex; gap: 16px; flex-wrap: wrap; }}
.note {{ color: #666; font-size: 13px; }}
table.rank {{ border-collapse: collapse; font-size: 13px; }} table.rank td, table.rank th {{ padding: 2px 8px; border-bottom: 1px solid #eee; }}
</style>
<script>{vega_javascript()}</script>
</head><body>
<h1>Chỉ tiêu phát triển đội ngũ trí thức thành phố Đồng Nai đến năm 2030 - kỳ {html.escape(period)}</h1>
<p class="note">Giá trị mới nhất so với mục tiêu 2030; đánh giá "đúng lộ trình" so với đường thẳng từ kỳ đo đầu tiên tới
mục tiêu cuối năm 2030. Ô tính từ 1-3 người được ẩn. Lập lúc {generated}.</p>
{"".join(sections)}
<script>
{embed_calls}
</script>
</body></html>
"""


def _card(measure_code: str, series: pd.DataFrame, values: pd.DataFrame, period: str) -> tuple[str, list]:
    first = series.iloc[0]
    measured = series[series["value"].notna()]
    latest = measured.iloc[-1] if not measured.empty else None
    unit = str(first["unit_vi"] or "")
    if latest is None:
        status_label, colour, value_text, latest_period = MISSING_LABEL_VI, MISSING_COLOUR, "-", "-"
        notes = series["obs_note"].dropna()
        note = html.escape(str(note_vi(notes.iloc[-1]))) if not notes.empty else ""
    else:
        status = latest["status"]
        status_label = STATUS_LABELS_VI.get(status, MISSING_LABEL_VI)
        colour = STATUS_COLOURS.get(status, MISSING_COLOUR)
        decimals = 0 if first["unit"] == "count" else 2
        value_text = f"{vn_number(latest['value'], decimals)} {html.escape(unit)}"
        latest_period = str(latest["period"])
        note = "Số liệu tạm thời (còn đơn vị chưa nộp)" if latest["obs_status"] == "P" else ""
    target = first["target_2030_text"]
    target_text = html.escape(str(target) if pd.notna(target) and str(target).strip() else "không có mục tiêu số")
    formula = first.get("formula_vi")
    definition = (
        f'<p class="definition">Cách tính: {html.escape(str(formula))}</p>' if pd.notna(formula) and formula else ""
    )
    chart_id = f"trend-{measure_code}"
    charts = []
    body = ""
    if len(measured) >= 1:
        charts.append((chart_id, _trend_spec(series, first)))
        body += f'<div id="{chart_id}" class="vega-chart"></div>'
    wards = values[
        (values["measure_code"] == measure_code)
        & (values["geo_level"] == "ward")
        & (values["breakdown"] == "total")
        & (values["period"] == period)
        & values["value"].notna()
    ]
    if not wards.empty:
        ranking_id = f"wards-{measure_code}"
        charts.append((ranking_id, _ward_spec(wards)))
        body += f'<div id="{ranking_id}" class="vega-chart"></div>'
    card = f"""<div class="card" id="card-{measure_code}">
<h3>{html.escape(measure_code)} - {html.escape(str(first["name_vi"]))}</h3>
<div class="facts">
<div><span>Giá trị mới nhất ({latest_period})</span><b>{value_text}</b></div>
<div><span>Mục tiêu 2030</span><b>{target_text}</b></div>
<div><span>Đánh giá</span><b class="status" style="background:{colour}">{html.escape(status_label)}</b></div>
</div>
<p class="note">{note}</p>
{definition}
<div class="charts">{body}</div>
</div>"""
    return card, charts


def _trend_spec(series: pd.DataFrame, first: pd.Series) -> str:
    data = series[["period", "value"]].dropna()
    base = alt.Chart(data).encode(
        x=alt.X("period:O", title="Kỳ báo cáo"),
        y=alt.Y("value:Q", title=str(first["unit_vi"] or "")),
        tooltip=["period", alt.Tooltip("value:Q", format=",.2f")],
    )
    chart = base.mark_line(point=True, color="#2f6fb3")
    if pd.notna(first["target_2030"]):
        target = (
            alt.Chart(pd.DataFrame({"target": [float(first["target_2030"])]}))
            .mark_rule(color="#c0392b", strokeDash=[6, 4])
            .encode(y="target:Q")
        )
        chart = chart + target
    return _spec_json(
        chart.properties(width=380, height=180, title="Xu hướng theo kỳ (đường đỏ: mục tiêu 2030)")
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
            y=alt.Y("ward:N", sort="-x", title="Phường, xã (mã)"),
            tooltip=[alt.Tooltip("ward:N", title="Phường, xã"), alt.Tooltip("value:Q", format=",.2f")],
        )
    )
    return _spec_json(
        chart.properties(
            width=360, height=max(80, 16 * len(ranked)), title=f"Xếp hạng phường, xã ({len(ranked)} cao nhất)"
        )
    )


def _spec_json(chart: alt.TopLevelMixin) -> str:
    spec = chart.to_dict()
    spec["$schema"] = _VEGA_LITE_SCHEMA
    return _SCRIPT_END.sub(r"<\\/\1", json.dumps(spec, ensure_ascii=False))
