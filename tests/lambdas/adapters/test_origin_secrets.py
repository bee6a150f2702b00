"""The origin secret's accepted values, on moto's Secrets Manager: the current value,
the previous one once rotated, cached per container (the previous one's absence too)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError
from booking.adapters.origin_secrets import SecretsManagerOriginSecrets


@pytest.fixture
def secretsmanager(aws: None) -> Any:
    return boto3.client("secretsmanager")


@pytest.fixture
def reads(secretsmanager: Any) -> list[str]:
    """The stage of every GetSecretValue sent on ``secretsmanager`` (the adapter's client)."""
    seen: list[str] = []

    def record(params: dict[str, Any], **_: Any) -> None:
        seen.append(params.get("VersionStage", "AWSCURRENT"))

    secretsmanager.meta.events.register("provide-client-params.secrets-manager.GetSecretValue", record)
    return seen


def _secret(client: Any, value: str) -> str:
    return str(client.create_secret(Name="booking-test/origin-verify", SecretString=value)["ARN"])


def test_a_secret_never_rotated_accepts_its_one_value(secretsmanager, reads):
    arn = _secret(secretsmanager, "first")
    assert SecretsManagerOriginSecrets(arn).accepted() == {"first"}


def test_after_a_rotation_the_current_and_the_previous_value_are_accepted(secretsmanager, reads):
    arn = _secret(secretsmanager, "first")
    secretsmanager.put_secret_value(SecretId=arn, SecretString="second")
    assert SecretsManagerOriginSecrets(arn).accepted() == {"first", "second"}
    secretsmanager.put_secret_value(SecretId=arn, SecretString="third")
    assert SecretsManagerOriginSecrets(arn).accepted() == {"second", "third"}


def test_values_are_read_once_per_max_age_including_a_missing_previous(secretsmanager, reads):
    arn = _secret(secretsmanager, "first")
    now = [0.0]
    secrets = SecretsManagerOriginSecrets(
        arn, max_age_seconds=300, clock=lambda: now[0], client=secretsmanager
    )
    for _ in range(5):
        assert secrets.accepted() == {"first"}
    assert sorted(reads) == ["AWSCURRENT", "AWSPREVIOUS"]
    # A rotation within max_age is not seen yet: the runbook waits that long before
    # pointing the distribution at the new value.
    secretsmanager.put_secret_value(SecretId=arn, SecretString="second")
    assert secrets.accepted() == {"first"}
    # Once the absence has expired the previous stage is asked again (and now exists).
    now[0] = 301.0
    assert secrets.accepted() == {"first"}
    assert sorted(reads) == ["AWSCURRENT", "AWSPREVIOUS", "AWSPREVIOUS"]


def test_a_rotation_is_seen_when_the_cache_expires(secretsmanager, reads):
    arn = _secret(secretsmanager, "first")
    secrets = SecretsManagerOriginSecrets(arn, max_age_seconds=0)
    assert secrets.accepted() == {"first"}
    secretsmanager.put_secret_value(SecretId=arn, SecretString="second")
    assert secrets.accepted() == {"first", "second"}


def test_without_a_current_value_nothing_is_admitted_and_the_failure_is_loud(aws):
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:booking-test/none-AbCdEf"
    with pytest.raises(GetParameterError):
        SecretsManagerOriginSecrets(arn).accepted()
