"""Run the Pulumi program of a stack under Pulumi's mock engine, outside pytest.

The offline preview, the policy pack's offline evaluation, the devstack and the infra
tests all call :func:`run_program`. It feeds the stack's own ``Pulumi.<stack>.yaml``
to the program, records every registration (URN, type, logical name, parent,
provider, camelCase inputs) and asks a :class:`ResourceBackend` for the id and
outputs each resource returns to the program. The default :class:`PreviewBackend`
invents plausible ids and ARNs; the devstack passes one that creates the resource in
an emulator, so every value the program wires is the emulator's.

Contract for backends:
- ``create(record)`` is called once per custom resource, providers included
  (type ``pulumi:providers:aws``), in registration order; a resource's ``provider``
  (``"<provider urn>::<provider id>"``) always names a provider created before it.
  It returns ``(id, outputs)``; outputs use the engine's camelCase names and are what
  the program reads (``arn``, ``name``, ``invokeArn``, …).
- Component resources (``booking:*``) and the stack are recorded but not created.
- ``call(token, args, provider)`` answers invokes such as ``aws:index/getRegion``.
- Archives and assets in inputs arrive as plain dicts: ``{"archive": "file", "path": …}``,
  ``{"asset": "string", "text": …}`` (see :func:`to_plain`).

Can run any number of times in one process: each run resets the runtime's root
stack, configuration and registrations.
"""

from __future__ import annotations

import hashlib
import importlib
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

import pulumi
import yaml
from pulumi.runtime import config as runtime_config
from pulumi.runtime import mocks, rpc, settings
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.sync_await import _ensure_event_loop

from stacks.inventory import Inventory, ResourceRecord

PROJECT = "booking-platform"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
ACCOUNT_ID = "123456789012"
# What a ``secure:`` value becomes when the program runs without the secrets provider.
SECRET_PLACEHOLDER = "secret-placeholder"  # noqa: S105 (a stand-in, never a secret)
STACK_TYPE = "pulumi:pulumi:Stack"

Program = Callable[[], None]
# What a backend returns for a resource: its id and outputs.
Created = tuple[str, dict[str, Any]]


class ConfigFileError(Exception):
    """The stack's configuration file is missing or not a Pulumi stack file."""


class ResourceBackend(Protocol):
    def create(self, record: ResourceRecord) -> Created:
        """Create (or pretend to create) ``record``; return its id and outputs."""
        ...

    def call(self, token: str, args: dict[str, Any], provider: str | None) -> dict[str, Any]:
        """Answer the invoke ``token`` (e.g. ``aws:index/getCallerIdentity:getCallerIdentity``)."""
        ...


# --------------------------------------------------------------------------- config


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
    if isinstance(value, str):
        return value
    import json

    return json.dumps(value)


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
        raise AssertionError("registrations are handled by the recording monitor")  # pragma: no cover


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
        from pulumi.runtime.sync_await import _sync_await

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
        return pulumi.Output.all(**exported).apply(lambda resolved: stack_outputs.update(to_plain(resolved)))

    try:
        pulumi.runtime.test(run)()  # type: ignore[no-untyped-call]
    finally:
        settings.ROOT.set(None)
    return Inventory(
        project=PROJECT, stack=stack, resources=list(monitor.records), stack_outputs=stack_outputs
    )


# --------------------------------------------------------------------------- preview backend


def _short_hash(text: str, length: int = 8) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


class PreviewBackend:
    """Plausible ids, ARNs and computed attributes, derived deterministically from the URN.

    Outputs are the inputs plus what AWS would compute and the program reads, so two
    previews of the same program give the same inventory.
    """

    def __init__(self, account_id: str = ACCOUNT_ID, default_region: str = "us-east-1") -> None:
        self.account_id = account_id
        self.default_region = default_region
        self._provider_regions: dict[str, str] = {}

    # The physical name AWS would show: the explicit name input, else Pulumi's auto-name.
    def _physical_name(self, record: ResourceRecord, *keys: str) -> str:
        for key in (*keys, "name"):
            value = record.inputs.get(key)
            if isinstance(value, str) and value:
                return value
        return f"{record.name}-{_short_hash(record.urn, 7)}"

    def _region(self, record: ResourceRecord) -> str:
        region = record.inputs.get("region")
        if isinstance(region, str) and region:
            return region
        if record.provider and record.provider in self._provider_regions:
            return self._provider_regions[record.provider]
        return self.default_region

    def create(self, record: ResourceRecord) -> Created:
        if record.type.startswith("pulumi:providers:"):
            provider_id = str(uuid.uuid5(uuid.NAMESPACE_URL, record.urn))
            region = record.inputs.get("region")
            self._provider_regions[f"{record.urn}::{provider_id}"] = (
                region if isinstance(region, str) else self.default_region
            )
            return provider_id, dict(record.inputs)
        region = self._region(record)
        builder = _COMPUTED.get(record.type)
        resource_id, computed = (
            builder(self, record, region)
            if builder
            else (f"{record.name}-{_short_hash(record.urn)}", {"arn": self._arn(record, region)})
        )
        return resource_id, {**record.inputs, **computed, "id": resource_id}

    def _arn(self, record: ResourceRecord, region: str) -> str:
        service = record.type.split(":")[1].split("/")[0]
        return f"arn:aws:{service}:{region}:{self.account_id}:{record.name}-{_short_hash(record.urn)}"

    def call(self, token: str, args: dict[str, Any], provider: str | None) -> dict[str, Any]:
        region = self._provider_regions.get(provider or "", self.default_region)
        answers = {
            "aws:index/getCallerIdentity:getCallerIdentity": {
                "accountId": self.account_id,
                "arn": f"arn:aws:iam::{self.account_id}:user/preview",
                "userId": "AIDAPREVIEW",
                "id": self.account_id,
            },
            "aws:index/getRegion:getRegion": {
                "name": region,
                "region": region,
                "id": region,
                "endpoint": f"{region}.amazonaws.com",
            },
            "aws:index/getPartition:getPartition": {
                "partition": "aws",
                "dnsSuffix": "amazonaws.com",
                "id": "aws",
            },
        }
        if token not in answers:
            raise NotImplementedError(f"the preview backend does not answer {token}")
        return answers[token]


def _plain_name(prefix: str) -> Callable[[PreviewBackend, ResourceRecord, str], Created]:
    """Resources whose id is their name and whose ARN is ``<prefix><name>``."""

    def build(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
        name = backend._physical_name(record)
        arn = prefix.format(region=region, account=backend.account_id) + name
        return name, {"name": name, "arn": arn}

    return build


def _table(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    name = backend._physical_name(record)
    arn = f"arn:aws:dynamodb:{region}:{backend.account_id}:table/{name}"
    return name, {
        "name": name,
        "arn": arn,
        "streamArn": f"{arn}/stream/2026-01-01T00:00:00.000",
        "streamLabel": "2026-01-01T00:00:00.000",
    }


def _user_pool(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    pool_id = f"{region}_{_short_hash(record.urn, 9)}"
    return pool_id, {
        "arn": f"arn:aws:cognito-idp:{region}:{backend.account_id}:userpool/{pool_id}",
        "endpoint": f"cognito-idp.{region}.amazonaws.com/{pool_id}",
        "name": backend._physical_name(record),
    }


def _user_pool_client(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    return hashlib.sha256(record.urn.encode()).hexdigest()[:26], {}


def _email_identity(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    identity = str(record.inputs.get("emailIdentity", record.name))
    return identity, {"arn": f"arn:aws:ses:{region}:{backend.account_id}:identity/{identity}"}


def _configuration_set(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    name = str(record.inputs.get("configurationSetName", record.name))
    return name, {"arn": f"arn:aws:ses:{region}:{backend.account_id}:configuration-set/{name}"}


def _topic(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    name = backend._physical_name(record)
    arn = f"arn:aws:sns:{region}:{backend.account_id}:{name}"
    return arn, {"name": name, "arn": arn}


def _queue(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    name = backend._physical_name(record)
    url = f"https://sqs.{region}.amazonaws.com/{backend.account_id}/{name}"
    return url, {"name": name, "url": url, "arn": f"arn:aws:sqs:{region}:{backend.account_id}:{name}"}


def _role(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    name = backend._physical_name(record)
    return name, {
        "name": name,
        "arn": f"arn:aws:iam::{backend.account_id}:role/{name}",
        "uniqueId": f"AROA{_short_hash(record.urn, 16).upper()}",
    }


def _function(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    name = backend._physical_name(record)
    arn = f"arn:aws:lambda:{region}:{backend.account_id}:function:{name}"
    return name, {
        "name": name,
        "arn": arn,
        "qualifiedArn": f"{arn}:$LATEST",
        "version": "$LATEST",
        "invokeArn": f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations",
    }


def _layer(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    name = str(record.inputs.get("layerName", record.name))
    layer_arn = f"arn:aws:lambda:{region}:{backend.account_id}:layer:{name}"
    return f"{layer_arn}:1", {"layerArn": layer_arn, "arn": f"{layer_arn}:1", "version": "1"}


def _api(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    api_id = _short_hash(record.urn, 10)
    return api_id, {
        "apiEndpoint": f"https://{api_id}.execute-api.{region}.amazonaws.com",
        "executionArn": f"arn:aws:execute-api:{region}:{backend.account_id}:{api_id}",
        "arn": f"arn:aws:apigateway:{region}::/apis/{api_id}",
    }


def _stage(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    api_id = str(record.inputs.get("apiId", ""))
    name = str(record.inputs.get("name", "$default"))
    path = "" if name == "$default" else name
    return name, {
        "invokeUrl": f"https://{api_id}.execute-api.{region}.amazonaws.com/{path}",
        "executionArn": f"arn:aws:execute-api:{region}:{backend.account_id}:{api_id}/{name}",
        "arn": f"arn:aws:apigateway:{region}::/apis/{api_id}/stages/{name}",
    }


def _web_acl(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    name = backend._physical_name(record)
    acl_id = str(uuid.uuid5(uuid.NAMESPACE_URL, record.urn))
    scope = "global" if record.inputs.get("scope") == "CLOUDFRONT" else "regional"
    return acl_id, {
        "name": name,
        "arn": f"arn:aws:wafv2:{region}:{backend.account_id}:{scope}/webacl/{name}/{acl_id}",
    }


def _bucket(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    name = backend._physical_name(record, "bucket").lower()
    return name, {
        "bucket": name,
        "arn": f"arn:aws:s3:::{name}",
        "bucketDomainName": f"{name}.s3.amazonaws.com",
        "bucketRegionalDomainName": f"{name}.s3.{region}.amazonaws.com",
        "region": region,
    }


def _distribution(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    distribution_id = "E" + _short_hash(record.urn, 13).upper()
    return distribution_id, {
        "arn": f"arn:aws:cloudfront::{backend.account_id}:distribution/{distribution_id}",
        "domainName": f"d{_short_hash(record.urn, 13)}.cloudfront.net",
        "hostedZoneId": "Z2FDTNDATAQYW2",
        "status": "Deployed",
    }


def _log_group(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    name = backend._physical_name(record)
    return name, {"name": name, "arn": f"arn:aws:logs:{region}:{backend.account_id}:log-group:{name}"}


def _dashboard(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    name = str(record.inputs.get("dashboardName", record.name))
    return name, {"dashboardArn": f"arn:aws:cloudwatch::{backend.account_id}:dashboard/{name}"}


def _alarm(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    name = backend._physical_name(record)
    return name, {"arn": f"arn:aws:cloudwatch:{region}:{backend.account_id}:alarm:{name}"}


def _event_source_mapping(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    mapping_id = str(uuid.uuid5(uuid.NAMESPACE_URL, record.urn))
    return mapping_id, {
        "uuid": mapping_id,
        "arn": f"arn:aws:lambda:{region}:{backend.account_id}:event-source-mapping:{mapping_id}",
    }


_COMPUTED: dict[str, Callable[[PreviewBackend, ResourceRecord, str], Created]] = {
    "aws:dynamodb/table:Table": _table,
    "aws:cognito/userPool:UserPool": _user_pool,
    "aws:cognito/userPoolClient:UserPoolClient": _user_pool_client,
    "aws:sesv2/emailIdentity:EmailIdentity": _email_identity,
    "aws:sesv2/configurationSet:ConfigurationSet": _configuration_set,
    "aws:sns/topic:Topic": _topic,
    "aws:sqs/queue:Queue": _queue,
    "aws:iam/role:Role": _role,
    "aws:lambda/function:Function": _function,
    "aws:lambda/layerVersion:LayerVersion": _layer,
    "aws:apigatewayv2/api:Api": _api,
    "aws:apigatewayv2/stage:Stage": _stage,
    "aws:wafv2/webAcl:WebAcl": _web_acl,
    "aws:s3/bucket:Bucket": _bucket,
    "aws:cloudfront/distribution:Distribution": _distribution,
    "aws:cloudwatch/logGroup:LogGroup": _log_group,
    "aws:cloudwatch/dashboard:Dashboard": _dashboard,
    "aws:cloudwatch/metricAlarm:MetricAlarm": _alarm,
    "aws:lambda/eventSourceMapping:EventSourceMapping": _event_source_mapping,
    "aws:scheduler/scheduleGroup:ScheduleGroup": _plain_name(
        "arn:aws:scheduler:{region}:{account}:schedule-group/"
    ),
}
