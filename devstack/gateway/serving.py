"""Serving a deployed program's HTTP API over HTTP.

``start_gateway(inventory, endpoint_url=…)`` reads the API from the inventory, starts
the functions' worker pools (or uses the runtime it is given, so the event pumps and
the gateway share containers), warms one container per function and serves the API
on a background thread. ``stop()`` ends what it started.

Run alone against an inventory and a running emulator::

    python -m devstack.gateway.serving --inventory inventory.json --endpoint-url http://127.0.0.1:5000
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from devstack.functions import EmulatorEnvironment, FunctionRuntime
from devstack.gateway.app import Gateway
from devstack.gateway.authorizer import emulator_jwks_resolver
from devstack.gateway.model import ServedApi, Throttle, build_served_api
from engine.inventory import Inventory

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080


class _QuietHandler(WSGIRequestHandler):
    """The gateway logs each request itself (with its request id)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return


class GatewayServer:
    """The gateway on a threaded HTTP server, in a background thread."""

    def __init__(self, gateway: Gateway, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
        self.gateway = gateway
        self._server: BaseWSGIServer = make_server(
            host, port, gateway, threaded=True, request_handler=_QuietHandler
        )
        self.host = host
        self.port = self._server.server_port
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The API's invoke URL (with the stage for a named stage)."""
        return f"http://{self.host}:{self.port}{self.gateway.api.base_path}"

    def start(self) -> GatewayServer:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="devstack-gateway", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> GatewayServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


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
    throttle: Throttle | None = None,
) -> RunningGateway:
    """``throttle``: every route's throttle instead of the program's (a benchmark of the
    gateway lifts them, or it would measure the throttle)."""
    api = build_served_api(inventory, region=region)
    if throttle is not None:
        routes = tuple(dataclasses.replace(route, throttle=throttle) for route in api.routes)
        api = dataclasses.replace(api, routes=routes)
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a program's HTTP API from its inventory.")
    parser.add_argument("--inventory", required=True, help="inventory JSON of a mock-engine run")
    parser.add_argument("--endpoint-url", required=True, help="the AWS emulator the functions and JWKS use")
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    api = build_served_api(Inventory.load(Path(args.inventory)), region=args.region)
    with FunctionRuntime(api.functions, EmulatorEnvironment(args.endpoint_url, args.region)) as runtime:
        runtime.warm()
        server = GatewayServer(
            Gateway(api, runtime, emulator_jwks_resolver(args.endpoint_url)), args.host, args.port
        )
        print(f"serving {api.name} on {server.url}")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
