"""Where a devstack listens: the API, the web app, the sign-in pages and the emulator.

Resolved before anything starts, because the deployment bakes them into resources
(the API's endpoint, the distribution's domain, the pool's callback URLs, the queue
URLs in the functions' environment), so they are part of a snapshot's key
(``devstack.snapshot_key``). Light: ``bookingctl local up`` resolves them first.
"""

from __future__ import annotations

from dataclasses import dataclass

from devstack.net import LOOPBACK, free_port

# Offsets from the API's port when a port is not given (``--web-port`` and so on).
WEB_OFFSET = 1
LOGIN_OFFSET = 2
EMULATOR_OFFSET = 3


@dataclass(frozen=True)
class Addresses:
    host: str
    port: int
    web_port: int
    login_port: int
    emulator_port: int

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def web_url(self) -> str:
        return f"http://{self.host}:{self.web_port}"

    @property
    def login_url(self) -> str:
        return f"http://{self.host}:{self.login_port}"

    @property
    def emulator_url(self) -> str:
        return f"http://{LOOPBACK}:{self.emulator_port}"  # where ``Emulator`` listens


def resolve_addresses(
    host: str, port: int, web_port: int | None, login_port: int | None, emulator_port: int | None
) -> Addresses:
    """0: a free port; None: the API's port plus the offset (a free port when the API's is 0)."""
    return Addresses(
        host=host,
        port=port or free_port(host),
        web_port=_port(web_port, port, WEB_OFFSET, host),
        login_port=_port(login_port, port, LOGIN_OFFSET, host),
        emulator_port=_port(emulator_port, port, EMULATOR_OFFSET, host),
    )


def _port(chosen: int | None, api_port: int, offset: int, host: str) -> int:
    if chosen is None:
        return api_port + offset if api_port else free_port(host)
    return chosen or free_port(host)
