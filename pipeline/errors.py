"""Errors the CLI turns into exit codes: bad input is exit 2 with ``path:line: message``."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad input or usage (exit 2). Raised before anything is written."""

    def __init__(self, path: Path | str | None, line: int | None, message: str) -> None:
        self.path = str(path) if path is not None else None
        self.line = line
        self.message = message
        super().__init__(self.location() + message)

    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}: " if self.line else f"{self.path}: "


class LockTimeout(Exception):
    """Another writing command holds the project lock (exit 1)."""
