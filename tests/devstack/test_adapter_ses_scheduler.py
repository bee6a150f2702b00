from devstack.adapters.scheduler import create_schedule_group
from devstack.adapters.ses import (
    create_configuration_set,
    create_configuration_set_event_destination,
    create_email_identity,
)


def test_the_sending_identity_is_verified_so_the_function_can_send_from_it(ctx, make_record):
    identity, outputs = create_email_identity(
        ctx,
        make_record("aws:sesv2/emailIdentity:EmailIdentity", "sender", emailIdentity="noreply@clinic.test"),
    )

    sesv2 = ctx.client("sesv2")
    assert sesv2.get_email_identity(EmailIdentity=identity)["IdentityType"] == "EMAIL_ADDRESS"
    sent = sesv2.send_email(
        FromEmailAddress="noreply@clinic.test",
        Destination={"ToAddresses": ["patient@example.com"]},
        Content={"Simple": {"Subject": {"Data": "hi"}, "Body": {"Text": {"Data": "body"}}}},
    )
    assert sent["MessageId"]
    assert outputs["arn"].endswith(":identity/noreply@clinic.test")


def test_the_configuration_set_and_its_bounce_destination_exist(ctx, make_record):
    topic = ctx.client("sns").create_topic(Name="ses-events")["TopicArn"]
    name, outputs = create_configuration_set(
        ctx,
        make_record(
            "aws:sesv2/configurationSet:ConfigurationSet",
            "mail",
            configurationSetName="booking-dev",
            reputationOptions={"reputationMetricsEnabled": True},
            sendingOptions={"sendingEnabled": True},
        ),
    )
    create_configuration_set_event_destination(
        ctx,
        make_record(
            "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination",
            "bounces",
            configurationSetName=name,
            eventDestinationName="bounces",
            eventDestination={
                "enabled": True,
                "matchingEventTypes": ["BOUNCE", "COMPLAINT"],
                "snsDestination": {"topicArn": topic},
            },
        ),
    )

    assert (
        ctx.client("sesv2").get_configuration_set(ConfigurationSetName=name)["ConfigurationSetName"] == name
    )
    described = ctx.client("ses").describe_configuration_set(
        ConfigurationSetName=name, ConfigurationSetAttributeNames=["eventDestinations"]
    )
    [destination] = described["EventDestinations"]
    assert destination["SNSDestination"]["TopicARN"] == topic
    assert sorted(destination["MatchingEventTypes"]) == ["bounce", "complaint"]
    assert outputs["arn"].endswith(":configuration-set/booking-dev")


def test_the_schedule_group_exists_and_answers_its_arn(ctx, make_record):
    name, outputs = create_schedule_group(
        ctx,
        make_record("aws:scheduler/scheduleGroup:ScheduleGroup", "reminders", name="booking-dev-reminders"),
    )

    group = ctx.client("scheduler").get_schedule_group(Name=name)
    assert group["Arn"] == outputs["arn"]
    assert outputs["arn"].endswith(":schedule-group/booking-dev-reminders")
