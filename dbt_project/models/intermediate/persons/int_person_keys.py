"""person_key = HMAC-SHA256 (hex) of a person's identity string, keyed by a secret from the environment.

The identity is the valid CCCD ('cccd:<12 digits>') or, for a person without one, the cluster's earliest
row ('row:<period>|<file>|<sheet>|<row>'). The secret comes from TRITHUC_PSEUDO_KEY, or from the file named
by TRITHUC_PSEUDO_KEY_FILE; it is read at run time and never written to the compiled SQL or the warehouse.
Same key + same identity -> same person_key on every run; without the key the hash reveals nothing.
DuckDB has no hmac(), hence a Python model: it derives the RFC 2104 inner and outer pads from the key here
and DuckDB computes sha256(opad || sha256(ipad || identity)) for every person in parallel; the pads travel as
query parameters, so the key still never reaches the compiled SQL (same digests as hmac.new(key, identity,
sha256), much faster than hashing in a Python loop).
record_count = the person's rows: most people are reported once, and the person marts take a row of their own
for them instead of aggregating a group of one (int_persons_resolved.person_record_count).
"""

import hashlib
import os
from pathlib import Path

_HMAC_BLOCK_SIZE = 64  # bytes, SHA-256
_IDENTITIES_VIEW = "int_person_keys__identities"
_KEYED_SQL = f"""
    select identity, sha256($opad || unhex(sha256($ipad || encode(identity)))) as person_key, record_count
    from (select identity, count(*) as record_count from {_IDENTITIES_VIEW} group by identity)
"""


class PseudonymisationKeyMissing(RuntimeError):
    """No pseudonymisation key is configured."""


def _secret() -> bytes:
    key = os.environ.get("TRITHUC_PSEUDO_KEY")
    if key:
        return key.encode("utf-8")
    key_file = os.environ.get("TRITHUC_PSEUDO_KEY_FILE")
    if key_file:
        path = Path(key_file)
        if not path.is_file():
            raise PseudonymisationKeyMissing(
                f"TRITHUC_PSEUDO_KEY_FILE points to {path}, which does not exist. "
                "Create the file with the secret key (one line) or set TRITHUC_PSEUDO_KEY."
            )
        secret = path.read_text(encoding="utf-8").strip()
        if secret:
            return secret.encode("utf-8")
        raise PseudonymisationKeyMissing(f"The key file {path} (TRITHUC_PSEUDO_KEY_FILE) is empty.")
    raise PseudonymisationKeyMissing(
        "No pseudonymisation key: set TRITHUC_PSEUDO_KEY (the secret) or TRITHUC_PSEUDO_KEY_FILE (a file "
        "holding it) before running dbt. Keep the same key across runs, or every person_key changes. / "
        "Chưa có khóa bí danh hóa: đặt biến môi trường TRITHUC_PSEUDO_KEY hoặc TRITHUC_PSEUDO_KEY_FILE."
    )


def _hmac_pads(secret: bytes) -> tuple[bytes, bytes]:
    """The HMAC-SHA256 inner and outer padded keys (RFC 2104)."""
    if len(secret) > _HMAC_BLOCK_SIZE:
        secret = hashlib.sha256(secret).digest()
    secret = secret.ljust(_HMAC_BLOCK_SIZE, b"\0")
    return bytes(byte ^ 0x36 for byte in secret), bytes(byte ^ 0x5C for byte in secret)


def model(dbt, session):
    dbt.config(materialized="table")
    inner_pad, outer_pad = _hmac_pads(_secret())
    clusters = dbt.ref("int_persons_clustered")
    clusters.project("identity").create_view(_IDENTITIES_VIEW, replace=True)
    try:
        keyed = session.sql(_KEYED_SQL, params={"ipad": inner_pad, "opad": outer_pad}).to_arrow_table()
    finally:
        session.execute(f"drop view if exists {_IDENTITIES_VIEW}")
    return keyed
