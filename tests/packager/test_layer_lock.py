"""The layer's lock: resolved from pyproject's runtime dependencies for Lambda's platform,
and refused (with the command that refreshes it) once pyproject says something else."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from packager import lambda_artifacts, layer_lock
from packager.layer_lock import (
    LOCK_FILE,
    LockOutOfDate,
    check_lock,
    current_inputs,
    locked_version,
    pins,
    recorded_inputs,
)
from packager.venv_constraints import constraints
from tests.cli import bookingctl

ROOT = lambda_artifacts.PROJECT_ROOT


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """pyproject.toml and the lock, as the repository has them."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("pyproject.toml", LOCK_FILE):
        shutil.copy(ROOT / name, root / name)
    return root


def _edit_pyproject(project: Path, old: str, new: str) -> None:
    path = project / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_repositorys_lock_matches_pyproject_and_the_functions_platform():
    lock = check_lock(ROOT)
    recorded = recorded_inputs(lock)
    assert recorded == current_inputs(ROOT)
    assert recorded.platform == "aarch64-manylinux2014 cp312"
    text = lock.read_text(encoding="utf-8")
    assert "--hash=sha256:" in text
    assert "\npydantic-core==" in text, "transitive dependencies are pinned too"


@pytest.mark.parametrize(
    ("old", "new", "complaint"),
    [
        ('"pydantic>=2.11,<3"', '"pydantic>=2.12,<3"', "pyproject.toml, not in the lock: pydantic>=2.12,<3"),
        (
            '"tzdata>=2025.2",\n',
            '"tzdata>=2025.2",\n    "requests>=2.32",\n',
            "not in the lock: requests>=2.32",
        ),
        ('    "boto3>=1.40",\n', "", "in the lock, no longer in pyproject.toml: boto3>=1.40"),
    ],
    ids=["a range changed", "a dependency added", "a dependency removed"],
)
def test_a_lock_that_no_longer_matches_pyproject_is_refused_with_the_refresh_command(
    project: Path, old: str, new: str, complaint: str
):
    _edit_pyproject(project, old, new)
    with pytest.raises(LockOutOfDate) as refused:
        check_lock(project)
    assert complaint in str(refused.value)
    assert "run `make lock`" in str(refused.value)


def test_a_lock_for_another_platform_or_no_lock_is_refused(project: Path):
    lock = project / LOCK_FILE
    lock.write_text(
        lock.read_text(encoding="utf-8").replace("aarch64-manylinux2014 cp312", "x86_64-manylinux2014 cp311")
    )
    with pytest.raises(LockOutOfDate, match="locked for x86_64-manylinux2014 cp311, the functions run aarch"):
        check_lock(project)
    lock.unlink()
    with pytest.raises(LockOutOfDate, match=r"layer-lock\.txt is missing: run `make lock`"):
        check_lock(project)


def test_the_layer_build_refuses_a_stale_lock_before_installing_anything(project: Path, tmp_path: Path):
    _edit_pyproject(project, '"jinja2>=3.1,<4"', '"jinja2>=3.2,<4"')
    with pytest.raises(LockOutOfDate, match=re.escape("jinja2>=3.2,<4")):
        lambda_artifacts.build_dependency_layer(project, tmp_path / "build", python=None)
    assert not (tmp_path / "build").exists()


def test_bookingctl_package_refuses_a_stale_lock_with_exit_2(project: Path, monkeypatch: pytest.MonkeyPatch):
    _edit_pyproject(project, '"icalendar>=6.1,<8"', '"icalendar>=6.1,<9"')
    monkeypatch.setattr(lambda_artifacts, "PROJECT_ROOT", project)
    result = bookingctl("package")

    assert result.exit_code == 2
    assert "layer-lock.txt does not match pyproject.toml's runtime dependencies" in result.stderr
    assert "icalendar>=6.1,<9" in result.stderr
    assert "run `make lock`" in result.stderr
    assert result.stdout == ""


def test_the_lock_is_compiled_with_hashes_for_lambdas_platform_by_uv():
    command = layer_lock.compile_command()
    assert command[1:5] == ["-m", "uv", "pip", "compile"]
    assert "--generate-hashes" in command
    assert command[command.index("--python-platform") + 1] == "aarch64-manylinux2014"
    assert command[command.index("--python-version") + 1] == "3.12"


LOCK_EXCERPT = """\
# locked-from: jinja2>=3.1,<4
# locked-for: aarch64-manylinux2014 cp312
jinja2==3.1.6 \\
    --hash=sha256:85ece4451f492d0c13c5dd7c13a64681a86afae63a5f347908daf103ce6d2f67
    # via -r -
MarkupSafe==3.0.4 \\
    --hash=sha256:0123
    # via jinja2
"""


def test_the_venvs_constraints_are_the_locks_pins_without_hashes(tmp_path: Path):
    lock = tmp_path / LOCK_FILE
    lock.write_text(LOCK_EXCERPT, encoding="utf-8")
    assert pins(lock) == {"jinja2": "3.1.6", "markupsafe": "3.0.4"}
    assert constraints(lock) == "jinja2==3.1.6\nmarkupsafe==3.0.4\n"
    assert locked_version(lock, "MarkupSafe") == "3.0.4"
    with pytest.raises(LockOutOfDate, match="pins no version of pydantic"):
        locked_version(lock, "pydantic")
