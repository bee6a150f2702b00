"""The program's CloudFront distribution, emulated (see ``model`` and ``app``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from devstack.background_server import BackgroundServer, WsgiApp
from devstack.distribution.app import Distribution
from devstack.distribution.model import build_served_distribution
from engine.inventory import Inventory


def start_distribution(
    inventory: Inventory, *, s3: Any, origins: Mapping[str, WsgiApp], host: str, port: int
) -> BackgroundServer:
    """The distribution the program declared, served on ``port`` from the emulator's S3
    and ``origins`` (custom origins by ``host:port``, e.g. the gateway)."""
    app = Distribution(build_served_distribution(inventory), s3, origins)
    return BackgroundServer(app, host, port, "devstack-distribution").start()


__all__ = ["Distribution", "start_distribution"]
