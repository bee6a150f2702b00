"""SES v2 sending identity and configuration set; bounces and complaints go to SNS.

The configuration set suppresses addresses that bounced for good or complained (SES
drops later sends to them), and its events reach the notifications function through the
topic (``deliver_events_to``), which marks the users concerned so no more mail is tried.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

# SES adds an address to the suppression list when a message to it bounces for good or
# its owner complains, and drops later messages to it.
SUPPRESSED_REASONS = ("BOUNCE", "COMPLAINT")


@dataclass(frozen=True)
class EmailArgs:
    identity: str  # a domain or one address
    configuration_set_name: str
    events_topic_name: str
    # SES sandbox: addresses that may receive mail; each becomes an identity AWS asks to
    # verify (a link mailed to it). In the sandbox, SendEmail is also authorised against
    # the recipient's identity, so the sender's policy lists these too.
    sandbox_recipients: tuple[str, ...] = ()


class Email(pulumi.ComponentResource):
    identity_arn: pulumi.Output[str]
    configuration_set_name: pulumi.Output[str]
    configuration_set_arn: pulumi.Output[str]
    events_topic_arn: pulumi.Output[str]
    dkim_tokens: pulumi.Output[list[str]]
    recipient_identity_arns: list[pulumi.Output[str]]

    def __init__(self, name: str, args: EmailArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("booking:email:Email", name, None, opts)
        self._name = name
        child = pulumi.ResourceOptions(parent=self)
        self.events_topic = aws.sns.Topic(f"{name}-events", name=args.events_topic_name, opts=child)
        self.configuration_set = aws.sesv2.ConfigurationSet(
            f"{name}-configuration-set",
            configuration_set_name=args.configuration_set_name,
            reputation_options=aws.sesv2.ConfigurationSetReputationOptionsArgs(
                reputation_metrics_enabled=True
            ),
            sending_options=aws.sesv2.ConfigurationSetSendingOptionsArgs(sending_enabled=True),
            delivery_options=aws.sesv2.ConfigurationSetDeliveryOptionsArgs(tls_policy="REQUIRE"),
            suppression_options=aws.sesv2.ConfigurationSetSuppressionOptionsArgs(
                suppressed_reasons=list(SUPPRESSED_REASONS)
            ),
            opts=child,
        )
        # SES publishes to the topic only if the topic's policy lets it, for this set only.
        self.topic_policy = aws.sns.TopicPolicy(
            f"{name}-events-policy",
            arn=self.events_topic.arn,
            policy=pulumi.Output.all(self.events_topic.arn, self.configuration_set.arn).apply(
                lambda values: json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Sid": "SesPublishesSendingEvents",
                                "Effect": "Allow",
                                "Principal": {"Service": "ses.amazonaws.com"},
                                "Action": "sns:Publish",
                                "Resource": values[0],
                                "Condition": {"StringEquals": {"aws:SourceArn": values[1]}},
                            }
                        ],
                    }
                )
            ),
            opts=child,
        )
        self.event_destination = aws.sesv2.ConfigurationSetEventDestination(
            f"{name}-bounces-and-complaints",
            configuration_set_name=self.configuration_set.configuration_set_name,
            event_destination_name="bounces-and-complaints",
            event_destination=aws.sesv2.ConfigurationSetEventDestinationEventDestinationArgs(
                enabled=True,
                matching_event_types=["BOUNCE", "COMPLAINT", "REJECT"],
                sns_destination=aws.sesv2.ConfigurationSetEventDestinationEventDestinationSnsDestinationArgs(
                    topic_arn=self.events_topic.arn
                ),
            ),
            opts=child.merge(pulumi.ResourceOptions(depends_on=[self.topic_policy])),
        )
        self.identity = aws.sesv2.EmailIdentity(
            f"{name}-identity",
            email_identity=args.identity,
            configuration_set_name=self.configuration_set.configuration_set_name,
            opts=child,
        )
        self.recipients = [
            aws.sesv2.EmailIdentity(f"{name}-recipient-{index}", email_identity=address, opts=child)
            for index, address in enumerate(args.sandbox_recipients)
        ]
        self.identity_arn = self.identity.arn
        self.recipient_identity_arns = [recipient.arn for recipient in self.recipients]
        self.dkim_tokens = self.identity.dkim_signing_attributes.apply(
            lambda attributes: list(attributes.tokens or []) if attributes else []
        )
        self.configuration_set_name = self.configuration_set.configuration_set_name
        self.configuration_set_arn = self.configuration_set.arn
        self.events_topic_arn = self.events_topic.arn
        self.register_outputs(
            {
                "identityArn": self.identity_arn,
                "configurationSetName": self.configuration_set_name,
                "configurationSetArn": self.configuration_set_arn,
                "eventsTopicArn": self.events_topic_arn,
            }
        )

    def deliver_events_to(
        self, function_name: pulumi.Input[str], function_arn: pulumi.Input[str]
    ) -> aws.sns.TopicSubscription:
        """Subscribe a function to the bounce and complaint events (created after it)."""
        opts = pulumi.ResourceOptions(parent=self)
        permission = aws.lambda_.Permission(
            f"{self._name}-events-invoke",
            action="lambda:InvokeFunction",
            function=function_name,
            principal="sns.amazonaws.com",
            source_arn=self.events_topic.arn,
            opts=opts,
        )
        return aws.sns.TopicSubscription(
            f"{self._name}-events-subscription",
            topic=self.events_topic.arn,
            protocol="lambda",
            endpoint=function_arn,
            opts=opts.merge(pulumi.ResourceOptions(depends_on=[permission])),
        )
