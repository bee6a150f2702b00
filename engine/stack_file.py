"""A stack's ``Pulumi.<stack>.yaml``, read the way the Pulumi CLI hands it to a program.

:func:`engine.run.run_program` feeds it to the program under the mock engine; the
devstack reads the stack's region and e-mail settings from it, and ``bookingctl
preview`` learns which keys are secret (never printed). Loads no Pulumi module.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# What a ``secure:`` value becomes when the program runs without the secrets provider.
SECRET_PLACEHOLDER = "secret-placeholder"  # noqa: S105 (a stand-in, never a secret)


class ConfigFileError(Exception):
    """The stack's configuration file is missing or not a Pulumi stack file."""


def read_stack_config(stack: str, project_root: Path = PROJECT_ROOT) -> tuple[dict[str, str], list[str]]:
    """The stack file's ``config:`` as the runtime's string map, and its secret keys.

    Structured values become JSON (what ``pulumi.Config.get_object`` parses); ``secure:``
    values are ciphertext without the stack's secrets provider, so they become
    :data:`SECRET_PLACEHOLDER` and are listed as secret (never printed).
    """
    path = project_root / f"Pulumi.{stack}.yaml"
    if not path.is_file():
        raise ConfigFileError(f"no configuration for stack {stack!r}: {path} does not exist")
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(document, dict):
        raise ConfigFileError(f"{path.name} is not a mapping")
    raw = document.get("config") or {}
    if not isinstance(raw, dict):
        raise ConfigFileError(f"{path.name}: 'config' must be a mapping")
    values: dict[str, str] = {}
    secret_keys: list[str] = []
    for key, value in raw.items():
        plain, secret = _without_ciphertext(value)
        values[key] = config_string(plain)
        if secret:
            secret_keys.append(key)
    return values, secret_keys


def _without_ciphertext(value: Any) -> tuple[Any, bool]:
    """``value`` with every ``{secure: …}`` (top level or nested, as ``--path`` writes them)
    replaced by the placeholder, and whether there was one."""
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            return SECRET_PLACEHOLDER, True
        items = {key: _without_ciphertext(item) for key, item in value.items()}
        return {key: item for key, (item, _) in items.items()}, any(s for _, s in items.values())
    if isinstance(value, list):
        entries = [_without_ciphertext(item) for item in value]
        return [item for item, _ in entries], any(s for _, s in entries)
    return value, False


def config_string(value: Any) -> str:
    """How the Pulumi CLI hands a config value to a program: strings as-is, the rest as JSON."""
    return value if isinstance(value, str) else json.dumps(value)
