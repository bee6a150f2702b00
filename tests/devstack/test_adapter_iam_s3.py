import json

from devstack.adapters.iam import (
    create_policy,
    create_role,
    create_role_policy,
    create_role_policy_attachment,
)
from devstack.adapters.s3 import (
    create_bucket,
    create_bucket_policy,
    create_object,
    create_public_access_block,
    create_versioning,
)

LAMBDA_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}
TABLE_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": ["dynamodb:GetItem"], "Resource": "arn:aws:dynamodb:::table/x"}
    ],
}


def test_a_role_keeps_its_trust_inline_and_attached_policies(ctx, make_record):
    role_name, role = create_role(
        ctx, make_record("aws:iam/role:Role", "bookings-role", assumeRolePolicy=json.dumps(LAMBDA_TRUST))
    )
    create_role_policy(
        ctx, make_record("aws:iam/rolePolicy:RolePolicy", "table", role=role_name, policy=TABLE_POLICY)
    )
    policy_arn, policy = create_policy(
        ctx, make_record("aws:iam/policy:Policy", "extra", policy=json.dumps(TABLE_POLICY))
    )
    create_role_policy_attachment(
        ctx,
        make_record(
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a", role=role_name, policyArn=policy_arn
        ),
    )
    managed = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    create_role_policy_attachment(
        ctx,
        make_record(
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "b", role=role_name, policyArn=managed
        ),
    )

    iam = ctx.client("iam")
    described = iam.get_role(RoleName=role_name)["Role"]
    assert described["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "Service": "lambda.amazonaws.com"
    }
    assert role["arn"] == described["Arn"]
    [inline_name] = iam.list_role_policies(RoleName=role_name)["PolicyNames"]
    inline = iam.get_role_policy(RoleName=role_name, PolicyName=inline_name)["PolicyDocument"]
    assert inline["Statement"][0]["Action"] == ["dynamodb:GetItem"]
    attached = {
        item["PolicyArn"] for item in iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"]
    }
    assert attached == {policy_arn, managed}
    assert policy["arn"] == policy_arn


def test_the_spa_bucket_is_private_versioned_and_holds_the_config_object(ctx, make_record):
    bucket, outputs = create_bucket(ctx, make_record("aws:s3/bucket:Bucket", "SPA_site"))
    create_public_access_block(
        ctx,
        make_record(
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            "pab",
            bucket=bucket,
            blockPublicAcls=True,
            blockPublicPolicy=True,
            ignorePublicAcls=True,
            restrictPublicBuckets=True,
        ),
    )
    create_versioning(
        ctx,
        make_record(
            "aws:s3/bucketVersioning:BucketVersioning",
            "v",
            bucket=bucket,
            versioningConfiguration={"status": "Enabled"},
        ),
    )
    create_bucket_policy(
        ctx,
        make_record(
            "aws:s3/bucketPolicy:BucketPolicy",
            "p",
            bucket=bucket,
            policy={
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "cloudfront.amazonaws.com"},
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{bucket}/*",
                    }
                ],
            },
        ),
    )
    create_object(
        ctx,
        make_record(
            "aws:s3/bucketObjectv2:BucketObjectv2",
            "config",
            bucket=bucket,
            key="config.json",
            content='{"apiUrl": "http://127.0.0.1:8080"}',
            contentType="application/json",
        ),
    )

    s3 = ctx.client("s3")
    assert bucket == bucket.lower()
    assert bucket.startswith("spa-site-")
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values())
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    assert (
        json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"][0]["Action"] == "s3:GetObject"
    )
    config = s3.get_object(Bucket=bucket, Key="config.json")
    assert json.loads(config["Body"].read()) == {"apiUrl": "http://127.0.0.1:8080"}
    assert config["ContentType"] == "application/json"
    assert outputs["arn"] == f"arn:aws:s3:::{bucket}"
