"""The embedded AWS emulator: moto's threaded server on loopback.

One process holds the emulator, the deployment and the gateway, so everything the
devstack creates lives in memory and disappears with the process: a second run starts
from nothing, at once. The environment variables set here (region, dummy credentials,
``AWS_ENDPOINT_URL``) are inherited by every boto3 client of this process and by the
worker processes it starts, so nothing can reach real AWS by accident.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import TracebackType

import requests
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from moto.server import ThreadedMotoServer
from moto.utilities.utils import get_partition
from werkzeug.serving import make_server

from devstack import moto_speedups
from devstack.access import credential_variables
from devstack.net import LOOPBACK
from devstack.serialized_dynamodb import (
    SerializedDynamoDB,
    back_up_each_table_once,
    keep_stream_shards_through_rollbacks,
)
from devstack.user_pool_triggers import Attachment, UserPoolTriggers

LOGGER = logging.getLogger("devstack.emulator")
DEFAULT_REGION = "us-east-1"
# The services the devstack's adapters, pumps and seed call. moto builds a service's
# request handler (importing its models) on its first request, a fraction of a second
# each and seconds in all; ``warm_up`` builds them ahead, while the program runs in a
# process of its own. A service missing here is only built on first use.
WARMED_SERVICES = (
    "apigatewayv2",
    "cloudwatch",
    "cognito-idp",
    "dynamodb",
    "dynamodbstreams",
    "iam",
    "lambda",
    "logs",
    "s3",
    "scheduler",
    "ses",
    "sesv2",
    "sns",
    "sqs",
    "sts",
    "wafv2",
)

# Programs attach AWS managed policies (AWSLambdaBasicExecutionRole, …) by ARN, so the
# emulator's IAM must know them (moto reads this when a backend is created).
os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")


class _QuietRequestHandler(MotoRequestHandler):
    """moto's handler without a log line per request: the devstack's console is for the
    banner and the API's access log, not for every SDK call."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return


class _QuietMotoServer(ThreadedMotoServer):
    user_pools: UserPoolTriggers
    dispatcher: DomainDispatcherApplication
    # The partition of the emulator's regions: the only one whose IAM needs AWS's policies.
    partition: str = "aws"

    def _server_entry(self) -> None:
        # moto's DynamoDB answers 500 to racing transactions, copies a table once per
        # transaction action and rolls its stream back onto another shard object (see
        # serialized_dynamodb).
        back_up_each_table_once()
        keep_stream_shards_through_rollbacks()
        moto_speedups.copy_stream_records_by_reference()
        moto_speedups.managed_policies_only_in(self.partition)
        self.dispatcher = DomainDispatcherApplication(create_backend_app)
        # What Cognito does around a sign-up (triggers, codes, emails), in front of moto.
        self.user_pools = UserPoolTriggers(SerializedDynamoDB(self.dispatcher))
        self._server = make_server(
            self._ip_address, self._port, self.user_pools, threaded=True, request_handler=_QuietRequestHandler
        )
        self._server_ready_event.set()
        self._server.serve_forever()


@dataclass
class Emulator:
    """moto's server on ``127.0.0.1:port`` (``port=0`` picks a free port)."""

    port: int = 0
    region: str = DEFAULT_REGION
    # False in tests that share a process with ``mock_aws`` tests: a process-wide
    # ``AWS_ENDPOINT_URL`` would send their requests here instead of into the mock.
    export_environment: bool = True
    _server: ThreadedMotoServer | None = field(default=None, init=False, repr=False)
    _saved_environment: dict[str, str | None] = field(default_factory=dict, init=False, repr=False)

    @property
    def endpoint_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the emulator is not running")
        host, port = self._server.get_host_and_port()
        return f"http://{host}:{port}"

    def environment(self) -> dict[str, str]:
        """What a boto3 client (in this process or a child) needs to talk to the emulator."""
        return {
            **credential_variables(),
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
            "AWS_ENDPOINT_URL": self.endpoint_url,
        }

    def start(self) -> Emulator:
        if self._server is not None:
            return self
        server = _QuietMotoServer(ip_address=LOOPBACK, port=self.port, verbose=False)
        server.partition = get_partition(self.region)
        server.start()
        self._server = server
        # moto's backends are process-global: forget anything an earlier emulator of
        # this process created, so every start is a fresh account. After a whole
        # deployment that takes seconds (moto builds each backend anew before dropping
        # it, IAM's with AWS's managed policies): 5 s at load 11, more beside a test run.
        requests.post(f"{self.endpoint_url}/moto-api/reset", timeout=60).raise_for_status()
        self._export(self.environment())
        return self

    def warm_up(self, services: tuple[str, ...] = WARMED_SERVICES) -> threading.Thread:
        """Build each service's request handler now, on a thread of its own (as the
        first request would, under moto's own lock)."""
        if self._server is None:
            raise RuntimeError("the emulator is not running")
        dispatcher = self._server.dispatcher  # type: ignore[attr-defined]

        def build() -> None:
            for service in services:
                with dispatcher.lock:
                    if service in dispatcher.app_instances:
                        continue
                    try:
                        dispatcher.app_instances[service] = dispatcher.create_app(service)
                    except Exception:  # only slower: its first request builds it
                        LOGGER.exception("warming up the emulator's %s failed", service)

        thread = threading.Thread(target=build, name="emulator-warm-up", daemon=True)
        thread.start()
        return thread

    def _export(self, variables: dict[str, str]) -> None:
        if not self.export_environment:
            return
        for name, value in variables.items():
            self._saved_environment.setdefault(name, os.environ.get(name))
            os.environ[name] = value

    def attach_user_pool_triggers(self, attachment: Attachment) -> None:
        """From now on the emulated pools run their triggers through ``attachment``."""
        if not isinstance(self._server, _QuietMotoServer):
            raise RuntimeError("the emulator is not running")
        self._server.user_pools.attach(attachment)

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.stop()
        for name, value in self._saved_environment.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved_environment.clear()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


@contextmanager
def running_emulator(port: int = 0, region: str = DEFAULT_REGION) -> Iterator[Emulator]:
    """Start the emulator for the ``with`` block and stop it however the block ends
    (Ctrl-C included)."""
    emulator = Emulator(port=port, region=region)
    try:
        yield emulator.start()
    finally:
        emulator.stop()
