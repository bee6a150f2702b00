"""Running the program's Lambda functions locally, each in its own processes."""

from devstack.functions.definitions import LambdaFunction, functions_from_inventory
from devstack.functions.runtime import EmulatorEnvironment, FunctionError, FunctionRuntime, Invoker

__all__ = [
    "EmulatorEnvironment",
    "FunctionError",
    "FunctionRuntime",
    "Invoker",
    "LambdaFunction",
    "functions_from_inventory",
]
