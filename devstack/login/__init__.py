"""The user pools' managed login, emulated on top of moto's Cognito (see ``app``)."""

from __future__ import annotations

from typing import Any

from devstack.background_server import BackgroundServer
from devstack.login.app import ManagedLogin
from devstack.login.cognito_api import CognitoPublicApi
from engine.inventory import Inventory

CLIENT_TYPE = "aws:cognito/userPoolClient:UserPoolClient"


def start_login(
    inventory: Inventory, *, base_url: str, region: str, endpoint_url: str, cognito: Any, host: str, port: int
) -> BackgroundServer:
    """The managed login of every app client the program declared, served on ``port``,
    with the pools' public API at its root (the origin of the pools' endpoint)."""
    clients = {record.id: str(record.inputs["userPoolId"]) for record in inventory.of_type(CLIENT_TYPE)}
    app = ManagedLogin(
        base_url=base_url, region=region, endpoint_url=endpoint_url, clients=clients, cognito=cognito
    )
    return BackgroundServer(CognitoPublicApi(app, endpoint_url), host, port, "devstack-login").start()


__all__ = ["CognitoPublicApi", "ManagedLogin", "start_login"]
