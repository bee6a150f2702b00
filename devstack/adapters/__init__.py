"""One module per AWS service family; each exposes ``ADAPTERS``: type token → adapter."""

from __future__ import annotations

from devstack.adapters import (
    apigateway,
    cloudfront,
    cognito,
    dynamodb,
    functions,
    iam,
    messaging,
    observability,
    s3,
    scheduler,
    secrets,
    ses,
    waf,
)
from devstack.adapters.base import Adapter

ADAPTERS: dict[str, Adapter] = {
    **apigateway.ADAPTERS,
    **cloudfront.ADAPTERS,
    **cognito.ADAPTERS,
    **dynamodb.ADAPTERS,
    **functions.ADAPTERS,
    **iam.ADAPTERS,
    **messaging.ADAPTERS,
    **observability.ADAPTERS,
    **s3.ADAPTERS,
    **scheduler.ADAPTERS,
    **secrets.ADAPTERS,
    **ses.ADAPTERS,
    **waf.ADAPTERS,
}

__all__ = ["ADAPTERS", "Adapter"]
