"""Agency exchange: a locale's catalog as XLIFF 1.2 for CAT tools (Trados, memoQ, Phrase), and
their translations taken back.

The XLIFF is written and read by translate-toolkit's storage classes. Each unit carries what a
PO entry knows and ``po2xliff`` loses: the ``msgctxt`` (context group ``po-entry``, context
``x-po-msgctxt``: the disclaimer stays the disclaimer), the ``#.`` notes (block kind and the
English page's address), the previous English of a changed entry, the glossary's wordings, and
the state (``needs-translation``, ``needs-review-translation``, ``translated``). A unit's id is a
digest of its context and English, so an import knows exactly which entry a target belongs to
and whether its English changed since the export.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from pathlib import Path

import polib

from .catalogs import read_catalog, write_catalog
from .config import Config, html_tag, source_date_epoch
from .errors import InputError
from .review import REVIEWED_PREFIX, comment_lines

ONLY = ("empty", "fuzzy", "all")
STATES = {"empty": "needs-translation", "fuzzy": "needs-review-translation", "approved": "translated"}


def unit_id(msgctxt: str | None, msgid: str) -> str:
    """The id of an entry's unit: stable across exports, different when its English changes."""
    key = (msgctxt or "") + "\x04" + msgid
    return "u" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def _status(entry: polib.POEntry) -> str:
    if not entry.msgstr:
        return "empty"
    return "fuzzy" if entry.fuzzy else "approved"


def _exported(entry: polib.POEntry, only: str) -> bool:
    if entry.obsolete or not entry.msgid or entry.msgid_plural:
        return False
    status = _status(entry)
    return only == "all" or status == only


@dataclass(frozen=True)
class ExportResult:
    locale: str
    units: int
    data: bytes


def export_xliff(config: Config, locale: str, only: str = "all") -> ExportResult:
    """The catalog of ``locale`` as an XLIFF 1.2 document (``only``: empty, fuzzy or all entries)."""
    from translate.storage import xliff

    from .checks.project import load_glossary_for

    if only not in ONLY:
        raise InputError(None, None, f"--only must be one of {', '.join(ONLY)}")
    path = config.po_path(locale)
    if not path.is_file():
        raise InputError(config.relative(path), None, f"no catalog for {locale}: run `l10n update`")
    catalog = read_catalog(path, config)
    terms = [t for t in load_glossary_for(config) if t.applies_to(locale) or t.rule == "keep"]
    store = xliff.xlifffile(sourcelanguage=html_tag(config.source_locale), targetlanguage=html_tag(locale))
    store.setfilename(store.getfilenode("NoName"), config.relative(path))
    count = 0
    for entry in catalog:
        if not _exported(entry, only):
            continue
        unit = xliff.xliffunit(entry.msgid)
        unit.setid(unit_id(entry.msgctxt, entry.msgid))
        if entry.msgctxt is not None:
            unit.xmlelement.set("resname", entry.msgctxt)
            unit.createcontextgroup("po-entry", [("x-po-msgctxt", entry.msgctxt)], purpose="information")
        status = _status(entry)
        unit.settarget(entry.msgstr)
        unit.getlanguageNode(lang=None, index=1).set("state", STATES[status])
        unit.markapproved(status == "approved")
        if entry.comment:
            unit.addnote(entry.comment, origin="developer")
        if entry.previous_msgid is not None and entry.previous_msgid != entry.msgid:
            unit.addnote(f"The English changed. Before: {entry.previous_msgid}", origin="previous-source")
        for term in terms:
            if term.in_source(entry.msgid):
                wording = term.term if term.rule == "keep" else " | ".join(term.translations)
                unit.addnote(f"glossary ({term.rule}): {term.term} -> {wording}", origin="glossary")
        for line in comment_lines(entry):
            unit.addnote(line, origin="translator")
        store.addunit(unit)
        count += 1
    return ExportResult(locale, count, bytes(store))


@dataclass(frozen=True)
class ImportResult:
    locale: str
    file: str
    units: int
    changed: tuple[str, ...]  # msgids whose translation changed
    written: bool


def import_xliff(config: Config, source: Path, display: str, reviewed: str | None = None,
                 today: datetime.date | None = None) -> ImportResult:
    """Take the targets of an XLIFF back into its locale's catalog. Every unit is checked first:
    an unknown unit, or one whose English changed since the export, is bad input and nothing is
    written. A changed target is a translation awaiting review (``fuzzy``), unless ``reviewed``
    names who reviewed it; a target equal to the catalog's leaves the entry as it is."""
    from translate.storage import xliff

    try:
        data = source.read_bytes()
    except OSError as exc:
        raise InputError(display, None, f"cannot read: {exc.strerror}") from None
    try:
        store = xliff.xlifffile.parsestring(data)
    except Exception as exc:  # lxml's and translate-toolkit's errors alike
        raise InputError(display, getattr(exc, "lineno", None), f"not an XLIFF file: {exc}") from None
    tags = {html_tag(loc): loc for loc in config.locales}
    language = store.gettargetlanguage()
    if language not in tags:
        raise InputError(display, None, f"target-language {language!r} is not a configured locale "
                                        f"({', '.join(sorted(tags))})")
    locale = tags[language]
    path = config.po_path(locale)
    if not path.is_file():
        raise InputError(config.relative(path), None, f"no catalog for {locale}: run `l10n update`")
    catalog = read_catalog(path, config)
    entries = {unit_id(e.msgctxt, e.msgid): e for e in catalog if not e.obsolete and e.msgid and not e.msgid_plural}
    targets: list[tuple[polib.POEntry, str]] = []
    units = [u for u in store.units if not u.isheader()]
    for unit in units:
        line = unit.xmlelement.sourceline
        ident = unit.xmlelement.get("id", "")
        entry = entries.get(ident)
        if entry is None:
            raise InputError(display, line, f"unit {ident!r} ({str(unit.source)[:50]!r}) is not in "
                                            f"{config.relative(path)}: export again after `l10n update`")
        if str(unit.source) != entry.msgid:
            raise InputError(display, line, f"unit {ident!r}: its English differs from the catalog's "
                                            f"({entry.msgid[:50]!r}); export again")
        target = "" if unit.target is None else str(unit.target)
        if target and target != entry.msgstr:
            targets.append((entry, target))
    date = (today or _today()).isoformat()
    for entry, target in targets:
        entry.msgstr = target
        if reviewed:
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgctxt = entry.previous_msgid_plural = None
            lines = [c for c in comment_lines(entry) if not c.startswith(REVIEWED_PREFIX)]
            entry.tcomment = "\n".join([*lines, f"{REVIEWED_PREFIX} {reviewed} {date}"])
        elif "fuzzy" not in entry.flags:
            entry.flags.insert(0, "fuzzy")
    written = False
    if targets:
        catalog.metadata["PO-Revision-Date"] = _revision_date()
        if reviewed:
            catalog.metadata["Last-Translator"] = reviewed
        written = write_catalog(path, catalog, config.po_width)
    return ImportResult(locale, config.relative(path), len(units), tuple(e.msgid for e, _ in targets), written)


def _now() -> datetime.datetime:
    return source_date_epoch() or datetime.datetime.now(datetime.timezone.utc)


def _today() -> datetime.date:
    return _now().date()


def _revision_date() -> str:
    return _now().strftime("%Y-%m-%d %H:%M%z")
