"""The policy config of each stack agrees with that stack's ``Pulumi.<stack>.yaml``.

The pack compares the API's origins with ``allowedOrigins`` and the stage limits with
the throttling bounds; if the two files drift, every preview fails (or, worse, the
bounds stop meaning anything). This test says which file to change.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from policies.offline import CONFIG_DIR, PolicyConfig

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "booking-platform"


def _stack_config(stack: str) -> dict[str, Any]:
    document = yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text())
    return {key.removeprefix(f"{PROJECT}:"): value for key, value in document["config"].items()}


@pytest.mark.parametrize("stack", ["dev", "qas", "prd"])
def test_the_policy_config_agrees_with_the_stack_file(stack):
    program = _stack_config(stack)
    policy = PolicyConfig.load(CONFIG_DIR / f"{stack}.json").values

    assert policy["cors-origins"]["allowedOrigins"] == program["cors"]["allowOrigins"]

    bounds = policy["stage-throttling"]
    assert bounds["minBurstLimit"] <= program["throttle"]["burstLimit"] <= bounds["maxBurstLimit"]
    assert bounds["minRateLimit"] <= program["throttle"]["rateLimit"] <= bounds["maxRateLimit"]

    assert program["logRetentionDays"] >= policy["log-group-retention"]["minimumDays"]
