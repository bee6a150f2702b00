"""What bytecode an archive holds when compiled for a Python with a given cache tag."""

from __future__ import annotations

from pathlib import PurePosixPath


def expected_bytecode(names: list[str], cache_tag: str | None) -> set[str]:
    """The ``__pycache__/<module>.<tag>.pyc`` of every ``.py`` among an archive's
    ``names`` (none without a tag: an archive built without bytecode)."""
    if cache_tag is None:
        return set()
    sources = [PurePosixPath(name) for name in names if name.endswith(".py")]
    return {
        (source.parent / "__pycache__" / f"{source.stem}.{cache_tag}.pyc").as_posix() for source in sources
    }
