"""``bookingctl openapi``: print, write or check ``docs/openapi.json``.

The document is generated from ``routes.py`` and the pydantic models
(``booking.openapi``); ``--check`` exits 1 when the committed file is stale.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "openapi", help="print, write or check docs/openapi.json", description=__doc__
    )
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help="write the document to --path")
    action.add_argument(
        "--check", action="store_true", help="exit 1 if --path differs from the generated document"
    )
    parser.add_argument("--path", type=Path, default=DEFAULT_PATH, help=f"default: {DEFAULT_PATH}")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from booking.openapi import render

    text = render()
    path: Path = args.path
    if args.write:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
        return 0
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            print(f"{path} is stale: run `bookingctl openapi --write`", file=sys.stderr)
            return 1
        print(f"{path} is up to date")
        return 0
    sys.stdout.write(text)
    return 0
