"""SQS queues (dead-letter queues) and SNS topics (the alarm topic) with their policies."""

from __future__ import annotations

from typing import Any

from devstack.adapters.base import Adapter, Created, EmulatorContext, as_json_text, physical_name, state
from engine.inventory import ResourceRecord

_QUEUE_ATTRIBUTES = {
    "delaySeconds": "DelaySeconds",
    "maxMessageSize": "MaximumMessageSize",
    "messageRetentionSeconds": "MessageRetentionPeriod",
    "receiveWaitTimeSeconds": "ReceiveMessageWaitTimeSeconds",
    "visibilityTimeoutSeconds": "VisibilityTimeout",
    "kmsMasterKeyId": "KmsMasterKeyId",
    "kmsDataKeyReusePeriodSeconds": "KmsDataKeyReusePeriodSeconds",
    "sqsManagedSseEnabled": "SqsManagedSseEnabled",
    "fifoQueue": "FifoQueue",
    "contentBasedDeduplication": "ContentBasedDeduplication",
}


def _attribute_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def create_queue(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    name = physical_name(record, max_length=80)
    if inputs.get("fifoQueue") and not name.endswith(".fifo"):
        name = f"{name[:75]}.fifo"
    attributes = {
        target: _attribute_text(inputs[source])
        for source, target in _QUEUE_ATTRIBUTES.items()
        if inputs.get(source) is not None
    }
    for source, target in (
        ("redrivePolicy", "RedrivePolicy"),
        ("redriveAllowPolicy", "RedriveAllowPolicy"),
        ("policy", "Policy"),
    ):
        if inputs.get(source):
            attributes[target] = as_json_text(inputs[source])
    request: dict[str, Any] = {"QueueName": name, "Attributes": attributes}
    if inputs.get("tags"):
        request["tags"] = dict(inputs["tags"])
    sqs = ctx.client("sqs")
    url = sqs.create_queue(**request)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, state(record, name=name, arn=arn, url=url)


def _set_queue_attribute(ctx: EmulatorContext, record: ResourceRecord, key: str, attribute: str) -> Created:
    url = record.inputs["queueUrl"]
    ctx.client("sqs").set_queue_attributes(
        QueueUrl=url, Attributes={attribute: as_json_text(record.inputs[key])}
    )
    return url, state(record)


def create_queue_policy(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    return _set_queue_attribute(ctx, record, "policy", "Policy")


def create_redrive_policy(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    return _set_queue_attribute(ctx, record, "redrivePolicy", "RedrivePolicy")


def create_topic(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    name = physical_name(record, max_length=256)
    if inputs.get("fifoTopic") and not name.endswith(".fifo"):
        name = f"{name}.fifo"
    attributes = {}
    for source, target in (
        ("displayName", "DisplayName"),
        ("kmsMasterKeyId", "KmsMasterKeyId"),
        ("fifoTopic", "FifoTopic"),
        ("policy", "Policy"),
        ("tracingConfig", "TracingConfig"),
    ):
        if inputs.get(source) is not None:
            value = inputs[source]
            attributes[target] = as_json_text(value) if source == "policy" else _attribute_text(value)
    request: dict[str, Any] = {"Name": name, "Attributes": attributes}
    if inputs.get("tags"):
        request["Tags"] = [{"Key": key, "Value": str(value)} for key, value in inputs["tags"].items()]
    arn = ctx.client("sns").create_topic(**request)["TopicArn"]
    return arn, state(record, name=name, arn=arn, owner=ctx.account_id)


def create_topic_subscription(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    arn = ctx.client("sns").subscribe(
        TopicArn=inputs["topic"],
        Protocol=inputs["protocol"],
        Endpoint=inputs["endpoint"],
        ReturnSubscriptionArn=True,
    )["SubscriptionArn"]
    return arn, state(record, arn=arn, ownerId=ctx.account_id)


def create_topic_policy(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    ctx.client("sns").set_topic_attributes(
        TopicArn=inputs["arn"], AttributeName="Policy", AttributeValue=as_json_text(inputs["policy"])
    )
    return inputs["arn"], state(record, owner=ctx.account_id)


ADAPTERS: dict[str, Adapter] = {
    "aws:sqs/queue:Queue": create_queue,
    "aws:sqs/queuePolicy:QueuePolicy": create_queue_policy,
    "aws:sqs/redrivePolicy:RedrivePolicy": create_redrive_policy,
    "aws:sns/topic:Topic": create_topic,
    "aws:sns/topicSubscription:TopicSubscription": create_topic_subscription,
    "aws:sns/topicPolicy:TopicPolicy": create_topic_policy,
}
