"""The receiver's side: check a package (checksums, HMAC, schemas, counts) and acknowledge it."""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .constants import (
    ACK_FILE,
    CHANGE_TYPES,
    HMAC_FILE,
    MANIFEST_FILE,
    PACKAGE_FILES,
    RECORDS_FILE,
    SCHEMA_VERSION,
    SEQUENCE_DIR_RE,
)
from .contract import exchange_key, hmac_matches, manifest_errors, record_errors, sha256_file, sign_ack
from .errors import AcknowledgementError

_MAX_REASONS_PER_KIND = 10


@dataclass(frozen=True)
class Verdict:
    """``ok`` when every check passed; ``reasons`` say why not; ``details`` describe the package."""

    ok: bool
    reasons: tuple[str, ...]
    details: tuple[str, ...]
    sequence: int | None = None

    def render(self) -> str:
        head = "VERIFIED" if self.ok else "REJECTED: " + "; ".join(self.reasons)
        return "\n".join([head, *(f"  {line}" for line in self.details)])


def read_receiver_state(state_file: Path) -> int | None:
    """The last sequence the receiver acknowledged, from its state file (None: none yet, or no file)."""
    path = Path(state_file)
    if not path.is_file():
        return None
    try:
        value = json.loads(path.read_text(encoding="utf-8")).get("last_acknowledged_sequence")
    except (OSError, ValueError, AttributeError) as exc:
        raise AcknowledgementError(
            f"the receiver state file {path} is unreadable ({exc.__class__.__name__}); fix or remove it "
            '(it holds {"last_acknowledged_sequence": N}).'
        ) from exc
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise AcknowledgementError(f"the receiver state file {path} holds {value!r}, not a sequence number")
    return value


def write_receiver_state(state_file: Path, sequence: int) -> None:
    """Record ``sequence`` as the receiver's last acknowledged one (never moves backwards)."""
    path = Path(state_file)
    current = read_receiver_state(path)
    if current is not None and current >= sequence:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps({"last_acknowledged_sequence": sequence}) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def verify_package(path: Path, key: bytes, after_sequence: int | None = None) -> Verdict:
    """Every check a receiver should make before applying a package; never raises on bad content.

    ``after_sequence``: the last sequence the receiver acknowledged. A package at or below it is a replay (an
    old package sent again, or an attacker's copy of one) and is rejected even though it is authentic.
    """
    path = Path(path)
    reasons: list[str] = []
    details: list[str] = [f"package: {path}"]
    if not path.is_dir():
        return Verdict(False, (f"{path} is not a folder",), tuple(details))
    missing = [name for name in PACKAGE_FILES if not (path / name).is_file()]
    if missing:
        return Verdict(False, (f"missing file(s): {', '.join(missing)}",), tuple(details))

    manifest_bytes = (path / MANIFEST_FILE).read_bytes()
    stated = (path / HMAC_FILE).read_text(encoding="ascii", errors="replace")
    if hmac_matches(manifest_bytes, key, stated):
        details.append("manifest HMAC-SHA256: ok")
    else:
        reasons.append("manifest HMAC does not match (manifest altered, or a different key)")

    try:
        manifest: Any = json.loads(manifest_bytes.decode("utf-8"))
    except ValueError as exc:
        reasons.append(f"manifest.json is not valid JSON: {exc}")
        return Verdict(False, tuple(reasons), tuple(details))
    problems = manifest_errors(manifest)
    reasons.extend(f"manifest schema: {p}" for p in problems[:_MAX_REASONS_PER_KIND])
    if problems or not isinstance(manifest, dict):
        return Verdict(False, tuple(reasons), tuple(details))

    sequence = manifest["sequence"]
    if after_sequence is not None and sequence <= after_sequence:
        reasons.append(
            f"replayed package: sequence {sequence} is at or below the last acknowledged sequence "
            f"{after_sequence}; it was applied (or superseded) already"
        )
    details.append(
        f"sequence {sequence}, based on {manifest['previous_sequence'] or '(none: initial load)'}, period {manifest['period']}, "
        f"created {manifest['created_at']}, schema v{manifest['schema_version']}"
    )
    if manifest["schema_version"] != SCHEMA_VERSION:
        reasons.append(f"schema version {manifest['schema_version']} is not the supported {SCHEMA_VERSION}")
    if SEQUENCE_DIR_RE.match(path.name) and int(path.name) != sequence:
        reasons.append(f"folder {path.name} holds a manifest for sequence {sequence}")

    reasons.extend(_check_files(path, manifest))
    if (path / RECORDS_FILE).is_file() and RECORDS_FILE in {f["name"] for f in manifest["files"]}:
        counts, record_reasons = _check_records(path / RECORDS_FILE)
        reasons.extend(record_reasons)
        details.append("records: " + ", ".join(f"{k} {counts.get(k, 0)}" for k in CHANGE_TYPES))
        for change_type in CHANGE_TYPES:
            if manifest["counts"][change_type] != counts.get(change_type, 0):
                reasons.append(
                    f"manifest counts {manifest['counts'][change_type]} {change_type} records, "
                    f"records.jsonl holds {counts.get(change_type, 0)}"
                )
        if manifest["record_count"] != sum(counts.values()):
            reasons.append(
                f"manifest record_count {manifest['record_count']} != {sum(counts.values())} lines in records.jsonl"
            )
    else:
        reasons.append(f"the manifest does not list {RECORDS_FILE}")
    held = manifest["counts"]
    details.append(
        f"held back by the sender: {held['held_back_no_cccd']} without a valid CCCD, "
        f"{held['held_back_duplicate_cccd']} with a CCCD shared by several persons"
    )
    if manifest["supersedes"]:
        details.append("supersedes (do not apply): " + ", ".join(str(s) for s in manifest["supersedes"]))
    return Verdict(not reasons, tuple(reasons), tuple(details), sequence)


def acknowledge_package(
    path: Path,
    key: bytes | None = None,
    status: str = "accepted",
    now: datetime | None = None,
    state_file: Path | None = None,
) -> Path:
    """Write ``ack.json`` as the receiver would, signed with the exchange key. An 'accepted' ack needs a package
    that verifies (and, with ``state_file``, one above the last acknowledged sequence, which it then records)."""
    if status not in ("accepted", "rejected"):
        raise AcknowledgementError(f"status must be 'accepted' or 'rejected', not {status!r}")
    path = Path(path)
    after = read_receiver_state(state_file) if state_file is not None else None
    verdict = verify_package(path, exchange_key(key), after_sequence=after)
    if verdict.sequence is None:
        raise AcknowledgementError(f"{path} is not a readable package: {'; '.join(verdict.reasons)}")
    if status == "accepted" and not verdict.ok:
        raise AcknowledgementError(
            f"package {path} does not verify, so it cannot be accepted: {'; '.join(verdict.reasons)}"
        )
    ack = {
        "sequence": verdict.sequence,
        "manifest_sha256": sha256_file(path / MANIFEST_FILE),
        "received_at": (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "status": status,
    }
    if status == "rejected":
        ack["reasons"] = list(verdict.reasons)
    ack = sign_ack(ack, exchange_key(key))  # the sender trusts only an ack its key authenticates
    tmp = path / f".{ACK_FILE}.tmp"
    tmp.write_text(json.dumps(ack, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path / ACK_FILE)
    if state_file is not None and status == "accepted":
        write_receiver_state(state_file, verdict.sequence)
    return path / ACK_FILE


def _check_files(path: Path, manifest: dict[str, Any]) -> list[str]:
    reasons = []
    listed = {entry["name"] for entry in manifest["files"]}
    for entry in manifest["files"]:
        file = path / entry["name"]
        if not file.is_file():
            reasons.append(f"{entry['name']} is listed in the manifest but missing")
        elif file.stat().st_size != entry["bytes"]:
            reasons.append(
                f"{entry['name']} has {file.stat().st_size} bytes, the manifest says {entry['bytes']}"
            )
        elif sha256_file(file) != entry["sha256"]:
            reasons.append(f"{entry['name']} SHA-256 does not match the manifest (file altered)")
    allowed = listed | {MANIFEST_FILE, HMAC_FILE, ACK_FILE}
    extra = sorted(p.name for p in path.iterdir() if p.name not in allowed)
    if extra:
        reasons.append(f"file(s) not covered by the manifest: {', '.join(extra)}")
    return reasons


def _check_records(records_path: Path) -> tuple[Counter[str], list[str]]:
    counts: Counter[str] = Counter()
    reasons: list[str] = []
    seen: set[str] = set()
    with records_path.open("rb") as handle:
        for line_no, raw in enumerate(handle, start=1):
            if len(reasons) >= _MAX_REASONS_PER_KIND:
                reasons.append("further record problems not listed")
                break
            try:
                record = json.loads(raw.decode("utf-8"))
            except ValueError as exc:
                reasons.append(f"records.jsonl line {line_no}: not a JSON object ({exc.__class__.__name__})")
                continue
            problems = record_errors(record)
            if problems:
                reasons.append(f"records.jsonl line {line_no}: " + "; ".join(problems[:3]))
                continue
            if record["cccd"] in seen:
                reasons.append(f"records.jsonl line {line_no}: a second record for the same cccd")
            seen.add(record["cccd"])
            counts[record["change_type"]] += 1
    return counts, reasons
