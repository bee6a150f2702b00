"""``bookingctl integrity``: check that every booking holds exactly its lock cells.

Exit status 0 when the table is consistent, 1 when any problem is found (each is
printed). It reads the whole table with a paginated Scan: run it as an operator,
against a quiet table or with the knowledge that in-flight writes may show up. Lock
cells past their TTL expiry that DynamoDB has not deleted yet are counted, not faulted.
"""

from __future__ import annotations

from typing import Annotated

import typer

from bookingctl import console


def integrity(
    table: Annotated[str, typer.Option(help="the booking table's name")],
    endpoint_url: Annotated[
        str | None, typer.Option(help="e.g. the devstack's emulator, http://127.0.0.1:…")
    ] = None,
    region: Annotated[str | None, typer.Option(help="AWS region (default: the environment's)")] = None,
    lock_retention_days: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="how long cells outlive their time (default: the bookings function's default, 7)",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check every booking's lock cells (exit 1 on any problem).

    No lock cell may be missing, foreign or orphaned. Reads the whole table with a
    paginated Scan: run it against a quiet table, or know that in-flight writes may
    show up. Cells that have expired (TTL deletes them lazily) hold no time and are
    only counted.
    """
    # Imported here so that ``bookingctl --help`` does not load boto3.
    from datetime import timedelta

    import boto3
    from booking.adapters.dynamodb_table import DynamoTable
    from booking.adapters.integrity import check_integrity
    from booking.adapters.table_design import LOCK_RETENTION_DAYS

    client = boto3.client("dynamodb", endpoint_url=endpoint_url, region_name=region)
    with console.Steps() as steps, steps.step(f"scanning table {table}"):
        report = check_integrity(
            DynamoTable(table, client=client),
            lock_retention=timedelta(days=lock_retention_days or LOCK_RETENTION_DAYS),
        )
    out = console.stdout()
    for problem in report.problems:
        out.print(f"PROBLEM {problem}", soft_wrap=True)
    verdict = "OK" if report.ok else f"{len(report.problems)} problem(s)"
    expired = f" ({report.expired_locks} expired, awaiting TTL deletion)" if report.expired_locks else ""
    out.print(
        f"checked {report.bookings_checked} bookings and {report.locks_checked} locks{expired}: {verdict}"
    )
    raise typer.Exit(0 if report.ok else 1)
