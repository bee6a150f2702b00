"""deploy.yml, read from the files: what has to hold for a red commit never to reach a
stack, for a stack to be tested before the next one is deployed, and for prd to get
exactly what was reviewed."""

from __future__ import annotations

import itertools
import re

import pytest

from tests.workflows.files import (
    Step,
    index_of,
    jobs,
    needs,
    stacks_updated,
    steps,
    triggers,
    updates,
    workflow,
)

DEPLOY = "deploy.yml"
PROMOTION = ("dev", "qas", "prd")


def deploying_job(stack: str) -> str:
    """The one job of deploy.yml that updates ``stack``."""
    found = [job for job in jobs(DEPLOY) if stack in stacks_updated(DEPLOY, job)]
    assert len(found) == 1, f"jobs updating {stack}: {found}"
    return found[0]


def checks_job() -> str:
    """The job that calls the checks workflow (the same run, the same commit)."""
    callers = [
        name for name, job in jobs(DEPLOY).items() if job.get("uses") == "./.github/workflows/checks.yml"
    ]
    assert len(callers) == 1
    return callers[0]


def test_main_is_deployed_only_through_the_checks_of_the_same_run():
    assert triggers(DEPLOY)["push"] == {"branches": ["main"]}
    assert "workflow_call" in triggers("checks.yml")
    checked = [step for job in jobs("checks.yml") for step in steps("checks.yml", job)]
    assert {"make lint", "make test"} <= {step.run for step in checked}
    # A check (a step that runs something) may not be optional; uploading what a failure
    # left behind (``if: failure()``) checks nothing and may be.
    assert not [
        step.run for step in checked if step.run and (step.raw.get("continue-on-error") or step.condition)
    ]
    assert not [step.raw for step in checked if step.raw.get("continue-on-error")]
    gate = checks_job()
    for name in jobs(DEPLOY):
        if name == gate:
            continue
        assert gate in needs(DEPLOY, name), f"{name} does not wait for the checks"
        # always() / failure() / cancelled() would run a job although a job it needs failed.
        assert not re.search(r"always\(\)|failure\(\)|cancelled\(\)", str(jobs(DEPLOY)[name].get("if", "")))


def test_every_stack_is_deployed_once_in_promotion_order():
    order = [deploying_job(stack) for stack in PROMOTION]
    for earlier, later in itertools.pairwise(order):
        assert earlier in needs(DEPLOY, later), f"{later} does not wait for {earlier}"


@pytest.mark.parametrize("stack", PROMOTION)
def test_each_job_that_touches_a_stack_holds_that_stacks_concurrency_group(stack):
    touching = [
        name
        for name in jobs(DEPLOY)
        if stack in stacks_updated(DEPLOY, name)
        or any(f"--stack {stack}" in step.run for step in steps(DEPLOY, name))
    ]
    assert deploying_job(stack) in touching
    for name in touching:
        assert jobs(DEPLOY)[name].get("concurrency") == {
            "group": f"stack-{stack}",
            "cancel-in-progress": False,
        }


def test_no_run_wide_group_lets_a_waiting_prd_approval_hold_dev_and_qas():
    assert "concurrency" not in workflow(DEPLOY)


def test_the_artifacts_are_built_once_and_every_deploy_checks_it_got_those_bytes():
    builders = [
        name
        for name in jobs(DEPLOY)
        if any(
            step.uses.startswith("actions/upload-artifact@") and step.raw["with"]["name"] == "build"
            for step in steps(DEPLOY, name)
        )
    ]
    assert len(builders) == 1
    builder = builders[0]
    built = steps(DEPLOY, builder)
    upload = next(step for step in built if step.uses.startswith("actions/upload-artifact@"))
    uploaded = str(upload.raw["with"]["path"]).split()
    assert {"build/code-*.zip", "build/layer-*.zip", "build/web-*/", "build/SHA256SUMS"} <= set(uploaded)
    assert index_of(built, r"bookingctl package") < index_of(built, r"sha256sum >") < built.index(upload)
    # Only the build job may build the web app (the others have no Node set up here).
    assert [
        name
        for name in jobs(DEPLOY)
        if any(s.uses.startswith("actions/setup-node@") for s in steps(DEPLOY, name))
    ] == [builder]

    # Every job that runs the program (a preview or an update) does so on those bytes.
    runs_program = [name for name in jobs(DEPLOY) if any(_runs_program(step) for step in steps(DEPLOY, name))]
    assert {deploying_job(stack) for stack in PROMOTION} < set(runs_program)
    for job in runs_program:
        found = steps(DEPLOY, job)
        assert builder in needs(DEPLOY, job)
        download = next(
            position
            for position, step in enumerate(found)
            if step.uses.startswith("actions/download-artifact@")
            and step.raw["with"] == {"name": "build", "path": "build"}
        )
        checked = index_of(found, r"sha256sum --check")
        compared = index_of(found, r"diff -u build/package.txt")
        program = next(position for position, step in enumerate(found) if _runs_program(step))
        assert download < checked < program, job
        assert download < compared < program, job


def _runs_program(step: Step) -> bool:
    """Whether the step runs the Pulumi program (which would build what it does not find)."""
    given = step.raw.get("with") or {}
    by_action = step.uses.startswith("pulumi/actions@") and bool(given.get("command"))
    return by_action or bool(re.search(r"pulumi (up|preview)\b", step.run))


@pytest.mark.parametrize("stack", ["dev", "qas"])
def test_dev_and_qas_pass_smoke_and_browser_tests_before_the_next_stack_is_deployed(stack):
    job = deploying_job(stack)
    found = steps(DEPLOY, job)
    deployed = next(position for position, step in enumerate(found) if stack in updates(step))
    smoke = index_of(found, rf"bookingctl smoke --stack {stack}$")
    web_url = index_of(found, rf"BOOKING_WEB_URL=\$\(pulumi stack output siteUrl --stack {stack}\)")
    user = index_of(found, rf"bookingctl test-user create --stack {stack} ")
    browser = index_of(found, r"pytest .*tests/browser")
    removed = index_of(found, rf"bookingctl test-user remove --stack {stack} ")
    assert deployed < web_url < browser
    assert deployed < user < smoke < browser < removed
    assert "always()" in found[removed].condition  # removed even when the suite failed
    assert "GITHUB_ENV" in found[user].run
    assert "::add-mask::" in found[user].run  # the password never shows in the log
    for step in found[smoke : browser + 1]:
        assert not step.raw.get("continue-on-error"), (
            f"a failure of {step.run!r} would not stop the promotion"
        )
        assert step.condition == "", f"{step.run!r} runs under {step.condition!r}"
    next_stack = PROMOTION[PROMOTION.index(stack) + 1]
    assert job in needs(DEPLOY, deploying_job(next_stack))


def test_prd_applies_the_reviewed_plan_after_approval_and_is_smoke_tested():
    job = deploying_job("prd")
    assert jobs(DEPLOY)[job]["environment"] == "prd"
    found = steps(DEPLOY, job)
    applied = index_of(found, r"pulumi up --stack prd --plan prd-plan.json")
    assert index_of(found, r"bookingctl smoke --stack prd$") > applied
    assert not any(
        step.uses.startswith("pulumi/actions@") and (step.raw.get("with") or {}).get("command")
        for step in found
    )

    downloaded = next(
        position
        for position, step in enumerate(found)
        if step.uses.startswith("actions/download-artifact@") and step.raw["with"]["name"] == "prd-plan"
    )
    assert downloaded < applied
    planners = [
        name
        for name in jobs(DEPLOY)
        if any(
            s.uses.startswith("actions/upload-artifact@") and s.raw["with"]["name"] == "prd-plan"
            for s in steps(DEPLOY, name)
        )
    ]
    assert len(planners) == 1
    assert planners[0] in needs(DEPLOY, job)
    planned = steps(DEPLOY, planners[0])
    preview = index_of(planned, r"pulumi preview --stack prd --save-plan prd-plan.json")
    assert "--policy-pack policies --policy-pack-config policies/config/prd.json" in planned[preview].run
    assert jobs(DEPLOY)[planners[0]]["environment"] != "prd"  # the approval guards the apply, not the plan
