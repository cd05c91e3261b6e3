"""What each cache is keyed on: a locale's state, an entry's findings, a compiled MO. Every key
holds ``code_version()``, so a new version of the code never reuses a result of an older one."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import TYPE_CHECKING

import polib

from .catalogs import code_version
from .config import Config

if TYPE_CHECKING:
    from .checks.claims import Claim
    from .glossary import Term

CACHE_FORMAT = 3


def state_key(config: Config, locale: str, glossary: tuple[Term, ...], build: bool, data: bytes,
               claims: tuple[Claim, ...]) -> tuple[Path, bytes]:
    """Where a locale's state is kept, and the digest of what it comes from: the catalog's bytes."""
    context = repr((CACHE_FORMAT, locale, config.relative(config.po_path(locale)), glossary, claims, code_version(),
                    config, build))
    name = f"{locale}.pickle" if build else f"{locale}.catalog.pickle"
    return config.cache_dir / "states" / name, hashlib.sha256(context.encode() + data).digest()


def findings_context(locale: str, glossary: tuple[Term, ...], claims: tuple[Claim, ...]) -> str:
    """What every entry's findings in ``.cache/checks/`` depend on besides the entry itself."""
    return hashlib.sha256(repr((CACHE_FORMAT, locale, glossary, claims, code_version())).encode()).hexdigest()


def mo_key(locale: str, errors: frozenset, entries: list) -> bytes:
    """The digest a compiled MO in ``.cache/mo/`` is kept under."""
    return hashlib.sha256(pickle.dumps((code_version(), locale, sorted(errors, key=repr), entries))).digest()


def unit_key(entry: polib.POEntry) -> bytes:
    """What ``check_catalog`` looks at in an entry."""
    unit = (entry.obsolete, entry.msgctxt, entry.msgid, entry.msgid_plural, entry.msgstr, tuple(entry.flags))
    return hashlib.sha1(repr(unit).encode(), usedforsecurity=False).digest()
