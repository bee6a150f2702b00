"""Lambda artifacts: same inputs give the same bytes; the layer is built for aarch64."""

from __future__ import annotations

import csv
import io
import os
import shutil
import struct
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from packager import lambda_artifacts
from packager.bytecode import RuntimePython
from packager.layer_lock import LOCK_FILE, locked_version
from packager.reproducible import FIXED_DATE_TIME, Artifact
from tests.cli import bookingctl
from tests.packager.bytecode_files import expected_bytecode
from tests.packager.projects import project_copy

ELF_MACHINE_AARCH64 = 183


def test_two_code_builds_from_the_same_sources_are_byte_identical(tmp_path: Path):
    root = project_copy(tmp_path)
    first = lambda_artifacts.build_code_archive(root, tmp_path / "build-1", python=None)
    # Same content, different file times, modes and a stray bytecode cache.
    for path in (root / "lambdas" / "booking").rglob("*.py"):
        os.utime(path, (1_700_000_000, 1_700_000_000))
        path.chmod(0o600)
    cache = root / "lambdas" / "booking" / "__pycache__"
    cache.mkdir(exist_ok=True)
    (cache / "routes.cpython-311.pyc").write_bytes(b"\x00stale")
    second = lambda_artifacts.build_code_archive(root, tmp_path / "build-2", python=None)
    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.sha256 == second.sha256


def test_the_code_archive_without_bytecode_holds_the_booking_package_sorted_with_fixed_metadata(
    tmp_path: Path,
):
    artifact = lambda_artifacts.build_code_archive(project_copy(tmp_path), tmp_path / "build", python=None)
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
    root = project_copy(tmp_path)
    before = lambda_artifacts.build_code_archive(root, tmp_path / "build", python=None)
    (root / "lambdas" / "booking" / "routes.py").write_text("# changed\n", encoding="utf-8")
    after = lambda_artifacts.build_code_archive(root, tmp_path / "build", python=None)
    assert before.path != after.path
    assert before.sha256 != after.sha256


def test_the_release_is_the_version_pyproject_declares(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "2.3.4"\n', encoding="utf-8")
    assert lambda_artifacts.release_version(tmp_path) == "2.3.4"


def test_the_layer_is_installed_from_the_lock_with_hashes_for_lambda_arm64_python312():
    lock, target, wheels = Path("layer-lock.txt"), Path("/tmp/target"), Path("/tmp/wheels")
    install = lambda_artifacts.pip_command("install", lock, target, wheels)
    download = lambda_artifacts.pip_command("download", lock, wheels, wheels)
    for command in (install, download):
        assert command[command.index("--platform") + 1] == "manylinux2014_aarch64"
        assert command[command.index("--python-version") + 1] == "3.12"
        assert command[command.index("--requirement") + 1] == "layer-lock.txt"
        assert {"--only-binary=:all:", "--require-hashes", "--isolated"} <= set(command)
    # Installs read the wheel cache alone: what was downloaded (hash-checked) is what goes in.
    assert install[install.index("--find-links") + 1] == "/tmp/wheels"
    assert "--no-index" in install
    assert download[download.index("--dest") + 1] == "/tmp/wheels"


@pytest.fixture(scope="session")
def layer_python() -> RuntimePython | None:
    """The bytecode compiler ``bookingctl package`` finds here (none on a 3.11 machine)."""
    return lambda_artifacts.runtime_python(lambda_artifacts.stderr_progress)


@pytest.fixture(scope="session")
def layer(layer_python: RuntimePython | None) -> Artifact:
    """The project's layer, built once (or taken from build/ when its inputs did not change)."""
    return lambda_artifacts.build_dependency_layer(
        progress=lambda_artifacts.stderr_progress, python=layer_python
    )


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
    layer: Artifact, layer_python: RuntimePython | None
):
    with zipfile.ZipFile(layer.path) as archive:
        entries = archive.infolist()
    names = [entry.filename for entry in entries]
    assert names == sorted(names)
    assert all(name.startswith("python/") for name in names)
    # Bytecode of the runtime's Python only, one file beside each module, or none at all.
    bytecode = {name for name in names if "__pycache__" in name or name.endswith((".pyc", ".pyo"))}
    assert bytecode == expected_bytecode(names, layer_python.cache_tag if layer_python else None)
    assert not [name for name in names if name.startswith("python/bin/")]
    assert {entry.date_time for entry in entries} == {FIXED_DATE_TIME}
    assert {entry.external_attr >> 16 for entry in entries} == {0o100644}
    assert "python/pydantic/__init__.py" in names
    assert "python/aws_lambda_powertools/__init__.py" in names


def _other_virtualenv(tmp_path: Path) -> Path:
    """A second virtualenv at another path that runs this one's pip: only the
    interpreter's path (what console scripts' shebangs name) differs."""
    venv = tmp_path / "elsewhere" / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    (site,) = (venv / "lib").glob("python3.*/site-packages")
    ours = (sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    (site / "this-venv.pth").write_text("\n".join(ours))
    return venv / "bin" / "python"


@pytest.mark.network
@pytest.mark.slow
def test_the_same_lock_gives_the_same_layer_bytes_from_another_directory_and_virtualenv(
    layer: Artifact, tmp_path: Path
):
    """The lock installed again by another interpreter, from another project directory
    into another build directory (sharing only the hash-checked wheel cache, so no
    download), with the bytecode of the runtime's Python found there as ``bookingctl
    package`` would: the very same bytes."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", LOCK_FILE):
        shutil.copy(lambda_artifacts.PROJECT_ROOT / name, project / name)
    build = tmp_path / "build"
    build.mkdir()
    # A layer taken from build/ may predate the wheel cache: then this build downloads.
    wheels = layer.path.parent / lambda_artifacts.WHEELS_DIR
    wheels.mkdir(exist_ok=True)
    (build / lambda_artifacts.WHEELS_DIR).symlink_to(wheels)
    python = _other_virtualenv(tmp_path)
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from packager.lambda_artifacts import build_dependency_layer, runtime_python\n"
        "assert sys.executable != sys.argv[3]\n"
        "python = runtime_python(None)\n"
        "print(build_dependency_layer(Path(sys.argv[1]), Path(sys.argv[2]), python=python).sha256)\n"
    )
    rebuilt = subprocess.run(
        [str(python), "-c", probe, str(project), str(build), sys.executable],
        capture_output=True,
        text=True,
        check=True,
        cwd=lambda_artifacts.PROJECT_ROOT,
    )
    assert rebuilt.stdout.strip() == layer.sha256
    (again,) = build.glob("layer-*.zip")
    assert again.name == layer.path.name
    assert again.read_bytes() == layer.path.read_bytes()


@pytest.mark.network
def test_no_record_in_the_layer_names_a_file_that_is_not_in_it(layer: Artifact):
    with zipfile.ZipFile(layer.path) as archive:
        names = set(archive.namelist())
        records = [name for name in names if name.endswith(".dist-info/RECORD")]
        assert records
        for record in records:
            rows = csv.reader(io.StringIO(archive.read(record).decode()))
            assert not [row[0] for row in rows if f"python/{row[0]}" not in names], record


@pytest.mark.network
def test_bookingctl_package_reports_every_artifact(layer: Artifact, capsys):
    from bookingctl.cli import main

    assert main(["package"]) == 0
    printed = capsys.readouterr()
    # one line per artifact on stdout (code, layer, web); the steps (cached or built) on stderr
    lines = printed.out.splitlines()
    assert [line.split()[0] for line in lines] == ["code", "layer", "web"]
    assert f"{layer.path}" in lines[1]
    assert f"sha256:{layer.sha256}" in lines[1]
    assert "layer: cached" in printed.err


def test_a_template_that_does_not_compile_stops_the_code_archive_naming_it(tmp_path: Path):
    root = project_copy(tmp_path)
    broken = root / "lambdas" / "booking" / "templates" / "es" / "confirmation.txt"
    broken.write_text("Hola {{ patient_name }\n", encoding="utf-8")
    with pytest.raises(lambda_artifacts.TemplateCompileFailed, match=r"es/confirmation\.txt"):
        lambda_artifacts.build_code_archive(root, tmp_path / "build", python=None)
    assert not list((tmp_path / "build").glob("code-*.zip"))


def test_templates_are_compiled_only_by_the_jinja2_the_layer_ships(tmp_path: Path):
    root = project_copy(tmp_path)
    lock = root / LOCK_FILE
    running = locked_version(lock, "jinja2")
    lock.write_text(lock.read_text().replace(f"jinja2=={running}", "jinja2==3.0.0"), encoding="utf-8")
    with pytest.raises(lambda_artifacts.TemplateCompilerMismatch, match=rf"jinja2 {running}.* 3\.0\.0"):
        lambda_artifacts.build_code_archive(root, tmp_path / "build", python=None)


def test_bookingctl_package_says_which_template_does_not_compile_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    root = project_copy(tmp_path)
    shutil.copy(lambda_artifacts.PROJECT_ROOT / "pyproject.toml", root / "pyproject.toml")
    (root / "lambdas" / "booking" / "templates" / "base.html").write_text("{% block %}", encoding="utf-8")
    monkeypatch.setattr(lambda_artifacts, "PROJECT_ROOT", root)
    monkeypatch.setattr(lambda_artifacts, "BUILD_DIR", root / "build")

    result = bookingctl("package")

    assert result.exit_code == 2
    assert "email templates" in result.stderr
    assert "base.html" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_compiled_template_whose_source_is_gone_is_not_shipped(tmp_path: Path):
    root = project_copy(tmp_path)
    stale = root / "lambdas" / "booking" / "compiled_templates" / "tmpl_stale.py"
    stale.parent.mkdir()
    stale.write_text("name = 'es/removed.html'\n", encoding="utf-8")
    artifact = lambda_artifacts.build_code_archive(root, tmp_path / "build", python=None)
    with zipfile.ZipFile(artifact.path) as archive:
        names = archive.namelist()
    assert "booking/compiled_templates/tmpl_stale.py" not in names
    templates = [path for path in (root / "lambdas" / "booking" / "templates").rglob("*") if path.is_file()]
    assert len([name for name in names if name.startswith("booking/compiled_templates/")]) == len(templates)
