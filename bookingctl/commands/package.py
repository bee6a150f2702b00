"""``bookingctl package``: build the Lambda code archive and dependency layer into build/."""

from __future__ import annotations

import argparse

from packager import lambda_artifacts as packaging


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "package",
        help="build the Lambda code archive and the aarch64 dependency layer (cached in build/)",
        description=(
            "Build one deterministic code archive of lambdas/booking and one dependency layer "
            f"from {packaging.PIP_PLATFORM} wheels for Python {packaging.PIP_PYTHON_VERSION}. "
            "Artifacts are named by a hash of their inputs and reused while the inputs do not change."
        ),
    )
    parser.add_argument("--force", action="store_true", help="rebuild even when a cached artifact exists")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.force:
        for cached in sorted(packaging.BUILD_DIR.glob("*.zip")):
            packaging.stderr_progress(f"removing cached {cached.name}")
            cached.unlink()
    artifacts = packaging.ensure_artifacts(progress=packaging.stderr_progress)
    for label, artifact in (("code", artifacts.code), ("layer", artifacts.layer)):
        size_mb = artifact.path.stat().st_size / 1_000_000
        print(f"{label:<6} {artifact.path}  {size_mb:.1f} MB  sha256:{artifact.sha256}")
    return 0
