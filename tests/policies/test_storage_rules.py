"""Tables and buckets: compliant and violating props side by side."""

from __future__ import annotations

import pytest

from tests.policies.harness import (
    Resource,
    assert_reports,
    policies_by_name,
    resource_messages,
    validate_stack,
)
from tests.policies.samples import (
    BUCKET,
    DELETE,
    PUBLIC_ACCESS_BLOCK,
    TABLE,
    public_access_block,
    table,
    with_,
)


@pytest.mark.parametrize(
    ("policy", "props", "expected"),
    [
        pytest.param("table-pitr", table(), [], id="pitr-on"),
        pytest.param(
            "table-pitr", with_(table(), pointInTimeRecovery__enabled=False), ["pointInTimeRecovery"]
        ),
        pytest.param(
            "table-pitr", with_(table(), pointInTimeRecovery=DELETE), ["pointInTimeRecovery.enabled"]
        ),
        pytest.param("table-deletion-protection", table(), [], id="protected"),
        pytest.param(
            "table-deletion-protection",
            with_(table(), deletionProtectionEnabled=False),
            ["deletionProtectionEnabled is not true"],
        ),
        pytest.param("table-encryption", table(), [], id="encrypted"),
        pytest.param(
            "table-encryption", with_(table(), serverSideEncryption=DELETE), ["serverSideEncryption.enabled"]
        ),
    ],
)
def test_tables_are_recoverable_protected_and_encrypted(policy, props, expected):
    assert_reports(resource_messages(policy, TABLE, props), expected)


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        pytest.param(public_access_block(), [], id="all four flags"),
        pytest.param(
            with_(public_access_block(), blockPublicPolicy=False), ["blockPublicPolicy is not true"]
        ),
        pytest.param(
            with_(public_access_block(), ignorePublicAcls=DELETE, restrictPublicBuckets=False),
            ["ignorePublicAcls", "restrictPublicBuckets"],
        ),
    ],
)
def test_public_access_blocks_block_everything(props, expected):
    assert_reports(resource_messages("bucket-public-access-block", PUBLIC_ACCESS_BLOCK, props), expected)


def _bucket(name: str = "spa") -> Resource:
    return Resource(BUCKET, name, {"bucket": f"{name}-bucket"})


@pytest.mark.parametrize(
    ("resources", "unprotected"),
    [
        pytest.param(
            [_bucket(), Resource(PUBLIC_ACCESS_BLOCK, "spa-pab", public_access_block())], [], id="by-name"
        ),
        pytest.param(
            [
                _bucket(),
                Resource(
                    PUBLIC_ACCESS_BLOCK,
                    "spa-pab",
                    {**public_access_block(), "bucket": "ignored"},
                    depends={"bucket": ("spa",)},
                ),
            ],
            [],
            id="by-property-dependency",
        ),
        pytest.param([_bucket()], ["spa"], id="no-block"),
        pytest.param(
            [_bucket(), _bucket("logs"), Resource(PUBLIC_ACCESS_BLOCK, "spa-pab", public_access_block())],
            ["logs"],
            id="second-bucket-unprotected",
        ),
    ],
)
def test_every_bucket_in_the_stack_has_a_public_access_block(resources, unprotected):
    violations = validate_stack(policies_by_name()["buckets-have-public-access-block"], resources)
    assert [v.urn for v in violations] == [r.urn for r in resources if r.name in unprotected]
    assert all("add a BucketPublicAccessBlock" in v.message for v in violations)
