"""Files that quote personal data get restrictive modes: the folder 0700, each file 0600.

For the restricted store (``ingest.connect.ensure_restricted_store``), national packages and their outbox state
(citizen IDs: the national database's key) and feedback workbooks (they quote a unit's own rows back to it).
"""

from __future__ import annotations

import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """``path`` created if missing (with its parents), its mode set to 0700."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, DIR_MODE)
    return path


def make_private(path: Path) -> Path:
    """Narrow an existing file's mode to 0600."""
    if (Path(path).stat().st_mode & 0o777) != FILE_MODE:
        os.chmod(path, FILE_MODE)
    return Path(path)


def write_private_bytes(path: Path, data: bytes, *, fsync: bool = True) -> None:
    """Write ``data`` to a file created with mode 0600 (an existing file is truncated and narrowed)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        os.fchmod(handle.fileno(), FILE_MODE)
        handle.write(data)
        handle.flush()
        if fsync:
            os.fsync(handle.fileno())
