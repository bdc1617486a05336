"""person_key = HMAC-SHA256 (hex) of a person's identity string, keyed by a secret from the environment.

The identity is the valid CCCD ('cccd:<12 digits>') or, for a person without one, the cluster's earliest
row ('row:<period>|<file>|<sheet>|<row>'). The secret comes from TRITHUC_PSEUDO_KEY, or from the file named
by TRITHUC_PSEUDO_KEY_FILE; it is read at run time and never written to the compiled SQL or the warehouse.
Same key + same identity -> same person_key on every run; without the key the hash reveals nothing.
DuckDB has no hmac(), hence a Python model (one hash per person, not per row).
"""

import hashlib
import hmac
import os
from pathlib import Path

import pandas as pd


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


def model(dbt, session):
    dbt.config(materialized="table")
    secret = _secret()
    clusters = dbt.ref("int_persons_clustered")
    identities = clusters.project("identity").distinct().df()["identity"].tolist()
    keys = [hmac.new(secret, identity.encode("utf-8"), hashlib.sha256).hexdigest() for identity in identities]
    return pd.DataFrame({"identity": pd.Series(identities, dtype="str"), "person_key": pd.Series(keys, dtype="str")})
