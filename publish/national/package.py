"""Build the next incremental package for the national intellectuals data system.

A package holds the records new, changed or withdrawn since the last package the receiver
ACKNOWLEDGED. It is written to a temporary folder, validated, and renamed into place only when
complete; the sender's per-package state (cccd -> record hash) lives in ``_state/``.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingest.private_files import private_dir, write_private_bytes

from .constants import (
    ACK_FILE,
    COUNT_KEYS,
    FAILED_DIR,
    FAILURE_REPORT_MAX_RECORDS,
    HMAC_FILE,
    LOCK_FILE,
    MANIFEST_FILE,
    MASS_WITHDRAWAL_MIN_RECORDS,
    MASS_WITHDRAWAL_SHARE,
    NATIONAL_DIR,
    RECORDS_FILE,
    SCHEMA_VERSION,
    SENDER,
    SEQUENCE_DIR_RE,
    SEQUENCE_WIDTH,
    STATE_DIR,
    TMP_PREFIX,
)
from .contract import (
    ack_problem,
    canonical_json,
    content_hash,
    exchange_key,
    manifest_errors,
    manifest_hmac,
    record_errors,
    sha256_file,
)
from .errors import InvalidPeriodError, MassWithdrawalError, PackageValidationError, RecordFailure
from .snapshot import Snapshot, read_snapshot

State = dict[str, str]  # cccd -> content hash of the record the receiver holds


@dataclass(frozen=True)
class PackageResult:
    """Outcome of one build. ``released`` is False when nothing new had to be sent."""

    sequence: int | None
    path: Path | None
    counts: dict[str, int]
    released: bool
    reason: str
    period: str | None = None
    previous_sequence: int | None = None
    supersedes: tuple[int, ...] = ()
    held_back_reasons: dict[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def national_dir(outbox: Path) -> Path:
    """``<outbox>/national``: where packages are released."""
    return outbox / NATIONAL_DIR


def sequence_name(sequence: int) -> str:
    return f"{sequence:0{SEQUENCE_WIDTH}d}"


def build_package(
    warehouse: Path,
    outbox: Path,
    period: str | None = None,
    key: bytes | None = None,
    *,
    allow_mass_withdrawal: bool = False,
    now: datetime | None = None,
) -> PackageResult:
    """Build and release the next package under ``<outbox>/national/<sequence>/``.

    ``outbox`` is the outbox root (by default ``<warehouse dir>/outbox``). Returns the existing
    package ('no changes') when the data match what was last released on the acknowledged base.
    Raises PackageValidationError (nothing released, report in ``_failed/``) when a record or the
    manifest breaks the schema.
    """
    key = exchange_key(key)
    root = national_dir(Path(outbox))
    root.mkdir(parents=True, exist_ok=True)
    private_dir(root)  # 0700: packages, their state and failure reports are for the hand-over process only
    with _lock(root):
        _remove_stale_temps(root)
        history = _History(root, key)
        acked = history.last_acknowledged
        held = history.state(acked).keys() if acked is not None else ()
        # ``now`` (or $TRITHUC_TODAY, or the clock) also decides which periods are not yet due: never "latest".
        snapshot = read_snapshot(Path(warehouse), period, held=held, now=now)
        return _build(root, history, snapshot, key, allow_mass_withdrawal, now or datetime.now(UTC))


def _build(
    root: Path,
    history: _History,
    snapshot: Snapshot,
    key: bytes,
    allow_mass_withdrawal: bool,
    now: datetime,
) -> PackageResult:
    latest = history.latest
    if latest is not None and snapshot.period < history.manifest(latest)["period"]:
        raise InvalidPeriodError(
            f"period {snapshot.period} is earlier than {history.manifest(latest)['period']} of released "
            f"package {sequence_name(latest)}; packages only move forward. Build for the latest period."
        )
    acked = history.last_acknowledged
    acked_state = history.state(acked) if acked is not None else {}
    current = {cccd: content_hash(body) for cccd, body in snapshot.bodies.items()}
    # Held-back duplicates keep what the receiver has; they are not withdrawn.
    new_state = current | {c: acked_state[c] for c in snapshot.held_back_cccds if c in acked_state}
    held = dict(sorted(snapshot.held_back.items()))

    latest_on_base = latest is not None and (
        latest == acked or history.manifest(latest)["previous_sequence"] == acked
    )
    if latest_on_base and history.state(latest) == new_state:
        return _unchanged(
            history, latest, snapshot, held, f"no changes since package {sequence_name(latest)}"
        )

    new = sorted(c for c in current if c not in acked_state)
    changed = sorted(c for c in current if c in acked_state and acked_state[c] != current[c])
    withdrawn = sorted(c for c in acked_state if c not in new_state)
    if not (new or changed or withdrawn) and not (latest_on_base and latest != acked):
        # Nothing differs from what the receiver acknowledged, and no pending package needs replacing.
        if acked is None:
            return PackageResult(
                None,
                None,
                _counts(snapshot, 0, 0, 0),
                False,
                "nothing to send: no person with a valid CCCD",
                snapshot.period,
                held_back_reasons=held,
                warnings=history.warnings,
            )
        return _unchanged(
            history, acked, snapshot, held, f"no changes since acknowledged package {sequence_name(acked)}"
        )

    if (
        not allow_mass_withdrawal
        and len(acked_state) >= MASS_WITHDRAWAL_MIN_RECORDS
        and len(withdrawn) > MASS_WITHDRAWAL_SHARE * len(acked_state)
    ):
        raise MassWithdrawalError(
            f"the package for {snapshot.period} would withdraw {len(withdrawn)} of the {len(acked_state)} "
            "persons the national system holds; usually a unit's file is missing or late. Check "
            "quality.file_manifest, or build with allow_mass_withdrawal=True (CLI: --allow-mass-withdrawal)."
        )

    sequence = (latest or 0) + 1
    created_at = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    records, person_keys = _records(snapshot, new, changed, withdrawn, created_at)
    supersedes = tuple(s for s in history.released if acked is None or s > acked)
    counts = _counts(snapshot, len(new), len(changed), len(withdrawn))

    failures = _record_failures(records, person_keys)
    if failures:
        report = _failure_report(root, sequence, snapshot.period, now, failures, [])
        raise PackageValidationError(failures[:FAILURE_REPORT_MAX_RECORDS], len(failures), [], report)

    tmp = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{sequence_name(sequence)}-", dir=root))
    try:
        records_path = tmp / RECORDS_FILE
        _write_bytes(records_path, "".join(canonical_json(r) + "\n" for r in records).encode("utf-8"))
        manifest = {
            "manifest_schema": "urn:trithuc-dongnai:exchange:manifest:v1",
            "record_schema": "urn:trithuc-dongnai:exchange:person-record:v1",
            "schema_version": SCHEMA_VERSION,
            "sender": SENDER,
            "sequence": sequence,
            "previous_sequence": acked,
            "supersedes": list(supersedes),
            "period": snapshot.period,
            "created_at": created_at,
            "counts": counts,
            "record_count": len(records),
            "files": [
                {
                    "name": RECORDS_FILE,
                    "sha256": sha256_file(records_path),
                    "bytes": records_path.stat().st_size,
                }
            ],
            "authentication": {
                "algorithm": "HMAC-SHA256",
                "file": HMAC_FILE,
                "message": "the exact bytes of manifest.json",
            },
        }
        problems = manifest_errors(manifest)
        if problems:
            report = _failure_report(root, sequence, snapshot.period, now, [], problems)
            raise PackageValidationError([], 0, problems, report)
        manifest_bytes = (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
        _write_bytes(tmp / MANIFEST_FILE, manifest_bytes)
        _write_bytes(tmp / HMAC_FILE, (manifest_hmac(manifest_bytes, key) + "\n").encode("ascii"))
        history.write_state(sequence, snapshot.period, new_state)
        target = root / sequence_name(sequence)
        os.rename(tmp, target)  # the release: atomic on one file system
        _fsync_dir(root)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return PackageResult(
        sequence=sequence,
        path=target,
        counts=counts,
        released=True,
        reason=(
            f"released {len(records)} record(s) against acknowledged package "
            f"{sequence_name(acked) if acked else '(none: initial load)'}"
            + (f"; supersedes {', '.join(sequence_name(s) for s in supersedes)}" if supersedes else "")
        ),
        period=snapshot.period,
        previous_sequence=acked,
        supersedes=supersedes,
        held_back_reasons=held,
        warnings=history.warnings,
    )


def _unchanged(
    history: _History, sequence: int, snapshot: Snapshot, held: dict[str, int], reason: str
) -> PackageResult:
    manifest = history.manifest(sequence)
    return PackageResult(
        sequence=sequence,
        path=history.root / sequence_name(sequence),
        counts={name: manifest["counts"][name] for name in COUNT_KEYS},
        released=False,
        reason=reason,
        period=snapshot.period,
        previous_sequence=manifest["previous_sequence"],
        supersedes=tuple(manifest["supersedes"]),
        held_back_reasons=held,
        warnings=history.warnings,
    )


def _counts(snapshot: Snapshot, new: int, changed: int, withdrawn: int) -> dict[str, int]:
    values = {
        "new": new,
        "changed": changed,
        "withdrawn": withdrawn,
        "held_back_no_cccd": snapshot.held_back_no_cccd,
        "held_back_duplicate_cccd": snapshot.held_back_duplicate_cccd,
    }
    return {name: values[name] for name in COUNT_KEYS}


def _records(
    snapshot: Snapshot, new: list[str], changed: list[str], withdrawn: list[str], datestamp: str
) -> tuple[list[dict[str, Any]], list[str | None]]:
    kinds = {c: "new" for c in new} | {c: "changed" for c in changed}
    records: list[dict[str, Any]] = []
    person_keys: list[str | None] = []
    for cccd in sorted(kinds.keys() | set(withdrawn)):
        if cccd in kinds:
            records.append({"change_type": kinds[cccd], "datestamp": datestamp, **snapshot.bodies[cccd]})
            person_keys.append(snapshot.person_keys.get(cccd))
        else:
            reason = "no_longer_reported" if cccd in snapshot.known_cccds else "deleted"
            records.append(
                {
                    "change_type": "withdrawn",
                    "cccd": cccd,
                    "datestamp": datestamp,
                    "withdrawal_reason": reason,
                }
            )
            person_keys.append(None)
    return records, person_keys


def _record_failures(records: list[dict[str, Any]], person_keys: list[str | None]) -> list[RecordFailure]:
    failures = []
    for line, (record, person_key) in enumerate(zip(records, person_keys, strict=True), start=1):
        reasons = record_errors(record)
        if reasons:
            failures.append(RecordFailure(line, person_key, record.get("change_type"), tuple(reasons)))
    return failures


def _failure_report(
    root: Path,
    sequence: int,
    period: str,
    now: datetime,
    failures: list[RecordFailure],
    manifest_problems: list[str],
) -> Path:
    """Written outside the released area; holds pseudonymous keys, never citizen IDs."""
    folder = private_dir(root / FAILED_DIR)
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"{stamp}-{sequence_name(sequence)}.json"
    report = {
        "attempted_sequence": sequence,
        "period": period,
        "failed_at": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "failing_record_count": len(failures),
        "failures": [
            {
                "line": f.line,
                "person_key": f.person_key,
                "change_type": f.change_type,
                "reasons": list(f.reasons),
            }
            for f in failures[:FAILURE_REPORT_MAX_RECORDS]
        ],
        "manifest_errors": manifest_problems,
        "what_to_do": "Correct the values in the warehouse (or the code lists and the schema version), then build again.",
    }
    _write_bytes(path, (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return path


class _History:
    """Released packages, acknowledgements and states under ``<outbox>/national``."""

    def __init__(self, root: Path, key: bytes) -> None:
        self.root = root
        self.key = key
        self.warnings: tuple[str, ...] = ()
        self.released = sorted(
            int(p.name) for p in root.iterdir() if p.is_dir() and SEQUENCE_DIR_RE.match(p.name)
        )
        self._manifests: dict[int, dict[str, Any]] = {}
        self._states: dict[int, State] = {}
        acked = [s for s in self.released if self._accepted(s)]
        self.last_acknowledged: int | None = max(acked) if acked else None

    @property
    def latest(self) -> int | None:
        return self.released[-1] if self.released else None

    def manifest(self, sequence: int) -> dict[str, Any]:
        if sequence not in self._manifests:
            path = self.root / sequence_name(sequence) / MANIFEST_FILE
            self._manifests[sequence] = json.loads(path.read_text(encoding="utf-8"))
        return self._manifests[sequence]

    def state(self, sequence: int) -> State:
        """cccd -> record hash after ``sequence``: from ``_state/``, else replayed from the packages."""
        if sequence not in self._states:
            path = self.root / STATE_DIR / f"{sequence_name(sequence)}.json"
            if path.is_file():
                self._states[sequence] = json.loads(path.read_text(encoding="utf-8"))["records"]
            else:
                self._states[sequence] = self._replay(sequence)
        return self._states[sequence]

    def write_state(self, sequence: int, period: str, state: State) -> None:
        folder = private_dir(self.root / STATE_DIR)
        payload = {"sequence": sequence, "period": period, "records": dict(sorted(state.items()))}
        tmp = folder / f"{TMP_PREFIX}{sequence_name(sequence)}.json"
        _write_bytes(tmp, json.dumps(payload, indent=0).encode("utf-8"))
        os.replace(tmp, folder / f"{sequence_name(sequence)}.json")

    def _replay(self, sequence: int) -> State:
        base = self.manifest(sequence)["previous_sequence"]
        state = dict(self.state(base)) if base is not None else {}
        with (self.root / sequence_name(sequence) / RECORDS_FILE).open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                if record["change_type"] == "withdrawn":
                    state.pop(record["cccd"], None)
                else:
                    state[record["cccd"]] = content_hash(record)
        return state

    def _accepted(self, sequence: int) -> bool:
        """True only for an ack.json that the exchange key authenticates, for this very package, 'accepted'.
        A forged, unsigned or misplaced ack is refused with a warning: trusting it would make the sender drop
        changes the receiver never applied."""
        folder = self.root / sequence_name(sequence)
        path = folder / ACK_FILE
        if not path.is_file():
            return False
        try:
            ack = json.loads(path.read_text(encoding="utf-8"))
            problem = ack_problem(ack, self.key, sequence, sha256_file(folder / MANIFEST_FILE))
        except (OSError, ValueError) as exc:
            ack, problem = None, f"unreadable ({exc.__class__.__name__})"
        if problem is not None:
            self.warnings += (
                f"REFUSED acknowledgement {path}: {problem}; package {sequence_name(sequence)} is treated as "
                "unacknowledged (its changes are sent again). Acknowledge with "
                "`python -m publish.national ack <package dir>` and the shared exchange key.",
            )
            return False
        return ack.get("status") == "accepted"


@contextmanager
def _lock(root: Path) -> Iterator[None]:
    """One build at a time per outbox (a second waits)."""
    with (root / LOCK_FILE).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_stale_temps(root: Path) -> None:
    """Leftovers of a build that was killed; safe under the lock."""
    for path in root.glob(f"{TMP_PREFIX}*"):
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    for path in (root / STATE_DIR).glob(f"{TMP_PREFIX}*"):
        path.unlink(missing_ok=True)


def _write_bytes(path: Path, data: bytes) -> None:
    """Written with mode 0600 and synced: packages and state carry citizen IDs."""
    write_private_bytes(path, data)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
