"""Deployment snapshots: a devstack deployed once, then restored from ``build/`` (here a
temporary directory) with the same ids and working the same; a changed input, a
corrupt file and the options' defaults all deploy."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import pickle
from pathlib import Path

import pytest
import requests

import devstack.deploy_process
import devstack.process
import devstack.up
from devstack.access import sign_in
from devstack.backend import RecordedResource
from devstack.deploy_process import Deployed
from devstack.net import free_port
from devstack.process import DevstackProcess
from devstack.snapshot import (
    SNAPSHOT_DIR,
    SnapshotPlan,
    SnapshotUnusable,
    SnapshotUse,
    plan_snapshot,
    restore_snapshot,
    save_snapshot,
)
from devstack.snapshot_key import DeploymentInputs, deployment_key
from devstack.up import RunningDevstack, UpOptions, start_devstack
from engine.inventory import Inventory
from tests.cli import bookingctl

WEB_ACL_TYPE = "aws:wafv2/webAcl:WebAcl"
BUCKET_TYPE = "aws:s3/bucket:Bucket"


def _start(options: UpOptions) -> tuple[RunningDevstack, str]:
    printed: list[str] = []
    running = start_devstack(options, printer=printed.append)
    return running, "\n".join(printed)


def _what_exists(running: RunningDevstack) -> dict[str, object]:
    """The deployed table, pool, bucket and web ACL, as the emulator describes them."""
    outputs, inventory = running.outputs, running.inventory
    acl = inventory.of_type(WEB_ACL_TYPE)[0]
    bucket = inventory.of_type(BUCKET_TYPE)[0].id
    wafv2 = running.backend.context.client("wafv2")
    return {
        "table": outputs.client("dynamodb").describe_table(TableName=outputs.table_name)["Table"]["TableArn"],
        "pool": outputs.client("cognito-idp").describe_user_pool(UserPoolId=outputs.user_pool_id)["UserPool"][
            "Id"
        ],
        "bucket": outputs.client("s3").head_bucket(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"],
        "web acl": wafv2.get_web_acl(Name=acl.outputs["name"], Scope="CLOUDFRONT", Id=acl.id)["WebACL"][
            "ARN"
        ],
        "outputs": (
            outputs.user_pool_id,
            outputs.user_pool_client_id,
            outputs.table_name,
            outputs.stack_outputs,
        ),
    }


def _signed_in_call(running: RunningDevstack) -> int:
    outputs = running.outputs
    token = sign_in(outputs, outputs.demo_user_with_role("Patient").email).id_token
    answer = requests.get(
        f"{outputs.api_url}/professionals", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    return answer.status_code


@pytest.mark.slow
def test_a_restored_deployment_has_the_same_resources_and_works_and_a_corrupt_one_is_redeployed(tmp_path):
    port = free_port()
    options = UpOptions(
        stack="dev",
        port=port,
        web_port=free_port(),
        login_port=free_port(),
        emulator_port=free_port(),
        state_dir=tmp_path / ".devstack",
        snapshot=SnapshotUse.REUSE,
        snapshot_dir=tmp_path / "build",
    )
    snapshot = tmp_path / "build" / "dev.snapshot"

    running, printed = _start(options)
    try:
        assert "deploying stack dev onto the emulator (no snapshot of stack dev in" in printed
        assert snapshot.is_file()
        deployed = _what_exists(running)
    finally:
        running.stop()

    running, printed = _start(options)
    try:
        plan = options.snapshot_plan(options.addresses())  # what ``local up`` computes
        assert plan is not None
        key = plan.key
        assert f"restored the deployment of {key} from " in printed
        assert "deploying" not in printed
        assert _what_exists(running) == deployed
        assert requests.get(f"{running.outputs.api_url}/health", timeout=30).status_code == 200
        assert _signed_in_call(running) == 200
    finally:
        running.stop()

    content = bytearray(snapshot.read_bytes())
    content[-100] ^= 0xFF
    snapshot.write_bytes(bytes(content))
    running, printed = _start(options)
    try:
        assert "is unreadable (its content does not match its checksum))" in printed
        assert f"deployed {len(running.inventory.resources)} resources of stack dev, saved as" in printed
        assert _what_exists(running)["outputs"] != deployed["outputs"]  # a new pool: deployed anew
        assert plan_snapshot(SnapshotUse.REUSE, "dev", key, tmp_path / "build").restorable
    finally:
        running.stop()


def test_the_options_defaults_neither_restore_nor_save_a_snapshot():
    options = UpOptions()

    assert options.snapshot is SnapshotUse.OFF
    assert options.snapshot_plan(options.addresses()) is None


@pytest.mark.parametrize("asked", [True, False])
def test_a_devstack_process_keeps_its_snapshot_where_asked_else_in_make_locals_place(
    tmp_path, monkeypatch, asked
):
    """The benchmark's route (``benchmarks/devstack_startup.py``): ``DevstackProcess`` →
    ``bookingctl local up --snapshot-dir`` → where the plan reads and saves the snapshot."""
    launched: list[list[str]] = []

    class NotLaunched:  # the process is never started: its command line is run here
        def __init__(self, command: list[str], **_options: object) -> None:
            launched.append(command)

    monkeypatch.setattr(devstack.process.subprocess, "Popen", NotLaunched)
    snapshots = tmp_path / "snapshots"
    DevstackProcess(tmp_path, snapshot=SnapshotUse.REUSE, snapshot_dir=snapshots if asked else None)
    monkeypatch.undo()
    [command] = launched
    assert command[1:3] == ["-m", "bookingctl"]
    served: list[dict[str, object]] = []
    monkeypatch.setattr(devstack.deploy_process, "start_deployment", lambda *_args: None)
    monkeypatch.setattr(devstack.up, "serve_forever", lambda options, **given: served.append(given) or 0)

    assert bookingctl(*command[3:]).exit_code == 0

    [given] = served
    plan = given["plan"]
    assert isinstance(plan, SnapshotPlan)
    assert plan.saves
    assert plan.path == (snapshots if asked else SNAPSHOT_DIR) / "dev.snapshot"


@pytest.fixture
def project(tmp_path) -> Path:
    """A project tree with a file in each kind of keyed place."""
    root = tmp_path / "project"
    for relative, text in {
        "components/table.py": "TABLE = 1\n",
        "lambdas/booking/handler.py": "def handler(): ...\n",
        "Pulumi.yaml": "name: booking-platform\n",
        "Pulumi.dev.yaml": "config: {}\n",
        "docs/openapi.json": "{}\n",
        "web/src/app.html": "<html></html>\n",
    }.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    return root


def test_the_key_changes_with_every_input_that_decides_the_deployment(project, tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text('{"users": []}')
    inputs = DeploymentInputs(stack="dev", seed=True, seed_file=seed, api_url="http://127.0.0.1:8080")
    key = deployment_key(inputs, project)
    assert deployment_key(inputs, project) == key

    changed = {
        "a config override": dataclasses.replace(inputs, config_overrides={"aws:region": "eu-west-1"}),
        "the API's URL": dataclasses.replace(inputs, api_url="http://127.0.0.1:9090"),
        "the emulator's URL": dataclasses.replace(inputs, emulator_url="http://127.0.0.1:9093"),
        "no seed": dataclasses.replace(inputs, seed=False),
    }
    for what, other in changed.items():
        assert deployment_key(other, project) != key, what

    seed.write_text('{"users": [1]}')
    assert deployment_key(inputs, project) != key, "the seed's content"
    seed.write_text('{"users": []}')
    for touched in (
        "components/table.py",
        "lambdas/booking/handler.py",
        "Pulumi.dev.yaml",
        "web/src/app.html",
    ):
        path = project / touched
        original = path.read_text()
        path.write_text(original + "# touched\n")
        assert deployment_key(inputs, project) != key, touched
        path.write_text(original)
    assert deployment_key(inputs, project) == key


@pytest.fixture
def no_emulator_state(monkeypatch):
    """Snapshots of this test process's moto state are not what these tests are about."""
    monkeypatch.setattr("devstack.moto_state.capture", lambda _regions: b"moto state")
    restored: list[bytes] = []
    monkeypatch.setattr("devstack.moto_state.restore", restored.append)
    return restored


def test_a_snapshot_of_another_key_or_none_at_all_plans_a_deploy_and_says_why(tmp_path, no_emulator_state):
    inventory = Inventory(project="booking-platform", stack="dev", resources=[])
    plan = plan_snapshot(SnapshotUse.REUSE, "dev", "aaaa", tmp_path)
    assert not plan.restorable
    assert "no snapshot of stack dev in" in plan.reason

    save_snapshot(plan, Deployed(inventory, [], []), "us-east-1")
    assert plan_snapshot(SnapshotUse.REUSE, "dev", "aaaa", tmp_path).restorable
    other = plan_snapshot(SnapshotUse.REUSE, "dev", "bbbb", tmp_path)
    assert not other.restorable
    assert "is of another deployment (aaaa)" in other.reason
    fresh = plan_snapshot(SnapshotUse.REFRESH, "dev", "aaaa", tmp_path)
    assert (fresh.restorable, fresh.reason, fresh.saves) == (False, "--fresh", True)


def test_a_saved_snapshot_restores_what_the_deployment_produced(tmp_path, no_emulator_state):
    plan = plan_snapshot(SnapshotUse.REUSE, "dev", "aaaa", tmp_path)
    inventory = Inventory(
        project="booking-platform", stack="dev", resources=[], stack_outputs={"tableName": "t"}
    )
    recorded = [RecordedResource("aws:x/y:Z", "z", "no adapter")]
    save_snapshot(plan, Deployed(inventory, recorded, ["aws:index/getX:getX"]), "us-east-1")

    restored = restore_snapshot(plan_snapshot(SnapshotUse.REUSE, "dev", "aaaa", tmp_path))

    assert restored == Deployed(inventory, recorded, ["aws:index/getX:getX"])
    assert no_emulator_state == [b"moto state"]


def test_a_snapshot_that_cannot_be_loaded_is_refused_with_the_reason(tmp_path, no_emulator_state):
    plan = plan_snapshot(SnapshotUse.REUSE, "dev", "aaaa", tmp_path)
    save_snapshot(plan, Deployed(Inventory(project="p", stack="dev", resources=[]), [], []), "us-east-1")
    header, _ = plan.path.read_bytes().split(b"\n", 1)
    payload = pickle.dumps({"inventory": "{not json", "recorded": [], "recorded_invokes": [], "moto": b""})
    fields = {**json.loads(header), "sha256": hashlib.sha256(payload).hexdigest()}
    plan.path.write_bytes(json.dumps(fields).encode() + b"\n" + payload)

    restorable = plan_snapshot(SnapshotUse.REUSE, "dev", "aaaa", tmp_path)
    assert restorable.restorable  # the checksum holds; loading it is what fails
    with pytest.raises(SnapshotUnusable, match="JSONDecodeError"):
        restore_snapshot(restorable)
