"""Pulumi assets and archives (code, layers, objects) as bytes the emulator can store.

The mock engine hands them over as ``pulumi.asset`` objects; an inventory written to
JSON may carry them as ``{"path": …}`` / ``{"text": …}`` / ``{"assets": …}``. Both work.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any


def _field(value: Any, name: str) -> Any:
    if isinstance(value, dict):
        return value.get(name)
    return getattr(value, name, None)


def asset_bytes(value: Any) -> bytes | None:
    """The content of a FileAsset / StringAsset (None when it is not available here)."""
    if value is None:
        return None
    text = _field(value, "text")
    if isinstance(text, str):
        return text.encode()
    path = _field(value, "path")
    if isinstance(path, str) and Path(path).is_file():
        return Path(path).read_bytes()
    return None


def _write_tree(archive: zipfile.ZipFile, root: Path, prefix: str = "") -> None:
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            archive.write(path, f"{prefix}{path.relative_to(root).as_posix()}")


def archive_bytes(value: Any) -> bytes | None:
    """A zip of a FileArchive (zip file or directory) or an AssetArchive; None when the
    archive is not available on this machine (e.g. not built yet)."""
    if value is None:
        return None
    path = _field(value, "path")
    if isinstance(path, str):
        location = Path(path)
        if location.is_file() and zipfile.is_zipfile(location):
            return location.read_bytes()
        if location.is_dir():
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                _write_tree(archive, location)
            return buffer.getvalue()
        return None
    assets = _field(value, "assets")
    if isinstance(assets, dict):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, member in sorted(assets.items()):
                member_path = _field(member, "path")
                if isinstance(member_path, str) and Path(member_path).is_dir():
                    _write_tree(archive, Path(member_path), f"{name.rstrip('/')}/")
                    continue
                content = asset_bytes(member)
                if content is not None:
                    archive.writestr(name, content)
        return buffer.getvalue()
    return None


def zip_of_tree(root: Path, prefix: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _write_tree(archive, root, prefix)
    return buffer.getvalue()
