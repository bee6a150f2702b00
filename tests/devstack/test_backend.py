import json

from devstack.backend import EmulatorBackend


def test_every_adapted_type_is_created_and_unknown_types_are_recorded_not_dropped(ctx, make_record):
    backend = EmulatorBackend(ctx)

    queue_url, queue = backend.create(make_record("aws:sqs/queue:Queue", "dlq"))
    acl_id, acl = backend.create(
        make_record(
            "aws:wafv2/webAcl:WebAcl",
            "edge",
            scope="CLOUDFRONT",
            defaultAction={"allow": {}},
            visibilityConfig={
                "cloudwatchMetricsEnabled": False,
                "metricName": "edge",
                "sampledRequestsEnabled": False,
            },
        )
    )
    other_id, other = backend.create(make_record("aws:xray/samplingRule:SamplingRule", "sampling"))

    assert ctx.client("sqs").get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    assert queue["arn"].startswith("arn:aws:sqs:")
    assert acl["scope"] == "CLOUDFRONT"
    assert acl["arn"].startswith("arn:aws:wafv2:")
    assert ctx.client("wafv2").get_web_acl(Name=acl["name"], Id=acl_id, Scope="CLOUDFRONT")
    listed = backend.not_emulated()
    assert set(listed) == {"aws:wafv2/webAcl:WebAcl", "aws:xray/samplingRule:SamplingRule"}
    assert listed["aws:wafv2/webAcl:WebAcl"][0].created  # created, its rules not applied
    assert not listed["aws:xray/samplingRule:SamplingRule"][0].created
    assert "no adapter" in listed["aws:xray/samplingRule:SamplingRule"][0].reason
    assert other_id
    assert other["id"] == other_id


def test_components_and_providers_are_not_cloud_resources(ctx, make_record):
    backend = EmulatorBackend(ctx)

    assert backend.create(make_record("booking:data:Database", "database")) == ("", {})
    provider_id, _ = backend.create(make_record("pulumi:providers:aws", "us-east-1", region="us-east-1"))
    assert provider_id
    assert backend.not_emulated() == {}


def test_a_resource_of_an_explicit_provider_is_created_in_that_providers_region(ctx, make_record):
    backend = EmulatorBackend(ctx)
    provider = make_record("pulumi:providers:aws", "sa-east", region="sa-east-1")
    backend.create(provider)

    _, queue = backend.create(make_record("aws:sqs/queue:Queue", "far", provider_ref=f"{provider.urn}::pid"))

    assert queue["arn"].startswith("arn:aws:sqs:sa-east-1:")


def test_invokes_are_answered_by_the_emulator_and_unknown_ones_are_recorded(ctx):
    backend = EmulatorBackend(ctx)

    identity = backend.call("aws:index/getCallerIdentity:getCallerIdentity", {})
    region = backend.call("aws:index/getRegion:getRegion", {})
    document = backend.call(
        "aws:iam/getPolicyDocument:getPolicyDocument",
        {
            "statements": [
                {
                    "effect": "Allow",
                    "actions": ["sts:AssumeRole"],
                    "principals": [{"type": "Service", "identifiers": ["lambda.amazonaws.com"]}],
                }
            ]
        },
    )
    unknown = backend.call("aws:ec2/getVpc:getVpc", {"default": True})

    assert identity["accountId"] == ctx.client("sts").get_caller_identity()["Account"]
    assert region["name"] == ctx.region
    assert json.loads(document["json"])["Statement"] == [
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "lambda.amazonaws.com"}}
    ]
    assert unknown == {}
    assert backend.recorded_invokes == ["aws:ec2/getVpc:getVpc"]
