"""``bookingctl local up``: the stack's real program, deployed onto the emulator and served.

1. start moto on loopback (fresh, so a second run starts at once);
2. run the stack's Pulumi program under the mock engine with ``EmulatorBackend``:
   every resource becomes the real thing in the emulator, every output is its value;
3. serve the HTTP API the program declared (the gateway), on ``--port``;
4. start the pumps: table stream → its mapped function, due schedules → their
   targets, SES → ``.devstack/outbox/``;
5. load the demo seed through the API's code paths;
6. write ``.devstack/outputs.json`` and print the banner.

Ctrl-C stops everything in reverse order.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from devstack.adapters.base import EmulatorContext
from devstack.backend import EmulatorBackend, RecordedResource
from devstack.emulator import STATE_DIR, Emulator, fresh_state_dir
from devstack.net import free_port
from devstack.pumps import OutboxWriter, SchedulePump, StreamPump, stream_subscriptions
from devstack.seed import DEMO_SEED, Seed, SeedReport, apply_seed, load_seed
from engine.inventory import Inventory

LOGGER = logging.getLogger("devstack")
PROJECT_KEY = "booking-platform"
USER_POOL_TYPE = "aws:cognito/userPool:UserPool"
USER_POOL_CLIENT_TYPE = "aws:cognito/userPoolClient:UserPoolClient"
TABLE_TYPE = "aws:dynamodb/table:Table"

Printer = Callable[[str], None]


@dataclass(frozen=True)
class UpOptions:
    stack: str = "dev"
    port: int = 8080
    host: str = "127.0.0.1"
    emulator_port: int = 0
    seed: bool = True
    seed_file: Path = DEMO_SEED
    state_dir: Path = STATE_DIR
    # Config keys replaced for this run (``run_program``'s ``config_overrides``).
    config_overrides: dict[str, Any] = field(default_factory=dict)


@dataclass
class RunningDevstack:
    options: UpOptions
    emulator: Emulator
    backend: EmulatorBackend
    inventory: Inventory
    gateway: Any  # devstack.gateway.serving.RunningGateway
    outputs: dict[str, Any]
    stoppables: list[Any] = field(default_factory=list)
    seconds_to_ready: float = 0.0

    def stop(self) -> None:
        for item in reversed(self.stoppables):
            try:
                item.stop()
            except Exception:  # stopping must reach the emulator whatever failed before
                LOGGER.exception("stopping %s failed", type(item).__name__)
        self.stoppables.clear()


def stack_region(stack: str) -> str:
    from engine.stack_file import read_stack_config

    values, _ = read_stack_config(stack)
    return values.get("aws:region", "us-east-1")


def sandbox_overrides(stack: str, demo_emails: list[str]) -> dict[str, Any]:
    """Let SES's sandbox allow-list include the demo users, so the mail their bookings
    cause shows up in the outbox. The rest of the stack's configuration is unchanged."""
    from engine.stack_file import read_stack_config

    values, _ = read_stack_config(stack)
    key = f"{PROJECT_KEY}:email"
    if key not in values or not demo_emails:
        return {}
    email = json.loads(values[key])
    allowlist = list(email.get("allowlist") or [])
    if not allowlist:  # no sandbox: everything is delivered already
        return {}
    email["allowlist"] = allowlist + [address for address in demo_emails if address not in allowlist]
    return {key: email}


def _single(inventory: Inventory, resource_type: str) -> dict[str, Any]:
    records = inventory.of_type(resource_type)
    if len(records) != 1:
        raise RuntimeError(f"expected one {resource_type} in the program, found {len(records)}")
    return {**records[0].inputs, **records[0].outputs, "id": records[0].id}


def build_outputs(
    inventory: Inventory,
    *,
    api_url: str,
    endpoint_url: str,
    region: str,
    seed: SeedReport | None,
    backend: EmulatorBackend,
    outbox: Path,
) -> dict[str, Any]:
    """``outputs.json``: the program's own exports where it has them, else the ids of
    the resources it registered (both are the emulator's values)."""
    exported = inventory.stack_outputs
    pool = _single(inventory, USER_POOL_TYPE)
    client = _single(inventory, USER_POOL_CLIENT_TYPE)
    table = _single(inventory, TABLE_TYPE)
    return {
        "stack": inventory.stack,
        "apiUrl": api_url,
        "awsEndpointUrl": endpoint_url,
        "region": region,
        "userPoolId": exported.get("userPoolId") or pool["id"],
        "userPoolClientId": exported.get("userPoolClientId") or client["id"],
        "tableName": exported.get("tableName") or table["name"],
        "demoUsers": [user.to_output() for user in seed.demo_users] if seed else [],
        "outbox": str(outbox.resolve()),
        "stackOutputs": exported,
        "notEmulated": [
            {"type": item.type, "name": item.name, "reason": item.reason} for item in backend.recorded
        ],
        # Data-source invokes the emulator could not answer (the program got nothing).
        "notEmulatedInvokes": sorted(set(backend.recorded_invokes)),
    }


def banner(outputs: dict[str, Any], not_emulated: dict[str, list[RecordedResource]], seconds: float) -> str:
    api = outputs["apiUrl"]
    users = outputs["demoUsers"]
    patient = next((user for user in users if user["role"] == "Patient"), users[0] if users else None)
    lines = [
        "",
        f"booking-platform devstack ({outputs['stack']}) ready in {seconds:.1f}s",
        f"  API            {api}",
        f"  AWS emulator   {outputs['awsEndpointUrl']}  (region {outputs['region']}, dummy credentials)",
        f"  table          {outputs['tableName']}",
        f"  user pool      {outputs['userPoolId']}  client {outputs['userPoolClientId']}",
        f"  outbox         {outputs['outbox']}  (every email SES accepted, as .eml)",
        "  outputs        .devstack/outputs.json",
    ]
    if users:
        lines.append("  demo users     " + ", ".join(f"{user['email']} ({user['role']})" for user in users))
    if patient:
        tenant = patient["tenantId"]
        lines += [
            "",
            "Try it:",
            f"  TOKEN=$(bookingctl local token --email {patient['email']})",
            f"  curl {api}/health",
            f'  curl -H "Authorization: Bearer $TOKEN" {api}/professionals',
            f"  # tenant {tenant}: passwords are in .devstack/outputs.json",
            "  bookingctl local tick --now 2030-01-01T00:00:00Z   # fire reminders that are due by then",
        ]
    if not_emulated:
        lines += ["", "Recorded, not emulated:"]
        for resource_type, items in sorted(not_emulated.items()):
            names = ", ".join(item.name for item in items)
            lines.append(f"  {resource_type}: {names} ({items[0].reason})")
    if outputs.get("notEmulatedInvokes"):
        lines += [
            "",
            "Invokes not emulated (answered with nothing): " + ", ".join(outputs["notEmulatedInvokes"]),
        ]
    lines += ["", "Ctrl-C stops it."]
    return "\n".join(lines)


def start_devstack(options: UpOptions, printer: Printer = print) -> RunningDevstack:
    """Deploy, serve, pump and seed; answers once ``/health`` can be served."""
    from devstack.functions import EmulatorEnvironment, FunctionRuntime, functions_from_inventory
    from devstack.gateway.serving import start_gateway
    from engine.run import run_program

    started = time.monotonic()
    state_dir = fresh_state_dir(options.state_dir)
    region = stack_region(options.stack)
    port = options.port or free_port(options.host)
    api_url = f"http://{options.host}:{port}"
    seed = load_seed(options.seed_file) if options.seed else None
    overrides = {
        **(sandbox_overrides(options.stack, [user.email for user in seed.users]) if seed else {}),
        **options.config_overrides,
    }

    emulator = Emulator(port=options.emulator_port, region=region).start()
    stoppables: list[Any] = [emulator]
    try:
        context = EmulatorContext(emulator.endpoint_url, region, api_url=api_url)
        context.account_id = context.client("sts").get_caller_identity()["Account"]
        backend = EmulatorBackend(context)
        printer(f"deploying stack {options.stack} onto the emulator at {emulator.endpoint_url} …")
        inventory = run_program(options.stack, backend, config_overrides=overrides)
        (state_dir / "inventory.json").write_text(inventory.to_json(), encoding="utf-8")

        deployed = time.monotonic()
        count = len(inventory.resources)
        printer(f"deployed {count} resources in {deployed - started:.1f}s; serving and seeding …")

        runtime = FunctionRuntime(
            functions_from_inventory(inventory, region), EmulatorEnvironment(emulator.endpoint_url, region)
        )
        stoppables.append(runtime_closer(runtime))
        # The pumps stand for the event-source mapping, the schedules and SES, which
        # exist from the deployment on: start them before anything writes.
        outbox = OutboxWriter(state_dir / "outbox", account_id=context.account_id, region=region).start()
        stoppables.append(outbox)
        for subscription in stream_subscriptions(inventory):
            pump = StreamPump(
                subscription,
                context.client("dynamodbstreams"),
                runtime,
                sqs=context.client("sqs"),
                sns=context.client("sns"),
            ).start()
            stoppables.append(pump)
        schedules = SchedulePump(context.client("scheduler"), runtime, sqs=context.client("sqs"))
        stoppables.append(schedules.start())
        # Warming one container per function (new interpreters) and seeding (API calls to
        # the emulator) wait on different things: do them at the same time.
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="up") as executor:
            serving = executor.submit(
                start_gateway,
                inventory,
                endpoint_url=emulator.endpoint_url,
                region=region,
                host=options.host,
                port=port,
                runtime=runtime,
            )
            seeding = executor.submit(_seed, seed, inventory, context) if seed is not None else None
            try:
                gateway = serving.result()
                stoppables.append(gateway)
            finally:
                report = seeding.result() if seeding is not None else None

        outputs = build_outputs(
            inventory,
            api_url=gateway.url,
            endpoint_url=emulator.endpoint_url,
            region=region,
            seed=report,
            backend=backend,
            outbox=state_dir / "outbox",
        )
        # Written last: its presence means "ready" to whoever waits for it.
        (state_dir / "outputs.json").write_text(json.dumps(outputs, indent=2), encoding="utf-8")
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


def _seed(seed: Seed, inventory: Inventory, context: EmulatorContext) -> SeedReport:
    pool = _single(inventory, USER_POOL_TYPE)
    table = _single(inventory, TABLE_TYPE)
    return apply_seed(
        seed,
        table_name=str(inventory.stack_outputs.get("tableName") or table["name"]),
        user_pool_id=str(inventory.stack_outputs.get("userPoolId") or pool["id"]),
        dynamodb=context.client("dynamodb"),
        cognito=context.client("cognito-idp"),
    )


@dataclass
class runtime_closer:
    """The function runtime closes with ``close()``; the stop list speaks ``stop()``."""

    runtime: Any

    def stop(self) -> None:
        self.runtime.close()


def serve_forever(options: UpOptions) -> int:
    """``bookingctl local up``: start, then wait for Ctrl-C (or SIGTERM) and stop cleanly."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    stopped = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopped.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    devstack = None
    try:
        devstack = start_devstack(options, printer=lambda text: print(text, flush=True))
        while not stopped.wait(0.5):
            pass
        print("stopping …", flush=True)
    finally:
        if devstack is not None:
            devstack.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
