"""``l10n translate``: machine translation of empty entries.

This first slice only plans the work (which entries are empty, how many characters a provider
would bill); providers, masking, cache and retries come with the machine translation issue.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..catalogs import read_catalog
from ..config import Config


@dataclass(frozen=True)
class LocalePlan:
    locale: str
    messages: int
    characters: int


def plan(config: Config, locales: tuple[str, ...] | None = None) -> list[LocalePlan]:
    """Per locale: the empty, non-obsolete entries machine translation would fill."""
    plans = []
    for locale in locales or config.locales:
        path = config.po_path(locale)
        if not path.is_file():
            plans.append(LocalePlan(locale, 0, 0))
            continue
        empty = [e for e in read_catalog(path, config) if e.msgid and not e.obsolete and not e.translated() and not e.msgstr]
        plans.append(LocalePlan(locale, len(empty), sum(len(e.msgid) for e in empty)))
    return plans
