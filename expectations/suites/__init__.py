"""Every validation suite, by name. ``SUITES[name].expectations`` lists its checks (one property each, with id
and severity), so an orchestrator can expose one check per property."""

from __future__ import annotations

from expectations.core import Suite
from expectations.suites import (
    dim_person,
    file_manifest,
    indicator_values,
    person_source_records,
    persons_encoded,
    raw_persons,
    raw_submissions,
)

SUITES: dict[str, Suite] = {
    s.name: s
    for s in (
        file_manifest.SUITE,
        raw_persons.SUITE,
        *raw_submissions.SUITES,
        persons_encoded.SUITE,
        dim_person.SUITE,
        person_source_records.SUITE,
        indicator_values.SUITE,
    )
}

# The suites on what the landing writes (file manifest, raw tables): they run before the dbt build; the others
# validate what the build makes.
LANDING_SUITES: tuple[str, ...] = (
    file_manifest.SUITE.name,
    raw_persons.SUITE.name,
    *(s.name for s in raw_submissions.SUITES),
)

__all__ = ["LANDING_SUITES", "SUITES"]
