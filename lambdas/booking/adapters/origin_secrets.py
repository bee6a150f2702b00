"""The origin secret's accepted values, read from Secrets Manager and kept a few minutes.

The distribution sends the secret's value to the API in every request (the CDN
component's origin custom header). Rotating it puts a new value (``AWSCURRENT``) and
leaves the old one as ``AWSPREVIOUS``; accepting both is what lets the distribution
switch over (which takes minutes) with no request refused. Each value is read with
Powertools' Parameters utility and cached per container for ``max_age_seconds``, so a
rotation is seen within that time (docs/RUNBOOK.md waits that long before switching
the distribution). Powertools caches by name only, not by stage: one provider per
stage. A secret never rotated has no previous value; that absence is cached too, or
every request would ask again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.parameters import SecretsProvider

CURRENT = "AWSCURRENT"
PREVIOUS = "AWSPREVIOUS"
# How long a container trusts what it read: the wait between putting a new value and
# pointing the distribution at it (docs/RUNBOOK.md, "Rotating the origin secret").
MAX_AGE_SECONDS = 300


class SecretsManagerOriginSecrets:
    def __init__(
        self,
        secret_id: str,
        max_age_seconds: int = MAX_AGE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        client: Any = None,  # a Secrets Manager client; by default made on first use
    ) -> None:
        self.secret_id = secret_id
        self._client = client
        self.max_age_seconds = max_age_seconds
        self._clock = clock
        self._providers: dict[str, SecretsProvider] = {}
        self._absent_until: dict[str, float] = {}

    def accepted(self) -> frozenset[str]:
        return frozenset(value for value in (self._value(CURRENT), self._value(PREVIOUS)) if value)

    def _provider(self, stage: str) -> SecretsProvider:
        if stage not in self._providers:
            # Imported and created on the first request: not part of the handler's import.
            import boto3
            from aws_lambda_powertools.utilities.parameters import SecretsProvider

            if self._client is None:
                self._client = boto3.client("secretsmanager")
            self._providers[stage] = SecretsProvider(boto3_client=self._client)
        return self._providers[stage]

    def _value(self, stage: str) -> str | None:
        from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError

        if self._absent_until.get(stage, float("-inf")) > self._clock():
            return None
        try:
            value = self._provider(stage).get(
                self.secret_id, max_age=self.max_age_seconds, VersionStage=stage
            )
        except GetParameterError as error:
            # The current value must exist (else nothing is admitted: fail closed, loudly).
            if stage == CURRENT or not _no_such_version(error):
                raise
            self._absent_until[stage] = self._clock() + self.max_age_seconds
            return None
        self._absent_until.pop(stage, None)
        return value if isinstance(value, str) else None


def _no_such_version(error: Exception) -> bool:
    """Powertools wraps the SDK's error; the ``ClientError`` is its context."""
    cause = error.__cause__ or error.__context__
    return (
        isinstance(cause, ClientError)
        and cause.response.get("Error", {}).get("Code") == "ResourceNotFoundException"
    )
