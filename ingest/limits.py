"""Resource limits on submitted files, decided before a reader decompresses or allocates anything.

Why: ~110 units write the landing zone, and one file must never take the whole pass down. calamine (the workbook
reader) allocates the bounding box of a sheet's cells: a 5.6 KB .xlsx with one cell at A1 and one at XFD1048576
asks for 512 GB and the process aborts, with nothing recorded. A zip bomb (5 MB inflating to 1.1 GB) was read as
4.27 M rows. So before a workbook is opened we check, from the file itself:

* its kind by content (magic bytes), not only by its extension (:func:`sniff_kind`);
* the zip members' declared sizes (sum <= ratio x the file and <= an absolute cap);
* every worksheet's declared ``<dimension ref=...>`` (read from the first kilobytes of the member) and every cell
  reference ``r="..."`` of the sheet, streamed and never inflated past the cap (a member that inflates beyond the
  size it declares is caught too): rows, columns and rows x columns of the bounding box. The fast path is two RE2
  passes per chunk (a reference past the declared box; a cell without ``r``); only a sheet whose dimension cannot be
  trusted is followed cell by cell. Cost: ~6 % of the loader's time on the 100,000-row .xlsx bench. A worksheet is
  the member calamine reads for a sheet (its relationship's target, found by name in any case) and every member
  under xl/worksheets/. The reader may measure each sheet just before it loads it instead (``defer_sheets``,
  :class:`PendingSheets`): a returned template loads only its marker sheet and its list, and never pays for its
  hidden codes sheet, a third of the file. The parts the reader inflates as it opens a workbook (the shared strings,
  styles, the workbook and its relationships) are counted while inflating too, before it opens it;
* .xls and .ods, whose extents are not cheap to read without the reader: opened first by the reader in a child
  process with a memory limit (``_probe_in_subprocess``), so a crash is that file's only (``reader_crashed``).

A breach rejects that file only, with a reason the unit can act on (``ingest.errors.LimitExceeded``).

One environment variable per limit (read at each check, so a test or an operator can change them):

=============================  ===========  ==========================================================
variable                       default      what it bounds
=============================  ===========  ==========================================================
TRITHUC_MAX_FILE_MB            500          size of any submitted file (MB)
TRITHUC_MAX_UNZIPPED_MB        500          a workbook's decompressed size, all members (MB)
TRITHUC_MAX_UNZIPPED_RATIO     50           decompressed size / file size of a workbook
TRITHUC_MAX_ROWS               1000000      rows per sheet, and rows per file (all sheets)
TRITHUC_MAX_COLUMNS            500          columns per sheet or CSV
TRITHUC_MAX_SHEET_CELLS        10000000     rows x columns of a sheet's bounding box (memory: ~32 B each)
TRITHUC_MAX_CELL_CHARS         32767        characters in one cell (Excel's own limit)
=============================  ===========  ==========================================================

The bounding box matters more than rows and columns apart: calamine allocates rows x columns cells of ~32 bytes
whatever is in them, so 1,000,000 rows x 500 columns (each within its limit) would still ask for 16 GB; 10 M cells
is ~320 MB, and 400,000 rows x 25 columns, far more than any unit sends.

A cell longer than Excel's own limit rejects the file (it names sheet, row and column, never the text): no
spreadsheet program writes such a cell, so it is a broken or crafted file, and truncating it would load a value
nobody sent. ``limits_table()`` gives this table for the README.
"""

from __future__ import annotations

import html
import json
import os
import posixpath
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow.compute as pc

from ingest.errors import LimitExceeded, PasswordProtected, WrongFileKind
from ingest.text_repair import buffer_as_string

__all__ = [
    "Limits", "PendingSheets", "current_limits", "limits_table", "sniff_kind", "check_file", "check_cell_lengths",
]  # fmt: skip

_MB = 1 << 20

# (environment variable, Limits field, default, unit, meaning)
_SETTINGS = (
    ("TRITHUC_MAX_FILE_MB", "file_mb", 500, "MB", "size of any submitted file"),
    ("TRITHUC_MAX_UNZIPPED_MB", "unzipped_mb", 500, "MB", "a workbook's decompressed size (all members)"),
    ("TRITHUC_MAX_UNZIPPED_RATIO", "unzipped_ratio", 50, "x", "decompressed size / file size of a workbook"),
    ("TRITHUC_MAX_ROWS", "rows", 1_000_000, "rows", "rows per sheet and per file"),
    ("TRITHUC_MAX_COLUMNS", "columns", 500, "columns", "columns per sheet or CSV"),
    (
        "TRITHUC_MAX_SHEET_CELLS",
        "sheet_cells",
        10_000_000,
        "cells",
        "rows x columns of a sheet's bounding box",
    ),
    ("TRITHUC_MAX_CELL_CHARS", "cell_chars", 32_767, "characters", "characters in one cell (Excel's limit)"),
)


@dataclass(frozen=True)
class Limits:
    file_mb: int
    unzipped_mb: int
    unzipped_ratio: int
    rows: int
    columns: int
    sheet_cells: int
    cell_chars: int


def current_limits() -> Limits:
    """The limits in force: each environment variable of the table above, else its default."""
    values = {}
    for env, name, default, _unit, _what in _SETTINGS:
        raw = os.environ.get(env, "").strip().replace("_", "")
        values[name] = int(raw) if raw.isdigit() and int(raw) > 0 else default
    return Limits(**values)


def limits_table() -> str:
    """A Markdown table of the limits (variable, default, value in force, meaning), for the README."""
    now = current_limits()
    lines = ["| variable | default | in force | bounds |", "|---|---|---|---|"]
    for env, name, default, unit, what in _SETTINGS:
        lines.append(f"| `{env}` | {default:,} {unit} | {getattr(now, name):,} | {what} |")
    return "\n".join(lines)


# --- What a file really is -------------------------------------------------------------------------------
_ZIP = b"PK\x03\x04"
_ZIP_EMPTY = b"PK\x05\x06"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_OTHER_MAGIC = (
    (b"%PDF", "pdf", "tệp PDF", "a PDF document"),
    (b"\x89PNG", "image", "ảnh PNG", "a PNG image"),
    (b"\xff\xd8\xff", "image", "ảnh JPEG", "a JPEG image"),
    (b"GIF8", "image", "ảnh GIF", "a GIF image"),
    (b"Rar!", "archive", "tệp nén RAR", "a RAR archive"),
    (b"7z\xbc\xaf", "archive", "tệp nén 7z", "a 7z archive"),
    (b"\x1f\x8b", "archive", "tệp nén gzip", "a gzip archive"),
    (b"{\\rtf", "rtf", "văn bản RTF", "an RTF document"),
)
_KIND_NAMES = {
    "xlsx": ("bảng tính Excel .xlsx", "an Excel .xlsx workbook"),
    "xls": ("bảng tính Excel 97-2003 .xls", "an Excel 97-2003 .xls workbook"),
    "ods": ("bảng tính OpenDocument .ods", "an OpenDocument .ods spreadsheet"),
    "docx": ("văn bản Word", "a Word document"),
    "pptx": ("bài trình chiếu PowerPoint", "a PowerPoint presentation"),
    "zip": ("tệp nén zip", "a zip archive"),
    "ole2": ("tệp Office cũ không phải bảng tính", "an old Office file that is not a workbook"),
    "html": ("trang web (HTML/XML) đổi tên", "a web page (HTML/XML) renamed"),
    "text": ("tệp văn bản / CSV", "a text / CSV file"),
    "binary": ("tệp nhị phân không rõ loại", "a binary file of unknown kind"),
}
# What each accepted extension may hold, by content. The extensions are ingest.readers.ACCEPTED_SUFFIXES, the one
# list of accepted kinds: the reader refuses any other before calling check_file, and imports this module, so this
# one cannot import the list back; tests/ingest/test_file_kinds.py holds the keys equal to it.
_EXPECTED = {
    ".xlsx": {"xlsx", "broken_zip"}, ".xlsm": {"xlsx", "broken_zip"}, ".xls": {"xls"},
    ".ods": {"ods", "broken_zip"}, ".csv": {"text"}, ".txt": {"text"},
}  # fmt: skip


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "broken_zip"  # truncated or corrupt: the reader says so
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    if any(n.startswith("ppt/") for n in names):
        return "pptx"
    if "content.xml" in names and ("mimetype" in names or "META-INF/manifest.xml" in names):
        return "ods"
    return "zip"


def _ole2_is_encrypted(path: Path) -> bool:
    """An OLE2 file holding an 'EncryptedPackage' stream is an Office 2007+ file with a password (its directory
    entries carry UTF-16 names); an .xls with a password says so to calamine, which we recognise by its message."""
    tail = b""
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            if _ENCRYPTED_PACKAGE in tail + chunk:
                return True
            tail = chunk[-len(_ENCRYPTED_PACKAGE) :]
    return False


def sniff_kind(path: Path) -> str:
    """What the file is by its first bytes: xlsx (zip with xl/workbook.xml; xlsm too), ods, docx, pptx, zip,
    xls (OLE2), encrypted (an OLE2 'EncryptedPackage': a workbook with a password), ole2, pdf, image, archive,
    rtf, html, text or binary."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head.startswith((_ZIP, _ZIP_EMPTY)):
        return _zip_kind(path)
    if head.startswith(_OLE2):
        if _ole2_is_encrypted(path):
            return "encrypted"
        return "xls"  # the Word/PowerPoint cases of OLE2 are left to the reader, which rejects them
    for magic, kind, _vi, _en in _OTHER_MAGIC:
        if head.startswith(magic):
            return kind
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<html", b"<!doctype", b"<?xml", b"<table", b"<meta")):
        return "html"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"  # UTF-16 with its BOM
    if b"\x00" in head:
        # UTF-16 without a BOM: every other byte is zero in ASCII-heavy text
        return (
            "text"
            if head[1::2].count(0) > len(head) // 3 or head[0::2].count(0) > len(head) // 3
            else "binary"
        )
    return "text"


def _kind_label(kind: str) -> tuple[str, str]:
    for _magic, k, vi, en in _OTHER_MAGIC:
        if k == kind:
            return vi, en
    return _KIND_NAMES.get(kind, ("tệp không rõ loại", "a file of unknown kind"))


# --- The checks ------------------------------------------------------------------------------------------
def check_file(path: Path, suffix: str, *, defer_sheets: bool = False) -> PendingSheets | None:
    """Raise a ``FileRejected`` (``LimitExceeded``, ``WrongFileKind`` or ``PasswordProtected``) when the file
    must not be given to a reader; return None when it may be read. Reads the first bytes, the zip directory and
    the worksheets' cell references: never more than the decompression cap.

    ``defer_sheets``: an .xlsx's worksheets are not measured here but returned, as :class:`PendingSheets`, for the
    reader to measure each one just before it loads it (a returned template loads two of its five sheets, and its
    hidden codes sheet is a third of the file). Every other check is made here all the same, the zip-level caps
    (declared sizes, ratio, encryption) for the whole file included. None when nothing is left to measure."""
    lim = current_limits()
    size = path.stat().st_size
    if size > lim.file_mb * _MB:
        raise LimitExceeded(
            path, "too_large",
            f"tệp nặng {size / _MB:,.0f} MB, vượt giới hạn {lim.file_mb:,} MB",
            f"the file is {size / _MB:,.0f} MB, over the limit of {lim.file_mb:,} MB",
        )  # fmt: skip
    kind = sniff_kind(path)
    if kind == "encrypted":
        raise PasswordProtected(path)
    expected = _EXPECTED.get(suffix, set())
    if kind not in expected:
        raise WrongFileKind(path, *_kind_label(kind))
    pending = None
    if kind in ("xlsx", "ods"):
        pending = _check_zip(path, size, kind, lim)
        if kind == "ods" or not defer_sheets:
            pending = pending.check_all()
    if kind in ("xls", "ods"):
        # Their sheet extents are not cheap to read without the reader (BIFF records, ODS repeat counts): the
        # reader measures them in a process of its own, with a memory limit, so a crash is that file's only.
        _probe_in_subprocess(path, lim)
    return pending


# The probe: calamine builds each sheet's range (the allocation that can abort the process) and reports its size.
_PROBE = """
import json, resource, sys
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
import fastexcel
try:
    reader = fastexcel.read_excel(sys.argv[1])
    sizes = []
    for name in reader.sheet_names:
        sheet = reader.load_sheet(name, header_row=None, n_rows=1, dtypes="string")
        sizes.append([name, sheet.total_height, sheet.width])
    print(json.dumps({"sheets": sizes}))
except Exception as exc:  # a broken file: the reader in the loader names it
    print(json.dumps({"error": type(exc).__name__}))
"""
PROBE_MEMORY = 2 << 30  # address space of the probing process
PROBE_TIMEOUT = 120  # seconds


def _probe_in_subprocess(path: Path, lim: Limits) -> None:
    """Open the workbook in a child process limited to PROBE_MEMORY of address space and PROBE_TIMEOUT seconds:
    a reader that aborts or hangs rejects this file (``reader_crashed``); the sheet sizes it reports are checked
    like an .xlsx's. About 0.1 s per file: only for .xls and .ods, which units rarely send."""
    try:
        out = subprocess.run(
            [sys.executable, "-c", _PROBE, str(path), str(PROBE_MEMORY)],
            capture_output=True, text=True, timeout=PROBE_TIMEOUT, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        out = None
    if out is None or out.returncode != 0:
        raise LimitExceeded(
            path, "reader_crashed",
            "trình đọc bảng tính không mở được tệp trong giới hạn bộ nhớ và thời gian (thường do trang tính khai "
            "báo vùng dữ liệu rất lớn); mở tệp bằng Excel, xoá các ô thừa, lưu dạng .xlsx",
            "the workbook reader could not open the file within its memory and time limits (usually a sheet "
            "declaring a huge used range); open it in Excel, delete stray cells and save it as .xlsx",
        )  # fmt: skip
    try:
        report = json.loads(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return
    for name, height, width in report.get("sheets", []):
        _check_box(path, str(name), int(height or 0), max(int(width or 0), 1), lim, declared=False)


def _check_zip(path: Path, size: int, kind: str, lim: Limits) -> PendingSheets:
    """The zip-level caps of the whole file (declared sizes, ratio, encryption); the sheets are left to measure."""
    cap = min(lim.unzipped_mb * _MB, lim.unzipped_ratio * max(size, 1))
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        declared = sum(i.file_size for i in infos)
        if declared > cap:
            raise _unzipped_too_large(path, declared, size, lim)
        if any(i.flag_bits & 0x1 for i in infos):
            raise PasswordProtected(path)
        if kind == "xlsx":
            members, sheets = _worksheet_members(zf)
        else:
            members, sheets = ["content.xml"], None
    pending = PendingSheets(path, size, kind, lim, infos, members, sheets, cap)
    if kind == "xlsx":
        # what the reader inflates when it opens the workbook, before any sheet (the shared strings above all):
        # counted while inflating here, so a part that lies about its size is stopped before the reader sees it
        pending.inflate([i for i in infos if i.filename.lower() in _OPENED_PARTS])
    return pending


# The parts calamine reads when it opens an .xlsx (names in lower case: it finds them in any case).
_OPENED_PARTS = frozenset({
    "[content_types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedstrings.xml",
    "xl/styles.xml",
})  # fmt: skip


class PendingSheets:
    """The worksheets of a workbook not measured yet (``check_file(..., defer_sheets=True)``). The reader measures
    the sheets it is about to load (:meth:`check_sheets`), or all of them before it loads every sheet
    (:meth:`check_all`); a member is measured once, and the members share one decompression budget, as when
    ``check_file`` measures them all at once. Nothing of a sheet reaches the reader before it is measured."""

    def __init__(
        self, path: Path, size: int, kind: str, lim: Limits, infos: list[zipfile.ZipInfo], members: list[str],
        sheets: list[tuple[str, str]] | None, cap: int,
    ) -> None:  # fmt: skip
        self._path, self._size, self._kind, self._lim = path, size, kind, lim
        self._infos: dict[str, list[zipfile.ZipInfo]] = {}
        for info in infos:  # a name the zip holds twice: both entries are measured
            self._infos.setdefault(info.filename, []).append(info)
        self._pending = list(dict.fromkeys(members))
        self._sheets = sheets
        self._budget = [cap, cap]  # [left, cap], shared by all members: what they may inflate to, together

    @property
    def sheet_names(self) -> list[str] | None:
        """The workbook's sheet names in its order, as read from its workbook.xml (None when its sheets do not map
        plainly to members: then a reader must list them itself)."""
        return None if self._sheets is None else [n for n, _ in self._sheets]

    def check_all(self) -> None:
        """Measure every worksheet not measured yet (before a reader that loads every sheet)."""
        self._check(list(self._pending))

    def check_sheets(self, names: Sequence[str], listed: Sequence[str]) -> None:
        """Measure what the reader reads for the sheets ``names``, before it reads them. ``listed``: the sheet names
        in the reader's order (``fastexcel``'s ``sheet_names``). Only when they are the workbook's own, in its order,
        and the workbook maps every sheet to one member plainly (:func:`_worksheet_members`) are the other sheets'
        members left for later (or never, when nothing reads them); else every worksheet is measured now. A member
        of no sheet is measured now too."""
        sheets = self._sheets
        if sheets is None or list(listed) != [n for n, _ in sheets] or not set(names) <= set(listed):
            return self.check_all()
        wanted = set(names)
        later = {m for n, m in sheets if n not in wanted} - {m for n, m in sheets if n in wanted}
        self._check([m for m in self._pending if m not in later])

    def inflate(self, infos: Sequence[zipfile.ZipInfo]) -> None:
        """Inflate these members, counting against the shared budget and each one's declared size (no sheet scan)."""
        if not infos:
            return
        with open(self._path, "rb") as fh:
            for info in infos:
                self._drain(fh, info)

    def _drain(self, fh, info: zipfile.ZipInfo) -> None:
        for _chunk in _inflate(self._path, fh, info, self._budget, self._lim, self._size):
            pass

    def _check(self, members: list[str]) -> None:
        if not members:
            return
        with open(self._path, "rb") as fh:
            for name in members:
                for info in self._infos.get(name, ()):  # none: the reader reports the broken workbook
                    if self._kind == "xlsx":
                        _check_sheet(self._path, fh, info, self._budget, self._lim, self._size)
                    else:
                        self._drain(fh, info)  # ODS: the size caps only (content.xml is one stream for every sheet)
                self._pending.remove(name)


def _unzipped_too_large(path: Path, unzipped: int, size: int, lim: Limits) -> LimitExceeded:
    return LimitExceeded(
        path, "too_large",
        f"tệp nén {size / _MB:,.1f} MB giải nén ra ít nhất {unzipped / _MB:,.0f} MB, vượt giới hạn "
        f"({lim.unzipped_ratio} lần kích thước tệp và {lim.unzipped_mb:,} MB)",
        f"the {size / _MB:,.1f} MB file inflates to at least {unzipped / _MB:,.0f} MB, over the limit "
        f"({lim.unzipped_ratio} times the file size and {lim.unzipped_mb:,} MB)",
    )  # fmt: skip


# Tags and attributes as an XML parser reads them: any namespace prefix, either quote, '>' inside a quoted value.
_SHEET_TAG_RE = re.compile(rb"""<(?:[^\s<>/:'"]+:)?sheet(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*>""")
_REL_TAG_RE = re.compile(rb"""<(?:[^\s<>/:'"]+:)?Relationship(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*>""")
_ATTR_RE = re.compile(rb"""([^\s<>/='"]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# a workbook.xml or its relationships bigger than this is no workbook's: then every member is measured
_PART_MAX = 8 * _MB


def _attrs(tag: bytes) -> list[tuple[bytes, bytes]]:
    return [(k, a or b) for k, a, b in _ATTR_RE.findall(tag)]


def _sheet_paths(target: str) -> set[str]:
    """Where a reader may look for a sheet whose relationship targets ``target``, in lower case: calamine reads
    '/x' as 'x' and anything else as 'xl/' + it (newer versions keep a leading 'xl/'), then finds the member by name
    in any case; normalised ('a/../b') too."""
    paths = {target[1:] if target.startswith("/") else f"xl/{target}", target}
    paths |= {posixpath.normpath(p) for p in paths}
    return {p.lower() for p in paths}


def _worksheet_members(zf: zipfile.ZipFile) -> tuple[list[str], list[tuple[str, str]] | None]:
    """(the members a reader may read as worksheets, all to be measured; the sheets as (name, member) in workbook
    order when each sheet names exactly one member, else None).

    The members: every member a sheet's relationship may name (:func:`_sheet_paths`; all the relationships one id
    names), and every member under xl/worksheets/ besides, in case the two disagree. A workbook whose sheet list or
    relationships cannot be read (missing, or over ``_PART_MAX``) has every member measured."""
    infos = zf.infolist()
    names = list(dict.fromkeys(i.filename for i in infos))
    by_lower: dict[str, list[str]] = {}
    for info in infos:
        by_lower.setdefault(info.filename.lower(), []).append(info.filename)
    out = sorted(n for n in names if n.lower().startswith("xl/worksheets/") and n.lower().endswith(".xml"))

    def read_all(part: str) -> list[bytes] | None:
        # every member of that name in any case (the reader takes one of them); small parts, read whole (zipfile
        # stops at the declared size)
        found = [i for i in infos if i.filename.lower() == part]
        if not found or any(i.file_size > _PART_MAX for i in found):
            return None
        return [zf.read(i) for i in found]

    try:
        wbs, rels = read_all("xl/workbook.xml"), read_all("xl/_rels/workbook.xml.rels")
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        wbs = rels = None
    if not wbs or not rels:
        return names, None
    targets: dict[bytes, list[str]] = {}
    for part in rels:
        for tag in _REL_TAG_RE.findall(part):
            attrs = dict(_attrs(tag))
            if b"Id" in attrs and b"Target" in attrs:
                targets.setdefault(attrs[b"Id"], []).append(attrs[b"Target"].decode("utf-8", "replace"))
    sheets: list[tuple[str, str]] | None = [] if len(wbs) == 1 and len(rels) == 1 else None
    for part in wbs:
        for tag in _SHEET_TAG_RE.findall(part):
            attrs = _attrs(tag)
            # any attribute that names a relationship (r:id, relationships:id, another prefix) may be the one read
            members = list(dict.fromkeys(
                m for _k, v in attrs for t in targets.get(v, ()) for p in sorted(_sheet_paths(t))
                for m in by_lower.get(p, ())
            ))  # fmt: skip
            out.extend(m for m in members if m not in out)
            label = [v for k, v in attrs if k == b"name"]
            if sheets is not None and len(members) == 1 and len(label) == 1:
                sheets.append((html.unescape(label[0].decode("utf-8", "replace")), members[0]))
            else:
                sheets = None
    if sheets is not None:
        counts = Counter(i.filename for i in infos)
        if len({n for n, _ in sheets}) < len(sheets) or any(counts[m] > 1 for _, m in sheets):
            sheets = None  # two sheets of one name, or a member the zip holds twice: no plain map
    return out, sheets


def _inflate(path: Path, fh, info: zipfile.ZipInfo, budget: list[int], lim: Limits, size: int):
    """Yield a member's bytes in chunks, inflating the raw stream ourselves: a member that inflates past the
    size it declares (or past the shared budget) is stopped there and rejected, whatever its header claims."""
    fh.seek(info.header_offset)
    local = fh.read(30)
    if len(local) < 30 or local[:4] != _ZIP:
        return  # broken: the reader reports it
    name_len, extra_len = struct.unpack("<HH", local[26:30])
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    left = info.compress_size
    if info.compress_type == zipfile.ZIP_STORED:
        inflater = None
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-15)
    else:
        return  # another method: the reader reports it
    out = 0
    while left > 0:
        raw = fh.read(min(left, 1 << 20))
        if not raw:
            return
        left -= len(raw)
        data = raw if inflater is None else inflater.decompress(raw, budget[0] + 1)
        while True:
            out += len(data)
            budget[0] -= len(data)
            if budget[0] < 0 or out > info.file_size + (1 << 16):
                raise _unzipped_too_large(path, budget[1] - budget[0], size, lim)
            if data:
                yield data
            if inflater is None or not inflater.unconsumed_tail:
                break
            data = inflater.decompress(inflater.unconsumed_tail, budget[0] + 1)


_DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Za-z]*)(\d*)(?::([A-Za-z]*)(\d*))?"')
_MAX_TAG = 64 << 10  # a longer tag (or text between tags) makes the scan follow every cell


def _col_number(letters: bytes | str) -> int:
    n = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.upper().decode():
        n = n * 26 + (ord(ch) - 64)
    return n


def _col_letters(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _greater_than(s: str, klass: str, top: str, letters: bool = False) -> str:
    """An RE2 alternation matching the strings of ``klass`` characters that stand for a number greater than
    ``s`` (longer, or as long and greater from some position on): '1000' -> '[0-9]{5,}|[2-9][0-9]{3}|...'.
    ``letters``: column letters, either case (no (?i): RE2 runs several times faster without it)."""

    def same(ch: str) -> str:
        return f"[{ch}{ch.lower()}]" if letters else re.escape(ch)

    def above(ch: str) -> str:
        n = chr(ord(ch) + 1)
        return f"[{n}-{top}{n.lower()}-{top.lower()}]" if letters else f"[{n}-{top}]"

    alts = [f"{klass}{{{len(s) + 1},}}"]
    for i, ch in enumerate(s):
        if ch < top:
            rest = len(s) - i - 1
            alts.append("".join(same(c) for c in s[:i]) + above(ch) + (f"{klass}{{{rest}}}" if rest else ""))
    return "(?:" + "|".join(alts) + ")"


def _beyond_pattern(rows: int, cols: int) -> str:
    """RE2: a cell or row reference ``r="..."`` past row ``rows`` or column ``cols`` (letters of either case,
    either quote, spaces around '='). The ``r`` must follow white space, as an XML attribute does: ``ref="..."``
    never matches, nor an attribute ending in 'r' such as LibreOffice's ``defaultGridColor="true"`` ('TRUE' read as
    a column past the box sent every LibreOffice-saved sheet through the slower exact pass)."""
    row_gt = _greater_than(str(rows), "[0-9]", "9")
    col_gt = _greater_than(_col_letters(cols), "[A-Za-z]", "Z", letters=True)
    return rf"""\sr\s*=\s*["'](?:[A-Za-z]*{row_gt}|{col_gt}[0-9]*)["']"""


# A cell tag with no ``r`` attribute: calamine puts it in the column after the previous cell, whatever the
# dimension says, so its place is only known by following the cells (``_Extent``).
_CELL_WITHOUT_R = r"""<(?:\w+:)?c(?:\s+(?:[^r\s=>/][^\s=>/]*|r[^\s=>/]+)\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>"""


def _check_sheet(path: Path, fh, info: zipfile.ZipInfo, budget: list[int], lim: Limits, size: int) -> None:
    """The sheet's declared dimension (first chunk), then every chunk streamed through the fast path: one RE2 pass
    for a reference past the declared box or a cell without ``r`` (it takes the next column). Only when it says the dimension cannot be trusted (or there is none) is the exact
    extent computed, in a second pass that follows the cells as calamine does. Nothing of the sheet is kept."""
    sheet = info.filename.rsplit("/", 1)[-1]
    left_before = budget[0]
    pattern = None
    tail = b""
    exact = False
    for chunk in _inflate(path, fh, info, budget, lim, size):
        data = tail + chunk
        if pattern is None:
            m = _DIMENSION_RE.search(data)
            if m and m.group(2):
                c1, r1, c2, r2 = m.group(1), m.group(2), m.group(3) or m.group(1), m.group(4) or m.group(2)
                rows, cols = max(int(r1), int(r2)), max(_col_number(c1), _col_number(c2), 1)
                _check_box(path, sheet, rows, cols, lim, declared=True)
                # one RE2 pass a chunk: a reference past the box, or a cell placed by order
                pattern = f"{_beyond_pattern(rows, cols)}|{_CELL_WITHOUT_R}"
            elif len(data) > 4096 or b"<sheetData" in data:
                exact = True  # no dimension
                break
            else:
                tail = data
                continue
        text = buffer_as_string(data)
        if pc.match_substring_regex(text, pattern)[0].as_py():
            exact = True  # a cell past the declared box, or cells placed by order: measure the real box
            break
        # the tag cut at the end of this chunk is looked at again with the next one
        last = data.rfind(b"<")
        tail = data[last:] if last >= 0 else b""
        if len(tail) > _MAX_TAG:
            exact = True  # a tag this long is no spreadsheet's: follow the cells
            break
    if exact:
        budget[0] = left_before  # the member is inflated again, from its start
        extent = _Extent()
        carry = b""
        for chunk in _inflate(path, fh, info, budget, lim, size):
            data = carry + chunk
            cut = data.rfind(b"<")
            extent.feed(data[:cut] if cut > 0 else b"")
            carry = data[cut:] if cut > 0 else data
            _check_box(path, sheet, extent.max_row, max(extent.max_col, 1), lim, declared=False)
        extent.feed(carry)
        _check_box(path, sheet, extent.max_row, max(extent.max_col, 1), lim, declared=False)


_TOKEN_RE = re.compile(rb"<(?:\w+:)?(row|c)(?=[\s/>])([^>]*)>")
_R_ATTR_RE = re.compile(rb"""(?:^|\s)r\s*=\s*["']\s*([A-Za-z]{0,4})(\d{0,12})\s*["']""")


class _Extent:
    """The bounding box of a sheet's cells as calamine places them: a row or cell with ``r`` goes there, one
    without goes after the previous (next row; next column in its row)."""

    def __init__(self) -> None:
        self.row = self.col = self.max_row = self.max_col = 0

    def feed(self, data: bytes) -> None:
        row, col, max_row, max_col = self.row, self.col, self.max_row, self.max_col
        for tag, attrs in _TOKEN_RE.findall(data):
            m = _R_ATTR_RE.search(attrs)
            if tag == b"row":
                row = int(m.group(2)) if m and m.group(2) else row + 1
                col = 0
            else:
                col = _col_number(m.group(1)) if m and m.group(1) else col + 1
                if m and m.group(2):
                    row = int(m.group(2))
                max_col = max(max_col, col)
            max_row = max(max_row, row)
        self.row, self.col, self.max_row, self.max_col = row, col, max_row, max_col


def _check_box(path: Path, sheet: str, rows: int, cols: int, lim: Limits, declared: bool) -> None:
    how_vi = "khai báo" if declared else "thực tế"
    how_en = "declares" if declared else "reaches"
    box = f"{_col_letters(cols)}{rows:,}"
    if rows > lim.rows or cols > lim.columns or rows * cols > lim.sheet_cells:
        raise LimitExceeded(
            path, "sheet_too_large",
            f"trang tính '{sheet}' {how_vi} vùng dữ liệu tới ô {box} ({rows:,} dòng x {cols:,} cột), vượt giới hạn "
            f"{lim.rows:,} dòng, {lim.columns:,} cột, {lim.sheet_cells:,} ô; xoá các ô thừa ở xa bảng rồi lưu lại",
            f"sheet '{sheet}' {how_en} a used range up to cell {box} ({rows:,} rows x {cols:,} columns), over the "
            f"limit of {lim.rows:,} rows, {lim.columns:,} columns, {lim.sheet_cells:,} cells; delete stray cells "
            "far from the table and save it again",
        )  # fmt: skip


def check_rows_and_columns(path: Path, rows: int, cols: int, where: str = "") -> None:
    """Rows per file and columns, once known (CSV after parsing; every file as a last guard)."""
    lim = current_limits()
    if rows > lim.rows:
        raise LimitExceeded(
            path, "too_many_rows",
            f"tệp có {rows:,} dòng{where}, vượt giới hạn {lim.rows:,} dòng mỗi tệp; chia thành nhiều tệp",
            f"the file has {rows:,} rows{where}, over the limit of {lim.rows:,} rows per file; split it",
        )  # fmt: skip
    if cols > lim.columns:
        raise LimitExceeded(
            path, "too_many_columns",
            f"tệp có {cols:,} cột{where}, vượt giới hạn {lim.columns:,} cột",
            f"the file has {cols:,} columns{where}, over the limit of {lim.columns:,} columns",
        )  # fmt: skip


def check_cell_lengths(path: Path, sheet: str, cols: list, first_row: int, source_rows=None) -> None:
    """Reject the file when a cell is longer than ``TRITHUC_MAX_CELL_CHARS``: its sheet, row and column are named,
    never its text. Byte lengths first (cheap, and never shorter than the character count)."""
    lim = current_limits()
    for j, col in enumerate(cols):
        if not len(col):
            continue
        longest = pc.max(pc.binary_length(col)).as_py()
        if longest is None or longest <= lim.cell_chars:
            continue
        chars = pc.utf8_length(col)
        top = pc.max(chars).as_py() or 0
        if top <= lim.cell_chars:
            continue
        i = pc.index(chars, top).as_py()
        row = int(source_rows[i]) if source_rows is not None and i < len(source_rows) else first_row + i
        where_vi = f"trang tính '{sheet}', " if sheet else ""
        where_en = f"sheet '{sheet}', " if sheet else ""
        raise LimitExceeded(
            path, "cell_too_long",
            f"ô ở {where_vi}dòng {row}, cột {_col_letters(j + 1)} dài {top:,} ký tự, vượt giới hạn "
            f"{lim.cell_chars:,} ký tự của Excel",
            f"the cell at {where_en}row {row}, column {_col_letters(j + 1)} holds {top:,} characters, "
            f"over Excel's limit of {lim.cell_chars:,}",
        )  # fmt: skip
