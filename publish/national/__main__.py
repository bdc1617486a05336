"""``python -m publish.national build | verify <dir> | ack <dir>``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from settings import warehouse_dir, warehouse_path

from .contract import exchange_key
from .errors import NationalExchangeError
from .package import build_package
from .verify import acknowledge_package, read_receiver_state, verify_package


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m publish.national", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build and release the next package (if anything changed)")
    build.add_argument(
        "--warehouse", type=Path, default=None, help="DuckDB file (default: $TRITHUC_WAREHOUSE)"
    )
    build.add_argument(
        "--outbox", type=Path, default=None, help="outbox root (default: <warehouse dir>/outbox)"
    )
    build.add_argument(
        "--period", default=None, help="e.g. 2026-H1 (default: the latest period with persons)"
    )
    build.add_argument("--allow-mass-withdrawal", action="store_true")
    verify = commands.add_parser("verify", help="the receiver's check of one package folder")
    verify.add_argument("package", type=Path)
    _replay_options(verify)
    ack = commands.add_parser(
        "ack", help="simulate the receiver's acknowledgement (writes a signed ack.json)"
    )
    ack.add_argument("package", type=Path)
    ack.add_argument("--status", choices=("accepted", "rejected"), default="accepted")
    ack.add_argument(
        "--state",
        type=Path,
        default=None,
        help="receiver state file: refuse a package at or below its sequence; record an accepted one",
    )
    args = parser.parse_args(argv)

    try:
        if args.command == "build":
            warehouse = args.warehouse or warehouse_path()
            outbox = args.outbox or (warehouse.parent if args.warehouse else warehouse_dir()) / "outbox"
            result = build_package(
                warehouse, outbox, args.period, allow_mass_withdrawal=args.allow_mass_withdrawal
            )
            print(("RELEASED " if result.released else "UNCHANGED ") + f"{result.path}: {result.reason}")
            print("  counts: " + ", ".join(f"{k} {v}" for k, v in result.counts.items()))
            if result.held_back_reasons:
                print("  held back: " + ", ".join(f"{k} {v}" for k, v in result.held_back_reasons.items()))
            for warning in result.warnings:
                print(f"  warning: {warning}")
            return 0
        if args.command == "verify":
            after = args.after_sequence
            if after is None and args.state is not None:
                after = read_receiver_state(args.state)
            verdict = verify_package(args.package, exchange_key(), after_sequence=after)
            print(verdict.render())
            return 0 if verdict.ok else 1
        path = acknowledge_package(args.package, status=args.status, state_file=args.state)
        print(f"ACKNOWLEDGED ({args.status}): {path}")
        return 0
    except NationalExchangeError as exc:
        label = "REJECTED" if args.command == "verify" else "ERROR"
        print(
            f"{label}: {exc.__class__.__name__}: {exc}", file=sys.stderr if label == "ERROR" else sys.stdout
        )
        return 1


def _replay_options(parser: argparse.ArgumentParser) -> None:
    """The receiver's last acknowledged sequence: a package at or below it is rejected as a replay."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--after-sequence",
        type=int,
        default=None,
        metavar="N",
        help="the last sequence you acknowledged; a package at or below it is REJECTED as replayed",
    )
    group.add_argument(
        "--state",
        type=Path,
        default=None,
        help='receiver state file ({"last_acknowledged_sequence": N}, kept by `ack --state`)',
    )


if __name__ == "__main__":
    sys.exit(main())
