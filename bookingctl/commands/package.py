"""``bookingctl package``: build the Lambda code archive, the dependency layer and the web
app into build/.

Each artifact is a step on stderr (a cold layer cache means downloading the locked
wheels from PyPI into build/wheels/ and a zip of some 80 MB; a cold web build runs npm
ci and vite); stdout gets one line per artifact: path, size (or file count) and sha256.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

import typer

from bookingctl import console

EXIT_LOCK_OUT_OF_DATE = 2
EXIT_NO_RUNTIME_PYTHON = 2
EXIT_TEMPLATES = 2  # an email template that does not compile, or a jinja2 not the lock's


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
    require_bytecode: Annotated[
        bool,
        typer.Option(
            "--require-bytecode",
            help="exit 2 instead of packaging without bytecode when no Python of Lambda's runtime"
            " version is found (LAMBDA_PYTHON, or python3.12 on PATH): what a deployment uses",
        ),
    ] = False,
) -> None:
    """Build the Lambda code archive, the dependency layer and the web app into build/.

    One deterministic code archive of lambdas/booking and one dependency layer: the lock
    file layer-lock.txt installed with --require-hashes from manylinux wheels for the
    functions' architecture and Python (same lock, same bytes). Artifacts are named by a
    hash of their inputs and reused while the inputs do not change. The web app is npm
    ci + npm run build in web/, cached by its lockfile and sources. Both Lambda artifacts
    carry bytecode compiled by a Python of the runtime's version (LAMBDA_PYTHON, this
    interpreter if it is one, or python3.12 on PATH); without one they carry none, and a
    line says so. Exit status 2 when the lock no longer matches pyproject.toml (`make
    lock` refreshes it), when LAMBDA_PYTHON is not such a Python, with
    --require-bytecode when none is found, and when an email template does not compile
    or this environment's jinja2 is not the lock's (the code archive carries the
    templates compiled; the layer's jinja2 runs them).
    """
    from packager import lambda_artifacts as packaging
    from packager import web_app
    from packager.bytecode import NoRuntimePython, RuntimePythonUnusable, find_runtime_python
    from packager.layer_lock import LockOutOfDate, check_lock

    root = packaging.PROJECT_ROOT
    try:
        check_lock(root)
        python = find_runtime_python()
    except LockOutOfDate as stale:
        console.fail(f"bookingctl package: {stale}")
        raise typer.Exit(EXIT_LOCK_OUT_OF_DATE) from stale
    except RuntimePythonUnusable as unusable:
        console.fail(f"bookingctl package: {unusable}")
        raise typer.Exit(EXIT_NO_RUNTIME_PYTHON) from unusable
    if isinstance(python, NoRuntimePython):
        if require_bytecode:
            console.fail(f"bookingctl package: --require-bytecode, but {python.warning}")
            raise typer.Exit(EXIT_NO_RUNTIME_PYTHON)
        console.stderr().print(f"bookingctl package: {python.warning}", soft_wrap=True)
    compiler = None if isinstance(python, NoRuntimePython) else python
    if force:
        for cached in sorted(packaging.BUILD_DIR.glob("*.zip")):
            console.stderr().print(f"removing cached {cached.name}")
            cached.unlink()
        web_app.forget_cached_builds(packaging.BUILD_DIR)
    builders = (
        ("code", partial(packaging.build_code_archive, python=compiler)),
        ("layer", partial(packaging.build_dependency_layer, python=compiler)),
        ("web", web_app.ensure_web_build),
    )
    artifacts: dict[str, Any] = {}
    try:
        with console.Steps() as steps:
            for label, build in builders:
                with steps.step(f"{label}: looking for a cached artifact in build/") as note:
                    reported = _Reported(note)
                    artifacts[label] = build(root, progress=reported)
                    note(f"{label}: {'built' if reported.built else 'cached'}")
    except (packaging.TemplateCompilerMismatch, packaging.TemplateCompileFailed) as templates:
        console.fail(f"bookingctl package: {templates}")
        raise typer.Exit(EXIT_TEMPLATES) from templates
    out = console.stdout()
    web = artifacts.pop("web")
    for label, artifact in artifacts.items():
        size_mb = artifact.path.stat().st_size / 1_000_000
        out.print(f"{label:<6} {artifact.path}  {size_mb:.1f} MB  sha256:{artifact.sha256}", soft_wrap=True)
    out.print(f"{'web':<6} {web.root}/  {len(web.object_keys())} files  sha256:{web.sha256}", soft_wrap=True)
