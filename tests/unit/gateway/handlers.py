"""Tiny Lambda handlers the gateway and runtime tests deploy (by handler string)."""

from __future__ import annotations

import json
import os
import time
from typing import Any

# Module state: lives as long as the container, like a handler's cold-start globals.
INVOCATIONS = {"count": 0}


def echo(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Answers with the event, the context and the environment it ran with."""
    INVOCATIONS["count"] += 1
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps(
            {
                "event": event,
                "environment": dict(os.environ),
                "invocations": INVOCATIONS["count"],
                "pid": os.getpid(),
                "context": {
                    "aws_request_id": context.aws_request_id,
                    "function_name": context.function_name,
                    "invoked_function_arn": context.invoked_function_arn,
                    "memory_limit_in_mb": context.memory_limit_in_mb,
                    "remaining_ms": context.get_remaining_time_in_millis(),
                },
            }
        ),
    }


def shaped(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """A response using every 2.0 field: cookies, base64 body, multi-value headers."""
    return {
        "statusCode": 207,
        "headers": {"X-Single": "one"},
        "multiValueHeaders": {"X-Multi": ["a", "b"]},
        "cookies": ["session=abc; HttpOnly", "theme=dark"],
        "body": "AAEC",  # bytes 00 01 02
        "isBase64Encoded": True,
    }


def plain(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """No statusCode: API Gateway infers a 200 JSON response."""
    return {"hello": "world"}


def fail(event: dict[str, Any], context: Any) -> dict[str, Any]:
    raise ValueError("the handler failed")


def crash(event: dict[str, Any], context: Any) -> dict[str, Any]:
    os._exit(3)


def slow(event: dict[str, Any], context: Any) -> dict[str, Any]:
    time.sleep(float(event.get("seconds", 5)))
    return {"statusCode": 200, "body": "late"}
