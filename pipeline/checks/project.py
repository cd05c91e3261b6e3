"""Catalog checks and gate verdicts for a whole project: shared by ``check``, ``build`` and ``stats``."""

from __future__ import annotations

from dataclasses import dataclass

import polib

from ..catalogs import is_approved, read_catalog
from ..config import Config
from ..source import Page
from .base import ERROR, Finding
from .gate import Verdict, catalog_verdict
from .glossary import Term, load_glossary
from .registry import all_checks, check_catalog


@dataclass(frozen=True)
class LocaleState:
    locale: str
    file: str
    catalog: polib.POFile | None  # None: the catalog does not exist yet
    findings: tuple[Finding, ...]

    @property
    def error_keys(self) -> set[tuple[str | None, str]]:
        return {(f.msgctxt, f.msgid) for f in self.findings if f.severity == ERROR}

    def approved(self) -> dict[tuple[str | None, str], str]:
        """Approved translations without an error finding: what pages may show."""
        if self.catalog is None:
            return {}
        errors = self.error_keys
        return {
            (e.msgctxt, e.msgid): e.msgstr
            for e in self.catalog
            if not e.msgid_plural and is_approved(e) and (e.msgctxt, e.msgid) not in errors
        }

    def verdict(self, page: Page) -> Verdict:
        if self.catalog is None:
            return Verdict(page.slug, self.locale, ("there is no catalog for this locale",), 0, len(_keys(page)))
        problems = catalog_verdict(self.catalog, page.disclaimer.msgid, list(self.findings))
        approved = self.approved()
        keys = _keys(page)
        return Verdict(page.slug, self.locale, tuple(problems), sum(k in approved for k in keys), len(keys))


def _keys(page: Page) -> set[tuple[str | None, str]]:
    return {m.key for m in page.messages}


def load_glossary_for(config: Config) -> tuple[Term, ...]:
    return load_glossary(config.glossary_path, config.relative(config.glossary_path), config.locales)


def assess(config: Config, locales: tuple[str, ...] | None = None) -> dict[str, LocaleState]:
    """Read every catalog (validating all of them first) and run the check registry over each."""
    glossary = load_glossary_for(config)
    checks = all_checks(glossary)
    states = {}
    for locale in locales or config.locales:
        path = config.po_path(locale)
        file = config.relative(path)
        catalog = read_catalog(path, config) if path.is_file() else None
        findings = tuple(check_catalog(catalog, locale, file, checks)) if catalog is not None else ()
        states[locale] = LocaleState(locale, file, catalog, findings)
    return states
