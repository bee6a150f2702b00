"""The workflows around short-lived stacks (a pull request's, a developer's), and the
linting of every workflow, read from the files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.workflows.files import ROOT, index_of, jobs, steps, triggers, workflow

EPHEMERAL = "ephemeral.yml"
GC = "stack-gc.yml"


def job_running(workflow_name: str, pattern: str) -> str:
    found = [
        name
        for name in jobs(workflow_name)
        if any(pattern in step.run for step in steps(workflow_name, name))
    ]
    assert len(found) == 1, f"jobs of {workflow_name} running {pattern!r}: {found}"
    return found[0]


def test_a_pull_requests_stack_comes_and_goes_through_bookingctl_stack():
    assert set(triggers(EPHEMERAL)["pull_request"]["types"]) >= {
        "labeled",
        "synchronize",
        "reopened",
        "closed",
        "unlabeled",
    }
    up = job_running(EPHEMERAL, "bookingctl stack up --pr $PR_NUMBER")
    destroy = job_running(EPHEMERAL, "bookingctl stack destroy --pr $PR_NUMBER")
    assert workflow(EPHEMERAL)["env"]["PR_NUMBER"] == "${{ github.event.pull_request.number }}"
    up_when, destroy_when = jobs(EPHEMERAL)[up]["if"], jobs(EPHEMERAL)[destroy]["if"]
    assert "github.event.action != 'closed'" in up_when
    assert "'ephemeral-stack')" in up_when
    assert "github.event.action == 'closed'" in destroy_when
    assert "github.event.label.name == 'ephemeral-stack'" in destroy_when
    # The Automation API drives a Pulumi CLI: it is installed before the command runs.
    for job, command in ((up, "stack up"), (destroy, "stack destroy")):
        found = steps(EPHEMERAL, job)
        cli = next(position for position, step in enumerate(found) if step.uses.startswith("pulumi/actions@"))
        assert cli < index_of(found, rf"bookingctl {command} ")
    # An update and the destroy of the same pull request's stack never overlap.
    assert workflow(EPHEMERAL)["concurrency"] == {
        "group": "stack-pr-${{ github.event.pull_request.number }}",
        "cancel-in-progress": False,
    }


def test_expired_stacks_are_collected_every_day():
    schedule = triggers(GC)["schedule"]
    assert len(schedule) == 1
    minute, hour, day, month, weekday = schedule[0]["cron"].split()
    assert (day, month, weekday) == ("*", "*", "*")
    assert minute.isdigit()
    assert hour.isdigit()
    assert "workflow_dispatch" in triggers(GC)
    found = steps(GC, job_running(GC, "bookingctl stack gc"))
    cli = next(position for position, step in enumerate(found) if step.uses.startswith("pulumi/actions@"))
    assert cli < index_of(found, r"bookingctl stack gc$")


def test_make_lint_runs_actionlint_and_the_checks_run_make_lint():
    make = shutil.which("make")
    assert make is not None
    recipe = subprocess.run(
        [make, "--dry-run", "lint"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "actionlint" in recipe
    assert any(step.run == "make lint" for job in jobs("checks.yml") for step in steps("checks.yml", job))


def test_actionlint_passes_these_workflows_and_catches_a_broken_one(tmp_path):
    actionlint = str(Path(sys.executable).with_name("actionlint"))  # the dev dependency's binary
    clean = subprocess.run([actionlint], cwd=ROOT, capture_output=True, text=True, check=False)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    broken = tmp_path / ".github" / "workflows"
    broken.mkdir(parents=True)
    text = (ROOT / ".github" / "workflows" / "stack-gc.yml").read_text(encoding="utf-8")
    (broken / "gc.yml").write_text(
        text.replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    needs: nowhere")
    )
    found = subprocess.run(
        [actionlint, str(broken / "gc.yml")], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert found.returncode == 1
    assert "nowhere" in found.stdout
