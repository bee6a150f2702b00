"""The mock-engine runner: config from the stack file, records, outputs, repeatability."""

from pathlib import Path

import pulumi
import pulumi_aws as aws
import pytest
from booking.contract import FUNCTIONS

from engine.inventory import Inventory, ResourceRecord
from engine.preview_backend import PreviewBackend
from engine.run import run_program
from engine.stack_file import SECRET_PLACEHOLDER, ConfigFileError

STACK_FILE = """\
config:
  aws:region: eu-west-1
  booking-platform:greeting: hello
  booking-platform:limits:
    burst: 5
  booking-platform:token:
    secure: AAABAMsomeciphertext
"""


class _Box(pulumi.ComponentResource):
    def __init__(self, name: str, provider: aws.Provider) -> None:
        super().__init__("booking:test:Box", name)
        self.table = aws.dynamodb.Table(
            f"{name}-table",
            hash_key="pk",
            attributes=[aws.dynamodb.TableAttributeArgs(name="pk", type="S")],
            billing_mode="PAY_PER_REQUEST",
            opts=pulumi.ResourceOptions(parent=self, provider=provider),
        )
        self.register_outputs({"tableArn": self.table.arn})


def _program() -> None:
    config = pulumi.Config()
    provider = aws.Provider("main", region=pulumi.Config("aws").require("region"))
    box = _Box("box", provider)
    pulumi.export("tableArn", box.table.arn)
    pulumi.export("greeting", config.require("greeting"))
    pulumi.export("burst", config.require_object("limits")["burst"])
    pulumi.export("tokenLength", config.require_secret("token").apply(len))
    pulumi.export("region", aws.get_region_output(opts=pulumi.InvokeOutputOptions(provider=provider)).region)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "Pulumi.sample.yaml").write_text(STACK_FILE)
    return tmp_path


def _run(project: Path, **kwargs) -> Inventory:
    return run_program("sample", project_root=project, program=_program, **kwargs)


def test_stack_outputs_carry_config_values_and_backend_outputs(project):
    outputs = _run(project).stack_outputs
    assert outputs["greeting"] == "hello"
    assert outputs["burst"] == 5
    assert outputs["tokenLength"] == len(SECRET_PLACEHOLDER)
    assert outputs["region"] == "eu-west-1"
    assert outputs["tableArn"].startswith("arn:aws:dynamodb:eu-west-1:123456789012:table/box-table-")


def test_records_know_their_parent_and_provider(project):
    inventory = _run(project)
    (stack,) = inventory.of_type("pulumi:pulumi:Stack")
    (box,) = inventory.of_type("booking:test:Box")
    (provider,) = inventory.of_type("pulumi:providers:aws")
    (table,) = inventory.of_type("aws:dynamodb/table:Table")
    assert stack.parent is None
    assert box.parent == stack.urn
    assert table.parent == box.urn
    assert table.provider == f"{provider.urn}::{provider.id}"
    assert table.inputs["billingMode"] == "PAY_PER_REQUEST"
    assert table.outputs["arn"].endswith(table.id)


def test_a_second_run_in_the_same_process_starts_from_scratch(project):
    first = _run(project)
    second = _run(project, config_overrides={"booking-platform:greeting": "again"})
    assert sorted(r.urn for r in first.resources) == sorted(r.urn for r in second.resources)
    assert len(second.of_type("aws:dynamodb/table:Table")) == 1
    assert second.stack_outputs["greeting"] == "again"


def test_a_custom_backend_decides_ids_and_outputs(project):
    created: list[str] = []

    class Recording(PreviewBackend):
        def create(self, record: ResourceRecord):
            created.append(record.type)
            resource_id, outputs = super().create(record)
            if record.type == "aws:dynamodb/table:Table":
                arn = "arn:aws:dynamodb:eu-west-1:000000000000:table/emulated"
                return "emulated", {**outputs, "arn": arn}
            return resource_id, outputs

    inventory = _run(project, backend=Recording())
    assert created == ["pulumi:providers:aws", "aws:dynamodb/table:Table"]
    assert inventory.stack_outputs["tableArn"].endswith("table/emulated")


def test_a_missing_stack_file_is_named(project):
    with pytest.raises(ConfigFileError, match=r"Pulumi\.nope\.yaml"):
        run_program("nope", project_root=project, program=_program)


def test_inventory_round_trips_through_json(project):
    inventory = _run(project)
    assert Inventory.from_json(inventory.to_json()) == inventory


def test_in_a_preview_an_output_the_backend_leaves_unknown_drops_only_that_export(project):
    class Forgetful(PreviewBackend):
        def create(self, record: ResourceRecord):
            resource_id, outputs = super().create(record)
            return resource_id, {k: v for k, v in outputs.items() if k != "arn"}

    outputs = _run(project, backend=Forgetful(), preview=True).stack_outputs
    assert "tableArn" not in outputs
    assert outputs["greeting"] == "hello"


def test_the_pulumi_entry_point_runs_the_booking_program():
    import runpy

    from engine.stack_file import PROJECT_ROOT

    def entry_point() -> None:
        runpy.run_path(str(PROJECT_ROOT / "stacks"))

    inventory = run_program("dev", program=entry_point)
    assert inventory.stack_outputs["tableName"] == "booking-dev-bookings"
    assert len(inventory.of_type("aws:lambda/function:Function")) == len(FUNCTIONS)
