"""``bookingctl openapi``: print, write or check ``docs/openapi.json``.

The document is generated from ``routes.py`` and the pydantic models
(``booking.openapi``); ``--check`` exits 1 when the committed file is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from bookingctl import console

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def openapi(
    write: Annotated[bool, typer.Option("--write", help="write the document to --path")] = False,
    check: Annotated[
        bool, typer.Option("--check", help="exit 1 if --path differs from the generated document")
    ] = False,
    path: Annotated[Path, typer.Option(help="the committed document")] = DEFAULT_PATH,
) -> None:
    """Print, write or check docs/openapi.json.

    The document is generated from routes.py and the pydantic models; --check exits 1
    when the file at --path is stale.
    """
    if write and check:
        raise typer.BadParameter("use one of them", param_hint="'--write' / '--check'")
    from booking.openapi import render

    text = render()
    if write:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        console.stdout().print(f"wrote {path}", soft_wrap=True)
    elif check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            console.fail(f"{path} is stale: run `bookingctl openapi --write`")
            raise typer.Exit(1)
        console.stdout().print(f"{path} is up to date", soft_wrap=True)
    else:
        # The document itself, byte for byte: a pipe's input, not something to style.
        sys.stdout.write(text)
