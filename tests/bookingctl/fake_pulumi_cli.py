"""A stand-in for the Pulumi CLI, for the real Automation API boundary in tests.

Installed as ``pulumi`` on PATH; records every argument list (one JSON line each in
``$FAKE_PULUMI_LOG``) and keeps stacks, their tags and their config in
``$FAKE_PULUMI_STATE`` (JSON), answering the commands ``pulumi.automation`` runs the
way the CLI does (``--json`` output included). Unknown commands fail loudly.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

HISTORY_ENTRY = {
    "kind": "update",
    "startTime": "2026-12-02T08:00:00.000000Z",
    "endTime": "2026-12-02T08:05:00.000000Z",
    "message": "",
    "environment": {},
    "config": {},
    "result": "succeeded",
    "version": 1,
}


def _option(args: list[str], name: str) -> str | None:
    return args[args.index(name) + 1] if name in args else None


def main(args: list[str]) -> int:
    with open(os.environ["FAKE_PULUMI_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps(args) + "\n")
    state_path = Path(os.environ["FAKE_PULUMI_STATE"])
    state: dict[str, Any] = json.loads(state_path.read_text()) if state_path.is_file() else {"stacks": {}}
    stacks: dict[str, Any] = state["stacks"]
    stack = _option(args, "--stack") or ""
    # The command's words: no flags, and not the values of the options that take one.
    valued = {"--stack", "--policy-pack", "--policy-pack-config", "--exec-kind", "--page-size", "--page"}
    words = [
        arg
        for index, arg in enumerate(args)
        if not arg.startswith("-") and (index == 0 or args[index - 1] not in valued)
    ]

    def save() -> None:
        state_path.write_text(json.dumps(state))

    if words[:1] == ["version"]:
        print("v3.272.0")
    elif words[:2] == ["stack", "ls"]:
        print(json.dumps([{"name": name, "current": False} for name in stacks]))
    elif words[:2] == ["stack", "init"]:
        stacks.setdefault(words[2], {"tags": {}, "config": {}})
        save()
    elif words[:2] == ["stack", "select"]:
        if stack not in stacks:
            if "--create" not in args:
                print(f"error: no stack named '{stack}' found", file=sys.stderr)
                return 255
            stacks[stack] = {"tags": {}, "config": {}}
            save()
    elif words[:3] == ["stack", "tag", "set"]:
        stacks[stack]["tags"][words[3]] = words[4]
        save()
    elif words[:3] == ["stack", "tag", "ls"]:
        print(json.dumps(stacks[stack]["tags"]))
    elif words[:1] == ["config"] and len(words) == 1:
        print(
            json.dumps(
                {key: {"value": value, "secret": False} for key, value in stacks[stack]["config"].items()}
            )
        )
    elif words[:2] == ["config", "rm-all"]:
        for key in words[2:]:
            stacks[stack]["config"].pop(key, None)
        save()
    elif words[:2] == ["config", "set-all"]:
        for index, arg in enumerate(args):
            if arg == "--plaintext":
                key, _, value = args[index + 1].partition("=")
                stacks[stack]["config"][key] = value
        save()
    elif words[:1] == ["up"]:
        print(f"Updating ({stack})")
    elif words[:2] == ["stack", "output"]:
        print(json.dumps({"apiUrl": f"https://{stack}.example"}))
    elif words[:2] == ["stack", "history"]:
        print(json.dumps([HISTORY_ENTRY]))
    elif words[:1] == ["destroy"]:
        print(f"Destroying ({stack})")
        if "--remove" in args:
            del stacks[stack]
            save()
    elif words[:2] == ["stack", "rm"]:
        del stacks[words[-1]]
        save()
    else:
        print(f"fake pulumi: unexpected command {args}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
