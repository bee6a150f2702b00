"""The email templates travel with the code, compiled: Lambda loads them from the archive."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from booking.adapters.email_templates import COMPILED_TEMPLATES, TEMPLATES
from booking.adapters.jinja_emails import LANGUAGES
from booking.domain.identity_messages import IdentityMessageKind
from booking.domain.notifications import STAFF_KINDS, EmailKind

from packager.lambda_artifacts import PROJECT_ROOT, build_code_archive


def test_the_code_archive_holds_every_template_the_renderer_can_ask_for(tmp_path: Path) -> None:
    archive = build_code_archive(PROJECT_ROOT, build_dir=tmp_path, python=None)
    with zipfile.ZipFile(archive.path) as code:
        names = set(code.namelist())
    expected = {"booking/templates/base.html", "booking/templates/staff.html"}
    for language in LANGUAGES:
        expected.add(f"booking/templates/{language}/labels.html")
        for kind in EmailKind:
            expected |= {
                f"booking/templates/{language}/{kind.value}.{suffix}"
                for suffix in ("subject.txt", "txt", "html")
            }
        for kind in STAFF_KINDS:
            expected |= {
                f"booking/templates/{language}/staff/{kind.value}.{suffix}"
                for suffix in ("subject.txt", "txt", "html")
            }
    assert expected <= names


def _render_everything(package_parent: Path) -> dict[str, Any]:
    """``render_everything`` in a fresh interpreter whose ``booking`` is the one under
    ``package_parent`` (the tests' own modules come from the project)."""
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(package_parent), str(PROJECT_ROOT)])}
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("render_everything.py"))],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def test_the_archive_writes_every_email_from_its_compiled_templates_exactly_as_the_sources_do(
    tmp_path: Path,
) -> None:
    archive = build_code_archive(PROJECT_ROOT, build_dir=tmp_path / "build", python=None)
    with zipfile.ZipFile(archive.path) as code:
        code.extractall(tmp_path / "task")
        compiled = [name for name in code.namelist() if name.startswith(f"booking/{COMPILED_TEMPLATES}/")]
    templates = (PROJECT_ROOT / "lambdas" / "booking" / TEMPLATES).rglob("*.*")
    assert len(compiled) == len([path for path in templates if path.is_file()])

    from_sources = _render_everything(PROJECT_ROOT / "lambdas")
    from_archive = _render_everything(tmp_path / "task")

    assert from_sources["loader"] == "FileSystemLoader"
    assert from_archive["loader"] == "ModuleLoader"
    assert from_archive["package"] == (tmp_path / "task" / "booking").as_posix()
    assert from_archive["emails"] == from_sources["emails"]
    # Every kind in both languages, the staff's versions and the pool's messages.
    assert len(from_sources["emails"]) == len(LANGUAGES) * (
        len(EmailKind) + len(STAFF_KINDS) + len(IdentityMessageKind)
    )
