"""``bookingctl integrity``: check that every booking holds exactly its lock cells.

Exit status 0 when the table is consistent, 1 when any problem is found (each is
printed). It reads the whole table with a paginated Scan: run it as an operator,
against a quiet table or with the knowledge that in-flight writes may show up.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "integrity",
        help="check that no lock cell is missing, foreign or orphaned (exit 1 on any problem)",
        description=__doc__,
    )
    parser.add_argument("--table", required=True, help="the booking table's name")
    parser.add_argument("--endpoint-url", help="e.g. the devstack's emulator, http://127.0.0.1:…")
    parser.add_argument("--region", help="AWS region (default: the environment's)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Imported here so that ``bookingctl --help`` does not load boto3.
    import boto3
    from booking.adapters.dynamodb_table import DynamoTable
    from booking.adapters.integrity import check_integrity

    client = boto3.client("dynamodb", endpoint_url=args.endpoint_url, region_name=args.region)
    report = check_integrity(DynamoTable(args.table, client=client))
    for problem in report.problems:
        print(f"PROBLEM {problem}")
    verdict = "OK" if report.ok else f"{len(report.problems)} problem(s)"
    print(f"checked {report.bookings_checked} bookings and {report.locks_checked} locks: {verdict}")
    return 0 if report.ok else 1
