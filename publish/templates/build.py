"""Build the units' templates for a period: ``reports/templates/<period>/<unit_code>.xlsx``.

Every unit of the registry that owes a persons list gets one, pre-filled from its last accepted list (an empty
one when it has none yet). A template is rewritten only when what it would hold changed (its list, the code
lists, the key, the format): ``index.json`` beside the templates keeps each one's fingerprint, so a daily run with
nothing new writes nothing. Files are 0600 in 0700 folders, like the feedback workbooks: each carries a unit's own
people back to it.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ingest.connect import open_warehouse
from ingest.periods import current_period, parse_period
from ingest.private_files import make_private, private_dir, write_private_bytes
from ingest.registry import Unit, load_registry
from ingest.template_returns import TEMPLATE_VERSION, key_id, template_secret
from publish.templates.code_lists import lists_digest, load_code_lists
from publish.templates.data import base_lists, latest_list_period, list_states
from publish.templates.paths import template_path, templates_dir, templates_root
from publish.templates.workbook import build_workbook

INDEX_NAME = "index.json"
PARALLEL_ROWS = 20_000  # rows to write before a second process is worth its start (about 2 s)
MAX_WORKERS = 4
# Bumped when the workbook's layout changes in a way the fingerprint of its content does not see.
LAYOUT_VERSION = "2"  # 2: the code columns moved to the hidden sheet "Mã"


class UnknownUnit(ValueError):
    """A unit code the registry does not know (or that owes no persons list)."""


@dataclass(frozen=True)
class WrittenTemplate:
    unit_code: str
    unit_kind: str
    period: str
    path: Path
    prefilled: int
    base_period: str  # '' for an empty template
    rewritten: bool  # False: unchanged since the last build, left as it was


@dataclass
class TemplateBuild:
    period: str | None  # None: no unit has sent a list yet, nothing to build
    base_period: str | None = None  # the latest period any list came from
    templates: list[WrittenTemplate] = field(default_factory=list)

    @property
    def rewritten(self) -> list[WrittenTemplate]:
        return [t for t in self.templates if t.rewritten]


def units_owing_lists() -> list[Unit]:
    """The registry's units that send a persons list (every half-year or every year)."""
    return [u for u in load_registry().values() if "persons" in (*u.datasets_half_year, *u.datasets_annual)]


def _fingerprint(unit: Unit, period: str, state: str, lists_key: str, key: str) -> str:
    """What a unit's template is made of: the format, the unit, the period, its list's state (``list_states``),
    the code lists and the key."""
    text = f"{TEMPLATE_VERSION}|{LAYOUT_VERSION}|{unit.kind}|{unit.code}|{unit.name_vi}|{period}|{state}|{lists_key}|{key}"
    return hashlib.sha256(text.encode()).hexdigest()


def write_template(job: tuple) -> tuple[str, int]:
    """Make one template and write it (0600, renamed into place): in this process or a worker's."""
    unit, period, base, lists, secret, built_at, path = job
    made = build_workbook(unit, period, base, lists, secret, built_at)
    tmp = path.with_name(f".{path.name}.tmp")
    write_private_bytes(tmp, made.data)
    os.replace(tmp, path)
    return unit.code, made.prefilled


def _size(job: tuple) -> int:
    return len(job[2].rows) if job[2] else 0


def _write_all(jobs: list[tuple]) -> dict[str, int]:
    """unit code -> rows pre-filled. A large build (the first one, a new code list) is shared among worker processes,
    one per CPU (xlsxwriter is pure Python: about 6,000 rows a second in one process); the jobs travel to them
    through a pipe, never through a file."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = min(len(jobs), MAX_WORKERS, cpus)
    if workers < 2 or sum(map(_size, jobs)) < PARALLEL_ROWS:
        return dict(write_template(job) for job in jobs)
    shares: list[list[tuple]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for job in sorted(jobs, key=_size, reverse=True):  # the biggest first, each to the least loaded worker
        i = loads.index(min(loads))
        shares[i].append(job)
        loads[i] += _size(job) + 1
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "publish.templates._worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )  # fmt: skip
        for _ in shares
    ]
    done: dict[str, int] = {}
    try:
        for proc, share in zip(procs, shares, strict=True):
            proc.stdin.write(pickle.dumps(share, protocol=pickle.HIGHEST_PROTOCOL))
            proc.stdin.close()
        for proc in procs:
            out = proc.stdout.read()
            if proc.wait() != 0:
                raise RuntimeError(f"a template worker failed (exit {proc.returncode}); see its error above")
            done.update(pickle.loads(out))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return done


def _read_index(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def build_templates(
    warehouse: Path,
    period: str | None = None,
    units: list[str] | None = None,
    *,
    force: bool = False,
    now: datetime | None = None,
) -> TemplateBuild:
    """Write the templates of ``period`` (default: the period after the latest list received) for ``units``
    (codes; default: every unit owing a persons list). ``force`` rewrites unchanged ones too.

    Raises UnknownUnit for a code the registry lacks, TemplateKeyMissing without a pseudonymisation key."""
    warehouse = Path(warehouse)
    secret = template_secret(required=True)
    owing = units_owing_lists()
    if units:
        known = {u.code for u in load_registry().values()}
        unknown = sorted(set(units) - known)
        if unknown:
            raise UnknownUnit(
                f"unknown unit code(s): {', '.join(unknown)} (see dbt_project/seeds/registry/unit_registry.csv)"
            )
        wanted = set(units)
        chosen = [u for u in load_registry().values() if u.code in wanted]
    else:
        chosen = owing
    with open_warehouse(warehouse, read_only=True) as con:
        latest = latest_list_period(con, current_period(now).next().code)
        if period is None:
            if latest is None:
                return TemplateBuild(None)
            period = parse_period(latest).next().code
        target = parse_period(str(period))
        if target is None:
            raise ValueError(f"not a reporting period: {period!r} (e.g. 2027-H1)")
        lists = load_code_lists(con)
        states = list_states(con, target.code)
        registry = load_registry()
        if not units:  # a unit with a list but no longer owing one still gets its template
            chosen += [registry[k] for k in states if k in registry and registry[k] not in chosen]
        root, folder = templates_root(warehouse), templates_dir(warehouse, target.code)
        index_path = folder / INDEX_NAME
        index = _read_index(index_path)
        lists_key, key = lists_digest(lists), key_id(secret)
        fingerprints = {
            u.code: _fingerprint(u, target.code, states.get((u.kind, u.code), ""), lists_key, key)
            for u in chosen
        }
        changed = [
            u
            for u in chosen
            if force
            or not template_path(warehouse, target.code, u.code).exists()
            or index.get(u.code, {}).get("fingerprint") != fingerprints[u.code]
        ]
        # only the lists of the templates to write are read (with their personal fields)
        bases = base_lists(con, target.code, lists, [u.code for u in changed]) if changed else {}
    root.parent.mkdir(parents=True, exist_ok=True)  # reports/ itself keeps its mode; templates/ is private
    private_dir(root)
    private_dir(folder)
    built_at = (now or datetime.now(UTC)).replace(microsecond=0)
    jobs = [
        (
            u,
            target,
            bases.get((u.kind, u.code)),
            lists,
            secret,
            built_at,
            template_path(warehouse, target.code, u.code),
        )
        for u in changed
    ]
    written = _write_all(jobs)
    for u in changed:
        base = bases.get((u.kind, u.code))
        index[u.code] = {
            "fingerprint": fingerprints[u.code], "unit_kind": u.kind, "prefilled": written[u.code],
            "base_period": base.base_period if base else "", "built_at": built_at.isoformat(),
        }  # fmt: skip
    build = TemplateBuild(target.code, latest)
    for u in sorted(chosen, key=lambda u: (u.kind, u.code)):
        entry = index[u.code]
        build.templates.append(
            WrittenTemplate(
                u.code,
                u.kind,
                target.code,
                template_path(warehouse, target.code, u.code),
                entry["prefilled"],
                entry["base_period"],
                u.code in written,
            )  # fmt: skip
        )
    write_private_bytes(
        index_path, json.dumps(index, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    )
    make_private(index_path)
    return build
