"""The exchange contract in code: schemas, validation, canonical JSON, hashing and the HMAC key."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .constants import (
    KEY_ENV,
    KEY_FILE_ENV,
    MANIFEST_SCHEMA_FILE,
    MIN_KEY_BYTES,
    RECORD_SCHEMA_FILE,
    SCHEMA_DIR,
)
from .errors import ExchangeKeyError


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A schema file of ``schemas/`` (checked against the draft 2020-12 meta-schema)."""
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return schema


@cache
def record_validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema(RECORD_SCHEMA_FILE))


@cache
def manifest_validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema(MANIFEST_SCHEMA_FILE))


@cache
def fast_record_validator() -> jsonschema_rs.Validator:
    """The same schema compiled by jsonschema-rs: about 100x faster than the reference validator, so every
    record of a 1M-person package can be checked. Formats are annotations in draft 2020-12 for both."""
    return jsonschema_rs.Draft202012Validator(load_schema(RECORD_SCHEMA_FILE))


def record_errors(record: Any) -> list[str]:
    """Why a record breaks the record schema (empty when valid). Never echoes a citizen ID.

    jsonschema-rs decides; a record it rejects is described by the reference validator (``jsonschema``), whose
    messages name the field and rule. Where the two disagree (Python's ``$`` also matches before a final
    newline), jsonschema-rs's own reasons are given, so a record is never reported invalid without a reason.
    """
    fast = fast_record_validator()
    if fast.is_valid(record):
        return []
    return _describe_all(record_validator().iter_errors(record)) or sorted(
        {_describe_fast(error) for error in fast.iter_errors(record)}
    )


def manifest_errors(manifest: Any) -> list[str]:
    return _describe_all(manifest_validator().iter_errors(manifest))


def canonical_json(value: Any) -> str:
    """One line, sorted keys, UTF-8 text: the form records are written and hashed in."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(record: dict[str, Any]) -> str:
    """SHA-256 of what a record says about the person (without change_type and datestamp)."""
    content = {k: v for k, v in record.items() if k not in ("change_type", "datestamp")}
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_hmac(manifest_bytes: bytes, key: bytes) -> str:
    """Lowercase hex HMAC-SHA256 over the exact bytes of manifest.json."""
    return hmac.new(key, manifest_bytes, hashlib.sha256).hexdigest()


def hmac_matches(manifest_bytes: bytes, key: bytes, stated: str) -> bool:
    return hmac.compare_digest(manifest_hmac(manifest_bytes, key), stated.strip().lower())


ACK_HMAC_FIELD = "hmac"
ACK_SIGNED_FIELDS = ("sequence", "manifest_sha256", "received_at", "status", "reasons")


def ack_message(ack: dict[str, Any]) -> bytes:
    """What an ack's HMAC covers: its fields except ``hmac``, as canonical JSON (sorted keys, no spaces)."""
    body = {k: ack[k] for k in ACK_SIGNED_FIELDS if k in ack}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sign_ack(ack: dict[str, Any], key: bytes) -> dict[str, Any]:
    """``ack`` with its ``hmac``: lowercase hex HMAC-SHA256 of ``ack_message(ack)`` with the exchange key."""
    return {**ack, ACK_HMAC_FIELD: hmac.new(key, ack_message(ack), hashlib.sha256).hexdigest()}


def ack_problem(ack: Any, key: bytes, sequence: int, manifest_sha256: str) -> str | None:
    """Why ``ack`` (parsed ack.json) is not a trustworthy acknowledgement of package ``sequence`` whose manifest
    has SHA-256 ``manifest_sha256``; None when it is. Checked before the sender trusts an ack: anyone who can
    write into the outbox could otherwise fake a receipt and make the sender drop changes."""
    if not isinstance(ack, dict):
        return "not a JSON object"
    stated = ack.get(ACK_HMAC_FIELD)
    if not isinstance(stated, str) or not stated:
        return "unsigned (no 'hmac' field): acknowledgements must carry the exchange key's HMAC"
    expected = hmac.new(key, ack_message(ack), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, stated.strip().lower()):
        return "its HMAC does not match (forged or altered, or made with another key)"
    if ack.get("sequence") != sequence:
        return f"it acknowledges sequence {ack.get('sequence')!r}, not {sequence}"
    if ack.get("manifest_sha256") != manifest_sha256:
        return "it acknowledges another package (manifest SHA-256 differs)"
    return None


def exchange_key(key: bytes | None = None) -> bytes:
    """The HMAC key: the argument, else ``TRITHUC_EXCHANGE_KEY``, else the file named by
    ``TRITHUC_EXCHANGE_KEY_FILE`` (trailing whitespace stripped)."""
    if key is None:
        value = os.environ.get(KEY_ENV)
        key_file = os.environ.get(KEY_FILE_ENV)
        if value:
            key = value.encode("utf-8")
        elif key_file:
            try:
                key = Path(key_file).read_bytes().strip()
            except OSError as exc:
                raise ExchangeKeyError(
                    f"cannot read the exchange key file {key_file!r} named by {KEY_FILE_ENV}: {exc}. "
                    "Point it at a readable file holding the key shared with the national system."
                ) from exc
        else:
            raise ExchangeKeyError(
                f"no exchange key: set {KEY_ENV} to the key shared with the national system, "
                f"or {KEY_FILE_ENV} to a file holding it. Packages are not built or verified without it."
            )
    if len(key) < MIN_KEY_BYTES:
        raise ExchangeKeyError(
            f"the exchange key is {len(key)} bytes; at least {MIN_KEY_BYTES} are required "
            "(use e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)."
        )
    return key


def _describe_all(errors: Iterable[ValidationError]) -> list[str]:
    return sorted({_describe(error) for error in errors})


def _describe_fast(error: jsonschema_rs.ValidationError) -> str:
    where = "/".join(str(part) for part in error.instance_path) or "(record)"
    if error.instance_path and error.instance_path[0] == "cccd":
        return f"{where}: {_kind(error)} check failed (value withheld)"
    return f"{where}: breaks the schema's '{_kind(error)}' rule"


def _kind(error: jsonschema_rs.ValidationError) -> str:
    name = type(error.kind).__name__  # Pattern, AdditionalProperties, ...
    return name[:1].lower() + name[1:]


def _describe(error: ValidationError) -> str:
    where = "/".join(str(part) for part in error.absolute_path) or "(record)"
    if error.absolute_path and error.absolute_path[0] == "cccd":
        # The message would echo the citizen ID into logs and failure reports.
        return f"{where}: {error.validator} check failed (value withheld)"
    if isinstance(error.instance, dict | list) and error.validator not in (
        "required",
        "additionalProperties",
    ):
        # Messages about a whole object quote it, citizen ID included.
        return f"{where}: breaks the schema's '{error.validator}' rule ({json.dumps(error.validator_value)[:160]})"
    message = error.message
    return f"{where}: {message[:240]}{'...' if len(message) > 240 else ''}"
