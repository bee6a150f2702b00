"""Running the program's Lambda functions locally, each in its own processes."""

from devstack.functions.definitions import LambdaFunction, functions_from_inventory
from devstack.functions.environment import EmulatorEnvironment
from devstack.functions.pool import FunctionError
from devstack.functions.runtime import FunctionRuntime, Invoker

__all__ = [
    "EmulatorEnvironment",
    "FunctionError",
    "FunctionRuntime",
    "Invoker",
    "LambdaFunction",
    "functions_from_inventory",
]
