"""SES v2: the sending identity and the configuration set with its event destinations.

moto's SES v1 and v2 share one backend, so an identity created here lets the
notifications function's ``sesv2.send_email`` through, and every accepted message
lands in the backend's ``sent_messages`` (which the outbox pump writes to disk).
"""

from __future__ import annotations

from typing import Any

from devstack.adapters.base import Adapter, Created, EmulatorContext, compact, physical_name, state, tag_list
from engine.inventory import ResourceRecord


def create_email_identity(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    identity = inputs["emailIdentity"]
    request: dict[str, Any] = {"EmailIdentity": identity}
    if inputs.get("configurationSetName"):
        request["ConfigurationSetName"] = inputs["configurationSetName"]
    if inputs.get("tags"):
        request["Tags"] = tag_list(inputs["tags"])
    sesv2 = ctx.client("sesv2")
    sesv2.create_email_identity(**request)
    # moto accepts mail from any identity it holds, whatever status it reports.
    described = sesv2.get_email_identity(EmailIdentity=identity)
    return identity, state(
        record,
        arn=ctx.arn("ses", f"identity/{identity}"),
        identityType=described.get("IdentityType"),
        verifiedForSendingStatus=bool(described.get("VerifiedForSendingStatus")),
        verificationStatus=described.get("VerificationStatus"),
    )


def create_configuration_set(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    name = physical_name(record, "configurationSetName")
    request: dict[str, Any] = {"ConfigurationSetName": name}
    reputation = inputs.get("reputationOptions") or {}
    if reputation.get("reputationMetricsEnabled") is not None:
        enabled = bool(reputation["reputationMetricsEnabled"])
        request["ReputationOptions"] = {"ReputationMetricsEnabled": enabled}
    sending = inputs.get("sendingOptions") or {}
    if sending.get("sendingEnabled") is not None:
        request["SendingOptions"] = {"SendingEnabled": bool(sending["sendingEnabled"])}
    suppression = inputs.get("suppressionOptions") or {}
    if suppression.get("suppressedReasons"):
        request["SuppressionOptions"] = {"SuppressedReasons": list(suppression["suppressedReasons"])}
    delivery = inputs.get("deliveryOptions") or {}
    if delivery.get("tlsPolicy"):
        request["DeliveryOptions"] = {"TlsPolicy": delivery["tlsPolicy"]}
    if inputs.get("tags"):
        request["Tags"] = tag_list(inputs["tags"])
    ctx.client("sesv2").create_configuration_set(**request)
    return name, state(record, configurationSetName=name, arn=ctx.arn("ses", f"configuration-set/{name}"))


def create_configuration_set_event_destination(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    """moto's SES v2 API lacks event destinations; its v1 API writes the same backend."""
    inputs = record.inputs
    set_name = inputs["configurationSetName"]
    destination_name = inputs["eventDestinationName"]
    destination = inputs.get("eventDestination") or {}
    request: dict[str, Any] = compact(
        {
            "Name": destination_name,
            "Enabled": bool(destination.get("enabled", False)),
            # v2 says BOUNCE, v1 says bounce.
            "MatchingEventTypes": [kind.lower() for kind in destination.get("matchingEventTypes", [])],
        }
    )
    sns = destination.get("snsDestination") or {}
    if sns.get("topicArn"):
        request["SNSDestination"] = {"TopicARN": sns["topicArn"]}
    ctx.client("ses").create_configuration_set_event_destination(
        ConfigurationSetName=set_name, EventDestination=request
    )
    return f"{set_name}|{destination_name}", state(record)


ADAPTERS: dict[str, Adapter] = {
    "aws:sesv2/emailIdentity:EmailIdentity": create_email_identity,
    "aws:sesv2/configurationSet:ConfigurationSet": create_configuration_set,
    "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination": (
        create_configuration_set_event_destination
    ),
}
