"""The environment of a function's container: only its own variables, what Lambda
sets, and the emulator's endpoint, region and dummy credentials."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from devstack.access import credential_variables
from devstack.functions.definitions import LambdaFunction

# Variables of the host a worker keeps: enough to find Python and its libraries,
# never the host's AWS profile or credentials.
HOST_VARIABLES = ("PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "SYSTEMROOT", "TMPDIR")


@dataclass(frozen=True)
class EmulatorEnvironment:
    """Where the functions' AWS SDK calls go: the emulator, with dummy credentials."""

    endpoint_url: str
    region: str = "us-east-1"

    def variables(self) -> dict[str, str]:
        return {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            **credential_variables(),
            # X-Ray has no daemon here: tracing is off (the handlers never load its SDK).
            "POWERTOOLS_TRACE_DISABLED": "true",
        }


def worker_environment(
    function: LambdaFunction, emulator: EmulatorEnvironment, log_stream: str
) -> dict[str, str]:
    """The whole environment of one container: host basics, the function's own
    variables, then what Lambda itself sets (which a function cannot override)."""
    host = {name: os.environ[name] for name in HOST_VARIABLES if name in os.environ}
    lambda_variables = {
        "AWS_LAMBDA_FUNCTION_NAME": function.name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_mb),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_LOG_GROUP_NAME": function.log_group_name,
        "AWS_LAMBDA_LOG_STREAM_NAME": log_stream,
        "_HANDLER": function.handler,
        "TZ": ":UTC",
    }
    if function.code_path and Path(function.code_path).exists():
        lambda_variables["LAMBDA_TASK_ROOT"] = str(Path(function.code_path).resolve())
    return {**host, **function.environment, **lambda_variables, **emulator.variables()}
