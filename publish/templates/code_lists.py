"""The code lists a template's drop-downs offer: the reference seeds as the warehouse holds them (``reference.*``,
dbt's copies of ``dbt_project/seeds``), or the seed files themselves before the first dbt build.

Each list is (name shown, code): the name is a spelling dbt's encoding knows (a reference name or a synonym seed's
value), so a value chosen from a drop-down always maps. Sex and status have no code-list seed of their own: their
names are the synonym seeds' own spellings, checked there.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import duckdb

from ingest.template_returns import STATUS_NAMES  # the loader checks a returned row's status change by them
from settings import DBT_PROJECT_DIR

# The names shown for the codes of the two lists kept only as synonym seeds (each checked against its seed).
SEX_NAMES = {"M": "Nam", "F": "Nữ"}


@dataclass(frozen=True)
class CodeList:
    key: str  # 'ethnicity'
    short: str  # 'dt': names the list's ranges in formulas (ten_dt, bang_dt)
    title: str  # its column on the hidden 'Danh mục' sheet
    entries: tuple[tuple[str, str], ...]  # (name shown, code), in the order the drop-down lists them
    strict: bool = (
        True  # False: a value outside the list is allowed after a warning (an address out of the city)
    )

    def name_of(self, code: str | None) -> str | None:
        if code is None:
            return None
        return self._names.get(str(code))

    @cached_property
    def _names(self) -> dict[str, str]:
        return {code: name for name, code in self.entries}

    def code_of(self, name: str) -> str | None:
        """The code of ``name`` in any case (as the sheets' VLOOKUP finds it: the first entry of that name), None
        when the list lacks it."""
        return self._codes.get(name.casefold())

    @cached_property
    def _codes(self) -> dict[str, str]:
        codes: dict[str, str] = {}
        for name, code in self.entries:
            codes.setdefault(name.casefold(), code)
        return codes

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.entries]


class CodeListMissing(RuntimeError):
    """A code list is neither in the warehouse nor among the seed files."""


def _seed_file(name: str) -> Path:
    found = sorted((DBT_PROJECT_DIR / "seeds").rglob(f"{name}.csv"))
    if not found:
        raise CodeListMissing(
            f"the code list {name} is neither reference.{name} nor a seed file under dbt_project/seeds"
        )
    return found[0]


def _source(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """``reference.<name>`` when the warehouse has it, else the seed file read as text."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_catalog = current_database() "
        "and table_schema = 'reference' and table_name = ?",
        [name],
    ).fetchone()[0]
    if exists:
        return f"reference.{name}"
    path = str(_seed_file(name)).replace("'", "''")
    return f"read_csv('{path}', all_varchar = true, header = true)"


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D").casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _checked(con: duckdb.DuckDBPyConnection, seed: str, names: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """(name, code) pairs of ``names`` after checking each is a spelling of its code in the synonym seed."""
    known = {
        (str(v), str(c)) for v, c in con.execute(f"select value, code from {_source(con, seed)}").fetchall()
    }
    missing = [f"{n} -> {c}" for c, n in names.items() if (n, c) not in known]
    if missing:
        raise CodeListMissing(f"{seed} lacks the spellings the templates show: {', '.join(missing)}")
    return tuple((n, c) for c, n in names.items())


def load_code_lists(con: duckdb.DuckDBPyConnection) -> dict[str, CodeList]:
    """The drop-down lists by persons field (sex, ethnicity, qualification, academic_title, science_field,
    residence_ward, status)."""

    def pairs(sql: str) -> tuple[tuple[str, str], ...]:
        return tuple((str(n), str(c)) for n, c in con.execute(sql).fetchall() if n and c)

    wards = sorted(
        pairs(f"select ten_dvhc, ma_dvhc from {_source(con, 'admin_units_dong_nai')}"),
        key=lambda p: _fold(p[0]),
    )
    return {
        "sex": CodeList("sex", "gt", "Giới tính", _checked(con, "sex_synonyms", SEX_NAMES)),
        "ethnicity": CodeList(
            "ethnicity",
            "dt",
            "Dân tộc",
            pairs(
                f"select name_vi, code_1979_qd121 from {_source(con, 'ethnic_groups')} "
                "order by try_cast(gso_code as integer), gso_code"
            ),
        ),  # fmt: skip
        "qualification": CodeList(
            "qualification",
            "td",
            "Trình độ chuyên môn",
            pairs(
                f"select name_vi, code from {_source(con, 'qualification_levels')} "
                "order by try_cast(vnqf_level as integer), code"
            ),
        ),  # fmt: skip
        "academic_title": CodeList(
            "academic_title",
            "hh",
            "Học hàm",
            pairs(
                f"select name_vi, code from {_source(con, 'academic_titles')} "
                "order by type <> 'academic_title', code <> 'GS', code"
            ),
        ),  # fmt: skip
        "science_field": CodeList(
            "science_field",
            "lv",
            "Lĩnh vực KH&CN",
            pairs(
                f"select name_vi, code from {_source(con, 'science_fields')} "
                "where try_cast(level as integer) <= 2 order by code"
            ),
        ),  # fmt: skip
        "residence_ward": CodeList("residence_ward", "px", "Phường, xã", tuple(wards), strict=False),
        "status": CodeList("status", "tt", "Tình trạng", _checked(con, "status_synonyms", STATUS_NAMES)),
    }


def lists_digest(lists: dict[str, CodeList]) -> str:
    """A digest of the lists' content: a template is rebuilt when a list it offers changed."""
    h = hashlib.sha256()
    for key in sorted(lists):
        h.update(key.encode())
        for name, code in lists[key].entries:
            h.update(f"\x1f{name}\x1e{code}".encode())
    return h.hexdigest()[:16]
