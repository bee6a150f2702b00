"""The web app's JavaScript before first paint, against its 100 kB (gzip) budget.

What the browser loads before the first screen is what the built ``index.html`` names:
its entry modules (the inline ``import()`` of SvelteKit's ``start`` and ``app``) and
every ``<link rel="modulepreload">``, plus anything those import statically (none should
be missing from the preloads; the run says so if one is). Each file is gzipped on its
own at level 9, as a CDN would serve it, and the sizes are summed. The total JavaScript
of the build (every route's chunks, loaded later and only when visited) is shown beside
it for scale.

    python -m benchmarks.web_bundle            # measures web/build (builds it if absent)
    python -m benchmarks.web_bundle --build    # npm ci (if needed) and npm run build first

Exit status 1 when the first-paint JavaScript is over budget.
"""

from __future__ import annotations

import argparse
import gzip
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "web"
BUDGET_BYTES = 100_000  # 100 kB of gzipped JavaScript before first paint

LINK = re.compile(r"<link\s[^>]*>")
HREF = re.compile(r'href="([^"]+\.js)"')
DYNAMIC_IMPORT = re.compile(r'import\(\s*"([^"]+\.js)"\s*\)')
# Static imports in Vite's minified output: `import{a as b}from"./x.js"`, `import"./x.js"`,
# `export{...}from"./x.js"`. Dynamic `import("./x.js")` is deliberately not matched.
STATIC_IMPORT = re.compile(r'(?:\bfrom|\bimport)\s*"(\.{1,2}/[^"]+\.js)"')


@dataclass(frozen=True)
class Size:
    raw: int
    gzipped: int


def gzipped_size(path: Path) -> Size:
    data = path.read_bytes()
    return Size(raw=len(data), gzipped=len(gzip.compress(data, compresslevel=9, mtime=0)))


def first_paint_files(build: Path) -> tuple[list[Path], list[Path]]:
    """(files the index.html names, files reached only through their static imports)."""
    html = (build / "index.html").read_text(encoding="utf-8")
    named: list[str] = []
    for link in LINK.findall(html):
        href = HREF.search(link)
        if href and 'rel="modulepreload"' in link:
            named.append(href.group(1))
    named += DYNAMIC_IMPORT.findall(html)  # the entry modules of the inline start-up script
    listed = [(build / href.lstrip("/")).resolve() for href in dict.fromkeys(named)]
    seen = set(listed)
    queue = list(listed)
    extra: list[Path] = []
    while queue:
        module = queue.pop()
        for target in STATIC_IMPORT.findall(module.read_text(encoding="utf-8")):
            resolved = (module.parent / target).resolve()
            if resolved not in seen:
                seen.add(resolved)
                extra.append(resolved)
                queue.append(resolved)
    return listed, extra


def build_app() -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is not on PATH: install Node.js 20 to build web/")
    if not (WEB / "node_modules").is_dir():
        subprocess.run([npm, "ci"], cwd=WEB, check=True)
    subprocess.run([npm, "run", "build"], cwd=WEB, check=True)


def kb(size: int) -> str:
    return f"{size / 1000:.1f} kB"


def row(label: str, files: int, raw: int, gzipped: int) -> str:
    return f"{label:44} {files:>5} {kb(raw):>10} {kb(gzipped):>10} {gzipped / BUDGET_BYTES:>8.2f}x"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="run npm ci (if needed) and npm run build first")
    parser.add_argument("--dir", type=Path, default=WEB / "build", help="the built app (default web/build)")
    args = parser.parse_args(argv)
    build: Path = args.dir
    if args.build or not (build / "index.html").is_file():
        build_app()
    listed, extra = first_paint_files(build)
    initial = [*listed, *extra]
    everything = sorted((build / "_app").rglob("*.js"))
    initial_sizes = [gzipped_size(path) for path in initial]
    total_sizes = [gzipped_size(path) for path in everything]
    first_raw = sum(size.raw for size in initial_sizes)
    first_gz = sum(size.gzipped for size in initial_sizes)
    total_raw = sum(size.raw for size in total_sizes)
    total_gz = sum(size.gzipped for size in total_sizes)

    print(f"{'JavaScript (gzip -9, per file)':44} {'files':>5} {'raw':>10} {'gzip':>10} {'x budget':>9}")
    print(row("before first paint (index.html + imports)", len(initial), first_raw, first_gz))
    print(row("whole app (every route)", len(everything), total_raw, total_gz))
    print(
        f"budget: {kb(BUDGET_BYTES)} gzipped before first paint ({first_gz / total_gz:.0%} of the whole app)"
    )
    if extra:
        names = ", ".join(path.name for path in extra)
        print(f"note: {len(extra)} statically imported file(s) not named by index.html: {names}")
    largest = sorted(zip(initial, initial_sizes, strict=True), key=lambda item: -item[1].gzipped)[:5]
    print(
        "largest first-paint files: " + ", ".join(f"{path.name} {kb(size.gzipped)}" for path, size in largest)
    )
    if first_gz > BUDGET_BYTES:
        print(f"OVER BUDGET by {kb(first_gz - BUDGET_BYTES)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
