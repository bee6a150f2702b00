"""A bad seed file stops ``local up`` before anything starts: one line naming the file
and the problem, nothing deployed or restored, the previous run's state left alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import devstack.deploy_process
import devstack.functions.pool
import devstack.seed
import devstack.up
from devstack.seed import DEMO_SEED, SeedFileInvalid, load_seed
from devstack.snapshot import SnapshotUse
from devstack.up import UpOptions, start_devstack
from tests.cli import bookingctl


def _demo_with(**changes: object) -> str:
    seed = json.loads(DEMO_SEED.read_text(encoding="utf-8"))
    return json.dumps(seed | changes)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"tenant": ', "Invalid JSON"),
        (_demo_with(users="everyone"), "users: Input should be a valid array"),
        (_demo_with(colour="blue"), "colour: Extra inputs are not permitted"),
        ('{"tenant": {"id": "x"}}', "tenant.name: Field required (and 3 more)"),
    ],
)
def test_a_malformed_seed_file_is_refused_in_one_line_naming_the_file_and_the_problem(
    tmp_path: Path, content: str, problem: str
):
    path = tmp_path / "seed.json"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(SeedFileInvalid) as refused:
        load_seed(path)

    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith(f"seed file {path}: ")
    assert problem in message


def test_a_missing_seed_file_is_refused_in_one_line(tmp_path: Path):
    with pytest.raises(SeedFileInvalid, match=r"missing\.json: cannot be read \(No such file"):
        load_seed(tmp_path / "missing.json")


@pytest.fixture
def nothing_may_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every first step of ``local up`` fails the test if it is reached."""

    def started(what: str):
        def refuse(*_args: object, **_kwargs: object):
            raise AssertionError(f"{what} started before the seed file was checked")

        return refuse

    monkeypatch.setattr(devstack.up, "start_deployment", started("the program's run"))
    monkeypatch.setattr(devstack.up, "start_fork_server", started("the fork server"))
    monkeypatch.setattr(devstack.up, "Emulator", started("the emulator"))
    monkeypatch.setattr(devstack.up, "deploy_or_restore", started("the deploy or restore"))
    monkeypatch.setattr(devstack.deploy_process, "start_deployment", started("the program's run"))
    monkeypatch.setattr(devstack.functions.pool, "start_fork_server", started("the fork server"))
    monkeypatch.setattr(devstack.up, "serve_forever", started("the devstack"))


@pytest.mark.usefixtures("nothing_may_start")
@pytest.mark.parametrize("snapshot", [SnapshotUse.OFF, SnapshotUse.REUSE])
def test_start_devstack_fails_on_a_malformed_seed_file_before_deploying_or_restoring(
    tmp_path: Path, snapshot: SnapshotUse
):
    bad = tmp_path / "seed.json"
    bad.write_text(_demo_with(users="everyone"), encoding="utf-8")
    state_dir = tmp_path / ".devstack"
    state_dir.mkdir()
    (state_dir / "outputs.json").write_text("{}", encoding="utf-8")
    options = UpOptions(
        port=0, seed_file=bad, state_dir=state_dir, snapshot=snapshot, snapshot_dir=tmp_path / "snapshots"
    )

    with pytest.raises(SeedFileInvalid, match=f"seed file {bad}: users"):
        start_devstack(options, printer=lambda _text: None)

    assert (state_dir / "outputs.json").read_text(encoding="utf-8") == "{}"  # the last run's, kept
    assert not (tmp_path / "snapshots").exists()


@pytest.mark.usefixtures("nothing_may_start")
def test_local_up_refuses_a_malformed_demo_seed_with_exit_2_before_starting_the_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    bad = tmp_path / "demo.json"
    bad.write_text('{"tenant": ', encoding="utf-8")
    monkeypatch.setattr(devstack.seed, "DEMO_SEED", bad)

    result = bookingctl("local", "up", "--port", "0", "--fresh")

    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"local up: seed file {bad}: Invalid JSON")
