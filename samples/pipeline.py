"""Generate realistic sample submissions (landing zone) and their known truth (CLI: ``samples.generate``).

    python -m samples.generate --out <landing> --truth <truth dir> [--persons N] [--seed S]
        [--periods 2025-H2,2026-H1,2026-H2] [--no-broken] [--bench-csv ROWS | --bench-xlsx ROWS]

Files are made the way clerks make them (title lines, merged headers, legacy encodings, mixed value
spellings, planted problems); the truth directory says what every file and row really holds.
Deterministic: the same seed gives the same bytes and the same file times.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd

from ingest.periods import TIMEZONE, parse_period, reporting_halves
from ingest.registry import Unit

from . import aggregates as A
from . import names as N
from .persons_files import RowContext, columns_for, finish_sheet, person_row
from .population import SNV_EMPLOYER_TYPES, CodeLists, Person, build_population, load_code_lists
from .render import Style, ascii_fold, choose_style, codes_names, unit_rng
from .writers import FilePlan, Row, Sheet, SheetResult, write_plan

DEFAULT_SEED = 20260101
DEFAULT_PERIODS = ("2025-H2", "2026-H1", "2026-H2")
FILES_COLUMNS = (
    "source_file", "unit_code", "unit_kind", "period", "dataset", "sheets", "data_sheets", "header_rows",
    "expected_status", "broken_kind", "rows_read", "rows_data", "rows_skipped_blank", "rows_skipped_total",
    "rows_skipped_note", "rows_rejected", "encoding", "legacy", "replaces", "in_landing", "submitted_at",
    "file_size",
)


@dataclass
class GenerationSummary:
    out: Path
    truth: Path
    seed: int
    periods: tuple[str, ...]
    persons: int
    files: int = 0
    files_broken: int = 0
    files_xlsx: int = 0
    files_csv: int = 0
    person_rows: int = 0
    person_rows_rejected: int = 0
    aggregate_rows: int = 0
    row_problems: int = 0
    units_missing: int = 0
    late_files: int = 0
    seconds: float = 0.0
    by_encoding: dict[str, int] = field(default_factory=dict)


def _period_words(period: str) -> str:
    year, half = period[:4], period[-1]
    return f"6 tháng đầu năm {year}" if half == "1" else f"năm {year}"


def _deadline_at(period: str, hour: int, minute: int) -> datetime:
    """``hour``:``minute`` (Vietnam time) on the deadline of ``period`` (ingest.periods, from the seed)."""
    day = parse_period(period).deadline
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TIMEZONE)


def _submitted_at(rng: random.Random, period: str, late: bool, now: datetime | None = None) -> datetime:
    """When the unit last edited its file (its mtime): never in the future, so a period whose deadline has not
    passed yet has no late file, and the last hours before ``now`` are the latest a file can carry."""
    deadline = _deadline_at(period, 17, 0)
    if late:
        at = deadline + timedelta(days=rng.randint(1, 25), hours=rng.randint(-8, 0), minutes=rng.randrange(60))
    else:
        at = deadline - timedelta(days=rng.randint(0, 18), hours=rng.randint(0, 8), minutes=rng.randrange(60))
    latest = (now or datetime.now(TIMEZONE)) - timedelta(hours=1)
    return min(at, latest)


def _title_block(unit: Unit, ward_name: str | None, period: str, what: str, ncols: int, style: Style):
    if not style.title_lines:
        return [], []
    half = max(ncols // 2, 2)
    if unit.kind == "ward":
        left1, left2 = "ỦY BAN NHÂN DÂN", (ward_name or unit.name_vi).upper()
    elif unit.kind == "department":
        left1, left2 = "UBND THÀNH PHỐ ĐỒNG NAI", unit.name_vi.upper()
    else:
        left1, left2 = unit.name_vi.upper(), "PHÒNG TỔ CHỨC - HÀNH CHÍNH"
    r1: list[object] = [left1] + [""] * (ncols - 1)
    r2: list[object] = [left2] + [""] * (ncols - 1)
    r1[half] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    r2[half] = "Độc lập - Tự do - Hạnh phúc"
    title = [r1, r2, [""], [f"DANH SÁCH {what}"], [f"(Kỳ báo cáo: {_period_words(period)})"], [""]]
    merges = [(0, 0, 0, half - 1), (1, 0, 1, half - 1), (0, half, 0, ncols - 1), (1, half, 1, ncols - 1),
              (3, 0, 3, ncols - 1), (4, 0, 4, ncols - 1)] if ncols >= 4 else []
    if style.fmt == "csv":
        title = [[left2], [f"DANH SÁCH {what}"], [f"Kỳ báo cáo: {_period_words(period)}"]]
        merges = []
    return title, merges


def _file_name(rng: random.Random, unit: Unit, ward_short: str | None, period: str, style: Style, what: str = "tri thuc") -> str:
    year, half = period[:4], period[-1]
    ext = style.fmt
    short = ascii_fold(ward_short or unit.code)
    if unit.kind == "ward":
        pre = "P." if unit.name_vi.startswith("Phường") else "X."
        opts = (f"DS tri thuc {pre}{short} {'6 thang dau nam' if half == '1' else 'nam'} {year}",
                f"Danh sách trí thức {unit.name_vi.split(' ')[0].lower()} {ward_short} {year}",
                f"Bao cao tri thuc_{year}",
                f"BIEU MAU TRI THUC - {ascii_fold(unit.name_vi).upper()}",
                f"Mau 01_DS tri thuc (gui So KHCN) {half}-{year}",
                f"{unit.code}_tri_thuc_{year}H{half}")
    else:
        opts = (f"{unit.code}_DS {what} {year}", f"Danh sach {what}_{unit.code}_{year}",
                f"Bao cao {what} {'6 thang' if half == '1' else 'nam'} {year}", f"{unit.code} - {what} - {period}")
    return f"{rng.choice(opts)}.{ext}"


def _deadlines_vi() -> str:
    """'20/6 và 05/12': the day of each half's deadline, as a clerk writes it."""
    halves = reporting_halves().values()
    return " và ".join(h.deadline_vi for h in halves)


def _instructions_sheet() -> Sheet:
    lines = ["HƯỚNG DẪN GHI BIỂU MẪU", "1. Mỗi trí thức ghi một dòng; không gộp ô.",
             "2. Cột ngày sinh: ghi ngày/tháng/năm; nếu không rõ ghi năm sinh.",
             "3. Trình độ chuyên môn ghi trình độ cao nhất (TS, ThS, ĐH, CĐ...).",
             f"4. Gửi về Sở Khoa học và Công nghệ trước ngày {_deadlines_vi()} hằng năm."]
    return Sheet(name="Huong dan", body=[Row("note", [t]) for t in lines], is_data=False)


class _Generator:
    def __init__(self, out: Path, truth: Path, persons: int, seed: int, periods: list[str], broken: bool):
        self.out, self.truth, self.seed, self.periods, self.broken = out, truth, seed, periods, broken
        self.rng = random.Random(seed)
        self.codes: CodeLists = load_code_lists()
        self.sf_names = codes_names(self.codes)
        self.people: list[Person] = build_population(self.rng, self.codes, persons, periods)
        self.files: list[dict] = []
        self.person_rows: list[dict] = []
        self.resub_rows: list[dict] = []
        self.problems: list[dict] = []
        self.agg_rows: list[dict] = []
        self.summary = GenerationSummary(out, truth, seed, tuple(periods), persons)

    # ---- who reports whom -------------------------------------------------------------------
    def _reports(self, period: str, k: int) -> dict[str, list[Person]]:
        by_unit: dict[str, list[Person]] = defaultdict(list)
        prev = self.periods[k - 1] if k > 0 else None
        for p in self.people:
            st = p.states.get(period)
            if st is None:
                continue
            gone_before = prev is not None and prev in p.states and p.states[prev].status_code in ("MOVED_AWAY", "DECEASED")
            if gone_before:
                continue
            r = unit_rng(self.seed, "cover", p.person_id, period)
            known = unit_rng(self.seed, "known", p.person_id).random() < 0.9
            if known and r.random() < 0.96:
                by_unit[p.residence_ward_code].append(p)
            if st.status_code in ("MOVED_AWAY", "DECEASED", "ABROAD") and not st.is_overseas:
                continue
            retired = st.status_code == "RETIRED"
            if retired and not (st.status_changed and r.random() < 0.5):
                employer_ok = False
            else:
                employer_ok = True
            if employer_ok:
                if p.role_code == "lecturer" and p.employer_unit and not st.is_overseas:
                    by_unit[p.employer_unit].append(p)
                elif p.role_code == "doctor" and not st.is_overseas:
                    by_unit["SYT"].append(p)
                elif p.role_code == "teacher":
                    by_unit["SGDDT"].append(p)
                if p.role_code in ("manager", "researcher") and (st.employer_type_code in SNV_EMPLOYER_TYPES or
                                                                 (retired and r.random() < 0.5)):
                    by_unit["SNV"].append(p)
            if st.is_lhh_member and r.random() < 0.92:
                by_unit["LHH"].append(p)
        return by_unit

    # ---- files --------------------------------------------------------------------------------
    def run(self) -> GenerationSummary:
        t0 = time.perf_counter()
        self.out.mkdir(parents=True, exist_ok=True)
        self.truth.mkdir(parents=True, exist_ok=True)
        units = self.codes.units
        resub_done = False
        for k, period in enumerate(self.periods):
            reports = self._reports(period, k)
            for unit in units:
                r = unit_rng(self.seed, "submit", unit.code, period)
                skip = (unit.kind == "ward" and r.random() < 0.08) or (unit.kind == "university" and r.random() < 0.08) or (
                    unit.code == "LHH" and k == 1)
                annual = parse_period(period).is_annual
                expects = bool(unit.expected_datasets(parse_period(period)))
                if not expects:
                    continue
                if skip:
                    self.summary.units_missing += 1
                    continue
                late = r.random() < 0.12
                submitted = _submitted_at(r, period, late)
                style = choose_style(self.seed, unit.code, unit.kind, period, k)
                if "persons" in unit.datasets_half_year and reports.get(unit.code):
                    plan = self._persons_plan(unit, period, reports.get(unit.code, []), style, r, submitted)
                    self._emit(plan)
                    if not resub_done and unit.kind == "ward" and k == 1 and len(reports.get(unit.code, [])) >= 4:
                        self._resubmission(plan, unit, period, reports[unit.code], style, submitted)
                        resub_done = True
                for plan in self._aggregate_plans(unit, period, annual, r, submitted):
                    self._emit(plan)
        if self.broken:
            self._broken_files()
        self._write_truth()
        self.summary.seconds = round(time.perf_counter() - t0, 2)
        return self.summary

    def _persons_plan(self, unit: Unit, period: str, people: list[Person], style: Style, r: random.Random,
                      submitted: datetime, *, plant: bool = True, name_suffix: str = "") -> FilePlan:
        ward = self.codes.wards.get(unit.code)
        rng = unit_rng(self.seed, "rows", unit.code, period, name_suffix)
        cols = columns_for(unit.kind, unit.code, style)
        ctx = RowContext(unit.code, unit.kind, period, self.codes, self.sf_names)
        people = sorted(people, key=lambda p: (p.full_name.split()[-1], p.person_id)) if rng.random() < 0.5 else people
        what = {"ward": "TRÍ THỨC TRÊN ĐỊA BÀN", "university": "GIẢNG VIÊN", "department": "TRÍ THỨC"}[unit.kind]
        if unit.code == "SYT":
            what = "BÁC SĨ"
        elif unit.code == "SGDDT":
            what = "GIÁO VIÊN"
        elif unit.code == "LHH":
            what = "HỘI VIÊN TRÍ THỨC"
        what = f"{what} {(ward.name if ward else unit.name_vi).upper()}" if unit.kind == "ward" else what
        title, tmerges = _title_block(unit, ward.name if ward else None, period, what, len(cols), style)
        place = f"{(ward.short if ward else 'Biên Hòa')}, ngày {r.randint(1, 28)} tháng {6 if period.endswith('1') else 11} năm {period[:4]}"
        groups: list[tuple[str, list[Person]]]
        if style.split_sheets and unit.kind != "ward" and len(people) >= 4:
            cut = [p for p in people if unit_rng(self.seed, "contract", p.person_id).random() < 0.2]
            main = [p for p in people if p not in cut]
            groups = [("Trong biên chế", main), ("Hợp đồng", cut)]
        else:
            groups = [(rng.choice(("Danh sach", "DS tri thuc", "Sheet1", "Biểu 01")), people)]
        sheets: list[Sheet] = []
        if style.fmt == "xlsx" and style.instructions_sheet:
            sheets.append(_instructions_sheet())
        # the corrected re-submission has no planted problems and no stray blank rows
        sheet_style = style if plant else Style(**{**asdict(style), "blank_rows": False})
        for sheet_name, group in groups:
            rows = [person_row(p, p.states[period], cols, style, ctx, rng, i + 1, plant) for i, p in enumerate(group)]
            sheet = finish_sheet(sheet_name, cols, rows, sheet_style, title, tmerges, rng, place, rng.choice(N.SIGNERS))
            if not plant:
                sheet.body = [b for b in sheet.body if b.kind != "rejected" and not any(x[2] == "duplicate_row" for x in b.problems)]
            sheets.append(sheet)
        kind_dir = unit.kind
        name = _file_name(r, unit, ward.short if ward else None, period, style)
        if name_suffix:
            stem, ext = name.rsplit(".", 1)
            name = f"{stem}{name_suffix}.{ext}"
        return FilePlan(rel_path=f"{period}/{kind_dir}/{unit.code}/{name}", unit_code=unit.code, unit_kind=unit.kind,
                        period=period, dataset="persons", fmt=style.fmt, sheets=sheets, text_form=style.text_form,
                        old_tone=style.old_tone, csv_encoding=style.csv_encoding, delimiter=style.delimiter,
                        submitted_at=submitted)

    def _aggregate_plans(self, unit: Unit, period: str, annual: bool, r: random.Random, submitted: datetime) -> list[FilePlan]:
        rng = unit_rng(self.seed, "agg", unit.code, period)
        numstyle = rng.randrange(4)
        year = period[:4]
        specs: list[tuple[str, list[Sheet]]] = []
        if unit.code == "SKHCN":
            sheets = [A.st_tasks_sheet(rng, period), A.patents_sheet(rng, period), A.awards_sheet(rng, period),
                      A.enterprises_sheet(rng, self.codes, period)]
            if period.endswith("H1"):  # one workbook with four sheets this time
                specs.append((f"SKHCN_Bao cao KHCN 6 thang {year}.xlsx", sheets))
            else:
                for s, nm in zip(sheets, ("Nhiem vu KHCN nghiem thu", "Don sang che GPHI", "Giai thuong", "DN KHCN khoi nghiep"), strict=True):
                    specs.append((f"{nm} {year}.xlsx", [s]))
        elif unit.code == "STC" and annual:
            specs.append((f"Chi NSDP va chi KHCN {int(year) - 4}-{year}.xlsx", [A.budget_sheet(rng, period, numstyle)]))
        elif unit.code == "CTK" and annual:
            specs.append((f"Dan so trung binh theo xa phuong {year}.xlsx", [A.population_sheet(rng, self.codes, period, numstyle)]))
            specs.append((f"Lao dong {year}.csv", [A.labour_sheet(rng, period, 3)]))
        elif unit.code == "SGDDT" and annual:
            specs.append((f"Co so GDNN kiem dinh {year}.xlsx", [A.vocational_sheet(rng, period)]))
            specs.append((f"Boi duong nang luc so GV {year}.xlsx", [A.teacher_training_sheet(rng, period, numstyle)]))
        plans = []
        for name, sheets in specs:
            fmt = name.rsplit(".", 1)[1]
            datasets = ",".join(dict.fromkeys(row.agg["dataset"] for s in sheets for row in s.body if row.agg))
            plans.append(FilePlan(rel_path=f"{period}/{unit.kind}/{unit.code}/{name}", unit_code=unit.code,
                                  unit_kind=unit.kind, period=period, dataset=datasets, fmt=fmt, sheets=sheets,
                                  csv_encoding="utf-8-sig", submitted_at=submitted))
        return plans

    def _resubmission(self, plan: FilePlan, unit: Unit, period: str, people: list[Person], style: Style, submitted: datetime) -> None:
        """A corrected second version of a ward file, kept outside the landing zone for tests to drop in."""
        fixed = self._persons_plan(unit, period, people, style, unit_rng(self.seed, "resub"), submitted + timedelta(days=9),
                                   plant=False, name_suffix=" (ban sua lan 2)")
        fixed.replaces = plan.rel_path
        self._emit(fixed, root=self.truth / "resubmissions", in_landing=False)

    def _emit(self, plan: FilePlan, *, root: Path | None = None, data: bytes | None = None,
              results: list[SheetResult] | None = None, in_landing: bool = True) -> None:
        if data is None:
            data, results = write_plan(plan)
        results = results or []
        path = (root or self.out) / plan.rel_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if plan.submitted_at is not None:
            ts = plan.submitted_at.timestamp()
            os.utime(path, (ts, ts))
        tot = defaultdict(int)
        for s in results:
            for key in ("rows_read", "rows_data", "rows_skipped_blank", "rows_skipped_total", "rows_skipped_note", "rows_rejected"):
                tot[key] += getattr(s, key)
        rejected = plan.expected_status == "rejected"
        legacy = plan.text_form if plan.text_form in ("tcvn3", "vni", "nfd") else ""
        if plan.fmt == "csv" and plan.csv_encoding in ("tcvn3", "vni"):
            legacy = plan.csv_encoding
        encoding = {"tcvn3": "tcvn3", "vni": "vni"}.get(plan.csv_encoding, plan.csv_encoding) if plan.fmt == "csv" else "xlsx"
        self.files.append({
            "source_file": plan.rel_path, "unit_code": plan.unit_code, "unit_kind": plan.unit_kind, "period": plan.period,
            "dataset": "" if plan.broken_kind and not plan.dataset else plan.dataset,
            "sheets": ";".join(s.name for s in plan.sheets) if plan.fmt == "xlsx" else "",
            "data_sheets": ";".join(s.name for s in results if s.header_rows[1] >= s.header_rows[0]) if plan.fmt == "xlsx" else "",
            "header_rows": ";".join(f"{s.header_rows[0]}-{s.header_rows[1]}" for s in results if s.header_rows[1] >= s.header_rows[0]),
            "expected_status": plan.expected_status, "broken_kind": plan.broken_kind,
            **{k: tot[k] for k in ("rows_read", "rows_data", "rows_skipped_blank", "rows_skipped_total", "rows_skipped_note", "rows_rejected")},
            "encoding": encoding, "legacy": legacy, "replaces": plan.replaces, "in_landing": in_landing,
            "submitted_at": plan.submitted_at.isoformat() if plan.submitted_at else "", "file_size": len(data),
        })
        s = self.summary
        if in_landing:
            s.files += 1
            s.files_broken += bool(plan.broken_kind)
            s.files_xlsx += plan.fmt == "xlsx"
            s.files_csv += plan.fmt == "csv"
            if plan.submitted_at is not None and parse_period(plan.period) is not None:
                s.late_files += plan.submitted_at > _deadline_at(plan.period, 23, 59)
            s.by_encoding[encoding + (f"/{legacy}" if legacy else "")] = s.by_encoding.get(encoding + (f"/{legacy}" if legacy else ""), 0) + 1
        for res in results:
            rows = [{**pr, "expected_fate": "rejected" if rejected else pr["expected_fate"]} for pr in res.person_rows]
            (self.person_rows if in_landing else self.resub_rows).extend(rows)
            if in_landing:
                self.problems.extend(res.problems)
                self.agg_rows.extend(res.agg_rows)

    # ---- broken files -------------------------------------------------------------------------
    def _broken_files(self) -> None:
        period = self.periods[min(1, len(self.periods) - 1)]
        rng = unit_rng(self.seed, "broken")
        wards = [u for u in self.codes.units if u.kind == "ward"]
        t = _submitted_at(rng, period, False)

        def plan_for(unit: Unit, name: str, kind: str, fmt: str = "xlsx", status: str = "rejected", dataset: str = "persons",
                     period_dir: str | None = None, unit_dir: str | None = None) -> FilePlan:
            style = choose_style(self.seed, unit.code, unit.kind, period, 1)
            style.fmt = fmt
            people = [p for p in self.people if p.residence_ward_code == unit.code and period in p.states][:5]
            base = self._persons_plan(unit, period, people, style, rng, t, plant=False, name_suffix="")
            base.rel_path = f"{period_dir or period}/{unit.kind}/{unit_dir or unit.code}/{name}"
            base.broken_kind, base.expected_status, base.dataset = kind, status, dataset
            return base

        # empty file
        u = wards[3]
        p = FilePlan(rel_path=f"{period}/ward/{u.code}/DS tri thuc (nop lai).csv", unit_code=u.code, unit_kind="ward",
                     period=period, dataset="", fmt="csv", sheets=[], broken_kind="empty", expected_status="rejected", submitted_at=t)
        self._emit(p, data=b"", results=[])
        # header only
        p = plan_for(wards[5], "Mau bieu tri thuc (chua dien).xlsx", "header_only")
        for s in p.sheets:
            s.body = []
        self._emit(p)
        # truncated workbook
        p = plan_for(wards[7], "DS tri thuc gui lan 1.xlsx", "truncated")
        data, _ = write_plan(p)
        self._emit(p, data=data[: int(len(data) * 0.6)], results=[])
        # unrecognisable header: a budget proposal sent by mistake
        u = wards[9]
        body = [Row("data", [i + 1, t_, "Cuộc", q, f"{pr:,}".replace(",", "."), f"{q * pr:,}".replace(",", ".")])
                for i, (t_, q, pr) in enumerate((("Hội nghị tập huấn cập nhật dữ liệu trí thức", 2, 5_000_000),
                                                 ("In ấn biểu mẫu", 300, 2_000), ("Hỗ trợ cán bộ nhập liệu", 12, 500_000)))]
        sheet = Sheet(name="Du toan", title=[["DỰ TOÁN KINH PHÍ THỰC HIỆN NĂM 2026"], [""]],
                      header=[["STT", "Nội dung", "Đơn vị tính", "Số lượng", "Đơn giá (đồng)", "Thành tiền (đồng)"]], body=body)
        p = FilePlan(rel_path=f"{period}/ward/{u.code}/Du toan kinh phi 2026.xlsx", unit_code=u.code, unit_kind="ward",
                     period=period, dataset="", fmt="xlsx", sheets=[sheet], broken_kind="unrecognised_header",
                     expected_status="rejected", submitted_at=t)
        data, results = write_plan(p)
        self._emit(p, data=data, results=results)
        # wrong places: unknown unit folder, unknown period folder
        p = plan_for(wards[11], "DS tri thuc.xlsx", "unknown_unit", unit_dir="99999")
        p.unit_code = "99999"
        self._emit(p)
        p = plan_for(wards[13], "DS tri thuc quy 3.xlsx", "unknown_period", period_dir="2026-Q3")
        p.period = "2026-Q3"
        self._emit(p)

    # ---- truth --------------------------------------------------------------------------------
    def _write_truth(self) -> None:
        t = self.truth
        pd.DataFrame(self.files, columns=list(FILES_COLUMNS)).to_csv(t / "files.csv", index=False)
        pr = pd.DataFrame(self.person_rows)
        pr.to_parquet(t / "person_rows.parquet", index=False)
        if self.resub_rows:
            pd.DataFrame(self.resub_rows).to_parquet(t / "person_rows_resubmissions.parquet", index=False)
        pd.DataFrame(self.problems, columns=["source_file", "sheet_name", "source_row", "field", "raw_value", "problem"]).to_csv(
            t / "row_problems.csv", index=False)
        recs = []
        for p in self.people:
            for period, st in p.states.items():
                recs.append({"person_id": p.person_id, "period": period, "full_name": p.full_name, "sex_code": p.sex_code,
                             "birth_date": p.birth_date.isoformat(), "birth_year": p.birth_year, "cccd": p.cccd,
                             "ethnicity_code": p.ethnicity_code, "residence_ward_code": p.residence_ward_code,
                             "role_code": p.role_code, "occupation_code": p.occupation_code,
                             "science_field_code": p.science_field_code, "teaching_level": p.teaching_level,
                             "first_period": p.first_period, **{k: v for k, v in asdict(st).items()}})
        pd.DataFrame(recs).to_parquet(t / "persons.parquet", index=False)
        agg = pd.DataFrame(self.agg_rows)
        if not agg.empty:
            (t / "aggregates").mkdir(exist_ok=True)
            for ds, g in agg.groupby("dataset"):
                g.dropna(axis=1, how="all").to_parquet(t / "aggregates" / f"{ds}.parquet", index=False)
            long = agg.melt(id_vars=["dataset", "period", "source_file", "sheet_name", "source_row"], var_name="field",
                            value_name="value").dropna(subset=["value"])
            long["value"] = long["value"].astype(str)
            long.to_parquet(t / "aggregates.parquet", index=False)
        s = self.summary
        s.person_rows = len(pr)
        s.person_rows_rejected = int((pr["expected_fate"] == "rejected").sum()) if len(pr) else 0
        s.aggregate_rows = len(agg)
        s.row_problems = len(self.problems)


def generate(out: Path, truth: Path, persons: int = 600, seed: int = DEFAULT_SEED,
             periods: tuple[str, ...] | list[str] = DEFAULT_PERIODS, broken: bool = True) -> GenerationSummary:
    """Write sample submissions under ``out`` (the landing zone) and their truth under ``truth``."""
    out, truth = Path(out), Path(truth)
    if truth.resolve().is_relative_to(out.resolve()):
        raise ValueError(f"the truth directory {truth} must not be inside the landing zone {out}")
    return _Generator(out, truth, persons, seed, list(periods), broken).run()


def generate_bench(out: Path, truth: Path, rows: int, fmt: str = "csv", seed: int = DEFAULT_SEED):
    from .bench import generate_bench as _bench

    return _bench(Path(out), Path(truth), rows, fmt, seed)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m samples.generate", description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--out", required=True, type=Path, help="landing zone to write into")
    ap.add_argument("--truth", required=True, type=Path, help="directory for the truth files (not inside --out)")
    ap.add_argument("--persons", type=int, default=600)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--periods", default=",".join(DEFAULT_PERIODS))
    ap.add_argument("--no-broken", action="store_true", help="do not write the broken files")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--bench-csv", type=int, metavar="ROWS")
    g.add_argument("--bench-xlsx", type=int, metavar="ROWS")
    a = ap.parse_args(argv)
    try:
        if a.bench_csv or a.bench_xlsx:
            res = generate_bench(a.out, a.truth, a.bench_csv or a.bench_xlsx, "csv" if a.bench_csv else "xlsx", a.seed)
        else:
            res = generate(a.out, a.truth, a.persons, a.seed, [p.strip() for p in a.periods.split(",") if p.strip()], not a.no_broken)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for k, v in asdict(res).items():
        print(f"{k}: {v}")
    return 0

