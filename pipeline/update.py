"""``l10n update`` and ``l10n init``: the POT merged into each locale's catalog, msgmerge-style."""

from __future__ import annotations

import gc
import re
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import polib

from .catalogs import keep_file_format, read_catalog, write_catalog
from .config import Config, source_date_epoch, validate_locale
from .errors import InputError
from .files import read_text, write_text_atomic
from .merge import merge

# Babel (CLDR names and plural rules) and ``extract`` (Markdown, Jinja2, YAML) are imported only
# where a catalog is created: merging into existing catalogs, the usual update, needs neither,
# and their imports cost more than the merge of a small catalog.


@dataclass(frozen=True)
class LocaleUpdate:
    locale: str
    file: str
    created: bool
    changed: bool
    added: int
    fuzzy: int
    obsolete: int


def _read_template(config: Config) -> polib.POFile:
    if not config.pot_path.is_file():
        raise InputError(config.relative(config.pot_path), None, "template not found: run `l10n extract` first")
    return read_catalog(config.pot_path, config)


def new_catalog(config: Config, locale: str, pot: polib.POFile) -> polib.POFile:
    """A fresh catalog for ``locale`` from the POT, with the header msginit would write."""
    from babel import Locale
    from babel.messages.plurals import get_plural

    from .extract import timestamp

    language = Locale.parse(locale)
    catalog = polib.POFile(wrapwidth=config.po_width)
    catalog.header = (
        f"{language.get_display_name('en')} translations for {config.project_name}.\n"
        f"This file is distributed under the same license as the {config.project_name} project."
    )
    catalog.metadata = {
        "Project-Id-Version": pot.metadata.get("Project-Id-Version", config.project_name),
        "Report-Msgid-Bugs-To": pot.metadata.get("Report-Msgid-Bugs-To", ""),
        "POT-Creation-Date": pot.metadata.get("POT-Creation-Date", ""),
        "PO-Revision-Date": timestamp(),
        "Last-Translator": "",
        "Language-Team": language.get_display_name("en"),
        "Language": locale,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": get_plural(locale).plural_forms,
    }
    for entry in pot:
        catalog.append(
            polib.POEntry(
                msgid=entry.msgid,
                msgctxt=entry.msgctxt,
                msgid_plural=entry.msgid_plural,
                msgstr="",
                msgstr_plural={i: "" for i in range(get_plural(locale).num_plurals)} if entry.msgid_plural else {},
                occurrences=list(entry.occurrences),
                comment=entry.comment,
                flags=[f for f in entry.flags if f != "fuzzy"],
            )
        )
    return catalog


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Reading, merging and writing catalogs makes a dozen objects an entry and no reference
    cycles: the cycle collector's passes over them find nothing, and took 15 ms of the 0.2 s a
    3,000-message update takes after start-up. Objects are still freed by reference counting."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def update(config: Config, locales: tuple[str, ...] | None = None) -> list[LocaleUpdate]:
    """Merge the POT into every configured locale's catalog (creating missing ones).

    All catalogs are read and validated before the first one is written.
    """
    with _without_cycle_collection():
        return _update(config, locales)


def _update(config: Config, locales: tuple[str, ...] | None) -> list[LocaleUpdate]:
    source_date_epoch()  # a new catalog's header needs it: bad input before anything is written
    pot = _read_template(config)
    targets = locales or config.locales
    existing = {loc: read_catalog(config.po_path(loc), config) for loc in targets if config.po_path(loc).is_file()}
    results = []
    for locale in targets:
        path = config.po_path(locale)
        if locale in existing:
            merged = merge(existing[locale], pot)
            catalog, created = keep_file_format(existing[locale], merged.catalog), False
            added, fuzzy, obsolete = merged.added, merged.fuzzy_matched, merged.obsoleted
        else:
            catalog, created = new_catalog(config, locale, pot), True
            added, fuzzy, obsolete = len(pot), 0, 0
        changed = write_catalog(path, catalog, config.po_width)
        results.append(LocaleUpdate(locale, config.relative(path), created, changed, added, fuzzy, obsolete))
    return results


def init_locale(config: Config, locale: str) -> LocaleUpdate:
    """Add ``locale``: create its catalog and list it in ``[tool.l10n] locales``, keeping the
    file's formatting."""
    validate_locale(locale)
    source_date_epoch()
    if locale == config.source_locale:
        raise InputError(None, None, f"{locale!r} is the source locale")
    _refuse_page_named_like(config, locale)
    pot = _read_template(config)
    pyproject = config.root / "pyproject.toml"
    text = read_text(pyproject, "pyproject.toml")
    new_text = text if locale in config.locales else _add_locale(text, locale)
    path = config.po_path(locale)
    if path.is_file():
        catalog = read_catalog(path, config)
        result = merge(catalog, pot)
        changed = write_catalog(path, keep_file_format(catalog, result.catalog), config.po_width)
        update = LocaleUpdate(locale, config.relative(path), False, changed, result.added, result.fuzzy_matched, result.obsoleted)
    else:
        write_catalog(path, new_catalog(config, locale, pot), config.po_width)
        update = LocaleUpdate(locale, config.relative(path), True, True, len(pot), 0, 0)
    write_text_atomic(pyproject, new_text)
    return update


def _refuse_page_named_like(config: Config, locale: str) -> None:
    """A page whose slug is the new language's tag would share its URL folder's name: the page,
    read as the site with the locale added, reports it (``source/ja.md:3``)."""
    from dataclasses import replace

    from .config import html_tag
    from .source import parse_page

    with_locale = replace(config, locales=(*config.locales, locale))
    for name in sorted({locale.lower(), html_tag(locale).lower()}):
        page = config.source_dir / f"{name}.md"
        if page.is_file():
            parse_page(page, with_locale)


def _add_locale(text: str, locale: str) -> str:
    section = re.search(r"^\[tool\.l10n\][^\n]*\n", text, re.MULTILINE)
    if not section:
        raise InputError("pyproject.toml", None, "missing [tool.l10n] section")
    end = re.search(r"^\[", text[section.end():], re.MULTILINE)
    stop = section.end() + end.start() if end else len(text)
    body = text[section.end():stop]
    array = re.search(r"^(locales\s*=\s*\[)(.*?)(\s*)\]", body, re.MULTILINE | re.DOTALL)
    if array:
        items = array.group(2)
        if "\n" in items:
            indent = re.findall(r"\n([ \t]*)\S", items)
            pad = indent[-1] if indent else "    "
            stripped = items.rstrip()
            sep = "" if stripped.endswith(",") or not stripped.strip() else ","
            new_items = f'{stripped}{sep}\n{pad}"{locale}",'
        else:
            stripped = items.rstrip()
            new_items = f'{stripped}, "{locale}"' if stripped.strip() else f'"{locale}"'
        body = body[: array.start(2)] + new_items + body[array.end(2):]
    else:
        body = f'locales = ["{locale}"]\n' + body
    new_text = text[: section.end()] + body + text[stop:]
    try:
        parsed = tomllib.loads(new_text)["tool"]["l10n"]["locales"]
    except (tomllib.TOMLDecodeError, KeyError) as exc:
        raise InputError("pyproject.toml", None, f"cannot add the locale to [tool.l10n] locales: {exc}") from None
    if locale not in parsed:
        raise InputError("pyproject.toml", None, "cannot add the locale to [tool.l10n] locales")
    return new_text
