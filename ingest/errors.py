"""Errors a submitting unit can meet when a whole file cannot be read. Each says what, where and what to do,
in Vietnamese (for the unit) and English (for the team). Row-level problems are not exceptions: they are
recorded on the row (see ``readers.TableBlock.rows``)."""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "FileRejected",
    "EmptyFile",
    "HeaderOnly",
    "TruncatedWorkbook",
    "UnrecognisedHeader",
    "UnsupportedFormat",
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
        seen = (
            "; ".join(
                f"[{sheet}] " + ", ".join(h for h in heads[:12])
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


def _one_line_without_paths(detail: str, path: Path | str) -> str:
    """A reader's error text as a unit may read it: its first line, with the file's place on our server (calamine
    names the absolute path) replaced by the file name, at most 300 characters (cut after the path is gone)."""
    first = (detail.strip().splitlines() or [""])[0].strip()
    name = Path(path).name
    for place in sorted({str(path), str(Path(path).resolve())}, key=len, reverse=True):
        first = first.replace(place, name)
    return first[:300]

