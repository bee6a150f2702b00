"""One call for the devstack: serve a deployed program's HTTP API.

``start_gateway(inventory, endpoint_url=…)`` reads the API from the inventory, starts
the functions' worker pools (or uses the runtime it is given, so the event pumps and
the gateway share containers), warms one container per function and serves the API
on a background thread. ``stop()`` ends what it started.
"""

from __future__ import annotations

from dataclasses import dataclass

from devstack.functions import EmulatorEnvironment, FunctionRuntime
from devstack.gateway.app import DEFAULT_HOST, DEFAULT_PORT, Gateway, GatewayServer
from devstack.gateway.authorizer import emulator_jwks_resolver
from devstack.gateway.model import ServedApi, build_served_api
from engine.inventory import Inventory


@dataclass
class RunningGateway:
    api: ServedApi
    runtime: FunctionRuntime
    server: GatewayServer
    owns_runtime: bool

    @property
    def url(self) -> str:
        """The API's invoke URL, what ``outputs.json`` calls ``apiUrl``."""
        return self.server.url

    def stop(self) -> None:
        self.server.stop()
        if self.owns_runtime:
            self.runtime.close()

    def __enter__(self) -> RunningGateway:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def start_gateway(
    inventory: Inventory,
    *,
    endpoint_url: str,
    region: str = "us-east-1",
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    runtime: FunctionRuntime | None = None,
    warm: bool = True,
    max_workers_per_function: int = 4,
) -> RunningGateway:
    api = build_served_api(inventory, region=region)
    owns_runtime = runtime is None
    if runtime is None:
        runtime = FunctionRuntime(
            api.functions,
            EmulatorEnvironment(endpoint_url, region),
            max_workers_per_function=max_workers_per_function,
        )
    try:
        if warm:
            runtime.warm({route.function.name for route in api.routes})
        server = GatewayServer(
            Gateway(api, runtime, emulator_jwks_resolver(endpoint_url)), host, port
        ).start()
    except BaseException:
        if owns_runtime:
            runtime.close()
        raise
    return RunningGateway(api=api, runtime=runtime, server=server, owns_runtime=owns_runtime)
