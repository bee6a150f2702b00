"""The GitHub workflows and local composite actions read from their files, with what a
test needs to ask of them: a job's steps with the local actions expanded in place, the
commands its steps run with their inputs and environment filled in, what it deploys."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
LOCAL_ACTION = "./.github/actions/"
EXPRESSION = re.compile(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}")
VARIABLE = re.compile(r"\$\{?(\w+)\}?")


@cache
def workflow(name: str) -> dict[str, Any]:
    loaded: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as the boolean True.
    if True in loaded:
        loaded["on"] = loaded.pop(True)
    return loaded


def triggers(name: str) -> dict[str, Any]:
    on = workflow(name)["on"]
    return {on: None} if isinstance(on, str) else dict(on)


def jobs(name: str) -> dict[str, dict[str, Any]]:
    return dict(workflow(name)["jobs"])


@dataclass(frozen=True)
class Step:
    """A step as the runner executes it: ``run`` with the local action's inputs filled in."""

    raw: dict[str, Any]
    run: str  # the script with ${{ inputs.* }} and the step's env filled in, quotes dropped
    via: str | None  # the local action it came from, if any

    @property
    def uses(self) -> str:
        return str(self.raw.get("uses", ""))

    @property
    def condition(self) -> str:
        return str(self.raw.get("if", ""))


def _filled(text: str, inputs: dict[str, str]) -> str:
    return EXPRESSION.sub(lambda match: inputs.get(match.group(1), match.group(0)), text)


def _expanded(step: dict[str, Any], inputs: dict[str, str], via: str | None) -> list[Step]:
    uses = str(step.get("uses", ""))
    if uses.startswith(LOCAL_ACTION):
        action = yaml.safe_load((ROOT / uses / "action.yml").read_text(encoding="utf-8"))
        given = {key: _filled(str(value), inputs) for key, value in (step.get("with") or {}).items()}
        return [expanded for inner in action["runs"]["steps"] for expanded in _expanded(inner, given, uses)]
    env = {key: _filled(str(value), inputs) for key, value in (step.get("env") or {}).items()}
    script = _filled(str(step.get("run", "")), inputs)
    script = VARIABLE.sub(lambda match: env.get(match.group(1), match.group(0)), script)
    return [Step(step, script.replace('"', ""), via)]


def steps(workflow_name: str, job: str) -> list[Step]:
    """The job's steps in order, each local composite action replaced by its own steps."""
    return [
        expanded
        for step in jobs(workflow_name)[job].get("steps", [])
        for expanded in _expanded(step, {}, None)
    ]


def needs(workflow_name: str, job: str) -> set[str]:
    """Every job ``job`` waits for, directly or through the jobs it needs."""
    graph = jobs(workflow_name)
    direct = graph[job].get("needs", [])
    found: set[str] = set()
    for other in [direct] if isinstance(direct, str) else direct:
        found |= {other} | needs(workflow_name, other)
    return found


def index_of(found: list[Step], pattern: str) -> int:
    """The position of the one step whose command matches ``pattern``."""
    matching = [position for position, step in enumerate(found) if re.search(pattern, step.run)]
    assert len(matching) == 1, f"{len(matching)} steps run {pattern!r}"
    return matching[0]


def updates(step: Step) -> set[str]:
    """The stacks a step changes: `pulumi up` by the Pulumi action or on the command line."""
    given = step.raw.get("with") or {}
    if step.uses.startswith("pulumi/actions@") and given.get("command") == "up":
        return {str(given["stack-name"])}
    return set(re.findall(r"pulumi up --stack (\S+)", step.run))


def stacks_updated(workflow_name: str, job: str) -> set[str]:
    """The stacks a job changes."""
    return {stack for step in steps(workflow_name, job) for stack in updates(step)}
