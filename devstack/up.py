"""``bookingctl local up``: the stack's real program, deployed onto the emulator and served.

1. start moto on loopback (fresh, so a second run starts at once);
2. run the stack's Pulumi program under the mock engine with ``EmulatorBackend``:
   every resource becomes the real thing in the emulator, every output is its value;
3. serve the HTTP API the program declared (the gateway), on ``--port``, with a warm
   container for the function behind ``GET /health`` (the others start once ready);
   the distribution (the app from the bucket's objects, ``/api/*`` to the gateway) on
   ``--web-port``; the user pool's managed login on ``--login-port``;
4. start the pumps: table stream → its mapped function, due schedules → their
   targets, SES → ``.devstack/outbox/``;
5. load the demo seed through the API's code paths;
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
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from components.public_urls import host_of
from devstack.adapters.base import EmulatorContext
from devstack.backend import EmulatorBackend
from devstack.banner import banner
from devstack.configuration import deployment_overrides, stack_region
from devstack.deploy_process import DeploymentProcess
from devstack.deployment import build_outputs, seed_deployment
from devstack.emulator import Emulator
from devstack.functions.pool import start_fork_server
from devstack.gateway.model import Throttle
from devstack.net import free_port
from devstack.outputs import DevstackOutputs
from devstack.pumps.starting import start_pumps
from devstack.seed import DEMO_SEED, load_seed
from devstack.state import STATE_DIR, StateDir
from devstack.steps import Printer, Step, printed_steps
from devstack.user_pool_triggers import Attachment
from engine.inventory import Inventory

if TYPE_CHECKING:
    from devstack.gateway.serving import RunningGateway

LOGGER = logging.getLogger("devstack")


@dataclass(frozen=True)
class UpOptions:
    stack: str = "dev"
    port: int = 8080  # 0: a free port
    # None: the API's port + 1 and + 2 (free ports when the API's is 0); 0: a free port.
    web_port: int | None = None
    login_port: int | None = None
    host: str = "127.0.0.1"
    emulator_port: int = 0
    seed: bool = True
    seed_file: Path = DEMO_SEED
    state_dir: Path = STATE_DIR
    # Config keys replaced for this run (``run_program``'s ``config_overrides``).
    config_overrides: dict[str, Any] = field(default_factory=dict)
    # False: no stream, schedule or outbox pumps (a benchmark of the gateway alone).
    pumps: bool = True
    # Every route's throttle instead of the program's (a benchmark lifts them).
    throttle: Throttle | None = None
    # True: the program runs in a process of its own, started before the emulator
    # (``devstack.deploy_process``; what ``bookingctl local up`` does). False: in this
    # process, so a test may change the program it deploys (monkeypatching it).
    deploy_in_child: bool = False


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
) -> RunningDevstack:
    """Deploy, serve, pump and seed; answers once ``/health`` can be served.

    ``step`` frames each step that takes a while (default: lines through ``printer``);
    the banner goes through ``printer`` at the end. ``deployment``: the program's run,
    already started by the caller (``bookingctl local up`` starts it before importing
    this module); else one is started here when ``options.deploy_in_child``."""
    started = time.monotonic()
    state = StateDir(options.state_dir).fresh()
    region = stack_region(options.stack)
    port = options.port or free_port(options.host)
    web_port = _port(options.web_port, options.port, 1, options.host)
    login_port = _port(options.login_port, options.port, 2, options.host)
    api_url = f"http://{options.host}:{port}"
    web_url = f"http://{options.host}:{web_port}"
    login_url = f"http://{options.host}:{login_port}"
    seed = load_seed(options.seed_file) if options.seed else None

    step = step or printed_steps(printer)
    with step("starting the program's process and the containers' fork server"):
        # Both start processes that load for seconds, beside the emulator's start.
        if deployment is None and options.deploy_in_child:
            deployment = DeploymentProcess(
                options.stack,
                seed=options.seed,
                seed_file=str(options.seed_file),
                config_overrides=options.config_overrides,
            )
        start_fork_server()
    with step("loading the gateway, the sign-in pages and the distribution"):
        from devstack.distribution import start_distribution
        from devstack.functions import EmulatorEnvironment, FunctionRuntime, functions_from_inventory
        from devstack.gateway.serving import start_gateway
        from devstack.gateway.warming import probe_functions, warm_in_background
        from devstack.login import start_login

    with step("starting the AWS emulator") as note:
        emulator = Emulator(port=options.emulator_port, region=region).start()
        if deployment is not None:  # this process waits for the program meanwhile
            emulator.warm_up()
        note(f"AWS emulator at {emulator.endpoint_url}")
    stoppables: list[Any] = [emulator, *([deployment] if deployment else [])]
    try:
        context = EmulatorContext(
            emulator.endpoint_url, region, api_url=api_url, web_url=web_url, login_url=login_url
        )
        context.account_id = context.client("sts").get_caller_identity()["Account"]
        backend = EmulatorBackend(context)
        with step(f"deploying stack {options.stack} onto the emulator") as note:
            if deployment is not None:
                deployed = deployment.deploy(context)
                inventory = deployed.inventory
                backend.recorded += deployed.recorded
                backend.recorded_invokes += deployed.recorded_invokes
            else:
                from engine.run import run_program  # Pulumi: only when the program runs here

                overrides = deployment_overrides(
                    options.stack,
                    seed=options.seed,
                    seed_file=str(options.seed_file),
                    config_overrides=options.config_overrides,
                )
                inventory = run_program(options.stack, backend, config_overrides=overrides)
            state.inventory.write_text(inventory.to_json(), encoding="utf-8")
            note(f"deployed {len(inventory.resources)} resources of stack {options.stack} onto the emulator")

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
        with step(f"serving the API at {api_url}") as note:
            gateway = start_gateway(
                inventory,
                endpoint_url=emulator.endpoint_url,
                region=region,
                host=options.host,
                port=port,
                runtime=runtime,
                throttle=options.throttle,
                warm=False,
            )
            stoppables.append(gateway)
            # Only the readiness probe's container before ready (devstack.gateway.warming).
            probe = probe_functions(gateway)
            runtime.warm(probe)
            note(f"serving the API at {api_url} (warm: {', '.join(probe) or 'none'})")
        report = None
        if seed is not None:
            with step("seeding the demo tenant"):
                report = seed_deployment(seed, inventory, context)
        with step(f"serving the web app at {web_url} and the sign-in pages at {login_url}"):
            stoppables.append(
                start_login(
                    inventory,
                    base_url=login_url,
                    region=region,
                    endpoint_url=emulator.endpoint_url,
                    cognito=context.client("cognito-idp"),
                    host=options.host,
                    port=login_port,
                )
            )
            stoppables.append(
                start_distribution(
                    inventory,
                    s3=context.client("s3"),
                    origins={host_of(gateway.url): gateway.server.gateway},
                    host=options.host,
                    port=web_port,
                )
            )

        outputs = build_outputs(
            inventory,
            api_url=gateway.url,
            web_url=web_url,
            sign_in_url=login_url,
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


def _port(chosen: int | None, api_port: int, offset: int, host: str) -> int:
    if chosen is None:
        return api_port + offset if api_port else free_port(host)
    return chosen or free_port(host)


def serve_forever(
    options: UpOptions,
    printer: Printer | None = None,
    step: Step | None = None,
    deployment: DeploymentProcess | None = None,
) -> int:
    """``bookingctl local up``: start, then wait for Ctrl-C (or SIGTERM) and stop cleanly."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    stopped = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopped.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    devstack = None
    try:
        devstack = start_devstack(options, printer=printer or _print_now, step=step, deployment=deployment)
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
