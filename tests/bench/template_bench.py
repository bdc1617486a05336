"""A returned pre-filled template against a plain list of the same people: read and load time per row.

    python -m tests.bench.template_bench [--rows 50000] [--repeats 5] [--dir warehouse/bench/templates]

Writes, once (cached in --dir, per row count, template format and key): a unit's template of ROWS synthetic people
(``publish.templates.workbook``, as the warehouse sends it, every row then 'confirmed' when read back) and a plain
list of the same people with the same visible columns (a title, the header, the rows: a clerk's own workbook); with
LibreOffice (``soffice``) also both as LibreOffice saves them (a unit's program recalculates and rewrites every
cell). Each file is then read (``ingest.readers.read_file``) and loaded into a fresh warehouse
(``ingest.load.load_landing``: read, classify, write raw, restricted and quality rows) in fresh processes
(``tests.bench.tasks.template_read`` / ``template_load``), template and plain list in turns (a, b, a, b...) so a
change of load on the shared machine falls on both; medians are printed with rows/s and the ratio template/plain
(target: >= 1, a template loads at least as fast per row as a plain list). The same template is also read without
the key (so as an ordinary list, by its header): that ratio is the cost of the template logic alone (recognising,
digests, classification), apart from what the file itself holds (its hidden key column, codes sheet and signed
sheet). ``make bench`` runs the load measurements as its section ``templates`` (``tests/bench/run_bench.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

from tests.bench.run_bench import run_task
from tests.template_fixtures import NOW, PERIOD, UNIT, template_bytes

os.environ.setdefault("TRITHUC_PSEUDO_KEY", "bench-pseudonymisation-key-not-secret")

_FAMILY = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
)
_MIDDLE = ("Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Đức", "Thu", "Quốc", "Hoài")
_GIVEN = (
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Hà",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Sơn",
    "Tâm",
    "Yến",
)
_EMPLOYERS = ("Trường THPT Chu Văn An", "Bệnh viện Đa khoa Đồng Nai", "Trường Đại học Đồng Nai", "UBND phường",
              "Công ty Cổ phần Xây dựng Đồng Nai", "Trung tâm Y tế khu vực Biên Hòa")  # fmt: skip
_POSITIONS = (None, None, "Trưởng phòng", "Phó Hiệu trưởng", "Tổ trưởng chuyên môn", "Giám đốc")


def _people(n: int, lists) -> list:
    from publish.templates.data import BaseRow

    rng = random.Random(20270101)
    pick = {k: [name for name, _ in lists[k].entries] for k in lists}
    rows = []
    for i in range(n):
        born = date(rng.randint(1955, 2000), rng.randint(1, 12), rng.randint(1, 28))
        female = rng.random() < 0.5
        values = {
            "full_name": f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}",
            "birth_date": born if rng.random() < 0.8 else str(born.year),
            "sex": "Nữ" if female else "Nam",
            "cccd": f"075{int(female) + 0}{born.year % 100:02d}{rng.randrange(10**6):06d}",
            "ethnicity": "Kinh" if rng.random() < 0.9 else rng.choice(pick["ethnicity"]),
            "qualification": rng.choice(("Đại học", "Thạc sĩ", "Tiến sĩ", "Cao đẳng")),
            "academic_title": None if rng.random() < 0.95 else "Phó giáo sư",
            "science_field": rng.choice(pick["science_field"]) if rng.random() < 0.5 else None,
            "position": rng.choice(_POSITIONS),
            "employer": rng.choice(_EMPLOYERS),
            "residence_ward": "Phường Biên Hòa",
            "status": "Đang công tác" if rng.random() < 0.85 else "Đã nghỉ hưu",
        }
        rows.append(BaseRow(f"2026-H2/ward/26068/ds_{i // 5000}.xlsx", "0" * 64, "DS", i + 4, values))
    return rows


def prepare(rows: int, folder: Path) -> dict[str, Path]:
    """The files compared, written once per row count, template format and key (a template made under another key
    would be read as an ordinary list): {name: path}."""
    import duckdb
    import xlsxwriter

    from ingest.registry import load_registry
    from ingest.template_returns import TEMPLATE_VERSION, key_id, template_secret
    from publish.templates.build import LAYOUT_VERSION
    from publish.templates.code_lists import load_code_lists
    from publish.templates.data import BaseList
    from publish.templates.layout import HEADER_ROW, STT_HEADER, columns_for

    out = (
        folder / f"rows_{rows}_v{TEMPLATE_VERSION}.{LAYOUT_VERSION}_{key_id(template_secret(required=True))}"
    )
    files = {"template": out / "template.xlsx", "plain": out / "plain.xlsx"}
    if not all(p.exists() for p in files.values()):
        out.mkdir(parents=True, exist_ok=True)
        with duckdb.connect() as con:
            lists = load_code_lists(con)  # the seed files (no warehouse here)
        people = _people(rows, lists)
        base = BaseList(UNIT[1], UNIT[0], "2026-H2", sorted({r.source_file for r in people}), people)
        unit = load_registry()[UNIT]
        files["template"].write_bytes(template_bytes(base, lists).data)
        fields = columns_for(set())
        wb = xlsxwriter.Workbook(str(files["plain"]), {"strings_to_numbers": False})
        sheet = wb.add_worksheet("Danh sách")
        # a clerk's own list looks like the template's visible sheet: bordered cells, text kept as text
        border = {"border": 1, "border_color": "#A6A6A6", "valign": "top"}
        dates = wb.add_format({"num_format": "dd/mm/yyyy", **border})
        text = wb.add_format({"num_format": "@", **border})
        sheet.write_string(0, 0, f"DANH SÁCH TRÍ THỨC - {unit.name_vi.upper()} - KỲ BÁO CÁO {PERIOD}")
        sheet.write_row(HEADER_ROW - 1, 0, [STT_HEADER, *(c.header for c in fields)])
        for n, person in enumerate(people):
            r = HEADER_ROW + n
            sheet.write_number(r, 0, n + 1)
            for i, c in enumerate(fields, start=1):
                value = person.values.get(c.field)
                if isinstance(value, date):
                    sheet.write_datetime(r, i, datetime(value.year, value.month, value.day), dates)
                elif value is not None:
                    sheet.write_string(r, i, str(value), text)
                else:
                    sheet.write_blank(r, i, None, text)
        wb.close()
    soffice = shutil.which("soffice")
    if soffice:
        for name in ("template", "plain"):
            saved = out / "libreoffice" / f"{name}.xlsx"
            if not saved.exists():
                saved.parent.mkdir(exist_ok=True)
                subprocess.run(
                    [soffice, "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir",
                     str(saved.parent), str(files[name])],
                    check=True, capture_output=True, timeout=1800,
                )  # fmt: skip
            files[f"{name}_libreoffice"] = saved
    return files


def load_args(path: Path, work: Path, *, template: bool | None = None) -> dict:
    """The arguments of ``tasks.template_load`` for one file (``template``: whether it must be read as a verified
    template; None: not checked)."""
    return {
        "path": str(path), "work": str(work), "period": PERIOD, "unit_kind": UNIT[0], "unit_code": UNIT[1],
        "now": NOW.isoformat(), "expect_template": template,
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=Path("warehouse") / "bench" / "templates")
    parser.add_argument(
        "--prepare-only", action="store_true", help="write the files, print their paths as JSON"
    )
    args = parser.parse_args(argv)
    if args.prepare_only:
        print(json.dumps({k: str(v) for k, v in prepare(args.rows, args.dir).items()}))
        return 0
    started = time.perf_counter()
    files = prepare(args.rows, args.dir)
    print(f"files ready in {time.perf_counter() - started:.1f} s: " + ", ".join(
        f"{k} {p.stat().st_size / 1e6:.1f} MB" for k, p in files.items()))  # fmt: skip
    # (label, (file, read as an ordinary list?)) x 2: the first of each pair is the returned template
    pairs = [
        ("same file, template path vs header path", ("template", False), ("template", True)),
        ("template vs plain list, as written", ("template", False), ("plain", False)),
    ]
    if "plain_libreoffice" in files:
        pairs.append(
            (
                "template vs plain list, LibreOffice-saved",
                ("template_libreoffice", False),
                ("plain_libreoffice", False),
            )
        )
    work = args.dir / "work"
    print(f"{'measurement':<52} {'template':>19} {'other':>19} {'ratio':>7}")
    for task in ("read", "load"):
        for label, a, b in pairs:
            times: dict[tuple, list[float]] = {a: [], b: []}
            rows: dict[tuple, int] = {}
            for _ in range(args.repeats):
                for which in (a, b):
                    path, ordinary = files[which[0]], which[1]
                    if task == "read":
                        got = run_task("template_read", {"path": str(path), "ordinary": ordinary})
                    else:
                        got = run_task("template_load", {**load_args(path, work), "ordinary": ordinary})
                    times[which].append(got["wall_s"])
                    rows[which] = got["rows"]
            rate = {w: rows[w] / statistics.median(times[w]) for w in (a, b)}
            print(
                f"{task + ': ' + label:<52} {statistics.median(times[a]):6.2f} s {rate[a]:>8,.0f}/s "
                f"{statistics.median(times[b]):6.2f} s {rate[b]:>8,.0f}/s {rate[a] / rate[b]:6.2f}x"
            )
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
