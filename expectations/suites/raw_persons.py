"""raw.persons: the intellectuals lists as received from wards, departments and universities."""

from __future__ import annotations

from expectations.suites._raw import raw_suite

SUITE = raw_suite("persons")
