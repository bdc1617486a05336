"""Errors a submitting unit can meet when a whole file cannot be read. Each says what, where and what to do,
in Vietnamese (for the unit) and English (for the team). Row-level problems are not exceptions: they are
recorded on the row (see ``readers.TableBlock.rows``)."""

from __future__ import annotations

import re
from pathlib import Path

__all__ = [
    "FileRejected",
    "EmptyFile",
    "HeaderOnly",
    "LimitExceeded",
    "PasswordProtected",
    "TruncatedWorkbook",
    "UnrecognisedHeader",
    "UnsupportedFormat",
    "WrongFileKind",
    "mask_headers_seen",
    "scrub_paths",
]


class FileRejected(Exception):
    """A file that cannot be loaded at all. ``issue_code`` goes to quality.ingest_row_issues."""

    issue_code: str = "file_rejected"

    def __init__(self, path: Path | str, message_vi: str, message_en: str) -> None:
        self.path = Path(path)
        self.message_vi = message_vi
        self.message_en = message_en
        super().__init__(message_en)


class EmptyFile(FileRejected):
    issue_code = "empty_file"

    def __init__(self, path: Path | str) -> None:
        name = Path(path).name
        super().__init__(
            path,
            f"Tệp rỗng: '{name}' không có dữ liệu. Đề nghị gửi lại tệp có dữ liệu.",
            f"Empty file: '{name}' holds no data. Please send the file again with its data.",
        )


class HeaderOnly(FileRejected):
    issue_code = "header_only"

    def __init__(self, path: Path | str, sheets: list[str]) -> None:
        name = Path(path).name
        where = ", ".join(f"'{s}'" for s in sheets) or "''"
        super().__init__(
            path,
            f"Tệp '{name}' chỉ có dòng tiêu đề cột, không có dòng dữ liệu nào (trang tính {where}). "
            "Đề nghị nhập dữ liệu bên dưới dòng tiêu đề rồi gửi lại.",
            f"File '{name}' has a header row but no data rows (sheet {where}). "
            "Please fill in the rows below the header and send it again.",
        )


class TruncatedWorkbook(FileRejected):
    issue_code = "truncated_workbook"

    def __init__(self, path: Path | str, detail: str) -> None:
        name = Path(path).name
        detail = _one_line_without_paths(detail, path)
        super().__init__(
            path,
            f"Không đọc được tệp Excel '{name}': tệp bị hỏng hoặc tải lên chưa hết ({detail}). "
            "Đề nghị mở tệp bằng Excel, lưu lại dạng .xlsx và gửi lại.",
            f"Cannot read workbook '{name}': the file is corrupt or truncated ({detail}). "
            "Please open it in Excel, save it as .xlsx and send it again.",
        )


class UnrecognisedHeader(FileRejected):
    issue_code = "unrecognised_header"

    def __init__(self, path: Path | str, headers_seen: dict[str, list[str]]) -> None:
        name = Path(path).name
        # the first line of a file without a header may be a person's record: quote header-like cells only
        headers_seen = mask_headers_seen(headers_seen)
        seen = (
            "; ".join(
                f"[{sheet[:31]}] " + ", ".join(h for h in heads[:_SEEN_CELLS])
                for sheet, heads in headers_seen.items()
                if heads
            )
            or "(không có / none)"
        )
        self.headers_seen = headers_seen
        super().__init__(
            path,
            f"Không nhận ra dòng tiêu đề cột trong tệp '{name}' (đã xem 30 dòng đầu của mọi trang tính). "
            f"Các tiêu đề đã thấy: {seen}. Đề nghị dùng biểu mẫu quy định (ví dụ cột 'Họ và tên', "
            "'Năm sinh', 'Số CCCD/ĐDCN'...) và gửi lại.",
            f"No recognisable header row in '{name}' (looked at the first 30 rows of every sheet). "
            f"Headers seen: {seen}. Please use the prescribed template (e.g. columns 'Họ và tên', "
            "'Năm sinh', 'Số CCCD/ĐDCN'...) and send it again.",
        )


class UnsupportedFormat(FileRejected):
    issue_code = "unsupported_format"

    def __init__(self, path: Path | str) -> None:
        name = Path(path).name
        suffix = Path(path).suffix or "(không có phần mở rộng)"
        super().__init__(
            path,
            f"Định dạng tệp '{name}' ({suffix}) không được hỗ trợ. Đề nghị gửi tệp Excel (.xlsx) hoặc CSV.",
            f"File format of '{name}' ({suffix}) is not supported. Please send an Excel (.xlsx) or CSV file.",
        )


class LimitExceeded(FileRejected):
    """A resource limit of ``ingest.limits`` (size, decompressed size, sheet dimension, rows, columns, cell
    length): decided before the file is decompressed or read. ``issue_code`` is the limit's code."""

    def __init__(self, path: Path | str, issue_code: str, what_vi: str, what_en: str) -> None:
        self.issue_code = issue_code
        name = Path(path).name
        super().__init__(
            path,
            f"Tệp '{name}' không được đọc: {what_vi}. Đề nghị kiểm tra, bỏ phần thừa hoặc chia nhỏ tệp rồi gửi lại.",
            f"File '{name}' was not read: {what_en}. Please check it, remove what is not needed or split it, "
            "and send it again.",
        )


class PasswordProtected(FileRejected):
    issue_code = "password_protected"

    def __init__(self, path: Path | str) -> None:
        name = Path(path).name
        super().__init__(
            path,
            f"Tệp '{name}' được đặt mật khẩu; gỡ mật khẩu rồi gửi lại "
            "(Excel: Tệp > Thông tin > Bảo vệ sổ làm việc > Mã hoá bằng mật khẩu, xoá mật khẩu, lưu).",
            f"File '{name}' is password-protected; remove the password and send it again "
            "(Excel: File > Info > Protect Workbook > Encrypt with Password, clear it, save).",
        )


class WrongFileKind(FileRejected):
    """The content is not what the extension says (a Word document, a PDF or an old .xls named '.xlsx')."""

    issue_code = "wrong_file_kind"

    def __init__(self, path: Path | str, kind_vi: str, kind_en: str) -> None:
        name = Path(path).name
        suffix = Path(path).suffix or "(không có phần mở rộng)"
        super().__init__(
            path,
            f"Tệp '{name}' có đuôi {suffix} nhưng nội dung là {kind_vi}, không phải bảng tính đúng loại. "
            "Đề nghị mở bằng Excel, lưu dạng .xlsx (Excel Workbook) rồi gửi lại.",
            f"File '{name}' is named {suffix} but holds {kind_en}, not a workbook of that kind. "
            "Please open it in Excel, save it as .xlsx (Excel Workbook) and send it again.",
        )


# --- What a rejection may quote of the file ---------------------------------------------------------------
_SEEN_SHEETS = 5  # sheets quoted
_SEEN_CELLS = 12  # cells quoted per sheet
_SEEN_CHARS = 40  # characters per quoted cell
_SEEN_HEADER_CHARS = 60  # a longer cell is not a header
_CCCD_RE = re.compile(r"(?<!\d)(\d{12}|\d{9})(?!\d)")  # citizen ID (12) or old ID card (9)
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_ID_RE = re.compile(r"(?<!\d)\d{9,12}(?!\d)")
_PHONE_RE = re.compile(r"(?<![\d])(\+?84|0)[\s.\-]?\d{2,3}([\s.\-]?\d{3}){2,3}(?!\d)")
_NAME_WORD_RE = re.compile(r"^[A-ZÀ-ỸĐ][a-zà-ỹđ]+$|^[A-ZÀ-ỸĐ]{2,}$")
_MASK_ID = "[số định danh / ID]"
_MASK_PHONE = "[số điện thoại / phone]"
_MASK_EMAIL = "[email]"
_MASK_NAME = "[họ tên? / name?]"


def _looks_like_name(text: str) -> bool:
    """2-5 capitalised words ('Nguyễn Văn An', 'TRẦN THỊ BÌNH') that are not a known header spelling."""
    import unicodedata

    words = unicodedata.normalize("NFC", text).split()
    if not 2 <= len(words) <= 5 or not all(_NAME_WORD_RE.match(w) for w in words):
        return False
    from ingest.headers import is_known_header  # late: headers reads the synonyms file

    return not is_known_header(text)


def _mask_cell(cell: str) -> str | None:
    """A cell as a rejection may quote it: None for a cell that is not header-like (long, mostly digits, a date),
    else the text with IDs, phones, e-mails and name-like cells masked, cut to _SEEN_CHARS characters."""
    text = " ".join(str(cell).split())
    if not text:
        return None
    digits = sum(ch.isdigit() for ch in text)
    if digits * 2 >= len(text) and not _ID_RE.search(text) and not _PHONE_RE.search(text):
        return None  # numbers, dates, amounts: data, not a header
    if _looks_like_name(text):
        return _MASK_NAME
    if len(text) > _SEEN_HEADER_CHARS:
        return None  # a sentence or an address: not a header
    text = _EMAIL_RE.sub(_MASK_EMAIL, text)
    text = _CCCD_RE.sub(_MASK_ID, text)
    text = _PHONE_RE.sub(_MASK_PHONE, text)
    text = _ID_RE.sub(_MASK_ID, text)
    return text if len(text) <= _SEEN_CHARS else text[: _SEEN_CHARS - 1] + "…"


def mask_headers_seen(headers_seen: dict[str, list[str]]) -> dict[str, list[str]]:
    """What an 'unrecognised header' rejection quotes: header-like cells only, IDs (9-12 digits), phones,
    e-mails and person-like names masked, at most _SEEN_CELLS cells of _SEEN_CHARS characters for _SEEN_SHEETS
    sheets. The rejection travels to the manifest, the issue tables, the unit's workbook and the event log."""
    out: dict[str, list[str]] = {}
    for sheet, cells in list(headers_seen.items())[:_SEEN_SHEETS]:
        shown = [m for m in (_mask_cell(c) for c in cells) if m is not None]
        out[sheet] = shown[:_SEEN_CELLS]
    return out


_ABSOLUTE_PATH_RE = re.compile(r"(?<![\w/\\])(?:[A-Za-z]:)?(?:[/\\][\w.\-~]+){2,}")


def scrub_paths(text: str, path: Path | str | None = None) -> str:
    """``text`` (an exception's message) without any place on our server: the file's path becomes its name and
    any other absolute path becomes '…'. For messages that leave the pipeline (manifest, unit workbook)."""
    if path is not None:
        name = Path(path).name
        for place in sorted({str(path), str(Path(path).resolve())}, key=len, reverse=True):
            text = text.replace(place, name)
    return _ABSOLUTE_PATH_RE.sub("…", text)


def _one_line_without_paths(detail: str, path: Path | str) -> str:
    """A reader's error text as a unit may read it: its first line, with the file's place on our server (calamine
    names the absolute path) replaced by the file name, at most 300 characters (cut after the path is gone)."""
    first = (detail.strip().splitlines() or [""])[0].strip()
    name = Path(path).name
    for place in sorted({str(path), str(Path(path).resolve())}, key=len, reverse=True):
        first = first.replace(place, name)
    return scrub_paths(first)[:300]
