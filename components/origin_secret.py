"""The origin secret: a value only the CloudFront distribution knows and sends to the API
(an origin custom header), so the API's functions can refuse every request that did not
come through the distribution and its WAF (``booking.handlers.origin``).

The value lives in Secrets Manager. The first deploy stores a random one (Secrets
Manager's own ``GetRandomPassword``); later deploys never change it
(``ignore_changes``): it is rotated outside Pulumi by putting a new value, which
becomes ``AWSCURRENT`` while the old one stays ``AWSPREVIOUS`` (docs/RUNBOOK.md). The
functions accept both; ``header_value`` is what the distribution sends: the value
``AWSCURRENT`` holds when the program runs, so the ``pulumi up`` after a rotation
points the distribution at the new value with no request refused.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

SECRET_LENGTH = 64  # letters and digits: safe in an HTTP header as they are


@dataclass(frozen=True)
class OriginSecretArgs:
    secret_name: str
    # 0 deletes at once (a stack torn down and made again reuses the name); else 7 to 30.
    recovery_window_days: int


class OriginSecret(pulumi.ComponentResource):
    secret_arn: pulumi.Output[str]
    header_value: pulumi.Output[str]

    def __init__(self, name: str, args: OriginSecretArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("booking:edge:OriginSecret", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        invoke = pulumi.InvokeOutputOptions(parent=self)
        self.secret = aws.secretsmanager.Secret(
            f"{name}-secret",
            name=args.secret_name,
            description="Sent by the CloudFront distribution to the API; the API refuses requests without it",
            recovery_window_in_days=args.recovery_window_days,
            opts=child,
        )
        first_value = aws.secretsmanager.get_random_password_output(
            password_length=SECRET_LENGTH, exclude_punctuation=True, include_space=False, opts=invoke
        ).random_password
        self.first_version = aws.secretsmanager.SecretVersion(
            f"{name}-first-value",
            secret_id=self.secret.id,
            secret_string=pulumi.Output.secret(first_value),
            # Rotation puts new values outside Pulumi; a deploy must never put one back.
            opts=child.merge(pulumi.ResourceOptions(ignore_changes=["secretString"])),
        )
        # Read after the first value exists (its secret_id is known only then).
        current = aws.secretsmanager.get_secret_version_output(
            secret_id=self.first_version.secret_id, version_stage="AWSCURRENT", opts=invoke
        )
        self.secret_arn = self.secret.arn
        self.header_value = pulumi.Output.secret(current.secret_string)
        self.register_outputs({"secretArn": self.secret_arn})
