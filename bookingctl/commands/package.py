"""``bookingctl package``: build the Lambda code archive, the dependency layer and the web
app into build/."""

from __future__ import annotations

import argparse

from packager import lambda_artifacts as packaging
from packager import web_app


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "package",
        help="build the Lambda code archive, the aarch64 dependency layer and the web app (cached in build/)",
        description=(
            "Build one deterministic code archive of lambdas/booking and one dependency layer "
            f"from {packaging.PIP_PLATFORM} wheels for Python {packaging.PIP_PYTHON_VERSION}, "
            "and the web app (npm ci + npm run build in web/). "
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
        web_app.forget_cached_builds(packaging.BUILD_DIR)
    artifacts = packaging.ensure_artifacts(progress=packaging.stderr_progress)
    for label, artifact in (("code", artifacts.code), ("layer", artifacts.layer)):
        size_mb = artifact.path.stat().st_size / 1_000_000
        print(f"{label:<6} {artifact.path}  {size_mb:.1f} MB  sha256:{artifact.sha256}")
    web = web_app.ensure_web_build(progress=packaging.stderr_progress)
    print(f"{'web':<6} {web.root}/  {len(web.object_keys())} files  sha256:{web.sha256}")
    return 0
