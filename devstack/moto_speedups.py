"""Make moto's transaction backups cheap: a stream's records are copied by reference.

Before a ``TransactWriteItems`` moto deep-copies each table it touches so it can roll
back (once per table: ``serialized_dynamodb.back_up_each_table_once``), and that copy
includes every record the table's stream ever had. The records never change once
written, so the backup needs a copy of the *list*, not of each record: a rolled-back
transaction still loses the records it added, and the backup no longer grows more
expensive with every write the stream has seen.

Applied by ``devstack.emulator``; idempotent.
"""

from __future__ import annotations

import copy
from typing import Any


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
