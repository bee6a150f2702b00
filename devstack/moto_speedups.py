"""What makes moto slow for the devstack, and the smallest change that avoids it.

**Transaction backups: a stream's records are copied by reference.**

Before a ``TransactWriteItems`` moto deep-copies each table it touches so it can roll
back (once per table: ``serialized_dynamodb.back_up_each_table_once``), and that copy
includes every record the table's stream ever had. The records never change once
written, so the backup needs a copy of the *list*, not of each record: a rolled-back
transaction still loses the records it added, and the backup no longer grows more
expensive with every write the stream has seen.

**AWS's managed IAM policies in the devstack's partition only.** moto looks every
request's access key up in the IAM backend of *each* partition (``aws``, ``aws-cn``,
``aws-us-gov``, ``aws-iso``, ``aws-iso-b``), creating the missing ones, and each new
backend parses and builds AWS's ~1,300 managed policies (``MOTO_IAM_LOAD_MANAGED_POLICIES``,
which the program's policy attachments need): ~0.25 s each, 1.2 s on the first request
after a start or a snapshot's restore. The devstack's resources live in one partition
(its regions'), so the other partitions' backends start without them.

Applied by ``devstack.emulator``; idempotent.
"""

from __future__ import annotations

import copy
from typing import Any

_ORIGINAL_AWS_POLICIES = "_booking_original_init_aws_policies"


def _copy_shard(shard: Any, memo: dict[int, Any]) -> Any:
    clone = object.__new__(type(shard))
    memo[id(shard)] = clone
    clone.__dict__.update(shard.__dict__)
    # Reached through its table's copy, which ``memo`` already holds.
    table_copy = memo.get(id(shard.table))
    clone.table = table_copy if table_copy is not None else copy.deepcopy(shard.table, memo)
    clone.items = list(shard.items)
    return clone


def copy_stream_records_by_reference() -> None:
    from moto.dynamodb.models.table import StreamShard

    StreamShard.__deepcopy__ = _copy_shard  # type: ignore[attr-defined]


def managed_policies_only_in(partition: str) -> None:
    """IAM backends of other partitions than ``partition`` start without AWS's managed
    policies (the devstack creates nothing there)."""
    from moto.iam.models import IAMBackend

    original = getattr(IAMBackend, _ORIGINAL_AWS_POLICIES, IAMBackend._init_aws_policies)
    setattr(IAMBackend, _ORIGINAL_AWS_POLICIES, original)

    def init_aws_policies(backend: IAMBackend) -> list[Any]:
        # A global service's backends are keyed by partition: ``region_name`` is one.
        return original(backend) if backend.region_name == partition else []

    IAMBackend._init_aws_policies = init_aws_policies  # type: ignore[method-assign,assignment]
