"""The web app's build: ``npm ci`` and ``npm run build`` in ``web/``, cached in ``build/``.

The static site SvelteKit writes (``web/build/``) is copied to ``build/web-<hash>/``,
named by a hash of the build's inputs: the lockfile, the app's sources and config, and
the API contract (``docs/openapi.json``) the build generates its types from. Same
inputs, same bytes (Vite's output does not depend on time or directory; a test builds
twice and compares), so a preview shows no change in the bucket's objects while the
app does not change. A warm cache needs neither Node nor the network; ``npm ci`` runs
only when ``node_modules`` was not installed from this lockfile.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from packager.lambda_artifacts import Progress, stderr_progress
from packager.reproducible import build_lock, files_under, tree_hash

PROJECT_ROOT = Path(__file__).resolve().parent.parent
WEB_DIR = "web"
CONTRACT = Path("docs") / "openapi.json"
# What the build reads, relative to web/ (node_modules comes from the lockfile).
INPUT_FILES = (
    "package.json",
    "package-lock.json",
    ".npmrc",
    "svelte.config.js",
    "vite.config.ts",
    "tsconfig.json",
)
INPUT_DIRECTORIES = ("src", "static")
# Under src/ but not inputs: what the build itself generates, and the unit tests.
GENERATED_SOURCES = frozenset({"src/lib/api/schema.d.ts"})
TEST_SUFFIXES = (".test.ts", ".spec.ts")
OUTPUT_DIR = "build"  # web/build/, svelte.config.js's adapter-static ``pages``
LOCK_STAMP = ".booking-lockfile.sha256"  # in node_modules/: which lockfile installed it
FORMAT_VERSION = "1"  # bump to invalidate every cached build
TOOLS = ("node", "npm")


class NodeMissing(RuntimeError):
    """Node.js or npm is not on PATH and no cached build matches the sources."""


class WebBuildFailed(RuntimeError):
    """``npm ci`` or ``npm run build`` failed; the message ends with their output."""


@dataclass(frozen=True)
class WebBuild:
    """The built site: every file under ``root`` is served at ``/<its relative path>``."""

    root: Path
    input_hash: str

    def object_keys(self) -> list[str]:
        """Every file's object key (its path under ``root``), sorted."""
        return [path.relative_to(self.root).as_posix() for path in files_under(self.root)]

    @property
    def index_html(self) -> Path:
        return self.root / "index.html"

    @property
    def sha256(self) -> str:
        """A hash of every output file's name and bytes."""
        return tree_hash(self.root)


def input_files(project_root: Path = PROJECT_ROOT) -> list[Path]:
    """The files whose content decides the build, in a stable order."""
    web = project_root / WEB_DIR
    files = [web / name for name in INPUT_FILES if (web / name).is_file()]
    for directory in INPUT_DIRECTORIES:
        for path in files_under(web / directory):
            relative = path.relative_to(web).as_posix()
            if relative not in GENERATED_SOURCES and not relative.endswith(TEST_SUFFIXES):
                files.append(path)
    return [*files, project_root / CONTRACT]


def input_hash(project_root: Path = PROJECT_ROOT) -> str:
    hasher = hashlib.sha256(FORMAT_VERSION.encode() + b"\0")
    for path in input_files(project_root):
        hasher.update(path.relative_to(project_root).as_posix().encode() + b"\0")
        hasher.update(hashlib.sha256(path.read_bytes()).digest())
    return hasher.hexdigest()[:16]


def ensure_web_build(
    project_root: Path = PROJECT_ROOT,
    build_dir: Path | None = None,
    progress: Progress | None = stderr_progress,
) -> WebBuild:
    """The built app for the current sources, built only when no cached build matches."""
    build_dir = build_dir or project_root / "build"
    inputs = input_hash(project_root)
    destination = build_dir / f"web-{inputs}"
    with build_lock(build_dir, "web"):
        if not (destination / "index.html").is_file():
            _build_into(project_root, destination, progress)
    return WebBuild(destination, inputs)


def forget_cached_builds(build_dir: Path) -> list[Path]:
    """Remove every cached build (``bookingctl package --force``); returns what it removed."""
    removed = sorted(build_dir.glob("web-*"))
    for directory in removed:
        shutil.rmtree(directory)
    return removed


def _build_into(project_root: Path, destination: Path, progress: Progress | None) -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        raise NodeMissing(
            f"building the web app (web/) needs Node.js 20 and npm ({' and '.join(missing)} not found "
            "on PATH): install Node.js 20, which brings npm, or bring a build/ directory that already "
            f"holds {destination.name}/ (a build of these very sources)"
        )
    web = project_root / WEB_DIR
    lockfile = hashlib.sha256((web / "package-lock.json").read_bytes()).hexdigest()
    stamp = web / "node_modules" / LOCK_STAMP
    if not stamp.is_file() or stamp.read_text(encoding="utf-8").strip() != lockfile:
        if progress:
            progress("web: npm ci (node_modules is not from this package-lock.json)")
        _run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], web)
        stamp.write_text(lockfile + "\n", encoding="utf-8")
    if progress:
        progress(f"web: npm run build -> {destination.name}/")
    _run(["npm", "run", "build", "--silent"], web)
    output = web / OUTPUT_DIR
    if not (output / "index.html").is_file():
        raise WebBuildFailed(f"npm run build wrote no {OUTPUT_DIR}/index.html in {web}")
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=destination.parent, prefix=f".{destination.name}-"))
    try:
        shutil.copytree(output, staging, dirs_exist_ok=True)
        if destination.exists():  # an earlier copy that did not finish
            shutil.rmtree(destination)
        os.replace(staging, destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _run(command: list[str], cwd: Path) -> None:
    # CI=1: no interactive progress bars or prompts in what we capture.
    completed = subprocess.run(
        command, cwd=cwd, env={**os.environ, "CI": "1"}, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        output = (completed.stdout + completed.stderr).strip()[-4000:]
        raise WebBuildFailed(f"{' '.join(command)} failed in {cwd} (exit {completed.returncode}):\n{output}")


if __name__ == "__main__":  # ``make web``
    built = ensure_web_build()
    print(f"web    {built.root}/  {len(built.object_keys())} files")
