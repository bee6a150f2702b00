"""The Lambda artifacts: one code archive and one dependency layer, both deterministic.

The code archive is the ``booking`` package; the layer is installed from manylinux
wheels for the functions' architecture and Python (``pip --platform …
--only-binary=:all:``), so compiled packages such as ``pydantic_core`` are the aarch64
builds Lambda can load (pydantic/pydantic#6557). Both are reproducible zips
(:mod:`packager.reproducible`) under ``build/``, named by a hash of their inputs: a
warm cache needs no network. A cold layer cache is built on demand (it needs PyPI).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from packager.reproducible import Artifact, build_lock, digest, tree_hash, write_deterministic_zip

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUILD_DIR = PROJECT_ROOT / "build"
CODE_PACKAGE = "booking"
# What Lambda runs: keep these in line with the BookingFunction component.
RUNTIME = "python3.12"
ARCHITECTURE = "arm64"
PIP_PLATFORM = "manylinux2014_aarch64"
PIP_PYTHON_VERSION = "3.12"
PIP_IMPLEMENTATION = "cp"
FORMAT_VERSION = "1"  # bump to invalidate every cached artifact

Progress = Callable[[str], None]


def stderr_progress(message: str) -> None:
    print(f"[package] {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Artifacts:
    code: Artifact
    layer: Artifact


def build_code_archive(
    project_root: Path = PROJECT_ROOT, build_dir: Path | None = None, progress: Progress | None = None
) -> Artifact:
    """The ``booking`` package as ``booking/…`` at the archive root (cached by content)."""
    build_dir = build_dir or project_root / "build"
    source = project_root / "lambdas" / CODE_PACKAGE
    inputs = tree_hash(source)
    destination = (
        build_dir / f"code-{hashlib.sha256((FORMAT_VERSION + inputs).encode()).hexdigest()[:16]}.zip"
    )
    with build_lock(build_dir, "code"):
        if not destination.is_file():
            if progress:
                progress(f"code archive: zipping {source.relative_to(project_root)} -> {destination.name}")
            write_deterministic_zip(source, destination, prefix=f"{CODE_PACKAGE}/")
    return Artifact(destination, digest(destination))


def runtime_requirements(project_root: Path = PROJECT_ROOT) -> list[str]:
    """The runtime dependencies of the Lambda package, from pyproject's ``[project]``."""
    with open(project_root / "pyproject.toml", "rb") as handle:
        project = tomllib.load(handle)["project"]
    return sorted(str(requirement) for requirement in project["dependencies"])


def layer_input_hash(requirements: list[str]) -> str:
    hasher = hashlib.sha256()
    for part in (FORMAT_VERSION, PIP_PLATFORM, PIP_PYTHON_VERSION, PIP_IMPLEMENTATION, *requirements):
        hasher.update(part.encode() + b"\0")
    return hasher.hexdigest()[:16]


def pip_command(requirements: list[str], target: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-compile",
        "--platform",
        PIP_PLATFORM,
        "--only-binary=:all:",
        "--python-version",
        PIP_PYTHON_VERSION,
        "--implementation",
        PIP_IMPLEMENTATION,
        "--target",
        str(target),
        *requirements,
    ]


def build_dependency_layer(
    project_root: Path = PROJECT_ROOT, build_dir: Path | None = None, progress: Progress | None = None
) -> Artifact:
    """The runtime dependencies as ``python/…`` (cached by a hash of requirements and platform)."""
    build_dir = build_dir or project_root / "build"
    requirements = runtime_requirements(project_root)
    destination = build_dir / f"layer-{layer_input_hash(requirements)}.zip"
    with build_lock(build_dir, "layer"):
        if not destination.is_file():
            with tempfile.TemporaryDirectory(dir=build_dir, prefix=".layer-") as staging:
                site = Path(staging) / "python"
                if progress:
                    progress(f"layer: pip install {len(requirements)} requirements for {PIP_PLATFORM} cp312")
                subprocess.run(pip_command(requirements, site), check=True)
                # Console scripts point at the building machine's interpreter: useless on Lambda.
                shutil.rmtree(site / "bin", ignore_errors=True)
                if progress:
                    progress(f"layer: zipping -> {destination.name}")
                write_deterministic_zip(site, destination, prefix="python/")
    return Artifact(destination, digest(destination))


def ensure_artifacts(
    project_root: Path = PROJECT_ROOT, progress: Progress | None = stderr_progress
) -> Artifacts:
    """Both artifacts, built only when their inputs changed."""
    return Artifacts(
        code=build_code_archive(project_root, progress=progress),
        layer=build_dependency_layer(project_root, progress=progress),
    )
