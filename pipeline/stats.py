"""``l10n stats``: translation progress per locale."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .catalogs import is_approved, read_catalog
from .config import Config


@dataclass(frozen=True)
class LocaleStats:
    locale: str
    total: int
    approved: int
    fuzzy: int
    untranslated: int
    obsolete: int

    @property
    def percent(self) -> float:
        return 100.0 * self.approved / self.total if self.total else 100.0

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "percent": round(self.percent, 1)}


def stats(config: Config, locales: tuple[str, ...] | None = None) -> list[LocaleStats]:
    catalogs = {
        loc: read_catalog(config.po_path(loc), config) if config.po_path(loc).is_file() else None
        for loc in locales or config.locales
    }
    rows = []
    for locale, catalog in catalogs.items():
        live = [e for e in catalog or [] if not e.obsolete and e.msgid]
        approved = sum(is_approved(e) for e in live)
        fuzzy = sum(e.fuzzy for e in live)
        obsolete = sum(e.obsolete for e in catalog or [])
        rows.append(LocaleStats(locale, len(live), approved, fuzzy, len(live) - approved - fuzzy, obsolete))
    return rows
