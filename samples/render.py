"""How a clerk of a given unit writes each value: the per-unit style and the value renderers."""

from __future__ import annotations

import random
import unicodedata
import zlib
from dataclasses import dataclass
from datetime import date

from . import names as N
from .population import CodeLists, Person, PersonState, Ward

EXCEL_EPOCH = date(1899, 12, 30)

QUAL_WORDS: dict[str, dict[str, str]] = {
    "full": {"TS": "Tiến sĩ", "THS": "Thạc sĩ", "DH": "Đại học", "CD": "Cao đẳng", "TC": "Trung cấp",
             "CK1": "Chuyên khoa cấp I", "CK2": "Chuyên khoa cấp II", "BSNT": "Bác sĩ nội trú", "TSKH": "Tiến sĩ khoa học"},
    "abbr": {"TS": "TS", "THS": "ThS", "DH": "ĐH", "CD": "CĐ", "TC": "TC", "CK1": "CKI", "CK2": "CKII",
             "BSNT": "BSNT", "TSKH": "TSKH"},
    "abbr_dot": {"TS": "Ts.", "THS": "ThS.", "DH": "ĐH", "CD": "CĐ", "TC": "TC", "CK1": "BS.CKI", "CK2": "BS.CKII",
                 "BSNT": "BSNT", "TSKH": "TSKH"},
    "alt": {"TS": "Tiến sỹ", "THS": "Thạc sỹ", "DH": "Cử nhân", "CD": "Cao đẳng", "TC": "Trung cấp",
            "CK1": "BSCKI", "CK2": "BSCKII", "BSNT": "BS nội trú", "TSKH": "TSKH"},
    "medical": {"TS": "Tiến sĩ", "THS": "Thạc sĩ", "DH": "Bác sĩ", "CD": "Cao đẳng", "TC": "Y sĩ",
                "CK1": "BS.CKI", "CK2": "BS.CKII", "BSNT": "BSNT", "TSKH": "TSKH"},
}
# Qualification abbreviations used after an academic title ("PGS.TS").
_TITLE_QUAL = {"TS": "TS", "TSKH": "TSKH", "THS": "ThS", "CK2": "BS.CKII", "CK1": "BS.CKI", "DH": "BS"}
TITLE_WORDS = {"GS": ("GS", "Giáo sư", "GS."), "PGS": ("PGS", "Phó giáo sư", "PGS.")}
SEX_WORDS = {"std": ("Nam", "Nữ"), "lower": ("nam", "nữ"), "ascii": ("Nam", "nu"), "upper": ("NAM", "NỮ")}
YESNO = {"x": ("x", ""), "X": ("X", ""), "co_khong": ("Có", "Không"), "co": ("có", ""), "10": ("1", "0")}


def ascii_fold(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@dataclass
class Style:
    fmt: str = "xlsx"
    text_form: str = "nfc"
    csv_encoding: str = "utf-8"
    delimiter: str = ","
    title_lines: bool = True
    two_line_header: bool = False
    sex_layout: str = "column"  # column | two_column | female_x
    colnum_row: bool = False
    instructions_sheet: bool = False
    split_sheets: bool = False
    blank_rows: bool = False
    total_row: bool = False
    notes: bool = True
    signer_in_name_col: bool = False
    name_case: str = "normal"  # normal | upper | spaces | ascii
    header_variant: int = 0  # 0 formal, 1 short/abbreviations, 2 without diacritics, 3 upper case
    date_style: str = "dmy"  # dmy | dmy_dash | iso | my | y | excel | serial_text | dmy_dot
    qual_style: str = "full"
    title_in_qual: bool = False
    sex_words: str = "std"
    eth_variant: int = 0
    ward_style: str = "new_full"  # new_full | new_abbr | short | code | old | old_combined | absent
    yesno: str = "x"
    old_tone: bool = False
    cccd_numeric: bool = False
    with_cccd: bool = True


def unit_rng(seed: int, *parts: str) -> random.Random:
    return random.Random(zlib.crc32("|".join((str(seed), *parts)).encode()))


def choose_style(seed: int, unit_code: str, unit_kind: str, period: str, period_index: int) -> Style:
    """A unit keeps its template across periods; a few habits drift (e.g. TCVN3 -> Unicode)."""
    r = unit_rng(seed, "style", unit_code)
    d = unit_rng(seed, "drift", unit_code, period)
    s = Style()
    s.fmt = "csv" if r.random() < (0.25 if unit_kind == "ward" else 0.15) else "xlsx"
    form = r.choices(("nfc", "nfd", "tcvn3", "vni"), weights=(74, 8, 12, 6))[0]
    if form in ("tcvn3", "vni") and period_index >= 2 and d.random() < 0.5:
        form = "nfc"  # the unit finally switched to Unicode
    s.text_form = form
    if s.fmt == "csv":
        s.csv_encoding = {"tcvn3": "tcvn3", "vni": "vni"}.get(form) or r.choices(
            ("utf-8", "utf-8-sig", "utf-16", "cp1258"), weights=(40, 32, 12, 16))[0]
        if s.csv_encoding in ("utf-16", "cp1258") and form == "nfd":
            s.text_form = "nfc"
        s.delimiter = r.choice((",", ",", ",", ";", "\t")) if s.csv_encoding != "utf-16" else "\t"
        s.title_lines = r.random() < 0.25
        s.two_line_header = False
        s.sex_layout = r.choice(("column", "column", "female_x"))
        s.colnum_row = False
        s.notes = r.random() < 0.2
    else:
        s.title_lines = r.random() < 0.85
        s.two_line_header = r.random() < 0.45
        s.sex_layout = r.choices(("column", "two_column", "female_x"), weights=(55, 35, 10))[0]
        s.colnum_row = r.random() < 0.3
        s.instructions_sheet = r.random() < 0.2
        s.notes = r.random() < 0.7
        s.signer_in_name_col = r.random() < 0.3
        s.cccd_numeric = r.random() < 0.08
    s.split_sheets = s.fmt == "xlsx" and unit_kind != "ward" and r.random() < 0.5
    s.blank_rows = r.random() < 0.4
    s.total_row = r.random() < 0.35
    s.name_case = r.choices(("normal", "upper", "spaces", "ascii"), weights=(62, 18, 12, 8))[0]
    s.header_variant = r.choices((0, 1, 2, 3), weights=(45, 30, 12, 13))[0]
    s.date_style = r.choices(("dmy", "dmy_dash", "iso", "my", "y", "excel", "serial_text", "dmy_dot"),
                             weights=(34, 10, 6, 6, 10, 22, 5, 7))[0]
    if s.fmt == "csv" and s.date_style in ("excel", "serial_text"):
        s.date_style = "dmy"
    s.qual_style = r.choice(("full", "abbr", "abbr_dot", "alt"))
    s.title_in_qual = r.random() < 0.5
    s.sex_words = r.choices(("std", "lower", "ascii", "upper"), weights=(70, 10, 10, 10))[0]
    s.eth_variant = r.randrange(6)
    early = period_index == 0
    s.ward_style = r.choices(("new_full", "new_abbr", "short", "code", "old", "old_combined", "absent"),
                             weights=(30, 18, 8, 8, 20 if early else 8, 8 if early else 3, 12))[0]
    s.yesno = r.choice(tuple(YESNO))
    s.old_tone = r.random() < 0.2
    s.with_cccd = r.random() < 0.85
    if d.random() < 0.15:
        s.date_style = d.choice(("dmy", "excel", "y")) if s.fmt == "xlsx" else "dmy"
    return s


def render_name(name: str, style: Style, rng: random.Random) -> str:
    if style.name_case == "upper":
        return name.upper()
    if style.name_case == "ascii":
        return ascii_fold(name)
    if style.name_case == "spaces" and rng.random() < 0.6:
        parts = name.split(" ")
        k = rng.randrange(len(parts))
        return (" " if rng.random() < 0.3 else "") + "  ".join(parts) if k == 0 else " ".join(parts) + " "
    return name


def render_date(d: date, style: Style, rng: random.Random) -> tuple[object, str | None, str]:
    """-> (cell value, ISO as given, precision). Some clerks know only the year for some persons."""
    ds = style.date_style
    if ds not in ("y", "my") and rng.random() < 0.07:
        ds = "y"
    if ds == "dmy":
        return f"{d.day:02d}/{d.month:02d}/{d.year}", d.isoformat(), "day"
    if ds == "dmy_dash":
        return f"{d.day}-{d.month}-{d.year}", d.isoformat(), "day"
    if ds == "dmy_dot":
        return f"{d.day:02d}.{d.month:02d}.{d.year}", d.isoformat(), "day"
    if ds == "iso":
        return d.isoformat(), d.isoformat(), "day"
    if ds == "my":
        return f"{d.month:02d}/{d.year}", f"{d.year}-{d.month:02d}", "month"
    if ds == "y":
        return str(d.year) if rng.random() < 0.7 else d.year, str(d.year), "year"
    if ds == "excel":
        return d, d.isoformat(), "day"
    return str((d - EXCEL_EPOCH).days), d.isoformat(), "day"  # serial number stored as text


def bad_date(d: date, rng: random.Random) -> str:
    return rng.choice((f"31/02/{d.year}", f"{d.day:02d}/13/{d.year}", f"{d.day}/{d.month}/{d.year % 1000}",
                       f"{d.year}{d.month}", "không rõ"))


def render_qualification(state: PersonState, style: Style, role: str, rng: random.Random, *, title_allowed: bool) -> tuple[str, bool]:
    """-> (cell text, whether the academic title is inside the cell)."""
    qs = "medical" if role == "doctor" and style.qual_style != "full" else style.qual_style
    q = state.qualification_code
    text = QUAL_WORDS[qs][q]
    if qs == "alt" and q == "DH":
        text = {"engineer": "Kỹ sư", "doctor": "Bác sĩ"}.get(role, "Cử nhân")
    if title_allowed and state.academic_title_code and style.title_in_qual and q in _TITLE_QUAL:
        t = state.academic_title_code
        return rng.choice((f"{t}.{_TITLE_QUAL[q]}", f"{t}. {_TITLE_QUAL[q]}.", f"{t}.{_TITLE_QUAL[q]}")), True
    return text, False


def render_ward(person: Person, ward: Ward, style: Style, rng: random.Random) -> tuple[str, str]:
    """-> (ward cell, old district cell). Old names only where the old commune maps to one new unit."""
    ws = style.ward_style
    if ws in ("old", "old_combined") and person.old_ward is None:
        ws = "new_full"
    if ws == "new_full":
        return (ward.name if rng.random() < 0.8 else f"{ward.loai} {ward.short}"), ""
    if ws == "new_abbr":
        pre = "P." if ward.loai == "phường" else "X."
        return f"{pre}{'' if rng.random() < 0.4 else ' '}{ward.short}", ""
    if ws == "short":
        return ward.short, ""
    if ws == "code":
        return ward.code, ""
    assert person.old_ward is not None
    _, old_name, old_district = person.old_ward
    if ws == "old":
        return old_name, old_district
    dist = old_district.replace("Thành phố ", "TP. ").replace("Huyện ", "H. ").replace("Thị xã ", "TX. ")
    short = old_name.replace("Phường ", "P. ").replace("Xã ", "X. ").replace("Thị trấn ", "TT. ")
    return f"{short}, {dist}", ""


def render_ethnicity(code: str, style: Style) -> str:
    words = N.ETHNICITY_SPELLINGS[code]
    return words[style.eth_variant % len(words)] if code != "01" else words[style.eth_variant % len(words)]


def science_field_text(code: str, codes_names: dict[str, str], style: Style) -> str:
    return code if style.header_variant == 1 else codes_names.get(code, code)


def cccd_rule_problems(cccd: str, sex: str, birth_year: int, prefixes: set[str]) -> list[str]:
    """Rules of the 12-digit citizen ID (cccd_*.csv): what is wrong with this number, [] if valid."""
    if not cccd.isdigit():
        return ["not_digits"]
    if len(cccd) == 9:
        return ["old_cmnd"]
    if len(cccd) != 12:
        return ["length"]
    out = []
    if cccd[:3] not in prefixes:
        out.append("prefix")
    d4 = int(cccd[3])
    century = 1900 + 100 * (d4 // 2)
    female = d4 % 2 == 1
    if female != (sex == "F") or not (century <= birth_year < century + 100):
        out.append("sex_century")
    if int(cccd[4:6]) != birth_year % 100:
        out.append("birth_year")
    return out


def plant_invalid_cccd(cccd: str, rng: random.Random) -> str:
    kind = rng.choice(("short", "long", "prefix", "sex", "year"))
    if kind == "short":
        return cccd[:-1]
    if kind == "long":
        return cccd + str(rng.randrange(10))
    if kind == "prefix":
        return rng.choice(("099", "000", "085", "063")) + cccd[3:]
    if kind == "sex":
        d4 = int(cccd[3])
        return cccd[:3] + str(d4 ^ 1) + cccd[4:]
    yy = (int(cccd[4:6]) + rng.choice((1, 2, -1, 10))) % 100
    return cccd[:4] + f"{yy:02d}" + cccd[6:]


def codes_names(codes: CodeLists) -> dict[str, str]:
    from .population import CODES_DIR, read_csv

    return {r["code"]: r["name_vi"] for r in read_csv(CODES_DIR / "science_fields.csv") if r["level"] == "2"}
