"""The ``DeliveryLedger`` port on the single table: one item per delivery, claimed with a
conditional ``PutItem`` and forgotten through the table's TTL attribute.

Item: ``TENANT#<t>#DELIVERY#<booking>`` / ``<version, 9 digits>#<step>#<audience>``, with
``status`` (``pending`` while claimed, then ``sent`` or ``failed``), ``claimedAt`` and
``heldUntil`` (epoch milliseconds: when it was claimed, and until when the claim holds,
its holder's deadline plus a margin, see ``domain.deliveries``), the recipient, the
provider's message id or the failure, the request id of the change, and ``expiresAt``
(epoch seconds, the table's TTL attribute). The sort key does not start with
``BOOKING#``, so the stream filter keeps these writes away from the notifications
function itself.
"""

from __future__ import annotations

from datetime import datetime

from botocore.exceptions import ClientError

from booking.adapters import table_design
from booking.adapters.dynamodb_items import ENTITY, PK, key_of, tenant_pk
from booking.adapters.dynamodb_table import DynamoTable, Item, condition_failed
from booking.domain.deliveries import LEDGER_RETENTION, ClaimOutcome, Delivery

PENDING, SENT, FAILED = "pending", "sent", "failed"
TTL = table_design.TTL_ATTRIBUTE


def delivery_key(delivery: Delivery) -> Item:
    partition = f"{tenant_pk(delivery.tenant_id)}#DELIVERY#{delivery.booking_id}"
    return key_of(partition, f"{delivery.version:09d}#{delivery.step}#{delivery.audience}")


def _millis(moment: datetime) -> str:
    return str(int(moment.timestamp() * 1000))


class DynamoDeliveryLedger:
    def __init__(self, table: DynamoTable) -> None:
        self.table = table

    def claim(self, delivery: Delivery, now: datetime, held_until: datetime) -> ClaimOutcome:
        item: Item = {
            **delivery_key(delivery),
            ENTITY: {"S": "delivery"},
            "tenantId": {"S": delivery.tenant_id},
            "bookingId": {"S": delivery.booking_id},
            "bookingVersion": {"N": str(delivery.version)},
            "step": {"S": delivery.step},
            "audience": {"S": delivery.audience},
            "status": {"S": PENDING},
            "claimedAt": {"N": _millis(now)},
            "heldUntil": {"N": _millis(held_until)},
            TTL: {"N": str(int((now + LEDGER_RETENTION).timestamp()))},
        }
        if delivery.recipient:
            item["recipient"] = {"S": delivery.recipient}
        if delivery.request_id:
            item["requestId"] = {"S": delivery.request_id}
        try:
            replaced = self.table.client.put_item(
                TableName=self.table.name,
                Item=item,
                # First claim wins; a pending claim past its holder's deadline (and margin)
                # is an invocation that is gone, and is taken over. A claim written before
                # claims carried ``heldUntil`` has no holder left either.
                ConditionExpression=(
                    f"attribute_not_exists({PK}) OR (#status = :pending AND "
                    "(heldUntil < :now OR attribute_not_exists(heldUntil)))"
                ),
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={":pending": {"S": PENDING}, ":now": {"N": _millis(now)}},
                ReturnValues="ALL_OLD",
            )
        except ClientError as error:
            if not condition_failed(error):
                raise
            current = self.table.get(delivery_key(delivery))
            if current is None:  # released (or expired) in between: try once more
                return self.claim(delivery, now, held_until)
            return ClaimOutcome.IN_PROGRESS if current["status"]["S"] == PENDING else ClaimOutcome.DONE
        return ClaimOutcome.TAKEN_OVER if replaced.get("Attributes") else ClaimOutcome.CLAIMED

    def _finish(self, delivery: Delivery, now: datetime, status: str, detail: tuple[str, str] | None) -> None:
        names = {"#status": "status"}
        values: Item = {":status": {"S": status}, ":at": {"N": _millis(now)}}
        expression = "SET #status = :status, finishedAt = :at"
        if detail is not None:
            expression += ", #detail = :detail"
            names["#detail"] = detail[0]
            values[":detail"] = {"S": detail[1]}
        self.table.client.update_item(
            TableName=self.table.name,
            Key=delivery_key(delivery),
            UpdateExpression=expression,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )

    def complete(self, delivery: Delivery, now: datetime, message_id: str | None) -> None:
        self._finish(delivery, now, SENT, ("messageId", message_id) if message_id else None)

    def fail(self, delivery: Delivery, now: datetime, reason: str) -> None:
        self._finish(delivery, now, FAILED, ("failure", reason))

    def release(self, delivery: Delivery) -> None:
        try:
            self.table.client.delete_item(
                TableName=self.table.name,
                Key=delivery_key(delivery),
                ConditionExpression="#status = :pending",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={":pending": {"S": PENDING}},
            )
        except ClientError as error:
            if not condition_failed(error):
                raise
