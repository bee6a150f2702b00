"""Deterministic Lambda artifacts: one code archive and one dependency layer.

Same inputs, same bytes: entries are sorted, timestamps and permissions fixed and
caches left out, so a preview never shows a spurious code change
(pulumi/pulumi#21008). The layer is installed from manylinux wheels for the functions'
architecture and Python (``pip --platform … --only-binary=:all:``), so compiled
packages such as ``pydantic_core`` are the aarch64 builds Lambda can load
(pydantic/pydantic#6557).

Both artifacts live under ``build/``, named by a hash of their inputs: a warm cache
needs no network. A cold layer cache is built on demand (it needs PyPI).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUILD_DIR = PROJECT_ROOT / "build"
CODE_PACKAGE = "booking"
# What Lambda runs: keep these in line with the BookingFunction component.
RUNTIME = "python3.12"
ARCHITECTURE = "arm64"
PIP_PLATFORM = "manylinux2014_aarch64"
PIP_PYTHON_VERSION = "3.12"
PIP_IMPLEMENTATION = "cp"
# Zip entries carry this timestamp (the earliest zip can store) and these modes.
FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o644
SKIPPED_DIRECTORIES = frozenset({"__pycache__", ".mypy_cache", ".pytest_cache"})
SKIPPED_SUFFIXES = frozenset({".pyc", ".pyo"})
FORMAT_VERSION = "1"  # bump to invalidate every cached artifact

Progress = Callable[[str], None]


def stderr_progress(message: str) -> None:
    print(f"[package] {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Artifact:
    path: Path
    sha256: str  # hex digest of the archive's bytes

    @property
    def base64_sha256(self) -> str:
        """The form Lambda's ``source_code_hash`` uses."""
        return base64.b64encode(bytes.fromhex(self.sha256)).decode()


@dataclass(frozen=True)
class Artifacts:
    code: Artifact
    layer: Artifact


def _files_under(root: Path) -> list[Path]:
    files = []
    for directory, subdirectories, names in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if d not in SKIPPED_DIRECTORIES)
        for name in names:
            path = Path(directory) / name
            if path.suffix not in SKIPPED_SUFFIXES:
                files.append(path)
    return sorted(files, key=lambda path: path.relative_to(root).as_posix())


def write_deterministic_zip(source: Path, destination: Path, prefix: str = "") -> None:
    """Zip every file under ``source`` (as ``prefix/relative/path``) reproducibly."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    temporary = destination.with_name(f".{destination.name}.{os.getpid()}.tmp")
    with zipfile.ZipFile(temporary, "w") as archive:
        for path in _files_under(source):
            entry = zipfile.ZipInfo(f"{prefix}{path.relative_to(source).as_posix()}", FIXED_DATE_TIME)
            entry.external_attr = (0o100000 | FILE_MODE) << 16  # regular file, rw-r--r--
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # Unix, whatever machine builds it
            archive.writestr(entry, path.read_bytes(), compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    os.replace(temporary, destination)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in _files_under(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@contextlib.contextmanager
def _locked(build_dir: Path, name: str) -> Iterator[None]:
    """Serialise builds of one artifact across processes (pytest-xdist workers)."""
    build_dir.mkdir(parents=True, exist_ok=True)
    with open(build_dir / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def build_code_archive(
    project_root: Path = PROJECT_ROOT, build_dir: Path | None = None, progress: Progress | None = None
) -> Artifact:
    """The ``booking`` package as ``booking/…`` at the archive root (cached by content)."""
    build_dir = build_dir or project_root / "build"
    source = project_root / "lambdas" / CODE_PACKAGE
    inputs = _tree_hash(source)
    destination = (
        build_dir / f"code-{hashlib.sha256((FORMAT_VERSION + inputs).encode()).hexdigest()[:16]}.zip"
    )
    with _locked(build_dir, "code"):
        if not destination.is_file():
            if progress:
                progress(f"code archive: zipping {source.relative_to(project_root)} -> {destination.name}")
            write_deterministic_zip(source, destination, prefix=f"{CODE_PACKAGE}/")
    return Artifact(destination, _digest(destination))


def runtime_requirements(project_root: Path = PROJECT_ROOT) -> list[str]:
    """The runtime dependencies of the Lambda package, from pyproject's ``[project]``."""
    with open(project_root / "pyproject.toml", "rb") as handle:
        project = tomllib.load(handle)["project"]
    return sorted(str(requirement) for requirement in project["dependencies"])


def layer_input_hash(requirements: list[str]) -> str:
    digest = hashlib.sha256()
    for part in (FORMAT_VERSION, PIP_PLATFORM, PIP_PYTHON_VERSION, PIP_IMPLEMENTATION, *requirements):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:16]


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
    with _locked(build_dir, "layer"):
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
    return Artifact(destination, _digest(destination))


def ensure_artifacts(
    project_root: Path = PROJECT_ROOT, progress: Progress | None = stderr_progress
) -> Artifacts:
    """Both artifacts, built only when their inputs changed."""
    return Artifacts(
        code=build_code_archive(project_root, progress=progress),
        layer=build_dependency_layer(project_root, progress=progress),
    )
