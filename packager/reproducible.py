"""What every artifact build shares: reproducible zips, content hashes, a cache in ``build/``.

Same inputs, same bytes: entries are sorted, timestamps and permissions fixed and
caches left out (but the bytecode compiled for Lambda's runtime, when the archive is
to carry it), so a preview never shows a spurious code change
(pulumi/pulumi#21008). Artifacts are named by a hash of their inputs and kept in a
build directory (``build/``); a per-artifact lock lets parallel processes
(pytest-xdist workers) share that cache. The Lambda artifacts
(:mod:`packager.lambda_artifacts`) build on this.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Zip entries carry this timestamp (the earliest zip can store) and these modes.
FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o644
PYCACHE = "__pycache__"
SKIPPED_DIRECTORIES = frozenset({PYCACHE, ".mypy_cache", ".pytest_cache"})
SKIPPED_SUFFIXES = frozenset({".pyc", ".pyo"})


@dataclass(frozen=True)
class Artifact:
    path: Path
    sha256: str  # hex digest of the archive's bytes

    @property
    def base64_sha256(self) -> str:
        """The form Lambda's ``source_code_hash`` uses."""
        return base64.b64encode(bytes.fromhex(self.sha256)).decode()


def files_under(root: Path, bytecode_tag: str | None = None) -> list[Path]:
    """Every file under ``root`` but caches and bytecode, in archive order; with a
    ``bytecode_tag`` (``cpython-312``), its ``__pycache__/<module>.<tag>.pyc`` too (and
    still no bytecode of another Python, which the runtime would never read)."""
    files = []
    for directory, subdirectories, names in os.walk(root):
        skipped = SKIPPED_DIRECTORIES - {PYCACHE} if bytecode_tag else SKIPPED_DIRECTORIES
        subdirectories[:] = sorted(d for d in subdirectories if d not in skipped)
        in_pycache = Path(directory).name == PYCACHE
        for name in names:
            path = Path(directory) / name
            if in_pycache:
                if bytecode_tag and name.endswith(f".{bytecode_tag}.pyc"):
                    files.append(path)
            elif path.suffix not in SKIPPED_SUFFIXES:
                files.append(path)
    return sorted(files, key=lambda path: path.relative_to(root).as_posix())


def write_deterministic_zip(
    source: Path, destination: Path, prefix: str = "", bytecode_tag: str | None = None
) -> None:
    """Zip every file under ``source`` (as ``prefix/relative/path``) reproducibly, with
    the bytecode of ``bytecode_tag`` if given (:func:`files_under`)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    temporary = destination.with_name(f".{destination.name}.{os.getpid()}.tmp")
    with zipfile.ZipFile(temporary, "w") as archive:
        for path in files_under(source, bytecode_tag):
            entry = zipfile.ZipInfo(f"{prefix}{path.relative_to(source).as_posix()}", FIXED_DATE_TIME)
            entry.external_attr = (0o100000 | FILE_MODE) << 16  # regular file, rw-r--r--
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # Unix, whatever machine builds it
            archive.writestr(entry, path.read_bytes(), compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    os.replace(temporary, destination)


def digest(path: Path) -> str:
    """The hex SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree_hash(root: Path) -> str:
    """A hash of the names and contents of :func:`files_under` ``root`` (not their times)."""
    hasher = hashlib.sha256()
    for path in files_under(root):
        hasher.update(path.relative_to(root).as_posix().encode() + b"\0")
        hasher.update(hashlib.sha256(path.read_bytes()).digest())
    return hasher.hexdigest()


@contextlib.contextmanager
def build_lock(build_dir: Path, name: str) -> Iterator[None]:
    """Serialise builds of one artifact across processes (pytest-xdist workers)."""
    build_dir.mkdir(parents=True, exist_ok=True)
    with open(build_dir / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
