"""Run the Pulumi program of a stack under Pulumi's mock engine, outside pytest.

The offline preview, the policy pack's offline evaluation, the devstack and the infra
tests all call :func:`run_program`. It feeds the stack's own ``Pulumi.<stack>.yaml``
(read by :mod:`engine.stack_file`) to the program, records every registration (URN,
type, logical name, parent, provider, camelCase inputs) and asks a
:class:`ResourceBackend` for the id and outputs each resource returns to the program.
The default :class:`~engine.preview_backend.PreviewBackend` invents plausible ids and
ARNs; the devstack passes one that creates the resource in an emulator, so every value
the program wires is the emulator's.

Contract for backends:
- ``create(record)`` is called once per custom resource, providers included
  (type ``pulumi:providers:aws``), in registration order; a resource's ``provider``
  (``"<provider urn>::<provider id>"``) always names a provider created before it.
  It returns ``(id, outputs)``; outputs use the engine's camelCase names and are what
  the program reads (``arn``, ``name``, ``invokeArn``, …). The engine registers
  independent resources from several threads, so ``create`` may run concurrently.
- Component resources (``booking:*``) and the stack are recorded but not created.
- ``call(token, args, provider)`` answers invokes; the booking program uses
  ``aws:index/getCallerIdentity:getCallerIdentity`` (``accountId``) and Secrets
  Manager's ``getRandomPassword`` and ``getSecretVersion`` (the origin secret).
- Archives and assets in inputs arrive as plain dicts: ``{"archive": "file", "path": …}``,
  ``{"asset": "string", "text": …}`` (see :func:`to_plain`).

Can run any number of times in one process: each run resets the runtime's root
stack, configuration and registrations.
"""

from __future__ import annotations

import functools
import importlib
import threading
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

import pulumi
from pulumi.runtime import config as runtime_config
from pulumi.runtime import mocks, rpc, settings
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

from engine.inventory import Inventory, ResourceRecord
from engine.preview_backend import PreviewBackend
from engine.stack_file import PROJECT_ROOT, config_string, read_stack_config

PROJECT = "booking-platform"
STACK_TYPE = "pulumi:pulumi:Stack"

Program = Callable[[], None]


class ResourceBackend(Protocol):
    def create(self, record: ResourceRecord) -> tuple[str, dict[str, Any]]:
        """Create (or pretend to create) ``record``; return its id and outputs."""
        ...

    def call(self, token: str, args: dict[str, Any], provider: str | None) -> dict[str, Any]:
        """Answer the invoke ``token`` (e.g. ``aws:index/getCallerIdentity:getCallerIdentity``)."""
        ...


# --------------------------------------------------------------------------- values


def to_plain(value: Any) -> Any:
    """Inputs as JSON-safe values: assets and archives become small dicts, secrets their value."""
    if rpc.is_rpc_secret(value):
        return to_plain(rpc.unwrap_rpc_secret(value))
    if isinstance(value, Mapping):
        return {str(key): to_plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(item) for item in value]
    if isinstance(value, pulumi.FileArchive):
        return {"archive": "file", "path": str(value.path)}
    if isinstance(value, pulumi.RemoteArchive):
        return {"archive": "remote", "uri": value.uri}
    if isinstance(value, pulumi.AssetArchive):
        return {"archive": "assets", "assets": {k: to_plain(v) for k, v in value.assets.items()}}
    if isinstance(value, pulumi.FileAsset):
        return {"asset": "file", "path": str(value.path)}
    if isinstance(value, pulumi.StringAsset):
        return {"asset": "string", "text": value.text}
    if isinstance(value, pulumi.RemoteAsset):
        return {"asset": "remote", "uri": value.uri}
    if isinstance(value, pulumi.output.Unknown):
        return None
    return value


# --------------------------------------------------------------------------- monitor


class _Calls(mocks.Mocks):
    """Routes invokes to the backend; registrations go through :class:`_RecordingMonitor`."""

    def __init__(self, backend: ResourceBackend) -> None:
        self.backend = backend

    def call(self, args: mocks.MockCallArgs) -> Any:
        # A bare dict means "no check failures" to the mock monitor.
        return self.backend.call(args.token, to_plain(args.args), args.provider or None)

    def new_resource(self, args: mocks.MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        # Reached only by ``Resource.get`` (ReadResource): the program never reads
        # resources it does not own, and a backend could not know their state.
        raise NotImplementedError(f"reading an existing {args.typ} is not supported under the mock engine")


class _RecordingMonitor(mocks.MockMonitor):
    """The mock monitor, keeping the parent URN and provider of every registration."""

    def __init__(self, backend: ResourceBackend) -> None:
        super().__init__(_Calls(backend))
        self.backend = backend
        self.records: list[ResourceRecord] = []
        self._lock = threading.Lock()

    def RegisterResource(self, request: Any) -> Any:
        urn = self.make_urn(request.parent, request.type, request.name)
        if request.type == STACK_TYPE:
            self._append(ResourceRecord(urn, STACK_TYPE, request.name, None, None, {}))
            return resource_pb2.RegisterResourceResponse(urn=urn)
        _ensure_event_loop()  # type: ignore[no-untyped-call]
        inputs = rpc.deserialize_properties(request.object)
        record = ResourceRecord(
            urn=urn,
            type=request.type,
            name=request.name,
            parent=request.parent or None,
            provider=request.provider or None,
            inputs=to_plain(inputs),
        )
        if request.custom:
            resource_id, outputs = self.backend.create(record)
        else:
            resource_id, outputs = "", {}
        record = replace(record, id=resource_id, outputs=outputs)
        self._append(record)
        self.resources[urn] = mocks.MockMonitor.ResourceRegistration(urn, resource_id, outputs)
        # Outputs echo inputs in plain form; the SDK expects assets and archives back as objects.
        state = dict(outputs)
        for key, value in inputs.items():
            if isinstance(value, (pulumi.Asset, pulumi.Archive)) and key in state:
                state[key] = value
        serialized = rpc.serialize_properties(state, {})
        return resource_pb2.RegisterResourceResponse(urn=urn, id=resource_id, object=_sync_await(serialized))

    def _append(self, record: ResourceRecord) -> None:
        with self._lock:
            self.records.append(record)


# --------------------------------------------------------------------------- runner


def run_program(
    stack: str,
    backend: ResourceBackend | None = None,
    *,
    project_root: Path = PROJECT_ROOT,
    config_overrides: Mapping[str, Any] | None = None,
    program: Program | None = None,
    preview: bool = False,
) -> Inventory:
    """Run the program of ``stack`` under the mock engine and return what it registered.

    ``config_overrides`` replace or add full keys (``"booking-platform:logRetentionDays"``,
    ``"aws:region"``); structured values may be given as Python objects. ``preview``
    sets the runtime's dry-run flag (values the backend leaves out are then unknown).
    """
    values, secret_keys = read_stack_config(stack, project_root)
    for key, value in (config_overrides or {}).items():
        values[key] = config_string(value)
    if program is None:
        # Imported late: the program imports pulumi_aws, which is slow to load.
        program = importlib.import_module("stacks.program").program

    chosen_backend = backend if backend is not None else PreviewBackend()
    monitor = _RecordingMonitor(chosen_backend)
    # A previous run leaves its root stack installed; set_mocks creates a new one only
    # when there is none.
    settings.ROOT.set(None)
    runtime_config.set_all_config(values, secret_keys)
    pulumi.runtime.set_mocks(monitor.mocks, project=PROJECT, stack=stack, preview=preview, monitor=monitor)
    stack_outputs: dict[str, Any] = {}

    def run() -> pulumi.Output[None]:
        assert program is not None
        program()
        root = settings.get_root_resource()
        exported: dict[str, Any] = dict(getattr(root, "outputs", {}))
        # One by one: an output still unknown (in a preview) leaves out only itself.
        captured = [
            pulumi.Output.from_input(value).apply(functools.partial(_capture, stack_outputs, name))
            for name, value in exported.items()
        ]
        return pulumi.Output.all(*captured).apply(lambda _: None)

    try:
        pulumi.runtime.test(run)()  # type: ignore[no-untyped-call]
    finally:
        settings.ROOT.set(None)
    return Inventory(
        project=PROJECT, stack=stack, resources=list(monitor.records), stack_outputs=stack_outputs
    )


def _capture(into: dict[str, Any], name: str, value: Any) -> None:
    into[name] = to_plain(value)


__all__ = [
    "PROJECT",
    "PROJECT_ROOT",
    "ResourceBackend",
    "run_program",
    "to_plain",
]
