"""Stack configuration: validated once, errors name the key, secrets stay placeholders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from engine.run import run_program
from engine.stack_file import PROJECT_ROOT, SECRET_PLACEHOLDER, read_stack_config
from stacks.config import StackConfigError, validate_stack_config

pytestmark = pytest.mark.xdist_group("infra-program")


def _values(stack: str = "qas") -> dict[str, str]:
    values, _ = read_stack_config(stack)
    return values


@pytest.mark.parametrize("stack", ["dev", "qas", "prd"])
def test_each_stack_file_is_valid(stack):
    config = validate_stack_config(_values(stack))
    assert config.environment == stack


def test_a_negative_throttling_rate_names_the_key():
    values = _values()
    values["booking-platform:throttle"] = '{"burstLimit": 10, "rateLimit": -1}'
    with pytest.raises(
        StackConfigError, match=r"booking-platform:throttle\.rateLimit: Input should be greater"
    ):
        validate_stack_config(values)


def test_an_unknown_key_is_named():
    values = _values()
    values["booking-platform:colour"] = "blue"
    with pytest.raises(StackConfigError, match=r"booking-platform:colour: unknown key"):
        validate_stack_config(values)


def test_a_missing_key_is_named():
    values = _values()
    del values["booking-platform:pointInTimeRecovery"]
    with pytest.raises(StackConfigError, match=r"booking-platform:pointInTimeRecovery: Field required"):
        validate_stack_config(values)


def test_a_log_retention_cloudwatch_rejects_is_named():
    values = _values()
    values["booking-platform:logRetentionDays"] = "10"
    with pytest.raises(StackConfigError, match=r"booking-platform:logRetentionDays: .*must be one of"):
        validate_stack_config(values)


def test_prd_refuses_to_run_without_deletion_protection():
    values = _values("prd")
    values["booking-platform:deletionProtection"] = "false"
    with pytest.raises(StackConfigError, match="booking-platform:deletionProtection: required in prd"):
        validate_stack_config(values)


def test_localhost_origins_are_refused_outside_dev():
    values = _values("qas")
    values["booking-platform:cors"] = '{"allowOrigins": ["http://localhost:5173"]}'
    with pytest.raises(
        StackConfigError,
        match=r"booking-platform:cors\.allowOrigins: 'http://localhost:5173' is not allowed in qas",
    ):
        validate_stack_config(values)


def test_a_wildcard_origin_is_refused_even_in_dev():
    values = _values("dev")
    values["booking-platform:cors"] = '{"allowOrigins": ["*"]}'
    with pytest.raises(StackConfigError, match="never '\\*'"):
        validate_stack_config(values)


def test_reserved_concurrency_for_an_unknown_function_is_named():
    values = _values()
    values["booking-platform:reservedConcurrency"] = '{"billing": 5}'
    with pytest.raises(
        StackConfigError, match=r"booking-platform:reservedConcurrency: .*unknown function 'billing'"
    ):
        validate_stack_config(values)


def test_the_program_stops_on_a_config_error_before_any_resource():
    with pytest.raises(StackConfigError, match=r"booking-platform:throttle\.burstLimit"):
        run_program("dev", config_overrides={"booking-platform:throttle": {"burstLimit": 0, "rateLimit": 5}})


def test_secure_values_become_a_placeholder_and_are_never_printed(tmp_path: Path, capsys):
    text = (PROJECT_ROOT / "Pulumi.prd.yaml").read_text()
    ciphertext = "v1:cipherTEXTnotAsecret"
    text = text.replace("    email: oncall@booking.example.com", f"    email:\n      secure: {ciphertext}")
    assert ciphertext in text
    (tmp_path / "Pulumi.prd.yaml").write_text(text)
    values, secret_keys = read_stack_config("prd", tmp_path)
    assert secret_keys == ["booking-platform:alarms"]
    assert SECRET_PLACEHOLDER in values["booking-platform:alarms"]
    inventory = run_program("prd", project_root=tmp_path)
    [subscription] = [
        record
        for record in inventory.of_type("aws:sns/topicSubscription:TopicSubscription")
        if record.inputs["protocol"] == "email"
    ]
    assert subscription.inputs["endpoint"] == SECRET_PLACEHOLDER
    config = validate_stack_config(values)
    assert SECRET_PLACEHOLDER not in repr(config)
    captured = capsys.readouterr()
    assert ciphertext not in captured.out + captured.err


def test_a_developer_stack_reuses_the_dev_shape_under_its_own_names(tmp_path: Path):
    text = (
        (PROJECT_ROOT / "Pulumi.dev.yaml").read_text().replace("booking-dev-auth", "booking-dev-alice-auth")
    )
    (tmp_path / "Pulumi.dev-alice.yaml").write_text(text)
    shutil.copy(PROJECT_ROOT / "Pulumi.yaml", tmp_path / "Pulumi.yaml")
    inventory = run_program("dev-alice", project_root=tmp_path)
    (table,) = inventory.of_type("aws:dynamodb/table:Table")
    assert table.inputs["name"] == "booking-dev-alice-bookings"
    assert table.inputs["pointInTimeRecovery"]["enabled"] is False
    (domain,) = inventory.of_type("aws:cognito/userPoolDomain:UserPoolDomain")
    assert domain.inputs["domain"] == "booking-dev-alice-auth"


def test_aliases_without_a_certificate_are_refused():
    values = _values()
    values["booking-platform:cdn"] = '{"aliases": ["app.example.com"]}'
    with pytest.raises(
        StackConfigError, match=r"\n  booking-platform:cdn\.certificateArn: required when cdn\.aliases is set"
    ):
        validate_stack_config(values)


def test_a_custom_domain_serves_its_certificate_with_sni_and_tls12():
    certificate = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
    inventory = run_program(
        "qas",
        config_overrides={
            "booking-platform:cdn": {"aliases": ["app.example.com"], "certificateArn": certificate}
        },
    )
    (distribution,) = inventory.of_type("aws:cloudfront/distribution:Distribution")
    assert distribution.inputs["aliases"] == ["app.example.com"]
    assert distribution.inputs["viewerCertificate"] == {
        "acmCertificateArn": certificate,
        "sslSupportMethod": "sni-only",
        "minimumProtocolVersion": "TLSv1.2_2021",
    }
    assert inventory.stack_outputs["siteUrl"] == "https://app.example.com"


def test_admin_password_sign_in_is_refused_outside_dev():
    values = _values("prd")
    auth = json.loads(values["booking-platform:auth"])
    values["booking-platform:auth"] = json.dumps({**auth, "adminPasswordAuth": True})
    with pytest.raises(StackConfigError, match=r"booking-platform:auth\.adminPasswordAuth: only dev stacks"):
        validate_stack_config(values)


@pytest.mark.parametrize("stack", ["qas", "prd"])
def test_qas_and_prd_refuse_to_answer_calls_that_skip_the_distribution(stack):
    values = _values(stack)
    cdn = json.loads(values.get("booking-platform:cdn", "{}"))
    values["booking-platform:cdn"] = json.dumps({**cdn, "refuseDirectApiCalls": False})
    with pytest.raises(
        StackConfigError, match=rf"booking-platform:cdn\.refuseDirectApiCalls: required in {stack}"
    ):
        validate_stack_config(values)


def test_seeding_is_allowed_by_default_except_in_prd():
    assert validate_stack_config(_values("dev")).seeding_allowed
    assert validate_stack_config(_values("qas")).seeding_allowed
    assert not validate_stack_config(_values("prd")).seeding_allowed


def test_any_stack_can_turn_seeding_off():
    values = _values("dev")
    values["booking-platform:seedData"] = "false"
    assert not validate_stack_config(values).seeding_allowed


def test_prd_cannot_turn_seeding_on():
    values = _values("prd")
    values["booking-platform:seedData"] = "true"
    with pytest.raises(
        StackConfigError, match=r"booking-platform:seedData: seed data never reaches production"
    ):
        validate_stack_config(values)


def test_a_seeding_switch_that_is_not_a_boolean_is_named():
    values = _values("dev")
    values["booking-platform:seedData"] = '"sometimes"'
    with pytest.raises(StackConfigError, match=r"booking-platform:seedData: Input should be a valid boolean"):
        validate_stack_config(values)
