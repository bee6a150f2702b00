"""The boundary to Pulumi's Automation API: the few calls ``bookingctl stack`` makes.

:class:`StackBackend` is what the command needs (list stacks and their tags, bring one
up with a configuration and tags, destroy and remove one); :class:`AutomationBackend`
does it with ``pulumi.automation`` on this project's program (a ``LocalWorkspace`` on
the repository), which drives the Pulumi CLI. Tests use a recording fake instead. The
Pulumi CLI is looked for before anything else: without it :class:`PulumiCliMissing`.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from engine.stack_file import PROJECT_ROOT
from stacks.throwaway import BASE_POLICY_CONFIG

if TYPE_CHECKING:
    from pulumi import automation

Output = Callable[[str], None]
INSTALL_HINT = "https://www.pulumi.com/docs/install/"
POLICY_PACK = "policies"  # deployed with the policy pack, as the workflows deploy


class PulumiCliMissing(RuntimeError):
    """The Automation API drives the Pulumi CLI, and there is none on PATH."""


class StackOperationFailed(RuntimeError):
    """A Pulumi CLI command the Automation API ran failed; the message is what it said."""


class StackBackend(Protocol):
    def stack_names(self) -> list[str]:
        """Every stack of this project in the backend the CLI is logged in to."""
        ...

    def tags(self, stack: str) -> dict[str, str]: ...

    def up(
        self, stack: str, config: Mapping[str, Any], tags: Mapping[str, str], output: Output
    ) -> dict[str, Any]:
        """Create (or select) the stack, tag it, set its whole configuration, deploy it;
        the stack's outputs. Tags come first: a failed deploy still carries its expiry."""
        ...

    def destroy(self, stack: str, output: Output) -> None:
        """Destroy every resource of the stack, then remove the stack itself."""
        ...


def config_entries(config: Mapping[str, Any]) -> dict[str, str]:
    """Structured config as ``pulumi config set --path`` entries: objects as ``key.name``,
    lists as ``key[i]``, scalars as the text the CLI stores (booleans ``true``/``false``)."""
    entries: dict[str, str] = {}

    def walk(path: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for name, item in value.items():
                walk(f"{path}.{name}", item)
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                walk(f"{path}[{index}]", item)
        elif isinstance(value, bool):
            entries[path] = "true" if value else "false"
        else:
            entries[path] = str(value)

    for key, value in config.items():
        walk(key, value)
    return entries


class AutomationBackend:
    """:class:`StackBackend` on ``pulumi.automation`` with this repository's program."""

    def __init__(self, project_root: Path = PROJECT_ROOT) -> None:
        if shutil.which("pulumi") is None:
            raise PulumiCliMissing(
                f"the Pulumi CLI is not on PATH: `bookingctl stack` drives it through the Automation "
                f"API (install it: {INSTALL_HINT}, then `pulumi login`)"
            )
        from pulumi import automation

        self._automation = automation
        self._root = project_root
        try:
            self._workspace = automation.LocalWorkspace(work_dir=str(project_root))
        except FileNotFoundError as missing:
            raise PulumiCliMissing(f"the Pulumi CLI could not be run: {missing}") from missing

    @contextlib.contextmanager
    def _failures(self, doing: str) -> Iterator[None]:
        try:
            yield
        except self._automation.CommandError as error:
            raise StackOperationFailed(f"{doing}: {error}") from error

    def stack_names(self) -> list[str]:
        with self._failures("listing the stacks"):
            return [summary.name for summary in self._workspace.list_stacks()]

    def tags(self, stack: str) -> dict[str, str]:
        with self._failures(f"reading the tags of {stack}"):
            return dict(self._workspace.list_tags(stack))

    def _stack(self, stack: str) -> automation.Stack:
        return self._automation.create_or_select_stack(stack_name=stack, work_dir=str(self._root))

    def up(
        self, stack: str, config: Mapping[str, Any], tags: Mapping[str, str], output: Output
    ) -> dict[str, Any]:
        with self._failures(f"pulumi up of {stack}"):
            selected = self._stack(stack)
            for key, value in tags.items():
                selected.set_tag(key, value)
            # The whole configuration is this one: nothing left from an earlier `up`.
            earlier = list(selected.get_all_config())
            if earlier:
                selected.remove_all_config(earlier)
            entries = config_entries(config).items()
            selected.set_all_config(
                {key: self._automation.ConfigValue(value=value) for key, value in entries}, path=True
            )
            result = selected.up(
                on_output=output,
                policy_packs=[str(self._root / POLICY_PACK)],
                policy_pack_configs=[str(self._root / BASE_POLICY_CONFIG)],
            )
        return {name: output_value.value for name, output_value in result.outputs.items()}

    def destroy(self, stack: str, output: Output) -> None:
        with self._failures(f"pulumi destroy of {stack}"):
            selected = self._automation.select_stack(stack_name=stack, work_dir=str(self._root))
            selected.destroy(on_output=output, remove=True)
