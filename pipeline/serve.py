"""``l10n serve``: a local preview of ``output/`` that rebuilds when an input changes."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from typing import Callable

from .config import Config


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass  # the CLI reports rebuilds; request logs would drown them


def preview_server(config: Config, bind: str = "127.0.0.1", port: int = 8000) -> http.server.ThreadingHTTPServer:
    """An HTTP server for ``output/`` (port 0 picks a free one); call ``serve_forever`` on it."""
    handler = functools.partial(_QuietHandler, directory=str(config.output_dir))
    return http.server.ThreadingHTTPServer((bind, port), handler)


def input_fingerprint(config: Config) -> tuple[tuple[str, int, int], ...]:
    """(path, mtime, size) of every input of a build: a change means a rebuild is due."""
    paths: list[Path] = [config.root / "pyproject.toml", config.glossary_path, config.locales_dir / "claims.csv"]
    for folder, pattern in ((config.source_dir, "**/*"), (config.locales_dir, "*/LC_MESSAGES/*.po"),
                            (config.site_templates_dir, "**/*")):
        if folder.is_dir():
            paths.extend(folder.glob(pattern))
    found = []
    for path in sorted(paths):
        try:
            stat = path.stat()
        except OSError:
            continue
        if path.is_file():
            found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def watch(
    config: Config,
    rebuild: Callable[[], None],
    stop: threading.Event,
    interval: float = 1.0,
    seen: tuple[tuple[str, int, int], ...] | None = None,
) -> None:
    """Call ``rebuild`` whenever the inputs change (from ``seen``, default: now), until ``stop``."""
    seen = input_fingerprint(config) if seen is None else seen
    while not stop.wait(interval):
        current = input_fingerprint(config)
        if current != seen:
            seen = current
            rebuild()
