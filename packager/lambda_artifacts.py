"""The Lambda artifacts: one code archive and one dependency layer, both deterministic.

The code archive is the ``booking`` package; the layer is the lock file
(:mod:`packager.layer_lock`) installed with ``--require-hashes`` from manylinux wheels
for the functions' platform (:mod:`packager.lambda_platform`). Both are reproducible
zips (:mod:`packager.reproducible`) under ``build/``, named by a hash of their inputs:
same lock, same layer bytes, whichever directory or virtualenv builds it. A warm cache
needs no network; the first layer build downloads the locked wheels into
``build/wheels/`` (it needs PyPI). Both carry bytecode for the functions' runtime when
an interpreter of its version is at hand (:mod:`packager.bytecode`), and their names say
whether, and which, bytecode they hold.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.metadata
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from packager.bytecode import NoRuntimePython, RuntimePython, compile_tree, find_runtime_python
from packager.lambda_platform import (
    CODE_ROOT,
    LAYERS_ROOT,
    PIP_IMPLEMENTATION,
    PIP_PLATFORM,
    PIP_PYTHON_VERSION,
)
from packager.layer_lock import LOCK_FILE, check_lock, locked_version
from packager.reproducible import (
    Artifact,
    build_lock,
    digest,
    files_under,
    tree_hash,
    write_deterministic_zip,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUILD_DIR = PROJECT_ROOT / "build"
CODE_PACKAGE = "booking"
WHEELS_DIR = "wheels"  # under build/: the locked wheels, downloaded once
FORMAT_VERSION = "3"  # bump to invalidate every cached artifact
# Compiles the email templates into the code archive; the layer's copy runs them.
TEMPLATE_COMPILER = "jinja2"

Progress = Callable[[str], None]


def stderr_progress(message: str) -> None:
    print(f"[package] {message}", file=sys.stderr, flush=True)


class LayerBuildFailed(RuntimeError):
    """pip could not download or install the lock; the message ends with what pip said."""


class TemplateCompilerMismatch(RuntimeError):
    """The templates would be compiled by another jinja2 than the layer's."""


class TemplateCompileFailed(RuntimeError):
    """An email template does not compile (its syntax), or the compiler did not run."""


@dataclass(frozen=True)
class Artifacts:
    code: Artifact
    layer: Artifact
    version: str  # the release the code archive is (``release_version``)


def release_version(project_root: Path = PROJECT_ROOT) -> str:
    """pyproject's ``[project] version``: what the functions report as their release
    (the catalogs function's ``GET /health``, through its settings)."""
    with open(project_root / "pyproject.toml", "rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def runtime_python(progress: Progress | None) -> RuntimePython | None:
    """The interpreter that compiles the artifacts' bytecode; when there is none they are
    built without, and ``progress`` says so in one line."""
    found = find_runtime_python()
    if isinstance(found, NoRuntimePython):
        if progress:
            progress(found.warning)
        return None
    return found


def bytecode_identity(python: RuntimePython | None) -> str:
    """What an artifact's name takes from the bytecode it holds (or not)."""
    return python.identity if python else "no bytecode"


def _compile(python: RuntimePython | None, tree: Path, shown_as: str, progress: Progress | None) -> None:
    if python is None:
        return
    if progress:
        progress(f"bytecode: {python.executable} ({python.version}) compiles {shown_as}")
    compile_tree(python, tree, shown_as)


def template_compiler_version(project_root: Path) -> str:
    """The jinja2 that compiles the email templates, which must be the one the layer
    ships: a compiled template calls into the jinja2 that loads it."""
    running = importlib.metadata.version(TEMPLATE_COMPILER)
    locked = locked_version(project_root / LOCK_FILE, TEMPLATE_COMPILER)
    if running != locked:
        raise TemplateCompilerMismatch(
            f"the email templates would be compiled by {TEMPLATE_COMPILER} {running}, but "
            f"{LOCK_FILE} gives the functions {locked}: install the locked one "
            f"(pip install {TEMPLATE_COMPILER}=={locked}) or run `make lock`"
        )
    return running


# Run in a child whose first path entry is the staged package: the archive's templates
# are compiled with the archive's own options, never those of another ``booking``.
_COMPILE_TEMPLATES = """\
import sys
from pathlib import Path
from jinja2 import TemplateSyntaxError
from booking.adapters import email_templates
package = Path(sys.argv[1])
if email_templates.PACKAGE_ROOT != package.resolve():
    sys.exit(f"compiled by the wrong package: {email_templates.PACKAGE_ROOT}")
try:
    print(email_templates.compile_templates(package))
except TemplateSyntaxError as error:
    sys.exit(f"{error.name}, line {error.lineno}: {error.message}")
"""


def compile_email_templates(staged_package: Path) -> int:
    """The staged package's templates compiled beside them; how many."""
    completed = subprocess.run(
        [sys.executable, "-c", _COMPILE_TEMPLATES, str(staged_package)],
        cwd=staged_package.parent,
        # Imports the staged modules without leaving this interpreter's bytecode among them.
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode:
        raise TemplateCompileFailed(f"email templates: {completed.stderr.strip()[-3000:]}")
    return int(completed.stdout)


def build_code_archive(
    project_root: Path = PROJECT_ROOT,
    build_dir: Path | None = None,
    progress: Progress | None = None,
    *,
    python: RuntimePython | None,
) -> Artifact:
    """The ``booking`` package as ``booking/…`` at the archive root (cached by content),
    its email templates compiled (``booking.adapters.email_templates``), with
    ``python``'s bytecode if given.

    The sources are copied to a staging directory first: templates and bytecode are
    compiled there, never beside the sources (a developer's own ``__pycache__`` stays out
    of it). Refuses a jinja2 other than the lock's (:class:`TemplateCompilerMismatch`)."""
    build_dir = build_dir or project_root / "build"
    source = project_root / "lambdas" / CODE_PACKAGE
    compiler = template_compiler_version(project_root)
    inputs = f"{FORMAT_VERSION}{tree_hash(source)}\0{bytecode_identity(python)}\0{compiler}"
    destination = build_dir / f"code-{hashlib.sha256(inputs.encode()).hexdigest()[:16]}.zip"
    with build_lock(build_dir, "code"):
        if not destination.is_file():
            with tempfile.TemporaryDirectory(dir=build_dir, prefix=".code-") as staging:
                staged = Path(staging) / CODE_PACKAGE
                for path in files_under(source):
                    copy = staged / path.relative_to(source)
                    copy.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, copy)
                templates = compile_email_templates(staged)
                if progress:
                    progress(f"code archive: {templates} templates compiled ({TEMPLATE_COMPILER} {compiler})")
                _compile(python, staged, f"{CODE_ROOT}/{CODE_PACKAGE}", progress)
                if progress:
                    progress(
                        f"code archive: zipping {source.relative_to(project_root)} -> {destination.name}"
                    )
                write_deterministic_zip(
                    staged,
                    destination,
                    prefix=f"{CODE_PACKAGE}/",
                    bytecode_tag=python.cache_tag if python else None,
                )
    return Artifact(destination, digest(destination))


def layer_input_hash(lock: Path, python: RuntimePython | None) -> str:
    """What names a layer: the lock's bytes (pins and hashes), the platform and the
    bytecode it holds."""
    hasher = hashlib.sha256()
    for part in (
        FORMAT_VERSION,
        PIP_PLATFORM,
        PIP_PYTHON_VERSION,
        PIP_IMPLEMENTATION,
        bytecode_identity(python),
    ):
        hasher.update(part.encode() + b"\0")
    hasher.update(lock.read_bytes())
    return hasher.hexdigest()[:16]


def pip_command(action: str, lock: Path, into: Path, wheels: Path) -> list[str]:
    """``pip install`` (into a ``--target``) or ``pip download`` (into a ``--dest``) of the
    lock's wheels for Lambda's platform, every one checked against the lock's hashes.

    ``--isolated``: no pip configuration of the building machine (extra indexes,
    constraints) takes part. An install reads the wheel cache ``wheels`` alone."""
    if action == "install":
        specific = ["--no-compile", "--no-index", "--find-links", str(wheels), "--target", str(into)]
    else:
        specific = ["--dest", str(into)]
    return [
        sys.executable,
        "-m",
        "pip",
        action,
        "--isolated",
        "--quiet",
        "--disable-pip-version-check",
        "--require-hashes",
        "--only-binary=:all:",
        "--platform",
        PIP_PLATFORM,
        "--python-version",
        PIP_PYTHON_VERSION,
        "--implementation",
        PIP_IMPLEMENTATION,
        *specific,
        "--requirement",
        str(lock),
    ]


def _pip(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False)


def install_locked(lock: Path, site: Path, wheels: Path, progress: Progress | None) -> None:
    """Install the lock into ``site`` from the wheel cache, downloading (hash-checked)
    only when the cache lacks a wheel."""
    if _pip(pip_command("install", lock, site, wheels)).returncode == 0:
        return
    if progress:
        progress(f"layer: pip download the locked wheels for {PIP_PLATFORM} into {wheels}")
    downloaded = _pip(pip_command("download", lock, wheels, wheels))
    if downloaded.returncode != 0:
        raise LayerBuildFailed(f"pip download of {lock.name} failed:\n{downloaded.stderr.strip()[-4000:]}")
    shutil.rmtree(site, ignore_errors=True)
    installed = _pip(pip_command("install", lock, site, wheels))
    if installed.returncode != 0:
        raise LayerBuildFailed(f"pip install of {lock.name} failed:\n{installed.stderr.strip()[-4000:]}")


def drop_build_machine_files(site: Path) -> None:
    """Remove what only the building machine had: console scripts (their shebang names
    its interpreter) and their lines in each ``RECORD``, whose hashes would carry that
    interpreter's path into the layer. A ``RECORD`` keeps the files that are in the layer."""
    shutil.rmtree(site / "bin", ignore_errors=True)
    for record in sorted(site.glob("*.dist-info/RECORD")):
        with open(record, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        kept = [row for row in rows if row and _inside(site, row[0])]
        if kept != rows:
            with open(record, "w", newline="", encoding="utf-8") as handle:
                csv.writer(handle).writerows(kept)


def _inside(site: Path, recorded: str) -> bool:
    path = (site / recorded).resolve()
    return path.is_relative_to(site.resolve()) and path.is_file()


def build_dependency_layer(
    project_root: Path = PROJECT_ROOT,
    build_dir: Path | None = None,
    progress: Progress | None = None,
    *,
    python: RuntimePython | None,
) -> Artifact:
    """The locked runtime dependencies as ``python/…`` (cached by the lock and platform),
    with ``python``'s bytecode if given.

    Refuses a lock that does not match pyproject (:class:`LockOutOfDate`). Wheels are
    kept in ``build/wheels/``: a rebuild needs no network."""
    build_dir = build_dir or project_root / "build"
    lock = check_lock(project_root)
    destination = build_dir / f"layer-{layer_input_hash(lock, python)}.zip"
    with build_lock(build_dir, "layer"):
        if not destination.is_file():
            with tempfile.TemporaryDirectory(dir=build_dir, prefix=".layer-") as staging:
                site = Path(staging) / "python"
                if progress:
                    progress(f"layer: pip install {lock.name} (hashes required) for {PIP_PLATFORM} cp312")
                install_locked(lock, site, build_dir / WHEELS_DIR, progress)
                drop_build_machine_files(site)
                _compile(python, site, f"{LAYERS_ROOT}/{site.name}", progress)
                if progress:
                    progress(f"layer: zipping -> {destination.name}")
                write_deterministic_zip(
                    site,
                    destination,
                    prefix=f"{site.name}/",
                    bytecode_tag=python.cache_tag if python else None,
                )
    return Artifact(destination, digest(destination))


def ensure_artifacts(
    project_root: Path = PROJECT_ROOT, progress: Progress | None = stderr_progress
) -> Artifacts:
    """Both artifacts, built only when their inputs changed."""
    python = runtime_python(progress)
    return Artifacts(
        code=build_code_archive(project_root, progress=progress, python=python),
        layer=build_dependency_layer(project_root, progress=progress, python=python),
        version=release_version(project_root),
    )
