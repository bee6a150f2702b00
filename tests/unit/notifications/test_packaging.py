"""The email templates travel with the code: Lambda loads them from the archive."""

from __future__ import annotations

import zipfile
from pathlib import Path

from booking.adapters.jinja_emails import LANGUAGES
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
