"""Look for the restricted store's personal values everywhere else the pipeline writes.

The values are those landed in the restricted store (``pii.raw_<dataset>``): full names (two words or more),
citizen IDs and phone numbers (their digits, 9 digits or more), e-mail addresses, exact birth dates (as written
and as ISO dates) and addresses with a house number. They are looked for, whole or inside a longer text, in:

* every text column of every table of the analytics file and of the readers' snapshot (DuckDB files are
  compressed: they are read through DuckDB, not as bytes);
* every file under the given folders: exports and reports (Parquet and Excel read cell by cell, the rest as text),
  Data Docs, Dagster's storage (its SQLite event log and compute logs), `make run`'s log (``logs/``) and dbt's
  ``target/`` and ``logs/``.

Files a unit is meant to get its own rows back in are not scanned: the feedback workbooks (``--skip`` names them)
and the pre-filled templates (``reports/templates``, always skipped, like the restricted store: each carries a
unit's own people, names and CCCDs included, back to it, and is written 0600 in a 0700 folder).
National packages carry CCCDs by design (the national database's key): they are not scanned either, and are
written with mode 0600. A value the project's own source spells out (a dbt unit test's made-up name) is no find.

Usage: ``python -m tools.privacy_scan [--warehouse W] [--skip reports/feedback] [FOLDER ...]``; exits 1 and
lists where each value was found (the value itself is never printed: its kind and a hash prefix are).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest.datasets import DATASETS, PERSONAL_DATASETS
from publish.templates.paths import templates_root
from settings import DBT_PROJECT_DIR, RESTRICTED_CATALOG, restricted_path, warehouse_path

_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"\d+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d{2})")
MAX_NAME_WORDS = 6
SOURCE_FOLDERS = tuple(DBT_PROJECT_DIR / d for d in ("models", "tests", "macros", "seeds"))
# Text-like files are read whole; bigger ones (none is expected) in their first bytes only.
MAX_TEXT_BYTES = 200 * 1024 * 1024


def _words(text: str) -> list[str]:
    """Words without case or diacritics ('NGUYỄN Văn' and 'nguyen van' agree, as the dbt guard compares them)."""
    text = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return _WORD.findall("".join(ch for ch in text if not unicodedata.combining(ch)))


@dataclass
class PersonalValues:
    """The values to look for, in the forms they are compared in."""

    names: set[tuple[str, ...]]  # words, case-folded
    first_words: set[str]
    numbers: set[str]  # digits of CCCDs and phones (9+)
    emails: set[str]
    dates: set[str]  # 'dd/mm/yyyy' as written (normalised) and 'yyyy-mm-dd'
    addresses: set[tuple[str, ...]]

    def __len__(self) -> int:
        return len(self.names) + len(self.numbers) + len(self.emails) + len(self.dates) + len(self.addresses)

    @staticmethod
    def _hash(kind: str, value: str) -> str:
        return f"{kind}#{hashlib.sha256(value.encode()).hexdigest()[:10]}"

    def find(self, text: str) -> list[str]:
        """The personal values in ``text``, as 'kind#hash' labels (never the value)."""
        if not text:
            return []
        hits: list[str] = []
        for run in _DIGITS.findall(text):
            if len(run) >= 9 and (run in self.numbers or run.lstrip("0") in self.numbers):
                hits.append(self._hash("number", run))
        if "@" in text:
            hits += [self._hash("email", e) for e in _EMAIL.findall(text.casefold()) if e in self.emails]
        for d, m, y in _DATE.findall(text):
            key = f"{int(d):02d}/{int(m):02d}/{y}"
            if key in self.dates:
                hits.append(self._hash("birth_date", key))
        words = _words(text)
        for i, word in enumerate(words):
            if word not in self.first_words:
                continue
            for width in range(2, MAX_NAME_WORDS + 1):
                gram = tuple(words[i : i + width])
                if len(gram) < width:
                    break
                if gram in self.names:
                    hits.append(self._hash("name", " ".join(gram)))
                if gram in self.addresses:
                    hits.append(self._hash("address", " ".join(gram)))
        return hits


def personal_values(restricted: Path) -> PersonalValues:
    """Every personal value landed in the restricted store."""
    values = PersonalValues(set(), set(), set(), set(), set(), set())
    with duckdb.connect(str(restricted), read_only=True) as con:
        for dataset in PERSONAL_DATASETS:
            fields = DATASETS[dataset].personal_fields
            table = f"raw_{dataset}"
            have = {r[0] for r in con.execute(
                "select column_name from information_schema.columns where table_name = ?", [table]
            ).fetchall()}
            for field in fields:
                if field not in have:
                    continue
                for (value,) in con.execute(f'select distinct "{field}" from {table} where "{field}" is not null'
                                            ).fetchall():
                    _add(values, field, str(value))
    return values


def _add(values: PersonalValues, field: str, value: str) -> None:
    if field in ("cccd", "phone"):
        digits = "".join(_DIGITS.findall(value.removesuffix(".0")))
        if len(digits) >= 9:
            forms = {digits}
            if field == "phone" and digits.startswith("84") and len(digits) >= 11:
                forms.add("0" + digits[2:])  # +84 912 ... is written 0912 ... elsewhere
            for form in forms:
                values.numbers.update((form, form.lstrip("0")))
    elif field == "email":
        values.emails.update(e for e in _EMAIL.findall(value.casefold()))
    elif field == "birth_date":
        for d, m, y in _DATE.findall(value):
            values.dates.add(f"{int(d):02d}/{int(m):02d}/{y}")
        iso = re.search(r"((?:19|20)\d{2})-(\d{2})-(\d{2})", value)
        if iso:
            values.dates.add(f"{iso.group(3)}/{iso.group(2)}/{iso.group(1)}")
    elif field == "full_name":
        words = tuple(_words(value))
        if 2 <= len(words) <= MAX_NAME_WORDS:
            values.names.add(words)
            values.first_words.add(words[0])
    elif field in ("residence_ward", "residence_district", "note"):
        # an address with a house number ('Số 12 đường Võ Thị Sáu, KP 3, P. Trấn Biên'): its words from the number
        # on; a ward name alone is public
        words = tuple(_words(value))
        if any(w.isdigit() for w in words) and len(words) >= 4:
            start = next(i for i, w in enumerate(words) if w.isdigit())
            gram = words[max(0, start - 1) : max(0, start - 1) + MAX_NAME_WORDS]
            if len(gram) >= 3:
                values.addresses.add(gram)
                values.first_words.add(gram[0])


@dataclass(frozen=True)
class Hit:
    where: str
    label: str


def scan_duckdb(path: Path, values: PersonalValues, skip_catalogs: Iterable[str] = ()) -> Iterator[Hit]:
    """Every text column (lists of text included) of every table of a DuckDB file."""
    with duckdb.connect(str(path), read_only=True) as con:
        columns = con.execute(
            "select c.table_schema, c.table_name, c.column_name from information_schema.columns c "
            "join information_schema.tables t using (table_catalog, table_schema, table_name) "
            "where t.table_type = 'BASE TABLE' and (c.data_type like 'VARCHAR%' or c.data_type like '%[]' "
            "or c.data_type like 'STRUCT%' or c.data_type = 'JSON')"
        ).fetchall()
        for schema, table, column in columns:
            rows = con.execute(
                f'select distinct cast("{column}" as varchar) from "{schema}"."{table}" where "{column}" is not null'
            ).fetchall()
            for (text,) in rows:
                for label in values.find(text):
                    yield Hit(f"{path.name}:{schema}.{table}.{column}", label)


def _file_texts(path: Path) -> Iterator[str]:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        with duckdb.connect() as con:
            rel = con.sql("select * from read_parquet(?)", params=[str(path)])
            for row in rel.fetchall():
                yield " | ".join("" if v is None else str(v) for v in row)
        return
    if suffix in (".xlsx", ".xlsm"):
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            for row in book.get_sheet_by_name(name).to_python():
                yield " | ".join("" if v is None else str(v) for v in row)
        return
    if suffix == ".duckdb" or suffix == ".wal":
        return  # read through DuckDB (scan_duckdb)
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.file_size <= MAX_TEXT_BYTES:
                    yield archive.read(info).decode("utf-8", errors="ignore")
        return
    with path.open("rb") as handle:
        yield handle.read(MAX_TEXT_BYTES).decode("utf-8", errors="ignore")


def scan_files(root: Path, values: PersonalValues, skip: Iterable[Path] = ()) -> Iterator[Hit]:
    skipped = [p.resolve() for p in skip]
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        resolved = path.resolve()
        if any(resolved.is_relative_to(s) for s in skipped):
            continue
        for text in _file_texts(path):
            for label in values.find(text):
                yield Hit(str(path), label)


def scan(
    warehouse: Path,
    folders: Iterable[Path],
    *,
    restricted: Path | None = None,
    snapshots: Iterable[Path] = (),
    skip: Iterable[Path] = (),
) -> tuple[PersonalValues, list[Hit]]:
    """The personal values of the restricted store, and every place outside it they were found."""
    store = restricted or restricted_path(warehouse)
    values = personal_values(store)
    hits = list(scan_duckdb(warehouse, values))
    for snapshot in snapshots:
        if snapshot.exists():
            hits += scan_duckdb(snapshot, values)
    skip = [*skip, store.parent, templates_root(warehouse)]  # templates carry a unit's people back by design
    for folder in folders:
        if folder.exists():
            hits += scan_files(folder, values, skip)
    # A value the project's own source spells out (a dbt unit test's made-up 'Nguyễn Văn An', which dbt copies into
    # target/ and its log) did not come from a submission.
    in_source = {h.label for folder in SOURCE_FOLDERS for h in scan_files(folder, values)}
    return values, [h for h in hits if h.label not in in_source]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, default=None)
    parser.add_argument("--skip", type=Path, action="append", default=[], help="a folder not to scan")
    parser.add_argument("folders", type=Path, nargs="*")
    args = parser.parse_args(argv)
    warehouse = args.warehouse or warehouse_path()
    base = warehouse.parent
    folders = args.folders or [base / "exports", base / "reports", base / "dagster_home", base / "logs",
                               Path("dbt_project") / "target", Path("dbt_project") / "logs"]
    skip = args.skip or [base / "reports" / "feedback"]
    values, hits = scan(warehouse, folders, snapshots=[base / "published" / "trithuc.duckdb"], skip=skip)
    print(f"{len(values)} personal values of {RESTRICTED_CATALOG} looked for in {warehouse.name}, the snapshot and "
          f"{len(folders)} folders")
    places = sorted({(h.where, h.label) for h in hits})
    for where, label in places[:200]:
        print(f"  {where}: {label}")
    print(f"{len(places)} finds" if places else "none found")
    return 1 if places else 0


if __name__ == "__main__":
    sys.exit(main())
