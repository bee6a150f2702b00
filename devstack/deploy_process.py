"""The program's run onto the emulator, in a process of its own started before the emulator.

Running the program is most of ``local up``'s time, and most of that is importing
Pulumi and the pulumi_aws modules the program uses (the wafv2 and cloudfront modules
alone are seconds of class building). In one process all of it waited for the emulator
and then shared one interpreter with moto's server threads. Here the program starts at
once, in a child process: its body runs (importing what it uses, registering every
resource) while the parent starts the emulator, each registration's creation waits
for the emulator's address (the engine creates resources on its executor threads, so
the program body does not wait), and then the creations go to the emulator over HTTP,
as before, while the parent's moto threads answer them on the other core.

The child sends back what the parent needs from the run: the inventory and what the
backend recorded rather than created. A failure in the program (a bad config value, a
resource the emulator refuses) ends the deployment with the child's message.
"""

from __future__ import annotations

import multiprocessing
import threading
import traceback
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # this module is imported first, to start the child at once: stay light
    from devstack.adapters.base import EmulatorContext
    from devstack.backend import EmulatorBackend, RecordedResource
    from devstack.options import UpOptions
    from devstack.seed import Seed
    from engine.inventory import Inventory, ResourceRecord

POLL_SECONDS = 0.5


class DeploymentFailed(RuntimeError):
    """The program's run onto the emulator failed; the message is the child's."""


@dataclass(frozen=True)
class Deployed:
    inventory: Inventory
    recorded: list[RecordedResource]
    recorded_invokes: list[str]


class _BackendOnceTheEmulatorRuns:
    """``EmulatorBackend`` once the parent has sent the emulator's address: until then
    each creation waits (on the engine's executor thread, not the program's)."""

    def __init__(self) -> None:
        self._ready = threading.Event()
        self.backend: EmulatorBackend | None = None

    def attach(self, context: EmulatorContext) -> None:
        from devstack.backend import EmulatorBackend

        self.backend = EmulatorBackend(context)
        self._ready.set()

    def _wait(self) -> EmulatorBackend:
        self._ready.wait()
        assert self.backend is not None
        return self.backend

    def create(self, record: ResourceRecord) -> tuple[str, dict[str, Any]]:
        return self._wait().create(record)

    def call(self, token: str, args: dict[str, Any], provider: str | None = None) -> dict[str, Any]:
        return self._wait().call(token, args, provider)


def _deploy(
    connection: Connection, stack: str, demo_emails: list[str], config_overrides: dict[str, Any]
) -> None:
    """The child: run the program; the emulator's address arrives while it runs."""
    from devstack.typing_cache import use_unbounded_typing_cache

    use_unbounded_typing_cache()  # before the program imports pulumi_aws's service packages
    from devstack.adapters.base import EmulatorContext
    from devstack.configuration import deployment_overrides
    from engine.run import run_program

    late = _BackendOnceTheEmulatorRuns()

    def receive_context() -> None:
        try:
            fields = connection.recv()
        except (EOFError, OSError):
            return  # the parent is gone; the run ends with the process
        late.attach(EmulatorContext(**fields))

    threading.Thread(target=receive_context, name="emulator-address", daemon=True).start()
    try:
        overrides = deployment_overrides(stack, demo_emails=demo_emails, config_overrides=config_overrides)
        inventory = run_program(stack, late, config_overrides=overrides)
    except BaseException as error:  # the parent reports it; a traceback helps with a bug
        connection.send(("error", f"{type(error).__name__}: {error}", traceback.format_exc()))
        return
    backend = late.backend
    assert backend is not None  # every program registers at least its providers
    recorded = [asdict(item) for item in backend.recorded]
    connection.send(("ok", inventory.to_json(), recorded, list(backend.recorded_invokes)))


class DeploymentProcess:
    """Starts the program's run at once; ``deploy(context)`` hands it the emulator and
    waits for the result."""

    def __init__(
        self,
        stack: str,
        *,
        demo_emails: Sequence[str] = (),
        config_overrides: dict[str, Any] | None = None,
    ) -> None:
        """``demo_emails``: the seed's users, added to SES's allow-list
        (``devstack.configuration.deployment_overrides``)."""
        spawn = multiprocessing.get_context("spawn")
        self._connection, child = spawn.Pipe()
        self._process = spawn.Process(
            target=_deploy,
            args=(child, stack, list(demo_emails), config_overrides or {}),
            name=f"deploy:{stack}",
            daemon=True,
        )
        self._process.start()
        child.close()

    def deploy(self, context: EmulatorContext) -> Deployed:
        fields = {
            "endpoint_url": context.endpoint_url,
            "region": context.region,
            "account_id": context.account_id,
            "api_url": context.api_url,
            "web_url": context.web_url,
            "login_url": context.login_url,
        }
        try:
            self._connection.send(fields)
            while not self._connection.poll(POLL_SECONDS):
                if not self._process.is_alive():
                    raise DeploymentFailed(f"the deployment process exited with {self._process.exitcode}")
            message = self._connection.recv()
        except (EOFError, OSError) as error:
            self.stop()
            raise DeploymentFailed(f"the deployment process ended without an answer ({error!r})") from None
        if message[0] == "error":
            self.stop()
            _, summary, details = message
            raise DeploymentFailed(f"{summary}\n{details}")
        from devstack.backend import RecordedResource
        from engine.inventory import Inventory

        _, inventory_json, recorded, recorded_invokes = message
        return Deployed(
            inventory=Inventory.from_json(inventory_json),
            recorded=[RecordedResource(**item) for item in recorded],
            recorded_invokes=recorded_invokes,
        )

    def stop(self) -> None:
        """Once it has answered the child only exits; a child still running is ended."""
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(timeout=5)
        self._connection.close()


def start_deployment(options: UpOptions, seed: Seed | None) -> DeploymentProcess:
    """The program's run of ``options`` (its stack and config overrides), with ``seed``'s
    users in SES's allow-list (the seed already read: ``UpOptions.load_seed``)."""
    from devstack.seed import allowed_recipients  # loaded with the seed: this module stays light

    return DeploymentProcess(
        options.stack,
        demo_emails=allowed_recipients(seed),
        config_overrides=options.config_overrides,
    )
