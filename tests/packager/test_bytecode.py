"""Bytecode in the Lambda artifacts: compiled before zipping, kept for the runtime's
Python only, the same bytes every build, and what Python really loads.

The interpreter running the tests stands in for Lambda's runtime (its ``.pyc`` are the
ones this interpreter reads back), so these tests need no Python 3.12."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from packager import bytecode, lambda_artifacts
from packager.bytecode import (
    LAMBDA_PYTHON,
    NoRuntimePython,
    RuntimePython,
    RuntimePythonUnusable,
    find_runtime_python,
)
from packager.reproducible import files_under
from tests.packager.bytecode_files import expected_bytecode
from tests.packager.projects import project_copy

RUNNING = bytecode.probe(sys.executable)
RUNNING_VERSION = ".".join(RUNNING.version.split(".")[:2])
OTHER_TAG = "cpython-39"  # a Python the runtime is not


def _names(archive: Path) -> list[str]:
    with zipfile.ZipFile(archive) as opened:
        return opened.namelist()


@pytest.fixture
def runtime_is_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lambda's runtime as a Python this machine does not have."""
    monkeypatch.setattr(bytecode, "PIP_PYTHON_VERSION", "9.99")
    monkeypatch.setattr(bytecode, "RUNTIME", "python9.99")


def test_every_module_of_the_code_package_has_its_bytecode_in_the_archive(tmp_path: Path):
    artifact = lambda_artifacts.build_code_archive(project_copy(tmp_path), tmp_path / "build", python=RUNNING)
    names = _names(artifact.path)
    sources = [name for name in names if name.endswith(".py")]
    assert "booking/handlers/notifications.py" in sources
    compiled = {name for name in names if name.endswith(".pyc")}
    assert compiled == expected_bytecode(names, RUNNING.cache_tag)
    assert len(compiled) == len(sources)


def test_two_code_builds_with_bytecode_are_byte_identical(tmp_path: Path):
    """Built from two directories into two build directories (two staging paths, file
    times and modes): the bytecode names no path of the build, so the bytes agree."""
    first = lambda_artifacts.build_code_archive(
        project_copy(tmp_path / "a"), tmp_path / "build-1", python=RUNNING
    )
    other = project_copy(tmp_path / "b")
    for path in (other / "lambdas" / "booking").rglob("*.py"):
        os.utime(path, (1_700_000_000, 1_700_000_000))
        path.chmod(0o600)
    second = lambda_artifacts.build_code_archive(other, tmp_path / "build-2", python=RUNNING)
    assert first.path.name == second.path.name
    assert first.path.read_bytes() == second.path.read_bytes()


def test_the_bytecode_of_a_tree_is_the_same_bytes_every_compile(tmp_path: Path):
    """Modules whose bytes depend on what the same process compiled before them (on
    CPython 3.12, python/cpython#129724): compiling the tree twice gives the same bytes,
    however a compile would share the files out among processes."""
    trees = [tmp_path / "one" / "pkg", tmp_path / "two" / "pkg"]
    for tree in trees:
        tree.mkdir(parents=True)
        for number in range(40):
            (tree / f"a{number:02}.py").write_text(f"import name{number}\n")
            (tree / f"b{number:02}.py").write_text(
                f'KNOWN = {{"name{number}", 2, 3}}\n\n\ndef f(x):\n    return x in {{"name{number}", 2, 3}}\n'
            )
        bytecode.compile_tree(RUNNING, tree, "/opt/python/pkg")
    compiled = [{path.name: path.read_bytes() for path in (tree / "__pycache__").iterdir()} for tree in trees]
    assert len(compiled[0]) == 80
    assert compiled[0] == compiled[1]


def test_bytecode_lying_beside_the_sources_is_never_shipped(tmp_path: Path):
    """Another Python's cache is left out; a stale cache of the very same Python is
    compiled over, not copied."""
    root = project_copy(tmp_path)
    clean = lambda_artifacts.build_code_archive(root, tmp_path / "clean", python=RUNNING)
    cache = root / "lambdas" / "booking" / "__pycache__"
    cache.mkdir()
    (cache / f"routes.{OTHER_TAG}.pyc").write_bytes(b"\x00another python")
    (cache / f"routes.{RUNNING.cache_tag}.pyc").write_bytes(b"\x00stale")
    stray = lambda_artifacts.build_code_archive(root, tmp_path / "stray", python=RUNNING)
    assert not [name for name in _names(stray.path) if OTHER_TAG in name]
    assert stray.path.read_bytes() == clean.path.read_bytes()


def test_the_zip_keeps_only_the_bytecode_of_the_python_it_is_for(tmp_path: Path):
    cache = tmp_path / "pkg" / "__pycache__"
    cache.mkdir(parents=True)
    for name in ("m.py", "__pycache__/m.cpython-312.pyc", "__pycache__/m.cpython-311.pyc", "legacy.pyc"):
        (tmp_path / "pkg" / name).write_bytes(b"")
    kept = {path.relative_to(tmp_path).as_posix() for path in files_under(tmp_path, "cpython-312")}
    assert kept == {"pkg/m.py", "pkg/__pycache__/m.cpython-312.pyc"}
    assert [path.name for path in files_under(tmp_path)] == ["m.py"]


IMPORT_PROBE = """
import importlib, json, sys
compiled = []
sys.addaudithook(lambda event, args: event == "compile" and compiled.append(str(args[1])))
module = importlib.import_module(sys.argv[1])
print(json.dumps({"file": module.__file__, "cached": module.__cached__, "compiled": compiled}))
"""


def _import_from_extracted(archive: Path, into: Path, module: str) -> tuple[Path, list[str]]:
    """Import ``module`` from the extracted archive in a fresh interpreter that may not
    write bytecode (Lambda's read-only /var/task): its bytecode file, and which of the
    archive's sources were compiled."""
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(into)
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    environment["PYTHONPATH"] = str(into)
    imported = subprocess.run(
        [sys.executable, "-B", "-c", IMPORT_PROBE, module],
        capture_output=True,
        text=True,
        check=True,
        cwd=into,
        env=environment,
    )
    found = json.loads(imported.stdout)
    assert found["file"].startswith(str(into))
    return Path(found["cached"]), [name for name in found["compiled"] if name.startswith(str(into))]


def test_a_handler_imports_from_the_archive_with_its_bytecode_and_compiles_nothing(tmp_path: Path):
    root = project_copy(tmp_path)
    with_bytecode = lambda_artifacts.build_code_archive(root, tmp_path / "with", python=RUNNING)
    without = lambda_artifacts.build_code_archive(root, tmp_path / "without", python=None)
    handler = "booking.handlers.notifications"

    cached, compiled = _import_from_extracted(with_bytecode.path, tmp_path / "task-with", handler)
    assert compiled == []
    assert cached.is_file()
    # The same import from an archive without bytecode compiles the package's modules:
    # what the audit hook sees when Python compiles.
    _, compiled = _import_from_extracted(without.path, tmp_path / "task-without", handler)
    assert str(tmp_path / "task-without" / "booking" / "handlers" / "notifications.py") in compiled


def test_the_artifacts_names_say_whether_and_which_bytecode_they_hold(tmp_path: Path):
    root = project_copy(tmp_path)
    names = {
        lambda_artifacts.build_code_archive(root, tmp_path / "build", python=python).path.name
        for python in (None, RUNNING, RuntimePython(RUNNING.executable, RUNNING.cache_tag, "0.0.0"))
    }
    assert len(names) == 3
    lock = lambda_artifacts.PROJECT_ROOT / "layer-lock.txt"
    layers = {
        lambda_artifacts.layer_input_hash(lock, python)
        for python in (None, RUNNING, RuntimePython(RUNNING.executable, "cpython-312", "3.12.1"))
    }
    assert len(layers) == 3


def test_without_a_python_of_the_runtime_version_the_artifacts_are_built_without_bytecode_saying_so(
    runtime_is_elsewhere: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.delenv(LAMBDA_PYTHON, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no python9.99 there
    said: list[str] = []
    assert lambda_artifacts.runtime_python(said.append) is None
    (line,) = said
    assert "carry no bytecode" in line
    assert "every cold start compiles every module" in line
    assert "install python9.99 or set LAMBDA_PYTHON=/path/to/python9.99" in line


def test_a_runtime_python_on_path_that_does_not_run_is_named_in_the_message(
    runtime_is_elsewhere: None, tmp_path: Path
):
    shim = tmp_path / "python9.99"
    shim.write_text("#!/bin/sh\necho 'pyenv: python9.99: command not found' >&2\nexit 127\n")
    shim.chmod(0o755)
    found = find_runtime_python({"PATH": str(tmp_path)})
    assert isinstance(found, NoRuntimePython)
    assert f"{shim} did not run: pyenv: python9.99: command not found" in found.warning


def test_lambda_python_must_name_a_python_of_the_runtime_version(
    runtime_is_elsewhere: None, monkeypatch: pytest.MonkeyPatch
):
    with pytest.raises(RuntimePythonUnusable, match=r"not CPython 9\.99"):
        find_runtime_python({LAMBDA_PYTHON: sys.executable, "PATH": ""})
    with pytest.raises(RuntimePythonUnusable, match="does not run"):
        find_runtime_python({LAMBDA_PYTHON: "/nonexistent/python9.99", "PATH": ""})
    monkeypatch.setattr(bytecode, "PIP_PYTHON_VERSION", RUNNING_VERSION)
    assert find_runtime_python({LAMBDA_PYTHON: sys.executable, "PATH": ""}) == RUNNING


def test_the_running_interpreter_compiles_when_it_is_the_runtime_version(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(bytecode, "PIP_PYTHON_VERSION", RUNNING_VERSION)
    found = find_runtime_python({"PATH": ""})
    assert isinstance(found, RuntimePython)
    assert (found.cache_tag, found.version) == (RUNNING.cache_tag, RUNNING.version)


def test_bookingctl_package_require_bytecode_refuses_to_package_without_it(
    runtime_is_elsewhere: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys
):
    from bookingctl.cli import main

    monkeypatch.delenv(LAMBDA_PYTHON, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert main(["package", "--require-bytecode"]) == 2
    printed = capsys.readouterr()
    assert printed.out == ""
    assert "--require-bytecode, but no Python 9.99 to compile with" in printed.err
