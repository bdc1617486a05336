"""The true population behind the sample files: persons, their attributes and how they change by period."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ingest.registry import Unit, load_registry
from settings import DBT_PROJECT_DIR

from . import names as N

CODES_DIR = DBT_PROJECT_DIR / "seeds" / "codes"

STATUSES = ("ACTIVE", "RETIRED", "MOVED_AWAY", "ABROAD", "DECEASED")
ROLES = ("researcher", "lecturer", "doctor", "teacher", "engineer", "manager", "other")
_ROLE_WEIGHTS = (6, 18, 15, 26, 14, 12, 9)
# Persons from these employer types are reported by the Department of Home Affairs (SNV).
SNV_EMPLOYER_TYPES = {"CQNN", "DVSNCL", "TCKHCN_CL"}
_OTHER_CCCD_PREFIXES = ("079", "074", "040", "038", "036", "052", "051", "034", "001", "042", "030", "049", "068", "072")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass(frozen=True)
class Ward:
    code: str
    name: str  # 'Phường Biên Hòa'
    short: str  # 'Biên Hòa'
    loai: str  # phường | xã
    old: tuple[tuple[str, str, str], ...]  # (old code, old name, old district) mapping only to this ward


@dataclass
class CodeLists:
    units: list[Unit]
    wards: dict[str, Ward]
    ethnicity_codes: set[str]
    qualification_codes: set[str]
    science_fields_l2: list[str]
    science_field_codes: set[str]
    occupation_codes: set[str]
    employer_types: dict[str, str]  # employer_type code -> frascati sector
    sectors: set[str]
    cccd_prefixes_old: set[str]


def load_code_lists() -> CodeLists:
    units = list(load_registry().values())  # the seed's order
    xwalk = read_csv(CODES_DIR / "admin_units_dong_nai_old_to_new.csv")
    split_old = {r["ma_dvhc_cu"] for r in xwalk} - {
        c for c in {r["ma_dvhc_cu"] for r in xwalk} if sum(1 for x in xwalk if x["ma_dvhc_cu"] == c) == 1
    }
    wards: dict[str, Ward] = {}
    for r in read_csv(CODES_DIR / "admin_units_dong_nai.csv"):
        old = tuple(
            (x["ma_dvhc_cu"], x["ten_dvhc_cu"], x["ten_huyen_cu"]) for x in xwalk
            if x["ma_dvhc_moi"] == r["ma_dvhc"] and x["ma_dvhc_cu"] not in split_old
        )
        wards[r["ma_dvhc"]] = Ward(r["ma_dvhc"], r["ten_dvhc"], r["ten_rut_gon"], r["loai"], old)
    sectors = read_csv(CODES_DIR / "employment_sectors.csv")
    sf = read_csv(CODES_DIR / "science_fields.csv")
    return CodeLists(
        units=units,
        wards=wards,
        ethnicity_codes={r["code_1979_qd121"] for r in read_csv(CODES_DIR / "ethnic_groups.csv")},
        qualification_codes={r["code"] for r in read_csv(CODES_DIR / "qualification_levels.csv")},
        science_fields_l2=[r["code"] for r in sf if r["level"] == "2"],
        science_field_codes={r["code"] for r in sf if r["level"] in ("1", "2")},
        occupation_codes={r["code"] for r in read_csv(CODES_DIR / "occupations_vsco_major.csv")},
        employer_types={r["code"]: r["frascati_sector"] for r in sectors if r["scheme"] == "employer_type"},
        sectors={r["code"] for r in sectors if r["scheme"] == "frascati_2015"},
        cccd_prefixes_old={r["cccd_prefix"] for r in read_csv(CODES_DIR / "cccd_province_codes.csv")},
    )


@dataclass
class PersonState:
    """What is true of a person in one period."""

    status_code: str
    qualification_code: str
    academic_title_code: str | None
    employer: str
    employer_type_code: str
    sector_code: str | None
    is_overseas: bool
    is_lhh_member: bool
    is_trained: bool
    is_digital_trained: bool
    status_changed: bool  # status differs from the previous period (reported once with the new status)


@dataclass
class Person:
    person_id: str
    full_name: str
    sex_code: str
    birth_date: date
    cccd: str
    ethnicity_code: str
    residence_ward_code: str
    old_ward: tuple[str, str, str] | None
    role_code: str
    employer_unit: str | None  # reporting university for lecturers
    occupation_code: str
    science_field_code: str
    major: str
    teaching_level: str | None
    faculty: str | None
    position: str
    phone: str
    email: str
    first_period: str
    states: dict[str, PersonState] = field(default_factory=dict)

    @property
    def birth_year(self) -> int:
        return self.birth_date.year


def make_cccd(rng: random.Random, sex: str, birth: date, prefix: str, used: set[str]) -> str:
    century = (birth.year // 100) - 19
    digit4 = 2 * century + (1 if sex == "F" else 0)
    while True:
        cccd = f"{prefix}{digit4}{birth.year % 100:02d}{rng.randrange(10**6):06d}"
        if cccd not in used:
            used.add(cccd)
            return cccd


def _weighted(rng: random.Random, pairs) -> str:
    items, weights = zip(*pairs, strict=True)
    return rng.choices(items, weights=weights)[0]


_QUAL_BY_ROLE: dict[str, tuple[tuple[str, float], ...]] = {
    "lecturer_university": (("THS", 58), ("TS", 27), ("DH", 12), ("TSKH", 1)),
    "lecturer_college": (("THS", 55), ("DH", 38), ("TS", 5)),
    "lecturer_vocational": (("DH", 50), ("CD", 18), ("THS", 32)),
    "doctor": (("DH", 44), ("CK1", 30), ("CK2", 10), ("THS", 8), ("BSNT", 5), ("TS", 3)),
    "teacher_preschool": (("CD", 38), ("DH", 57), ("TC", 5)),
    "teacher_primary": (("DH", 85), ("CD", 12), ("THS", 3)),
    "teacher_lower_secondary": (("DH", 88), ("THS", 8), ("CD", 4)),
    "teacher_upper_secondary": (("DH", 74), ("THS", 26)),
    "researcher": (("THS", 40), ("TS", 35), ("DH", 25)),
    "engineer": (("DH", 80), ("THS", 18), ("TS", 2)),
    "manager": (("DH", 52), ("THS", 42), ("TS", 6)),
    "other": (("DH", 72), ("THS", 18), ("CD", 10)),
}
_UPGRADE = {"DH": "THS", "THS": "TS", "CK1": "CK2", "CD": "DH", "BSNT": "CK2"}


def _ward_weights(wards: list[str]) -> list[float]:
    # Biên Hòa-area and former provincial-town wards are far bigger than mountain communes.
    return [6.0 if w.startswith("26") and int(w) < 26070 else 2.5 if w in ("25210", "25195", "26080", "26380") else 1.0
            for w in wards]


def build_population(rng: random.Random, codes: CodeLists, persons: int, periods: list[str]) -> list[Person]:
    """N true persons with a per-period state; about 6% of persons first appear in each later period."""
    universities = [u for u in codes.units if u.kind == "university"]
    ward_codes = sorted(codes.wards)
    ward_w = _ward_weights(ward_codes)
    used_cccd: set[str] = set()
    used_email: set[str] = set()
    namesake_slots = [ns for ns in N.NAMESAKES for _ in range(4)]
    people: list[Person] = []
    n_new_later = int(persons * 0.06) if len(periods) > 1 else 0
    n_late = n_new_later * (len(periods) - 1)
    first_periods = [periods[0]] * (persons - n_late) + [p for p in periods[1:] for _ in range(n_new_later)]
    for i, first in enumerate(first_periods):
        pid = f"P{i + 1:06d}"
        role = rng.choices(ROLES, weights=_ROLE_WEIGHTS)[0]
        ethnicity = _weighted(rng, N.ETHNICITY_WEIGHTS)
        sex = "F" if rng.random() < (0.62 if role in ("teacher", "doctor") and rng.random() < 0.7 else 0.42) else "M"
        if i < len(namesake_slots):
            full_name, sex = namesake_slots[i]
            ethnicity = "01"
        else:
            full_name = _make_name(rng, sex, ethnicity)
        age_now = rng.choice(range(24, 68)) if role != "other" else rng.choice(range(24, 75))
        year = 2025 - age_now
        birth = date(year, rng.randint(1, 12), rng.randint(1, 28))
        prefix = "075" if rng.random() < 0.72 else "070" if rng.random() < 0.45 else rng.choice(_OTHER_CCCD_PREFIXES)
        cccd = make_cccd(rng, sex, birth, prefix, used_cccd)
        ward = rng.choices(ward_codes, weights=ward_w)[0]
        wobj = codes.wards[ward]
        old = rng.choice(wobj.old) if wobj.old else None
        teaching_level = faculty = None
        employer_unit = None
        if role == "lecturer":
            uni = rng.choice(universities)
            employer_unit, employer, etype = uni.code, uni.name_vi, uni.employer_type_code
            fac, sf = rng.choice(N.FACULTIES)
            faculty = fac
            qual_key = f"lecturer_{uni.institution_level}"
            occupation = "23"
        elif role == "doctor":
            employer, etype = rng.choice(N.HOSPITALS)
            sf = rng.choice(("302", "302", "302", "301", "303"))
            qual_key, occupation = "doctor", "22"
        elif role == "teacher":
            teaching_level = rng.choices(("preschool", "primary", "lower_secondary", "upper_secondary"), weights=(22, 32, 26, 20))[0]
            employer, etype = _school(rng, teaching_level), "DVSNCL"
            sf, qual_key = "503", f"teacher_{teaching_level}"
            occupation = "23"
        elif role == "researcher":
            employer, etype = rng.choice(N.INSTITUTES)
            sf = rng.choice(("106", "401", "404", "209", "207", "105", "211", "102"))
            qual_key, occupation = "researcher", "21"
        elif role == "engineer":
            employer, etype = rng.choice(N.ENTERPRISES)
            sf = rng.choice(("202", "203", "201", "102", "204", "211"))
            qual_key, occupation = "engineer", rng.choice(("21", "21", "25"))
        elif role == "manager":
            employer, etype = rng.choice(N.AGENCIES)
            sf = rng.choice(("502", "505", "506", "503", "599"))
            qual_key, occupation = "manager", rng.choice(("14", "24", "26"))
        else:
            employer, etype = rng.choice(N.OTHER_EMPLOYERS)
            sf = rng.choice(("505", "502", "604", "201"))
            qual_key, occupation = "other", rng.choice(("24", "26"))
        major = rng.choice(N.MAJORS.get(sf, ("",)))
        phone = f"0{rng.choice(('90', '91', '93', '94', '97', '98', '33', '35', '37', '38', '70', '77', '83', '86', '88'))}{rng.randrange(10**7):07d}"
        email = _email(rng, full_name, year, used_email) if rng.random() < 0.55 else ""
        position = rng.choice(N.POSITIONS[role])
        qual = _weighted(rng, _QUAL_BY_ROLE[qual_key])
        title = None
        if role == "lecturer" and qual in ("TS", "TSKH") and age_now >= 38 and rng.random() < 0.3:
            title = "GS" if age_now >= 50 and rng.random() < 0.2 else "PGS"
        elif role == "researcher" and qual == "TS" and age_now >= 40 and rng.random() < 0.12:
            title = "PGS"
        overseas = rng.random() < 0.02 and role in ("lecturer", "researcher", "engineer")
        lhh = rng.random() < (0.35 if role in ("researcher", "lecturer", "engineer") else 0.15 if role == "doctor" else 0.03)
        person = Person(
            person_id=pid, full_name=full_name, sex_code=sex, birth_date=birth, cccd=cccd,
            ethnicity_code=ethnicity, residence_ward_code=ward, old_ward=old, role_code=role,
            employer_unit=employer_unit, occupation_code=occupation, science_field_code=sf, major=major,
            teaching_level=teaching_level, faculty=faculty, position=position, phone=phone, email=email,
            first_period=first,
        )
        _evolve(rng, person, codes, periods, qual, title, employer, etype, overseas, lhh)
        people.append(person)
    return people


def _evolve(rng, person: Person, codes: CodeLists, periods, qual, title, employer, etype, overseas, lhh) -> None:
    status = "ABROAD" if overseas else "ACTIVE"
    started = False
    prev_status = None
    for k, period in enumerate(periods):
        if period == person.first_period:
            started = True
        if not started:
            continue
        year = int(period[:4])
        age = year - person.birth_year
        changed = False
        if prev_status is not None:
            if status in ("MOVED_AWAY", "DECEASED"):
                pass
            elif status == "ACTIVE" and age >= (60 if person.sex_code == "M" else 57) and rng.random() < 0.5:
                status = "RETIRED"
            elif status == "ACTIVE" and rng.random() < 0.025:
                status = rng.choice(("MOVED_AWAY", "MOVED_AWAY", "ABROAD"))
            elif status in ("ACTIVE", "RETIRED") and age > 55 and rng.random() < 0.012:
                status = "DECEASED"
            elif status == "ABROAD" and not overseas and rng.random() < 0.4:
                status = "ACTIVE"
            changed = status != prev_status
            if status == "ACTIVE" and rng.random() < 0.04 and qual in _UPGRADE:
                qual = _UPGRADE[qual]
            if person.role_code == "lecturer" and qual in ("TS", "TSKH") and title is None and age >= 38 and rng.random() < 0.05:
                title = "PGS"
            if not lhh and rng.random() < 0.03 and person.role_code in ("researcher", "lecturer", "engineer"):
                lhh = True
        elif age >= (62 if person.sex_code == "M" else 60) and status == "ACTIVE":
            status = "RETIRED"
        cur_etype = "QT" if overseas else "HUU" if status == "RETIRED" else etype
        cur_employer = rng.choice(N.ABROAD_EMPLOYERS) if overseas and prev_status is None else (
            person.states[periods[k - 1]].employer if overseas else employer)
        public = cur_etype in SNV_EMPLOYER_TYPES or cur_etype == "DH_CL"
        digital_share = (0.35, 0.6, 0.8, 0.9)[min(k, 3)]
        person.states[period] = PersonState(
            status_code=status,
            qualification_code=qual,
            academic_title_code=title,
            employer=cur_employer,
            employer_type_code=cur_etype,
            sector_code=codes.employer_types.get(cur_etype) or None,
            is_overseas=overseas,
            is_lhh_member=lhh,
            is_trained=status == "ACTIVE" and rng.random() < (0.35 if public else 0.12),
            is_digital_trained=person.role_code == "teacher" and status == "ACTIVE" and rng.random() < digital_share,
            status_changed=changed,
        )
        prev_status = status


def _school(rng: random.Random, level: str) -> str:
    prefix = rng.choice(N.SCHOOL_PREFIX[level])
    if level == "preschool":
        return f"{prefix} {rng.choice(N.PRESCHOOL_NAMES)}"
    return f"{prefix} {rng.choice(N.SCHOOL_PATRONS)}"


def _make_name(rng: random.Random, sex: str, ethnicity: str) -> str:
    family = rng.choice(N.MINORITY_FAMILY[ethnicity]) if ethnicity in N.MINORITY_FAMILY else _weighted(rng, N.FAMILY_NAMES)
    middle = rng.choice(N.MIDDLE_FEMALE if sex == "F" else N.MIDDLE_MALE)
    given = rng.choice(N.GIVEN_FEMALE if sex == "F" else N.GIVEN_MALE)
    if family == "K'":
        return f"K'{given}"  # Mạ names such as K'Lộc: one word, no middle name
    return f"{family} {middle} {given}"


def _ascii(text: str) -> str:
    import unicodedata

    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _email(rng: random.Random, full_name: str, year: int, used: set[str]) -> str:
    parts = _ascii(full_name).lower().replace("'", "").split()
    local = parts[-1] + "".join(p[0] for p in parts[:-1]) + (str(year % 100) if rng.random() < 0.5 else "")
    domain = rng.choice(("gmail.com", "gmail.com", "yahoo.com", "dongnai.gov.vn", "lhu.edu.vn", "dntu.edu.vn"))
    email = f"{local}@{domain}"
    while email in used:
        email = f"{local}{rng.randrange(100)}@{domain}"
    used.add(email)
    return email
