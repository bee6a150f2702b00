"""The dependency layer every function loads (built by ``packager.lambda_artifacts``)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws


@dataclass(frozen=True)
class DependencyLayerArgs:
    layer_name: str
    archive: pulumi.Archive
    archive_hash: str  # base64 SHA-256 of the archive: a new version only when it changes
    runtime: str
    architecture: str


class DependencyLayer(pulumi.ComponentResource):
    arn: pulumi.Output[str]

    def __init__(
        self, name: str, args: DependencyLayerArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("booking:compute:DependencyLayer", name, None, opts)
        self.layer = aws.lambda_.LayerVersion(
            f"{name}-version",
            layer_name=args.layer_name,
            description="Runtime dependencies of the booking package (manylinux wheels)",
            code=args.archive,
            source_code_hash=args.archive_hash,
            compatible_runtimes=[args.runtime],
            compatible_architectures=[args.architecture],
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.arn = self.layer.arn
        self.register_outputs({"arn": self.arn})
