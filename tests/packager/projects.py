"""A copy of what the code archive is built from: the ``booking`` package, and the lock
whose jinja2 compiles its email templates."""

from __future__ import annotations

import shutil
from pathlib import Path

from packager import lambda_artifacts
from packager.layer_lock import LOCK_FILE


def project_copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(
        lambda_artifacts.PROJECT_ROOT / "lambdas" / "booking",
        root / "lambdas" / "booking",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copyfile(lambda_artifacts.PROJECT_ROOT / LOCK_FILE, root / LOCK_FILE)
    return root
