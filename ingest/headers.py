"""Map submitted column headers to canonical fields and recognise the dataset a header row belongs to.

Spellings live in ``ingest/header_synonyms.csv`` (dataset, field, spelling; dataset '*' = every dataset).
Matching ignores case, diacritics, đ/Đ, spaces and punctuation, and tries the text without any
parenthesised part ("Dân số trung bình (người)" -> "Dân số trung bình").
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ingest.datasets import DATASETS
from settings import HEADER_SYNONYMS_CSV

__all__ = [
    "ROW_NUMBER",
    "SEX_TICK_FIELDS",
    "HeaderMatch",
    "normalize_header",
    "header_key",
    "load_synonyms",
    "map_headers",
    "recognise_dataset",
    "combine_header_rows",
    "is_known_header",
]

ROW_NUMBER = "_row_number"  # the 'STT' column: recognised, then dropped
# Tick columns 'Nam' | 'Nữ' (alone or under 'Giới tính'): an 'x' in one gives the sex; the reader turns them
# into the persons field 'sex'.
SEX_TICK_FIELDS = ("_sex_male", "_sex_female")
_PSEUDO_FIELDS = {"persons": frozenset(SEX_TICK_FIELDS)}
_ALL = "*"
_PARENS_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_PUNCT_RE = re.compile(r"[\s.,:;/\\()\[\]{}\-_&+*'\"|?!#%]+")


def normalize_header(text: str | None, *, keep_diacritics: bool = False) -> str:
    """NFC, lower case, no diacritics (unless asked), đ -> d, punctuation and runs of spaces/newlines -> one
    space."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFC", str(text).lower())
    if not keep_diacritics:
        text = unicodedata.normalize("NFD", text.replace("đ", "d"))
        text = "".join(c for c in text if not unicodedata.combining(c))
    return _PUNCT_RE.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def header_key(text: str | None, *, keep_diacritics: bool = False) -> str:
    """The comparison key: the normalised header without any space ('KH&CN' == 'KHCN' == 'KH & CN')."""
    return normalize_header(text, keep_diacritics=keep_diacritics).replace(" ", "")


def _texts(text: str | None) -> list[str]:
    if not text:
        return []
    texts = [text]
    if "(" in text or "[" in text:
        texts.append(_PARENS_RE.sub(" ", text))
    return texts


@dataclass(frozen=True)
class _Synonyms:
    # Exact keys keep diacritics ('năm' != 'nam'); loose keys drop them and are used when the exact key is
    # unknown. A loose key two fields share is ambiguous (None) and never matches.
    exact: dict[str, str]
    loose: dict[str, str | None]

    def get(self, text: str) -> str | None:
        fld = self.exact.get(header_key(text, keep_diacritics=True))
        if fld is None:
            fld = self.loose.get(header_key(text))
        return fld


@lru_cache(maxsize=4)
def load_synonyms(path: Path = HEADER_SYNONYMS_CSV) -> dict[str, _Synonyms]:
    """Spellings per dataset; the row-number spellings (dataset '*') are added to every dataset.

    Raises ValueError when the CSV names an unknown dataset/field or one spelling maps to two fields."""
    exact: dict[str, dict[str, str]] = {name: {} for name in DATASETS}
    loose: dict[str, dict[str, str | None]] = {name: {} for name in DATASETS}
    with open(path, encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            dataset, fld, spelling = row["dataset"].strip(), row["field"].strip(), row["spelling"]
            if dataset != _ALL and dataset not in DATASETS:
                raise ValueError(f"{path}:{line}: unknown dataset {dataset!r}")
            known = fld in _PSEUDO_FIELDS.get(dataset, ()) or (
                dataset != _ALL and fld in DATASETS[dataset].field_names
            )
            if fld != ROW_NUMBER and not known:
                raise ValueError(f"{path}:{line}: unknown field {dataset}.{fld}")
            targets = list(DATASETS) if dataset == _ALL else [dataset]
            key, loose_key = header_key(spelling, keep_diacritics=True), header_key(spelling)
            for target in targets:
                previous = exact[target].get(key)
                if previous is not None and previous != fld:
                    raise ValueError(
                        f"{path}:{line}: {spelling!r} maps to both {target}.{previous} and {target}.{fld}"
                    )
                exact[target][key] = fld
                if loose[target].get(loose_key, fld) != fld:
                    loose[target][loose_key] = None
                else:
                    loose[target][loose_key] = fld
    return {name: _Synonyms(exact[name], loose[name]) for name in DATASETS}


@dataclass
class HeaderMatch:
    """How one header row maps onto one dataset."""

    dataset: str
    # column position -> field (only mapped columns)
    fields_by_column: dict[int, str] = field(default_factory=dict)
    # field -> original header text
    column_map: dict[str, str] = field(default_factory=dict)
    row_number_column: int | None = None
    unmapped: list[str] = field(default_factory=list)

    @property
    def mapped_count(self) -> int:
        return len(self.fields_by_column)

    @property
    def has_signature(self) -> bool:
        return all(f in self.column_map for f in DATASETS[self.dataset].signature)


@lru_cache(maxsize=262144)
def _field_for(dataset: str, text: str) -> str | None:
    synonyms = load_synonyms()[dataset]
    for variant in _texts(text):
        fld = synonyms.get(variant)
        if fld is not None:
            return fld
    return None


def _lookup(dataset: str, candidates: Sequence[str | None]) -> str | None:
    for text in candidates:
        if text:
            fld = _field_for(dataset, str(text))
            if fld is not None:
                return fld
    return None


@lru_cache(maxsize=4)
def _all_keys(path: Path = HEADER_SYNONYMS_CSV) -> frozenset[str]:
    keys: set[str] = set()
    for syn in load_synonyms(path).values():
        keys.update(syn.exact)
        keys.update(k for k, v in syn.loose.items() if v is not None)
    return frozenset(keys)


@lru_cache(maxsize=262144)
def is_known_header(text: str | None) -> bool:
    """Whether ``text`` is a spelling of some field of some dataset (a cheap test before ``recognise_dataset``:
    title lines and data rows are passed over)."""
    if not text:
        return False
    keys = _all_keys()
    for variant in _texts(str(text)):
        if header_key(variant, keep_diacritics=True) in keys or header_key(variant) in keys:
            return True
    return False


def map_headers(
    headers: Sequence[str | None],
    dataset: str,
    candidates: Sequence[Sequence[str | None]] | None = None,
) -> HeaderMatch:
    """Map one header row onto ``dataset``. ``candidates[i]`` are alternative texts for column i tried in
    order (for two-row headers: parent+child, child, parent); by default the header itself.
    The first column to claim a field wins; later duplicates are reported as unmapped."""
    match = HeaderMatch(dataset=dataset)
    for i, text in enumerate(headers):
        if text is None or not str(text).strip():
            continue
        options = candidates[i] if candidates is not None else (text,)
        fld = _lookup(dataset, options)
        if fld == ROW_NUMBER:
            if match.row_number_column is None:
                match.row_number_column = i
            continue
        if fld is None or fld in match.column_map:
            match.unmapped.append(str(text))
            continue
        match.fields_by_column[i] = fld
        match.column_map[fld] = str(text)
    return match


def recognise_dataset(
    headers: Sequence[str | None],
    candidates: Sequence[Sequence[str | None]] | None = None,
) -> HeaderMatch | None:
    """The dataset whose signature fields are all mapped and which maps the most columns, or None."""
    best: HeaderMatch | None = None
    for name in DATASETS:
        match = map_headers(headers, name, candidates)
        if match.has_signature and (best is None or match.mapped_count > best.mapped_count):
            best = match
    return best


def combine_header_rows(parent: Sequence[str | None], child: Sequence[str | None]) -> list[list[str | None]]:
    """Per-column candidate texts for a two-row header (a merged parent cell over its children).

    A merged parent holds its text in its first column only, so a child with an empty parent above it
    takes the nearest parent to its left, when that parent also has a child (i.e. it spans children)."""
    width = max(len(parent), len(child))
    parent = list(parent) + [None] * (width - len(parent))
    child = list(child) + [None] * (width - len(child))
    out: list[list[str | None]] = []
    current: str | None = None
    for i in range(width):
        p = parent[i] if parent[i] is not None and str(parent[i]).strip() else None
        c = child[i] if child[i] is not None and str(child[i]).strip() else None
        if p is not None:
            current = p if c is not None else None
        elif c is None:
            current = None
        effective = p if p is not None else (current if c is not None else None)
        if effective is not None and c is not None:
            out.append([f"{effective} {c}", c, effective])
        else:
            out.append([c if c is not None else effective])
    return out
