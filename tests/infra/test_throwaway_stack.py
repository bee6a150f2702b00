"""A throwaway stack's derived configuration runs the real program under the mock engine
and passes the policy pack with dev's policy config, as `bookingctl stack up` deploys it."""

from __future__ import annotations

import pytest
import yaml

from engine.inventory import Inventory
from engine.run import run_program
from engine.stack_file import PROJECT_ROOT, read_stack_config
from policies.offline import PolicyConfig, evaluate
from stacks.throwaway import BASE_POLICY_CONFIG, BASE_STACK, derive_config

STACK = "dev-alice"
IDENTITY = "aws:sesv2/emailIdentity:EmailIdentity"


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> Inventory:
    root = tmp_path_factory.mktemp("throwaway")
    config = derive_config(STACK, read_stack_config(BASE_STACK)[0])
    (root / f"Pulumi.{STACK}.yaml").write_text(yaml.safe_dump({"config": config}), encoding="utf-8")
    return run_program(STACK, project_root=root)


def test_every_named_resource_carries_the_stacks_own_name(inventory: Inventory):
    table = inventory.of_type("aws:dynamodb/table:Table")[0]
    assert table.inputs["name"] == f"booking-{STACK}-bookings"
    (pool_domain,) = inventory.of_type("aws:cognito/userPoolDomain:UserPoolDomain")
    assert pool_domain.inputs["domain"] == f"booking-{STACK}-auth"
    # SES identities are unique per account and region: the sender's and each recipient's.
    identities = [record.inputs["emailIdentity"] for record in inventory.of_type(IDENTITY)]
    assert len(identities) > 1
    assert all(f"{STACK}." in identity or f"+{STACK}@" in identity for identity in identities), identities
    for function in inventory.of_type("aws:lambda/function:Function"):
        assert function.inputs["name"].startswith(f"booking-{STACK}-")


def test_it_goes_away_whole_and_keeps_logs_a_day(inventory: Inventory):
    (table,) = inventory.of_type("aws:dynamodb/table:Table")
    assert table.inputs["deletionProtectionEnabled"] is False
    assert table.inputs["pointInTimeRecovery"]["enabled"] is False
    (pool,) = inventory.of_type("aws:cognito/userPool:UserPool")
    assert pool.inputs["deletionProtection"] == "INACTIVE"
    retention = {
        group.inputs["retentionInDays"] for group in inventory.of_type("aws:cloudwatch/logGroup:LogGroup")
    }
    assert retention == {1}


def test_the_policy_pack_passes_with_devs_policy_config(inventory: Inventory):
    report = evaluate(inventory, PolicyConfig.load(PROJECT_ROOT / BASE_POLICY_CONFIG))
    assert report.exit_code == 0, report.render()
