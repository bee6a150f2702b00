"""The per-stack policy config files: valid for the pack and consistent with the program."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from booking.routes import ROUTES

from policies.offline import CONFIG_DIR, PolicyConfig, PolicyConfigError
from policies.rules import ALL_RULES

STACKS = ("dev", "qas", "prd")


@pytest.mark.parametrize("stack", STACKS)
def test_each_stack_config_sets_a_level_for_every_policy_and_validates(stack):
    document = json.loads((CONFIG_DIR / f"{stack}.json").read_text())
    assert set(document) == {rule.name for rule in ALL_RULES}
    config = PolicyConfig.load(CONFIG_DIR / f"{stack}.json")
    assert set(config.levels) == {rule.name for rule in ALL_RULES}


@pytest.mark.parametrize("stack", ["qas", "prd"])
def test_qas_and_prd_enforce_every_guardrail_except_where_documented(stack):
    config = PolicyConfig.load(CONFIG_DIR / f"{stack}.json")
    relaxed = {name: level for name, level in config.levels.items() if level != "mandatory"}
    assert relaxed == ({} if stack == "prd" else {"table-deletion-protection": "advisory"})


def test_dev_tolerates_localhost_and_wildcard_origins_and_other_stacks_do_not():
    for stack in STACKS:
        values = PolicyConfig.load(CONFIG_DIR / f"{stack}.json").values["cors-origins"]
        assert values["allowLocalhost"] is (stack == "dev")
        assert values["allowWildcard"] is (stack == "dev")
        local = [origin for origin in values["allowedOrigins"] if not origin.startswith("https://")]
        assert local == (["http://localhost:5173", "http://127.0.0.1:5173"] if stack == "dev" else [])


def test_the_strict_routes_are_exactly_the_routes_with_a_throttle_override_in_routes_py():
    throttled = sorted(route.route_key for route in ROUTES if route.throttle is not None)
    for stack in STACKS:
        values = PolicyConfig.load(CONFIG_DIR / f"{stack}.json").values["route-throttling"]
        assert sorted(values["strictRoutes"]) == throttled


def test_a_bare_level_string_and_the_all_entry_set_levels_like_the_cli():
    config = PolicyConfig.from_mapping(
        {"all": "advisory", "table-pitr": "mandatory", "iam-no-wildcards": "disabled"}
    )
    assert config.levels["table-pitr"] == "mandatory"
    assert config.levels["iam-no-wildcards"] == "disabled"
    assert config.levels["cors-origins"] == "advisory"


def test_without_a_config_file_every_policy_is_mandatory():
    config = PolicyConfig.for_stack("a-developer-stack-without-config")
    assert {config.level(rule) for rule in ALL_RULES} == {"mandatory"}


@pytest.mark.parametrize(
    ("document", "error"),
    [
        ({"no-such-policy": "mandatory"}, "unknown policy 'no-such-policy'"),
        ({"table-pitr": "sometimes"}, "enforcementLevel 'sometimes'"),
        ({"stage-throttling": {"maxBurstLimit": "many"}}, "stage-throttling.maxBurstLimit"),
        ({"cors-origins": {"allowedOrigin": []}}, "Additional properties"),
        ({"table-pitr": {"enabled": True}}, "Additional properties"),
        ({"all": {"enforcementLevel": "advisory", "x": 1}}, "takes only an enforcementLevel"),
    ],
)
def test_a_config_that_does_not_fit_the_pack_is_rejected_with_its_location(document, error):
    with pytest.raises(PolicyConfigError, match=error.replace("(", r"\(").replace("[", r"\[")):
        PolicyConfig.from_mapping(document)


def test_an_unreadable_config_file_is_a_config_error(tmp_path: Path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(PolicyConfigError, match="cannot read"):
        PolicyConfig.load(broken)
