"""The sample-submissions generator: deterministic, honest truth, real legacy bytes, valid codes."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import subprocess
import unicodedata
from datetime import datetime, time
from pathlib import Path

import pandas as pd
import pytest
from python_calamine import CalamineError, CalamineWorkbook

from ingest.periods import Period, parse_period
from samples.bench import generate_bench
from samples.legacy_encodings import TCVN3_MAP, VNI_MAP, encode_cp1258, encode_tcvn3, encode_vni
from samples.pipeline import generate

CODES = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "codes"
PERIODS = ("2025-H2", "2026-H1")


def _read_csv(name: str) -> list[dict[str, str]]:
    with (CODES / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    root = tmp_path_factory.mktemp("gen")
    summary = generate(root / "landing", root / "truth", persons=160, seed=7, periods=PERIODS)
    return root, summary


def _tree_digest(root: Path) -> dict[str, tuple[str, int]]:
    return {str(p.relative_to(root)): (hashlib.sha256(p.read_bytes()).hexdigest(), int(p.stat().st_mtime))
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_and_times(sample, tmp_path):
    root, _ = sample
    generate(tmp_path / "landing", tmp_path / "truth", persons=160, seed=7, periods=PERIODS)
    assert _tree_digest(root / "landing") == _tree_digest(tmp_path / "landing")
    a = pd.read_parquet(root / "truth" / "person_rows.parquet")
    b = pd.read_parquet(tmp_path / "truth" / "person_rows.parquet")
    pd.testing.assert_frame_equal(a, b)


def test_other_seed_other_bytes(sample, tmp_path):
    root, _ = sample
    generate(tmp_path / "landing", tmp_path / "truth", persons=160, seed=8, periods=PERIODS, broken=False)
    assert _tree_digest(root / "landing") != _tree_digest(tmp_path / "landing")
    assert not pd.read_csv(tmp_path / "truth" / "files.csv")["broken_kind"].notna().any()


def test_truth_lives_outside_landing_and_lists_every_file(sample):
    root, summary = sample
    files = pd.read_csv(root / "truth" / "files.csv", keep_default_na=False)
    landed = {str(p.relative_to(root / "landing")).replace("\\", "/") for p in (root / "landing").rglob("*") if p.is_file()}
    in_landing = files[files["in_landing"].astype(str) == "True"]
    assert set(in_landing["source_file"]) == landed
    assert summary.files == len(landed) and 100 < len(landed) < 600
    assert not any((root / "landing").rglob("*.parquet"))
    with pytest.raises(ValueError):
        generate(root / "landing", root / "landing" / "truth", persons=10)


def _visible_rows(path: Path, encoding: str, delimiter_guess: bool = True) -> dict[str, list[list[str]]]:
    """Rows as a person sees them, read independently of the generator (calamine / csv module)."""
    if path.suffix == ".xlsx":
        wb = CalamineWorkbook.from_path(str(path))
        return {n: [["" if c is None else str(c) for c in r] for r in wb.get_sheet_by_name(n).to_python(skip_empty_area=False)]
                for n in wb.sheet_names}
    raw = path.read_bytes()
    codec = {"utf-8-sig": "utf-8-sig", "utf-8": "utf-8", "utf-16": "utf-16", "cp1258": "cp1258"}.get(encoding, "latin-1")
    text = raw.decode(codec)
    dialect = csv.Sniffer().sniff(text.splitlines()[0] + "\n", delimiters=",;\t") if delimiter_guess else csv.excel
    return {"": list(csv.reader(io.StringIO(text, newline=""), dialect))}


def test_accounting_adds_up_per_file_and_matches_what_was_written(sample):
    root, _ = sample
    files = pd.read_csv(root / "truth" / "files.csv", keep_default_na=False)
    rows = pd.read_parquet(root / "truth" / "person_rows.parquet")
    agg = pd.read_parquet(root / "truth" / "aggregates.parquet")
    checked = 0
    for f in files[(files["in_landing"].astype(str) == "True") & (files["broken_kind"] == "")].itertuples():
        parts = f.rows_data + f.rows_skipped_blank + f.rows_skipped_total + f.rows_skipped_note + f.rows_rejected
        assert f.rows_read == parts, f.source_file
        mine = rows[rows["source_file"] == f.source_file]
        if f.dataset == "persons":
            assert len(mine) == f.rows_data + f.rows_rejected, f.source_file
            assert (mine["expected_fate"] == "rejected").sum() == f.rows_rejected
        else:
            assert len(agg[agg["source_file"] == f.source_file][["sheet_name", "source_row"]].drop_duplicates()) == f.rows_data
        sheets = _visible_rows(root / "landing" / f.source_file, f.encoding)
        last_header = {}
        for spec, name in zip(f.header_rows.split(";"), [s for s in sheets if s != "Huong dan"], strict=False):
            last_header[name] = int(spec.split("-")[1])
        total = 0
        for name, hdr_end in last_header.items():
            grid = sheets[name]
            nonempty = [i + 1 for i, r in enumerate(grid) if any(c.strip() for c in r)]
            total += max(nonempty) - hdr_end
            for rec in mine[mine["sheet_name"] == (name if f.source_file.endswith(".xlsx") else "")].itertuples():
                line = grid[rec.source_row - 1]
                assert any(c.strip() for c in line), (f.source_file, rec.source_row)
        assert total == f.rows_read, f.source_file
        checked += 1
    assert checked > 80


def test_person_rows_point_at_the_person(sample):
    root, _ = sample
    rows = pd.read_parquet(root / "truth" / "person_rows.parquet")
    files = pd.read_csv(root / "truth" / "files.csv", keep_default_na=False).set_index("source_file")
    utf = rows[rows["source_file"].map(lambda s: files.loc[s, "legacy"] == "" and files.loc[s, "encoding"] != "cp1258")]
    utf = utf[utf["gives_full_name"]]
    sample_rows = utf.groupby("source_file").head(2)
    cache: dict[str, dict] = {}

    def fold(s: str) -> str:
        s = unicodedata.normalize("NFC", s).casefold().replace("đ", "d")
        return " ".join("".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c)).split())

    for r in sample_rows.itertuples():
        if r.source_file not in cache:
            cache[r.source_file] = _visible_rows(Path(root / "landing" / r.source_file), files.loc[r.source_file, "encoding"])
        grid = cache[r.source_file][r.sheet_name]
        line = " | ".join(grid[r.source_row - 1])
        assert fold(r.full_name_true) in fold(line), (r.source_file, r.source_row, line)


def test_every_truth_code_is_in_the_code_lists(sample):
    root, _ = sample
    rows = pd.read_parquet(root / "truth" / "person_rows.parquet")
    eth = {r["code_1979_qd121"] for r in _read_csv("ethnic_groups.csv")}
    qual = {r["code"] for r in _read_csv("qualification_levels.csv")}
    sf = {r["code"] for r in _read_csv("science_fields.csv") if r["level"] == "2"}
    occ = {r["code"] for r in _read_csv("occupations_vsco_major.csv")}
    sectors = _read_csv("employment_sectors.csv")
    etypes = {r["code"] for r in sectors if r["scheme"] == "employer_type"}
    frascati = {r["code"] for r in sectors if r["scheme"] == "frascati_2015"}
    wards = {r["ma_dvhc"] for r in _read_csv("admin_units_dong_nai.csv")}
    assert set(rows["ethnicity_code"]) <= eth
    assert set(rows["qualification_code"]) <= qual
    assert set(rows["science_field_code"]) <= sf
    assert set(rows["occupation_code"]) <= occ
    assert set(rows["employer_type_code"]) <= etypes
    assert set(rows["sector_code"].dropna()) <= frascati
    assert set(rows["residence_ward_code"]) <= wards
    assert set(rows["academic_title_code"].dropna()) <= {"GS", "PGS"}
    assert set(rows["status_code"]) <= {"ACTIVE", "RETIRED", "MOVED_AWAY", "ABROAD", "DECEASED"}
    assert set(rows["sex_code"]) == {"M", "F"}
    assert set(rows["role_code"]) <= {"researcher", "lecturer", "doctor", "teacher", "engineer", "manager", "other"}
    assert rows["ethnicity_code"].nunique() >= 3 and (rows["ethnicity_code"] == "01").mean() > 0.8


def _cccd_ok(cccd: str, sex: str, year: int) -> bool:
    prefixes = {r["cccd_prefix"] for r in _read_csv("cccd_province_codes.csv")}
    rules = {r["digit_4"]: r for r in _read_csv("cccd_gender_century_codes.csv")}
    if len(cccd) != 12 or not cccd.isdigit() or cccd[:3] not in prefixes:
        return False
    rule = rules[cccd[3]]
    return (rule["gender"] == ("male" if sex == "M" else "female")
            and int(rule["nam_sinh_tu"]) <= year <= int(rule["nam_sinh_den"]) and int(cccd[4:6]) == year % 100)


def test_planted_cccds_are_invalid_and_true_ones_valid(sample):
    root, _ = sample
    rows = pd.read_parquet(root / "truth" / "person_rows.parquet")
    probs = pd.read_csv(root / "truth" / "row_problems.csv", dtype=str, keep_default_na=False)
    assert all(_cccd_ok(r.cccd_true, r.sex_code, r.birth_year) for r in rows.itertuples())
    bad = probs[probs["problem"].isin(["invalid_cccd", "old_cmnd"])]
    assert len(bad) >= 3
    merged = bad.merge(rows.astype({"source_row": str}), on=["source_file", "sheet_name", "source_row"])
    assert len(merged) == len(bad)
    for r in merged.itertuples():
        assert not _cccd_ok(r.raw_value, r.sex_code, r.birth_year), r.raw_value
        assert r.cccd_written == r.raw_value and r.cccd_is_valid is False or r.cccd_is_valid == 0
    assert (bad["problem"] == "old_cmnd").any() and bad[bad["problem"] == "old_cmnd"]["raw_value"].str.len().eq(9).all()
    written = rows.dropna(subset=["cccd_written"])
    for r in written.itertuples():
        assert bool(r.cccd_is_valid) == _cccd_ok(r.cccd_written, r.sex_code, r.birth_year)


def test_planted_problem_kinds_and_broken_files(sample):
    root, _ = sample
    probs = pd.read_csv(root / "truth" / "row_problems.csv", keep_default_na=False)
    assert {"invalid_cccd", "unmapped_value", "missing_name", "duplicate_row"} <= set(probs["problem"])
    files = pd.read_csv(root / "truth" / "files.csv", keep_default_na=False)
    broken = files[files["broken_kind"] != ""]
    assert {"empty", "header_only", "truncated", "unrecognised_header", "unknown_unit", "unknown_period"} <= set(broken["broken_kind"])
    assert (broken["expected_status"] == "rejected").all()
    empty = broken[broken["broken_kind"] == "empty"].iloc[0]
    assert (root / "landing" / empty["source_file"]).stat().st_size == 0
    trunc = broken[broken["broken_kind"] == "truncated"].iloc[0]
    with pytest.raises(CalamineError):  # not a readable zip any more
        CalamineWorkbook.from_path(str(root / "landing" / trunc["source_file"]))
    resub = files[files["replaces"] != ""]
    assert len(resub) == 1
    assert resub.iloc[0]["replaces"] in set(files["source_file"])
    assert (root / "truth" / "resubmissions" / resub.iloc[0]["source_file"]).is_file()
    assert not (root / "landing" / resub.iloc[0]["source_file"]).exists()


def test_legacy_encoders_match_the_charts():
    assert encode_tcvn3("Nguyễn Thị Việt đường") == b"Nguy\xd4n Th\xde Vi\xd6t \xae\xad\xeang"
    assert encode_vni("Nguyễn Thị Việt đường") == "Nguyeãn Thò Vieät ñöôøng".encode("latin-1")
    assert encode_vni("ĐỒNG NAI") == "ÑOÀNG NAI".encode("latin-1")
    assert unicodedata.normalize("NFC", encode_cp1258("Phường Biên Hòa").decode("cp1258")) == "Phường Biên Hòa"
    if shutil.which("iconv") is None:
        pytest.skip("iconv not available for the cross-check")
    text = "Trí thức tỉnh Đồng Nai: giảng viên, bác sĩ, kỹ sư; ưu tú, phường Hố Nai, xã Trị An"
    ref = subprocess.run(["iconv", "-f", "utf-8", "-t", "TCVN5712-1"], input=text.encode(), capture_output=True, check=True).stdout
    assert encode_tcvn3(text) == ref


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold().replace("đ", "d")
    return " ".join("".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).split())


def _decode_legacy(raw: bytes, table: dict[str, bytes]) -> str:
    """Independent greedy decoder built from the chart (longest byte sequence first)."""
    inverse = {v: k for k, v in table.items()}
    out, i = [], 0
    while i < len(raw):
        for n in (2, 1):
            k = raw[i:i + n]
            if len(k) == n and k in inverse and (n == 2 or k[0] >= 0x80 or k not in (b"a", b"e", b"o", b"u", b"y")):
                out.append(inverse[k])
                i += n
                break
        else:
            out.append(chr(raw[i]))
            i += 1
    return "".join(out)


def test_legacy_files_really_hold_legacy_bytes(sample):
    root, _ = sample
    files = pd.read_csv(root / "truth" / "files.csv", keep_default_na=False)
    rows = pd.read_parquet(root / "truth" / "person_rows.parquet")
    legacy = files[files["legacy"].isin(["tcvn3", "vni"]) & (files["broken_kind"] == "")
                   & (files["in_landing"].astype(str) == "True") & (files["dataset"] == "persons")]
    assert set(legacy["legacy"]) == {"tcvn3", "vni"}
    for f in legacy.itertuples():
        path = root / "landing" / f.source_file
        if f.encoding == "xlsx":
            wb = CalamineWorkbook.from_path(str(path))
            cells = "\n".join(str(c) for n in wb.sheet_names for r in wb.get_sheet_by_name(n).to_python() for c in r)
            raw = cells.encode("cp1252")  # the legacy-font view: cp1252 characters standing for legacy bytes
        else:
            raw = path.read_bytes()
            with pytest.raises(UnicodeDecodeError):
                raw.decode("utf-8")
        table = TCVN3_MAP if f.legacy == "tcvn3" else VNI_MAP
        decoded = _fold(_decode_legacy(raw, table))
        names = rows[(rows["source_file"] == f.source_file) & rows["gives_full_name"]]["full_name_true"]
        hits = sum(_fold(n) in decoded for n in names)
        assert hits >= max(1, len(names) // 2), f.source_file
        assert sum(b >= 0x80 for b in raw) > 10


def test_namesakes_and_population_churn(sample):
    root, _ = sample
    persons = pd.read_parquet(root / "truth" / "persons.parquet")
    first = persons.drop_duplicates("person_id")
    by_name = first.groupby("full_name")["person_id"].nunique()
    ns = by_name[by_name >= 3]
    assert "Nguyễn Văn Hùng" in ns.index
    hung = first[first["full_name"] == "Nguyễn Văn Hùng"]
    assert hung["birth_year"].nunique() > 1 or hung["residence_ward_code"].nunique() > 1
    assert (first["first_period"] == PERIODS[1]).any()  # newcomers in a later period
    assert persons["status_code"].nunique() >= 3


def test_files_carry_past_edit_times_some_after_deadline(sample):
    """Issue #17: the generator dates each file (its mtime, what the unit's own edit leaves) in the past, never in
    the future; some after their period's deadline."""
    root, summary = sample
    files = pd.read_csv(root / "truth" / "files.csv", keep_default_na=False)
    files = files[(files["in_landing"].astype(str) == "True") & (files["submitted_at"] != "")]
    late = 0
    for f in files.itertuples():
        ts = datetime.fromisoformat(f.submitted_at)
        assert int((root / "landing" / f.source_file).stat().st_mtime) == int(ts.timestamp())
        assert ts < datetime.now(ts.tzinfo), f"{f.source_file} is dated in the future: {ts}"
        period = parse_period(f.period) or Period(int(f.period[:4]), 1)  # a misnamed period (2026-Q3): its year's H1
        deadline = datetime.combine(period.deadline, time(23, 59), tzinfo=ts.tzinfo)
        late += ts > deadline
    assert 0 < late < len(files) / 3
    assert summary.units_missing > 0


def test_bench_csv_small(tmp_path):
    res = generate_bench(tmp_path / "l", tmp_path / "t", 12_000, "csv", seed=3)
    files = pd.read_csv(tmp_path / "t" / "files.csv")
    truth = pd.read_parquet(tmp_path / "t" / "bench_rows.parquet")
    assert res.rows == 12_000 and len(files) == 3 and len(truth) == 12_000
    for f in files.itertuples():
        text = (tmp_path / "l" / f.source_file).read_bytes().decode(f.encoding)
        assert len(text.splitlines()) - 1 == f.rows_read
