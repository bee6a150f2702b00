"""What the app's bucket holds: one object per file of the build, with its content type
and its cache rule, plus the hashes of the inline scripts and style attributes its CSP
must allow.

Cache rules: SvelteKit names everything under ``/_app/immutable/`` by its content, so
those files are cached for a year (and never change under the same name); the entry
points that name them (``index.html``, ``/_app/version.json``) and the per-stack
``config.json`` are revalidated on every use, so a deploy is visible at once. Content
types come from a fixed table, not the build machine's ``mimetypes``, so two machines
upload the same metadata.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

IMMUTABLE_PREFIX = "_app/immutable/"
CACHE_IMMUTABLE = "public, max-age=31536000, immutable"
CACHE_REVALIDATE = "no-cache"  # stored, but never used without asking the origin (ETag)
CACHE_SHORT = "public, max-age=3600"  # other static files (favicon, …)
ENTRY_POINTS = frozenset({"index.html", "_app/version.json"})
CONFIG_KEY = "config.json"  # written per stack by the CDN component, never in the build
DOCUMENT_KEY = "index.html"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
}
DEFAULT_CONTENT_TYPE = "application/octet-stream"
# A static style attribute in a compiled component's HTML template (Svelte keeps them as
# written, e.g. SvelteKit's visually hidden route announcer); escaped quotes are not one.
STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"\\$`]*)"')


@dataclass(frozen=True)
class SiteFile:
    key: str  # the object key: the path under the site, without the leading slash
    path: Path
    content_type: str
    cache_control: str


def cache_control_for(key: str) -> str:
    if key.startswith(IMMUTABLE_PREFIX):
        return CACHE_IMMUTABLE
    if key in ENTRY_POINTS or key == CONFIG_KEY:
        return CACHE_REVALIDATE
    return CACHE_SHORT


def content_type_for(key: str) -> str:
    return CONTENT_TYPES.get(PurePosixPath(key).suffix.lower(), DEFAULT_CONTENT_TYPE)


def site_files(root: Path, keys: list[str]) -> list[SiteFile]:
    """The objects for the build at ``root`` (``keys``: its files, relative)."""
    if CONFIG_KEY in keys:
        raise ValueError(f"the build must not contain {CONFIG_KEY}: the program writes it per stack")
    return [SiteFile(key, root / key, content_type_for(key), cache_control_for(key)) for key in keys]


class _InlineScripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)  # the browser hashes the text as written
        self.scripts: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and not any(name == "src" for name, _ in attrs):
            self._current = []

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.scripts.append("".join(self._current))
            self._current = None


def csp_hash(text: str) -> str:
    """The CSP source that allows exactly ``text`` (``'sha256-…'``)."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


def inline_script_hashes(html: str) -> list[str]:
    """CSP sources for every inline script of ``html``, in order."""
    parser = _InlineScripts()
    parser.feed(html)
    parser.close()
    return [csp_hash(script) for script in parser.scripts]


def style_attribute_hashes(sources: Iterable[str]) -> list[str]:
    """CSP sources for every distinct static ``style="…"`` attribute in the build's HTML
    and JavaScript, sorted (they need ``'unsafe-hashes'``: hashes of attributes)."""
    found = {value for text in sources for value in STYLE_ATTRIBUTE.findall(text)}
    return sorted(csp_hash(value) for value in found)
