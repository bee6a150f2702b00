"""Lambda artifacts: same inputs give the same bytes; the layer is built for aarch64."""

from __future__ import annotations

import os
import shutil
import struct
import zipfile
from pathlib import Path

import pytest

from packager import lambda_artifacts
from packager.reproducible import FIXED_DATE_TIME, Artifact

ELF_MACHINE_AARCH64 = 183


def _project_copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(lambda_artifacts.PROJECT_ROOT / "lambdas" / "booking", root / "lambdas" / "booking")
    return root


def test_two_code_builds_from_the_same_sources_are_byte_identical(tmp_path: Path):
    root = _project_copy(tmp_path)
    first = lambda_artifacts.build_code_archive(root, tmp_path / "build-1")
    # Same content, different file times, modes and a stray bytecode cache.
    for path in (root / "lambdas" / "booking").rglob("*.py"):
        os.utime(path, (1_700_000_000, 1_700_000_000))
        path.chmod(0o600)
    cache = root / "lambdas" / "booking" / "__pycache__"
    cache.mkdir(exist_ok=True)
    (cache / "routes.cpython-311.pyc").write_bytes(b"\x00stale")
    second = lambda_artifacts.build_code_archive(root, tmp_path / "build-2")
    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.sha256 == second.sha256


def test_the_code_archive_holds_the_booking_package_sorted_with_fixed_metadata(tmp_path: Path):
    artifact = lambda_artifacts.build_code_archive(_project_copy(tmp_path), tmp_path / "build")
    with zipfile.ZipFile(artifact.path) as archive:
        entries = archive.infolist()
    names = [entry.filename for entry in entries]
    assert names == sorted(names)
    assert "booking/routes.py" in names
    assert "booking/settings.py" in names
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]
    assert {entry.date_time for entry in entries} == {FIXED_DATE_TIME}
    assert {entry.external_attr >> 16 for entry in entries} == {0o100644}


def test_a_source_change_makes_a_new_archive(tmp_path: Path):
    root = _project_copy(tmp_path)
    before = lambda_artifacts.build_code_archive(root, tmp_path / "build")
    (root / "lambdas" / "booking" / "routes.py").write_text("# changed\n", encoding="utf-8")
    after = lambda_artifacts.build_code_archive(root, tmp_path / "build")
    assert before.path != after.path
    assert before.sha256 != after.sha256


def test_the_layer_is_installed_for_lambda_arm64_python312():
    command = lambda_artifacts.pip_command(["pydantic>=2"], Path("/tmp/target"))
    assert command[command.index("--platform") + 1] == "manylinux2014_aarch64"
    assert command[command.index("--python-version") + 1] == "3.12"
    assert "--only-binary=:all:" in command


@pytest.fixture(scope="session")
def layer() -> Artifact:
    """The project's layer, built once (or taken from build/ when its inputs did not change)."""
    return lambda_artifacts.build_dependency_layer(progress=lambda_artifacts.stderr_progress)


@pytest.mark.network
def test_the_layer_holds_an_aarch64_pydantic_core_for_cpython_312(layer: Artifact):
    with zipfile.ZipFile(layer.path) as archive:
        (binary,) = [
            name
            for name in archive.namelist()
            if name.startswith("python/pydantic_core/_pydantic_core.") and name.endswith(".so")
        ]
        header = archive.read(binary)[:20]
    assert binary.endswith(".cpython-312-aarch64-linux-gnu.so")
    assert header[:4] == b"\x7fELF"
    (machine,) = struct.unpack("<H", header[18:20])
    assert machine == ELF_MACHINE_AARCH64


@pytest.mark.network
def test_the_layer_is_sorted_under_python_with_fixed_metadata_and_no_build_machine_leftovers(
    layer: Artifact,
):
    with zipfile.ZipFile(layer.path) as archive:
        entries = archive.infolist()
    names = [entry.filename for entry in entries]
    assert names == sorted(names)
    assert all(name.startswith("python/") for name in names)
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]
    assert not [name for name in names if name.startswith("python/bin/")]
    assert {entry.date_time for entry in entries} == {FIXED_DATE_TIME}
    assert {entry.external_attr >> 16 for entry in entries} == {0o100644}
    assert "python/pydantic/__init__.py" in names
    assert "python/aws_lambda_powertools/__init__.py" in names


@pytest.mark.network
def test_bookingctl_package_reports_both_artifacts(layer: Artifact, capsys):
    from bookingctl.cli import main

    assert main(["package"]) == 0
    printed = capsys.readouterr()
    assert f"sha256:{layer.sha256}" in printed.out
    assert "code " in printed.out
    # one line per artifact on stdout; the steps (cached or built) on stderr
    assert len(printed.out.splitlines()) == 2
    assert f"layer: cached {layer.path.name}" in printed.err
