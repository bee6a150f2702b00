"""The jinja2 environment of every email the functions write (``jinja_emails``,
``jinja_identity_emails``), and its templates compiled ahead of time for the code archive.

Compiling a template (lexing, parsing, generating Python and compiling that) is most of
what a first email costs: a confirmation to a patient and to the clinic compiles ten
templates, some 10 ms of a notification's cold start. The packager therefore compiles
every template of ``booking/templates/`` into ``booking/compiled_templates/`` with
jinja2's own ``Environment.compile_templates``: plain modules, shipped with their
bytecode like the rest of the archive, that the function loads with ``ModuleLoader``.
The source tree has no such directory (tests and tools compile on first use); both
ways go through ``build_environment``, so the options a template is compiled with are
the same.
"""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

from jinja2 import (
    BaseLoader,
    Environment,
    FileSystemLoader,
    ModuleLoader,
    StrictUndefined,
    select_autoescape,
)

PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # the ``booking`` package
TEMPLATES = "templates"
# Beside ``templates/`` in the code archive only; written by ``compile_templates``.
COMPILED_TEMPLATES = "compiled_templates"


def build_environment(loader: BaseLoader) -> Environment:
    return Environment(
        loader=loader,
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False),
        undefined=StrictUndefined,  # a misspelt variable fails the tests, not a patient's email
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@cache
def environment(package_root: Path = PACKAGE_ROOT) -> Environment:
    """The templates compiled by the packager where the package carries them (the code
    archive, in Lambda and on the devstack), else the sources, compiled on first use."""
    compiled = package_root / COMPILED_TEMPLATES
    if compiled.is_dir():
        return build_environment(ModuleLoader(compiled))
    return build_environment(FileSystemLoader(package_root / TEMPLATES))


def compile_templates(package_root: Path) -> int:
    """Compile every template of ``package_root/templates`` into a module of
    ``package_root/compiled_templates`` (named after the template, free of paths, so
    the same sources give the same files), and nothing else there: a compiled template
    whose source is gone would still load. The number of templates."""
    source = build_environment(FileSystemLoader(package_root / TEMPLATES))
    names = source.list_templates()
    target = package_root / COMPILED_TEMPLATES
    shutil.rmtree(target, ignore_errors=True)
    source.compile_templates(str(target), zip=None, ignore_errors=False)
    return len(names)
