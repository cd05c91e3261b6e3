"""Translations already paid for: SQLite under ``.cache/``, so a rerun sends nothing again.

Keyed by provider, endpoint URL, language pair and the masked text; the value is the provider's
masked answer (only answers whose tokens all came back are stored). Never a key: the endpoint is
stored redacted, and nothing else that is stored comes from the environment.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    provider TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    masked TEXT NOT NULL,
    translation TEXT NOT NULL,
    PRIMARY KEY (provider, endpoint, source, target, masked)
) WITHOUT ROWID
"""


@dataclass(frozen=True)
class CacheKey:
    provider: str
    endpoint: str
    source: str
    target: str
    masked: str


class TranslationCache:
    """Used from one thread (the stage's main thread); every answer is committed as it comes."""

    def __init__(self, path: Path, display: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.display = display
        try:
            self._db = sqlite3.connect(path, isolation_level=None)
            # WAL + NORMAL: a commit costs no fsync, and a killed process still loses nothing
            # committed (only a power cut could lose the last answers: they are re-sent).
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise InputError(
                display, None, f"not a usable translation cache ({exc}): delete it"
            ) from None

    def get(self, key: CacheKey) -> str | None:
        row = self._db.execute(
            "SELECT translation FROM translations"
            " WHERE provider=? AND endpoint=? AND source=? AND target=? AND masked=?",
            (key.provider, key.endpoint, key.source, key.target, key.masked),
        ).fetchone()
        return row[0] if row else None

    def put(self, key: CacheKey, translation: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?, ?)",
            (key.provider, key.endpoint, key.source, key.target, key.masked, translation),
        )

    def close(self) -> None:
        self._db.close()
