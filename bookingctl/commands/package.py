"""``bookingctl package``: build the Lambda code archive and dependency layer into build/.

Each artifact is a step on stderr (a cold layer cache means a pip install from PyPI and
a zip of some 80 MB); stdout gets one line per artifact: path, size and sha256.
"""

from __future__ import annotations

from typing import Annotated

import typer

from bookingctl import console


class _Reported:
    """The packager's progress callback: rewrites the step's line, remembers a build."""

    def __init__(self, note: console.Note) -> None:
        self.note = note
        self.built = False

    def __call__(self, message: str) -> None:
        self.built = True
        self.note(message)


def package(
    force: Annotated[
        bool, typer.Option("--force", help="rebuild even when a cached artifact exists")
    ] = False,
) -> None:
    """Build the Lambda code archive and dependency layer into build/.

    One deterministic code archive of lambdas/booking and one dependency layer from
    manylinux wheels for the functions' architecture and Python. Artifacts are named by
    a hash of their inputs and reused while the inputs do not change.
    """
    from packager import lambda_artifacts as packaging

    if force:
        for cached in sorted(packaging.BUILD_DIR.glob("*.zip")):
            console.stderr().print(f"removing cached {cached.name}")
            cached.unlink()
    builders = (("code", packaging.build_code_archive), ("layer", packaging.build_dependency_layer))
    artifacts = {}
    with console.Steps() as steps:
        for label, build in builders:
            with steps.step(f"{label}: looking for a cached artifact in build/") as note:
                reported = _Reported(note)
                artifacts[label] = build(progress=reported)
                note(f"{label}: {'built' if reported.built else 'cached'} {artifacts[label].path.name}")
    out = console.stdout()
    for label, artifact in artifacts.items():
        size_mb = artifact.path.stat().st_size / 1_000_000
        out.print(f"{label:<6} {artifact.path}  {size_mb:.1f} MB  sha256:{artifact.sha256}", soft_wrap=True)
