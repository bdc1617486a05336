"""Benchmark data: many plain person-list files (numpy-vectorised), for throughput tests of the readers.

Realistic but cheap: one header line (CSV) or a title line + header (XLSX), mostly UTF-8, a few
Windows-1258 and UTF-16 files; values spelled the usual ways. Truth: files.csv and bench_rows.parquet.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from . import names as N
from .legacy_encodings import encode_cp1258
from .population import load_code_lists
from .writers import CREATED

ROWS_PER_FILE = 5000
_QUALS = np.array(["DH", "THS", "TS", "CD", "CK1", "CK2"])
_QUAL_W = np.array([55, 25, 8, 6, 4, 2], dtype=float)
_QUAL_TEXT = {"DH": "Đại học", "THS": "Thạc sĩ", "TS": "Tiến sĩ", "CD": "Cao đẳng", "CK1": "CKI", "CK2": "BS.CKII"}
_HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Dân tộc", "Trình độ chuyên môn",
           "Cơ quan công tác", "Nơi cư trú", "Số điện thoại", "Tình trạng"]


@dataclass
class BenchSummary:
    out: Path
    truth: Path
    fmt: str
    rows: int
    files: int
    seconds: float


def _pick(rng: np.random.Generator, items, n: int, weights=None) -> np.ndarray:
    arr = np.array(items, dtype=object)
    p = None if weights is None else np.asarray(weights, dtype=float) / np.sum(weights)
    return arr[rng.choice(len(arr), size=n, p=p)]


def _frame(rng: np.random.Generator, n: int, start: int, ward_codes: list[str], ward_names: dict[str, str]) -> pd.DataFrame:
    female = rng.random(n) < 0.48
    fam_names, fam_w = zip(*N.FAMILY_NAMES, strict=True)
    family = _pick(rng, fam_names, n, fam_w)
    middle = np.where(female, _pick(rng, N.MIDDLE_FEMALE, n), _pick(rng, N.MIDDLE_MALE, n))
    given = np.where(female, _pick(rng, N.GIVEN_FEMALE, n), _pick(rng, N.GIVEN_MALE, n))
    name = pd.Series(family) + " " + pd.Series(middle) + " " + pd.Series(given)
    year = rng.integers(1958, 2002, n)
    month = rng.integers(1, 13, n)
    day = rng.integers(1, 29, n)
    ys, ms, ds = (pd.Series(a).astype(str) for a in (year, month, day))
    birth_text = ds.str.zfill(2) + "/" + ms.str.zfill(2) + "/" + ys
    prefix = _pick(rng, ("075", "070", "079", "074", "040"), n, (70, 15, 7, 5, 3))
    digit4 = np.where(year >= 2000, 2, 0) + female.astype(int)
    serial = pd.Series(rng.integers(0, 10**6, n)).astype(str).str.zfill(6)
    cccd = pd.Series(prefix) + pd.Series(digit4).astype(str) + (pd.Series(year % 100).astype(str).str.zfill(2)) + serial
    qual = _QUALS[rng.choice(len(_QUALS), size=n, p=_QUAL_W / _QUAL_W.sum())]
    ward = np.array(ward_codes, dtype=object)[rng.integers(0, len(ward_codes), n)]
    phone = "09" + pd.Series(rng.integers(0, 10**8, n)).astype(str).str.zfill(8)
    employer = _pick(rng, [e for e, _ in N.ENTERPRISES + N.AGENCIES + N.HOSPITALS], n)
    return pd.DataFrame({
        "person_id": [f"B{start + i + 1:08d}" for i in range(n)],
        "full_name": name, "birth_text": birth_text, "birth_year": year, "sex_code": np.where(female, "F", "M"),
        "cccd": cccd, "ethnicity_code": np.where(rng.random(n) < 0.95, "01", "04"),
        "qualification_code": qual, "employer": employer, "residence_ward_code": ward,
        "ward_text": pd.Series(ward).map(ward_names), "phone": phone,
        "status_code": np.where(rng.random(n) < 0.93, "ACTIVE", "RETIRED"),
    })


def _visible(df: pd.DataFrame, stt0: int = 1) -> pd.DataFrame:
    return pd.DataFrame({
        "STT": np.arange(stt0, stt0 + len(df)), "Họ và tên": df["full_name"], "Ngày sinh": df["birth_text"],
        "Giới tính": np.where(df["sex_code"] == "F", "Nữ", "Nam"), "Số CCCD": df["cccd"],
        "Dân tộc": np.where(df["ethnicity_code"] == "01", "Kinh", "Hoa"),
        "Trình độ chuyên môn": df["qualification_code"].map(_QUAL_TEXT), "Cơ quan công tác": df["employer"],
        "Nơi cư trú": df["ward_text"], "Số điện thoại": df["phone"],
        "Tình trạng": np.where(df["status_code"] == "ACTIVE", "Đang công tác", "Nghỉ hưu"),
    })


BENCH_PERIODS = ("2025-H2", "2026-H1", "2026-H2")


def generate_bench(out: Path, truth: Path, rows: int, fmt: str = "csv", seed: int = 20260101) -> BenchSummary:
    """Write about ``rows`` person rows in files of 5,000 rows (more when needed), one file per ward and period
    (<out>/<period>/ward/<code>/): a later file for the same ward and period would be a corrected re-submission."""
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"bench format must be 'csv' or 'xlsx', not {fmt!r}")
    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    codes = load_code_lists()
    ward_codes = sorted(codes.wards)
    ward_names = {c: w.name for c, w in codes.wards.items()}
    out.mkdir(parents=True, exist_ok=True)
    truth.mkdir(parents=True, exist_ok=True)
    slots = [(period, unit) for period in BENCH_PERIODS for unit in ward_codes]
    per_file = max(ROWS_PER_FILE, -(-rows // len(slots)))
    n_files = max(1, -(-rows // per_file))
    files, truths = [], []
    written = 0
    for i in range(n_files):
        n = min(per_file, rows - written)
        period, unit = slots[i]
        df = _frame(rng, n, written, ward_codes, ward_names)
        vis = _visible(df)
        rel = f"{period}/ward/{unit}/bench_{i + 1:04d}_DS tri thuc.{fmt}"
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "csv":
            enc = "cp1258" if i % 40 == 7 else "utf-16" if i % 40 == 13 else "utf-8-sig" if i % 3 == 0 else "utf-8"
            text = vis.to_csv(index=False, sep="\t" if enc == "utf-16" else ",", lineterminator="\r\n")
            data = encode_cp1258(text) if enc == "cp1258" else text.encode(enc)
            first_row = 2
        else:
            enc = "xlsx"
            buf = io.BytesIO()
            wb = xlsxwriter.Workbook(buf, {"in_memory": True, "constant_memory": True})
            wb.set_properties({"created": CREATED})
            ws = wb.add_worksheet("Danh sach")
            bold = wb.add_format({"bold": True})
            ws.write_string(0, 0, f"DANH SÁCH TRÍ THỨC {ward_names[unit].upper()}", bold)
            ws.write_row(2, 0, _HEADER, bold)
            for r, rec in enumerate(vis.itertuples(index=False), start=3):
                ws.write_row(r, 0, rec)
            wb.close()
            data = buf.getvalue()
            first_row = 4
        path.write_bytes(data)
        files.append({"source_file": rel, "unit_code": unit, "unit_kind": "ward", "period": period, "dataset": "persons",
                      "expected_status": "loaded", "rows_read": n, "rows_data": n, "rows_skipped_blank": 0,
                      "rows_skipped_total": 0, "rows_skipped_note": 0, "rows_rejected": 0, "encoding": enc,
                      "legacy": "", "file_size": len(data)})
        t = df.drop(columns=["birth_text", "ward_text", "phone", "employer"])
        t.insert(0, "source_row", np.arange(first_row, first_row + n))
        t.insert(0, "sheet_name", "Danh sach" if fmt == "xlsx" else "")
        t.insert(0, "source_file", rel)
        truths.append(t)
        written += n
    pd.DataFrame(files).to_csv(truth / "files.csv", index=False)
    pd.concat(truths, ignore_index=True).to_parquet(truth / "bench_rows.parquet", index=False)
    return BenchSummary(out, truth, fmt, written, n_files, round(time.perf_counter() - t0, 2))
