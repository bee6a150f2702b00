"""The Lambda functions a program declared, read from its inventory.

Everything the devstack needs to run a function (its handler string, its
``environment.variables``, its timeout and memory, its ARN) comes from the
``aws:lambda/function:Function`` records the program registered, never from a
hand-written table: a renamed variable or handler in a component changes what runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.inventory import Inventory, ResourceRecord

LAMBDA_FUNCTION_TYPE = "aws:lambda/function:Function"

# Lambda's defaults when the program leaves these out.
DEFAULT_TIMEOUT_SECONDS = 3
DEFAULT_MEMORY_MB = 128
DEFAULT_ACCOUNT_ID = "123456789012"


@dataclass(frozen=True)
class LambdaFunction:
    """One function as Lambda would run it."""

    name: str
    handler: str  # "package.module.attribute", as Lambda's Python runtime reads it
    environment: dict[str, str] = field(default_factory=dict)
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    memory_mb: int = DEFAULT_MEMORY_MB
    arn: str = ""
    invoke_arn: str = ""
    logical_name: str = ""
    # The code archive's local path (a directory or a zip): the container's task root.
    code_path: str | None = None

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.name}"


def function_from_record(record: ResourceRecord, region: str = "us-east-1") -> LambdaFunction:
    """Read one ``aws:lambda/function:Function`` record (outputs win over inputs, as
    the engine's state is what the program saw)."""
    props: dict[str, Any] = {**record.inputs, **record.outputs}
    name = str(props.get("name") or record.id or record.name)
    handler = props.get("handler")
    if not handler:
        raise ValueError(f"function {record.name!r} declares no handler (image functions are not emulated)")
    environment = props.get("environment") or {}
    variables = environment.get("variables") or {}
    arn = str(props.get("arn") or f"arn:aws:lambda:{region}:{DEFAULT_ACCOUNT_ID}:function:{name}")
    code = props.get("code")
    code_path = str(code["path"]) if isinstance(code, dict) and code.get("archive") == "file" else None
    return LambdaFunction(
        name=name,
        handler=str(handler),
        environment={str(key): str(value) for key, value in variables.items()},
        timeout_seconds=float(props.get("timeout") or DEFAULT_TIMEOUT_SECONDS),
        memory_mb=int(props.get("memorySize") or DEFAULT_MEMORY_MB),
        arn=arn,
        invoke_arn=str(props.get("invokeArn") or ""),
        logical_name=record.name,
        code_path=code_path,
    )


def functions_from_inventory(inventory: Inventory, region: str = "us-east-1") -> dict[str, LambdaFunction]:
    """Every function of the inventory, by its (physical) function name."""
    functions = (function_from_record(record, region) for record in inventory.of_type(LAMBDA_FUNCTION_TYPE))
    return {function.name: function for function in functions}


def function_arn_of(integration_uri: str) -> str:
    """The function ARN inside an integration URI, which is either the ARN itself or
    an invoke ARN (``arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations``)."""
    marker = "/functions/"
    if marker in integration_uri:
        inner = integration_uri.split(marker, 1)[1]
        return inner.removesuffix("/invocations")
    return integration_uri


def function_name_of(name_or_arn: str) -> str:
    """``arn:aws:lambda:…:function:NAME[:qualifier]`` or ``NAME`` → ``NAME``."""
    if ":function:" in name_or_arn:
        return name_or_arn.split(":function:", 1)[1].split(":", 1)[0]
    return name_or_arn


def find_function(functions: dict[str, LambdaFunction], integration_uri: str) -> LambdaFunction:
    """The function an API integration points at, by ARN, invoke ARN or name."""
    target = function_arn_of(integration_uri)
    for function in functions.values():
        if integration_uri in {function.arn, function.invoke_arn} or target == function.arn:
            return function
    # An ARN with a qualifier (":$LATEST", ":alias") or one the engine rendered differently.
    name = function_name_of(target)
    if name in functions:
        return functions[name]
    raise KeyError(f"no function in the inventory matches integration URI {integration_uri!r}")
