"""The pipelines package for deployment with the functions' runtime at hand, so the
Lambda artifacts carry its bytecode (packager/bytecode.py), and refuse to package
without it."""

from __future__ import annotations

import re

from packager.bytecode import LAMBDA_PYTHON
from packager.lambda_platform import PIP_PYTHON_VERSION
from tests.workflows.files import WORKFLOWS, Step, jobs, steps

# The workflows that package what is deployed or previewed against a real stack.
DEPLOYING = {"deploy.yml", "ephemeral.yml", "preview.yml"}


def _packaging_jobs() -> dict[tuple[str, str], list[Step]]:
    found = {}
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for job in jobs(path.name):
            job_steps = steps(path.name, job)
            if any(re.search(r"bookingctl package\b", step.run) for step in job_steps):
                found[path.name, job] = job_steps
    return found


def _runtime_named(job_steps: list[Step]) -> int:
    """Where the job has set up the runtime's Python and named it ``LAMBDA_PYTHON``."""
    (setup,) = [
        step
        for step in job_steps
        if step.uses.startswith("actions/setup-python@")
        and str(step.raw["with"]["python-version"]) == PIP_PYTHON_VERSION
    ]
    exported = (
        rf"{LAMBDA_PYTHON}=\$\{{\{{ steps\.{setup.raw['id']}\.outputs\.python-path \}}\}} >> \$GITHUB_ENV"
    )
    (position,) = [position for position, step in enumerate(job_steps) if re.search(exported, step.run)]
    assert job_steps.index(setup) < position
    return position


def test_every_deploying_workflow_packages_with_the_runtime_python_and_requires_bytecode():
    packaging = _packaging_jobs()
    assert {name for name, _ in packaging} >= DEPLOYING
    for (name, job), job_steps in packaging.items():
        if name not in DEPLOYING:
            continue
        named = _runtime_named(job_steps)
        for position, step in enumerate(job_steps):
            if re.search(r"bookingctl package\b", step.run):
                assert "--require-bytecode" in step.run, (name, job, step.run)
                assert named < position, (name, job)


def test_a_piped_package_step_fails_when_bookingctl_package_fails():
    """`bookingctl package | tee …` hides the command's exit status unless bash runs with
    pipefail, which GitHub gives a step only when its shell is named."""
    for job_steps in _packaging_jobs().values():
        for step in job_steps:
            if re.search(r"bookingctl package[^|]*\|", step.run):
                assert step.raw.get("shell") == "bash", step.run
