"""What every area builder receives from the program: the stack and where to create."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from stacks.config import StackConfig


@dataclass(frozen=True)
class StackContext:
    config: StackConfig
    stack: str  # the Pulumi stack's name: dev, qas, prd
    prefix: str  # ``booking-<stack>``, the start of every physical name
    in_main: pulumi.ResourceOptions  # the stack's region, through the main provider
    # CloudFront-scoped WAF (and ACM certificates for CloudFront) exist only in us-east-1.
    us_east_1: aws.Provider
    account_id: pulumi.Output[str]
