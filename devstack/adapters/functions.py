"""Lambda: functions (with the program's environment, role, layers, tracing), layers,
permissions, reserved concurrency and asynchronous-invocation destinations.

moto holds the functions (configuration, environment, code archive) but can only run
them in Docker; the devstack gateway runs the same handler with the environment this
adapter stored. A code archive that is not built yet is replaced by a zip of the
working tree's ``lambdas/booking`` package, which is what the devstack runs anyway.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from base64 import b64encode
from pathlib import Path
from typing import Any

from devstack.adapters.assets import archive_bytes, zip_of_tree
from devstack.adapters.base import Adapter, Created, EmulatorContext, compact, physical_name, state
from engine.inventory import ResourceRecord

_BOOKING_PACKAGE = Path(__file__).resolve().parents[2] / "lambdas" / "booking"


def _code_zip(code: Any) -> bytes:
    return archive_bytes(code) or zip_of_tree(_BOOKING_PACKAGE, "booking/")


# Uploading the dependency layer (tens of MB, base64 in JSON) would cost seconds of
# start-up for bytes nothing reads: the devstack's workers import the dependencies of
# their own virtualenv. Bigger archives are stored as a pointer to the real file.
MAX_STORED_LAYER_BYTES = 2 * 1024 * 1024


def _layer_zip(code: Any) -> bytes:
    path = code.get("path") if isinstance(code, dict) else None
    if isinstance(path, str) and Path(path).is_file() and Path(path).stat().st_size > MAX_STORED_LAYER_BYTES:
        note = f"The layer archive is {path} (not copied into the emulator).\n"
    else:
        built = archive_bytes(code)
        if built is not None:
            return built
        note = "The devstack runs the handlers with the dependencies of its own virtualenv.\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("python/DEVSTACK.txt", note)
    return buffer.getvalue()


def _sha256_base64(content: bytes) -> str:
    return b64encode(hashlib.sha256(content).digest()).decode()


def create_function(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    name = physical_name(record)
    code = _code_zip(inputs.get("code"))
    request: dict[str, Any] = compact(
        {
            "FunctionName": name,
            "Runtime": inputs.get("runtime"),
            "Role": inputs["role"],
            "Handler": inputs.get("handler"),
            "Code": {"ZipFile": code},
            "Description": inputs.get("description"),
            "Timeout": inputs.get("timeout"),
            "MemorySize": inputs.get("memorySize"),
            "Architectures": inputs.get("architectures"),
            "Layers": inputs.get("layers"),
            "Tags": dict(inputs["tags"]) if inputs.get("tags") else None,
        }
    )
    variables = (inputs.get("environment") or {}).get("variables")
    if variables:
        request["Environment"] = {"Variables": {key: str(value) for key, value in variables.items()}}
    tracing = inputs.get("tracingConfig") or {}
    if tracing.get("mode"):
        request["TracingConfig"] = {"Mode": tracing["mode"]}
    dead_letter = inputs.get("deadLetterConfig") or {}
    if dead_letter.get("targetArn"):
        request["DeadLetterConfig"] = {"TargetArn": dead_letter["targetArn"]}
    logging = inputs.get("loggingConfig") or {}
    if logging:
        request["LoggingConfig"] = compact(
            {
                "LogFormat": logging.get("logFormat"),
                "LogGroup": logging.get("logGroup"),
                "ApplicationLogLevel": logging.get("applicationLogLevel"),
                "SystemLogLevel": logging.get("systemLogLevel"),
            }
        )
    client = ctx.client("lambda")
    function = client.create_function(**request)
    reserved = inputs.get("reservedConcurrentExecutions")
    if reserved is not None and int(reserved) >= 0:
        client.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=int(reserved))
    arn = function["FunctionArn"]
    return name, state(
        record,
        name=name,
        arn=arn,
        invokeArn=f"arn:aws:apigateway:{ctx.region}:lambda:path/2015-03-31/functions/{arn}/invocations",
        qualifiedArn=f"{arn}:{function.get('Version', '$LATEST')}",
        qualifiedInvokeArn=(
            f"arn:aws:apigateway:{ctx.region}:lambda:path/2015-03-31/functions/"
            f"{arn}:{function.get('Version', '$LATEST')}/invocations"
        ),
        version=function.get("Version", "$LATEST"),
        lastModified=function.get("LastModified"),
        sourceCodeHash=function.get("CodeSha256"),
        sourceCodeSize=function.get("CodeSize"),
    )


def create_layer_version(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    name = physical_name(record, "layerName", max_length=140)
    content = _layer_zip(inputs.get("code"))
    request: dict[str, Any] = compact(
        {
            "LayerName": name,
            "Description": inputs.get("description"),
            "Content": {"ZipFile": content},
            "CompatibleRuntimes": inputs.get("compatibleRuntimes"),
            "CompatibleArchitectures": inputs.get("compatibleArchitectures"),
            "LicenseInfo": inputs.get("licenseInfo"),
        }
    )
    layer = ctx.client("lambda").publish_layer_version(**request)
    return layer["LayerVersionArn"], state(
        record,
        layerName=name,
        arn=layer["LayerVersionArn"],
        layerArn=layer["LayerArn"],
        version=str(layer["Version"]),
        createdDate=layer.get("CreatedDate"),
        # What the program computed from the real archive, else the stored bytes'.
        sourceCodeHash=inputs.get("sourceCodeHash") or _sha256_base64(content),
        sourceCodeSize=len(content),
    )


def create_permission(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    statement_id = physical_name(record, "statementId", max_length=100)
    request = compact(
        {
            "FunctionName": inputs["function"],
            "StatementId": statement_id,
            "Action": inputs["action"],
            "Principal": inputs["principal"],
            "SourceArn": inputs.get("sourceArn"),
            "SourceAccount": inputs.get("sourceAccount"),
            "Qualifier": inputs.get("qualifier"),
        }
    )
    ctx.client("lambda").add_permission(**request)
    return statement_id, state(record, statementId=statement_id)


def create_event_invoke_config(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    inputs = record.inputs
    request: dict[str, Any] = compact(
        {
            "FunctionName": inputs["functionName"],
            "Qualifier": inputs.get("qualifier"),
            "MaximumRetryAttempts": inputs.get("maximumRetryAttempts"),
            "MaximumEventAgeInSeconds": inputs.get("maximumEventAgeInSeconds"),
        }
    )
    destinations = inputs.get("destinationConfig") or {}
    converted = {}
    for source, target in (("onFailure", "OnFailure"), ("onSuccess", "OnSuccess")):
        destination = destinations.get(source) or {}
        if destination.get("destination"):
            converted[target] = {"Destination": destination["destination"]}
    if converted:
        request["DestinationConfig"] = converted
    ctx.client("lambda").put_function_event_invoke_config(**request)
    return inputs["functionName"], state(record)


ADAPTERS: dict[str, Adapter] = {
    "aws:lambda/function:Function": create_function,
    "aws:lambda/layerVersion:LayerVersion": create_layer_version,
    "aws:lambda/permission:Permission": create_permission,
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": create_event_invoke_config,
}
