"""Bytecode for the functions' runtime, compiled into the Lambda artifacts before zipping.

Lambda's ``/var/task`` and ``/opt`` are read-only, so Python cannot write ``__pycache__``
there: a module without shipped bytecode is compiled from source at every cold start
(about 0.5 s for a handler and boto3, ``benchmarks/README.md``). ``.pyc`` files are
specific to a Python version (``__pycache__/<module>.cpython-312.pyc``), so only an
interpreter of the runtime's version (:data:`packager.lambda_platform.RUNTIME`) can
write them. It is looked for in this order:

1. the environment variable ``LAMBDA_PYTHON``: when set it must be such an interpreter,
   anything else is an error (:class:`RuntimePythonUnusable`);
2. the interpreter running the packager, when it is of the runtime's version (the
   pipelines' virtualenv);
3. ``python3.12`` (the runtime's name) on ``PATH``.

None found is not an error (a 3.11 machine still packages and tests), but the caller
says so (:attr:`NoRuntimePython.warning`) and the artifacts are named as holding no
bytecode.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from packager.lambda_platform import PIP_PYTHON_VERSION, RUNTIME

LAMBDA_PYTHON = "LAMBDA_PYTHON"  # the environment variable naming the runtime's interpreter
_PROBE = "import platform, sys; print(sys.implementation.cache_tag, platform.python_version())"


class RuntimePythonUnusable(RuntimeError):
    """``LAMBDA_PYTHON`` names something that is not a CPython of the runtime's version."""


class BytecodeCompileFailed(RuntimeError):
    """compileall could not compile a source file; the message ends with what it said."""


@dataclass(frozen=True)
class RuntimePython:
    executable: str
    cache_tag: str  # "cpython-312": the bytecode file names the runtime's Python reads
    version: str  # "3.12.1": which compiler wrote the bytes

    @property
    def identity(self) -> str:
        """What an artifact's name takes from its bytecode: another compiler release may
        write other bytes, so the full version, not just the tag."""
        return f"{self.cache_tag} {self.version}"


@dataclass(frozen=True)
class NoRuntimePython:
    searched: str  # what was looked for, and why it did not do

    @property
    def warning(self) -> str:
        return (
            f"no Python {PIP_PYTHON_VERSION} to compile with ({self.searched}): the Lambda artifacts"
            " carry no bytecode, so every cold start compiles every module from source in AWS"
            " (~0.5 s; the devstack is not affected); to deploy, install"
            f" {RUNTIME} or set {LAMBDA_PYTHON}=/path/to/{RUNTIME}"
        )


def probe(executable: str) -> RuntimePython:
    """The interpreter's bytecode tag and version (whatever they are); raises
    :class:`OSError` or :class:`subprocess.CalledProcessError` when it does not run."""
    answer = subprocess.run(
        [executable, "-I", "-c", _PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    cache_tag, version = answer.stdout.split()
    return RuntimePython(executable, cache_tag, version)


def is_runtime(python: RuntimePython) -> bool:
    major_minor = ".".join(python.version.split(".")[:2])
    return python.cache_tag.startswith("cpython-") and major_minor == PIP_PYTHON_VERSION


def find_runtime_python(environ: Mapping[str, str] = os.environ) -> RuntimePython | NoRuntimePython:
    """The interpreter that compiles the artifacts' bytecode, or why there is none."""
    named = environ.get(LAMBDA_PYTHON)
    if named:
        return _named_runtime_python(named)
    running = RuntimePython(sys.executable, sys.implementation.cache_tag, platform.python_version())
    if is_runtime(running):
        return running
    on_path = shutil.which(RUNTIME, path=environ.get("PATH"))
    if on_path is None:
        return NoRuntimePython(f"{LAMBDA_PYTHON} unset, no {RUNTIME} on PATH")
    try:
        found = probe(on_path)
    except (OSError, subprocess.SubprocessError) as failure:
        said = (getattr(failure, "stderr", None) or "").strip() or str(failure)
        return NoRuntimePython(f"{LAMBDA_PYTHON} unset, {on_path} did not run: {said.splitlines()[0]}")
    if not is_runtime(found):
        return NoRuntimePython(f"{LAMBDA_PYTHON} unset, {on_path} is Python {found.version}")
    return found


def _named_runtime_python(named: str) -> RuntimePython:
    try:
        found = probe(named)
    except (OSError, subprocess.SubprocessError) as failure:
        raise RuntimePythonUnusable(f"{LAMBDA_PYTHON}={named} does not run: {failure}") from failure
    if not is_runtime(found):
        raise RuntimePythonUnusable(
            f"{LAMBDA_PYTHON}={named} is {found.cache_tag} {found.version},"
            f" not CPython {PIP_PYTHON_VERSION} (Lambda's {RUNTIME})"
        )
    return found


def compile_tree(python: RuntimePython, tree: Path, shown_as: str) -> None:
    """Write ``__pycache__/<module>.<tag>.pyc`` beside every ``.py`` under ``tree``.

    ``unchecked-hash`` (PEP 552): the header holds a hash of the source, not its time, and
    the import system trusts it without reading the source (the archive never changes).
    ``-d``: the bytecode names its source as ``shown_as/…`` (where Lambda unpacks it)
    instead of this build's temporary directory, so two builds write the same bytes.
    ``-j 1``: one process compiles the files in compileall's sorted order, because what a
    process compiled before changes the bytes it writes next (CPython 3.12 marshals a
    constant set differently once another module used its strings, python/cpython#129724):
    with a pool of workers (``-j 0``) two builds of the same layer differed. It takes
    about 2 s for the whole layer. ``-I -S``: neither the building shell's ``PYTHON*``
    variables (``PYTHONPYCACHEPREFIX`` would write the bytecode elsewhere,
    ``PYTHONOPTIMIZE`` under other names) nor a virtualenv's ``.pth`` files take part.
    ``-f``: a wheel's own stale bytecode is rewritten, not kept."""
    command = [python.executable, "-I", "-S", "-m", "compileall", "-q", "-f", "-j", "1"]
    command += ["--invalidation-mode", "unchecked-hash", "-d", shown_as, str(tree)]
    compiled = subprocess.run(command, capture_output=True, text=True, check=False)
    if compiled.returncode != 0:
        said = (compiled.stdout + compiled.stderr).strip()[-4000:]
        raise BytecodeCompileFailed(f"{python.executable} -m compileall {tree} failed:\n{said}")
