"""``bookingctl local up``: the stack's real program, deployed onto the emulator and served.

1. start moto on loopback (fresh, so a second run starts at once);
2. run the stack's Pulumi program under the mock engine with ``EmulatorBackend``:
   every resource becomes the real thing in the emulator, every output is its value
   (``devstack.deploying``); or, when asked to (``UpOptions.snapshot``) and nothing
   that decides the deployment changed, restore the snapshot of the last such deploy
   from ``build/`` instead (``devstack.snapshot``);
3. serve the HTTP API the program declared (the gateway), on ``--port``, with a warm
   container for the function behind ``GET /health`` (the others start once ready);
   the distribution (the app from the bucket's objects, ``/api/*`` to the gateway) on
   ``--web-port``; the user pool's managed login on ``--login-port``;
4. start the pumps: table stream → its mapped function, due schedules → their
   targets, SES → ``.devstack/outbox/``;
5. load the demo seed through the API's code paths (its file read and checked before
   step 1: a bad one fails before anything starts);
6. write ``.devstack/outputs.json`` and print the banner.

The program builds the web app on its way (``packager.web_app``: cached by the
lockfile and sources, so a warm start does not run npm).

Ctrl-C stops everything in reverse order. ``start_devstack`` is the in-process entry
point (the tests and benchmarks use it too); ``devstack.process`` starts the same
thing as a process of its own. Each step that takes a while runs inside ``step(…)``:
printed lines by default, spinners under ``bookingctl local up``.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from dataclasses import dataclass, field
from types import FrameType
from typing import TYPE_CHECKING, Any

from components.public_urls import host_of
from devstack.adapters.base import EmulatorContext
from devstack.addresses import Addresses
from devstack.backend import EmulatorBackend
from devstack.banner import banner
from devstack.configuration import stack_region
from devstack.deploy_process import DeploymentProcess, start_deployment
from devstack.deploying import deploy_or_restore
from devstack.emulator import Emulator
from devstack.functions.pool import start_fork_server
from devstack.options import UpOptions
from devstack.outputs import DevstackOutputs
from devstack.pumps.starting import start_pumps
from devstack.snapshot import SnapshotPlan
from devstack.state import StateDir
from devstack.steps import Printer, Step, printed_steps
from devstack.user_pool_triggers import Attachment
from engine.inventory import Inventory

__all__ = ["RunningDevstack", "UpOptions", "serve_forever", "start_devstack"]

if TYPE_CHECKING:
    from devstack.gateway.serving import RunningGateway
    from devstack.seed import Seed

LOGGER = logging.getLogger("devstack")


@dataclass
class RunningDevstack:
    options: UpOptions
    emulator: Emulator
    backend: EmulatorBackend
    inventory: Inventory
    gateway: RunningGateway
    outputs: DevstackOutputs
    stoppables: list[Any] = field(default_factory=list)
    seconds_to_ready: float = 0.0

    def stop(self) -> None:
        for item in reversed(self.stoppables):
            try:
                item.stop()
            except Exception:  # stopping must reach the emulator whatever failed before
                LOGGER.exception("stopping %s failed", type(item).__name__)
        self.stoppables.clear()

    def __enter__(self) -> RunningDevstack:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def start_devstack(
    options: UpOptions,
    printer: Printer = print,
    step: Step | None = None,
    deployment: DeploymentProcess | None = None,
    addresses: Addresses | None = None,
    plan: SnapshotPlan | None = None,
    seed: Seed | None = None,
) -> RunningDevstack:
    """Deploy, serve, pump and seed; answers once ``/health`` can be served.

    ``step`` frames each step that takes a while (default: lines through ``printer``);
    the banner goes through ``printer`` at the end. ``deployment``: the program's run,
    already started by the caller (``bookingctl local up`` starts it before importing
    this module); else one is started here when ``options.deploy_in_child`` (and no
    snapshot is restored). ``addresses``, ``plan`` and ``seed``: ``options``' own, when the
    caller resolved them already (``bookingctl local up``, to know whether to start the
    program, and to check the seed file before). A bad seed file raises ``SeedFileInvalid``
    before anything starts (not even the state directory is cleared)."""
    started = time.monotonic()
    if seed is None:
        seed = options.load_seed()
    state = StateDir(options.state_dir).fresh()
    region = stack_region(options.stack)
    addresses = addresses or options.addresses()
    if plan is None:
        plan = options.snapshot_plan(addresses)

    step = step or printed_steps(printer)
    restoring = plan is not None and plan.restorable
    with step("starting the containers' fork server" + ("" if restoring else " and the program's process")):
        # Both start processes that load for seconds, beside the emulator's start.
        if deployment is None and options.deploy_in_child and not restoring:
            deployment = start_deployment(options, seed)
        start_fork_server()
    with step("loading the gateway, the sign-in pages and the distribution"):
        from devstack.distribution import start_distribution
        from devstack.functions import EmulatorEnvironment, FunctionRuntime, functions_from_inventory
        from devstack.gateway.serving import start_gateway
        from devstack.gateway.warming import probe_functions, warm_in_background
        from devstack.login import start_login

    with step("starting the AWS emulator") as note:
        emulator = Emulator(port=addresses.emulator_port, region=region).start()
        if deployment is not None:  # this process waits for the program meanwhile
            emulator.warm_up()
        note(f"AWS emulator at {emulator.endpoint_url}")
    stoppables: list[Any] = [emulator, *([deployment] if deployment else [])]
    try:
        context = EmulatorContext(
            emulator.endpoint_url,
            region,
            api_url=addresses.api_url,
            web_url=addresses.web_url,
            login_url=addresses.login_url,
        )
        context.account_id = context.client("sts").get_caller_identity()["Account"]
        backend = EmulatorBackend(context)
        deployed, started_here = deploy_or_restore(options, context, step, plan, deployment, seed)
        if started_here is not None and started_here is not deployment:
            stoppables.append(started_here)  # a snapshot that could not be restored
        inventory = deployed.inventory
        backend.recorded += deployed.recorded
        backend.recorded_invokes += deployed.recorded_invokes
        state.inventory.write_text(inventory.to_json(), encoding="utf-8")

        with step("unpacking the functions' code and starting the event pumps"):
            runtime = FunctionRuntime(
                functions_from_inventory(inventory, region),
                EmulatorEnvironment(emulator.endpoint_url, region),
            )
            stoppables.append(runtime)
            # What Cognito does around a sign-up (triggers, codes, emails), which moto does not.
            emulator.attach_user_pool_triggers(
                Attachment(
                    runtime,
                    context.client("cognito-idp"),
                    context.client("sesv2"),
                    context.account_id,
                    region,
                )
            )
            if options.pumps:
                stoppables += start_pumps(inventory, context, runtime, state.outbox)
        with step(f"serving the API at {addresses.api_url}") as note:
            gateway = start_gateway(
                inventory,
                endpoint_url=emulator.endpoint_url,
                region=region,
                host=options.host,
                port=addresses.port,
                runtime=runtime,
                throttle=options.throttle,
                warm=False,
            )
            stoppables.append(gateway)
            # Only the readiness probe's container before ready (devstack.gateway.warming).
            probe = probe_functions(gateway)
            runtime.warm(probe)
            note(f"serving the API at {addresses.api_url} (warm: {', '.join(probe) or 'none'})")
        # The seed's writing modules (the booking domain's adapters) load after the API
        # serves: not before the first answer.
        from devstack.deployment import build_outputs, seed_deployment

        report = None
        if seed is not None:
            with step("seeding the demo tenant"):
                report = seed_deployment(seed, inventory, context)
        web_and_login = f"the web app at {addresses.web_url} and the sign-in pages at {addresses.login_url}"
        with step(f"serving {web_and_login}"):
            stoppables.append(
                start_login(
                    inventory,
                    base_url=addresses.login_url,
                    region=region,
                    endpoint_url=emulator.endpoint_url,
                    cognito=context.client("cognito-idp"),
                    host=options.host,
                    port=addresses.login_port,
                )
            )
            stoppables.append(
                start_distribution(
                    inventory,
                    s3=context.client("s3"),
                    origins={host_of(gateway.url): gateway.server.gateway},
                    host=options.host,
                    port=addresses.web_port,
                )
            )

        outputs = build_outputs(
            inventory,
            api_url=gateway.url,
            web_url=addresses.web_url,
            sign_in_url=addresses.login_url,
            endpoint_url=emulator.endpoint_url,
            region=region,
            demo_users=report.demo_users if report else [],
            backend=backend,
            state=state,
        )
        # Written last: its presence means "ready" to whoever waits for it.
        outputs.save(state)
        LOGGER.info("ready: %.1fs after the start", time.monotonic() - started)
        stoppables.append(warm_in_background(runtime, gateway))
        seconds = time.monotonic() - started
        printer(banner(outputs, backend.not_emulated(), seconds))
        return RunningDevstack(
            options=options,
            emulator=emulator,
            backend=backend,
            inventory=inventory,
            gateway=gateway,
            outputs=outputs,
            stoppables=stoppables,
            seconds_to_ready=seconds,
        )
    except BaseException:
        for item in reversed(stoppables):
            item.stop()
        raise


def serve_forever(
    options: UpOptions,
    printer: Printer | None = None,
    step: Step | None = None,
    deployment: DeploymentProcess | None = None,
    addresses: Addresses | None = None,
    plan: SnapshotPlan | None = None,
    seed: Seed | None = None,
) -> int:
    """``bookingctl local up``: start, then wait for Ctrl-C (or SIGTERM) and stop cleanly."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    stopped = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopped.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    devstack = None
    try:
        devstack = start_devstack(
            options,
            printer=printer or _print_now,
            step=step,
            deployment=deployment,
            addresses=addresses,
            plan=plan,
            seed=seed,
        )
        while not stopped.wait(0.5):
            pass
        print("stopping …", flush=True)
    finally:
        if devstack is not None:
            devstack.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def _print_now(text: str) -> None:
    print(text, flush=True)
