"""All PO/POT/MO reading and writing. polib is the catalog model; Babel compiles MO files.

Reading is strict (a PO that ``msgfmt`` would reject is an ``InputError`` with its line) and
writing is canonical (GNU gettext's layout, see ``poformat``) and atomic.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import polib
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from .config import Config
from .errors import InputError
from .files import BOM, decode_text, write_bytes_atomic
from .poformat import format_catalog

__all__ = [
    "approved",
    "compile_catalog",
    "format_catalog",
    "is_approved",
    "nplurals",
    "read_catalog",
    "write_catalog",
]

_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"\s*$')
_ESCAPE = re.compile(r"\\(.)")
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr\[(\d+)\]|msgstr)\s+(.*)$")
_VALID_ESCAPES = set('\\"ntrabfv01234567x')


class _Entry:
    __slots__ = ("line", "fields", "obsolete", "last")

    def __init__(self, line: int, obsolete: bool) -> None:
        self.line = line
        self.fields: dict[str, str] = {}
        self.obsolete = obsolete
        self.last: str | None = None


def _unquote(raw: str, display: str, line: int) -> str:
    match = _STRING.match(raw)
    if not match:
        raise InputError(display, line, f"expected a quoted string, found {raw.strip()[:40]!r}")
    body = match.group(1)
    for escape in _ESCAPE.finditer(body):
        if escape.group(1) not in _VALID_ESCAPES:
            raise InputError(display, line, f"invalid escape sequence '\\{escape.group(1)}'")
    return body


def _check_syntax(text: str, display: str) -> dict[tuple[str | None, str], int]:
    """A line-level pass that polib lacks (it accepts unterminated strings and duplicates).

    Returns the line of each live entry's ``msgid`` keyword, for ``path:line`` reports.
    """
    entries: list[_Entry] = []
    current: _Entry | None = None
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        obsolete = False
        if not line:
            current = None
            continue
        if line.startswith("#~"):
            obsolete = True
            line = line[2:].strip()
            if not line or line.startswith("|"):
                continue
        elif line.startswith("#"):
            continue
        if line.startswith('"'):
            if current is None or current.last is None:
                raise InputError(display, number, "string continuation without a keyword before it")
            current.fields[current.last] += _unquote(line, display, number)
            continue
        match = _KEYWORD.match(line)
        if not match:
            raise InputError(display, number, f"syntax error: unexpected {line[:40]!r}")
        keyword, rest = match.group(1), match.group(3)
        if current is None or (keyword in ("msgctxt", "msgid") and "msgid" in current.fields):
            current = _Entry(number, obsolete)
            entries.append(current)
        if keyword in current.fields:
            raise InputError(display, number, f"duplicate '{keyword}' in one entry")
        if keyword.startswith("msgstr") and "msgid" not in current.fields:
            raise InputError(display, number, f"'{keyword}' without a msgid before it")
        if keyword == "msgid_plural" and "msgid" not in current.fields:
            raise InputError(display, number, "'msgid_plural' without a msgid before it")
        current.fields[keyword] = _unquote(rest, display, number)
        current.last = keyword
        if keyword == "msgid":
            current.line = number

    seen: dict[tuple[str | None, str], int] = {}
    plural_count = None
    for index, entry in enumerate(entries):
        if "msgid" not in entry.fields:
            raise InputError(display, entry.line, "entry without a msgid")
        plural = "msgid_plural" in entry.fields
        indexed = sorted(int(k[7:-1]) for k in entry.fields if k.startswith("msgstr["))
        if plural and ("msgstr" in entry.fields or not indexed):
            raise InputError(display, entry.line, "a plural entry needs msgstr[0], msgstr[1], ...")
        if not plural and (indexed or "msgstr" not in entry.fields):
            raise InputError(display, entry.line, "entry without a msgstr")
        if indexed and indexed != list(range(len(indexed))):
            raise InputError(display, entry.line, "msgstr[N] indexes must run 0, 1, 2, ...")
        if index == 0 and entry.fields["msgid"] == "" and "msgctxt" not in entry.fields:
            header = _ESCAPE.sub(lambda m: "\n" if m.group(1) == "n" else m.group(1), entry.fields.get("msgstr", ""))
            charset = re.search(r"^Content-Type:.*charset=([^\s;]+)", header, re.MULTILINE | re.IGNORECASE)
            if not charset:
                raise InputError(display, entry.line, "header has no 'Content-Type: text/plain; charset=UTF-8'")
            if charset.group(1).upper() not in ("UTF-8", "CHARSET"):
                raise InputError(display, entry.line, f"charset {charset.group(1)} is not supported: use UTF-8")
            forms = re.search(r"^Plural-Forms:.*nplurals\s*=\s*(\d+)", header, re.MULTILINE)
            plural_count = int(forms.group(1)) if forms else None
            continue
        if entry.obsolete:
            continue
        key = (entry.fields.get("msgctxt"), entry.fields["msgid"])
        if key in seen:
            raise InputError(display, entry.line, f"duplicate message (first defined at line {seen[key]})")
        seen[key] = entry.line
        if plural and plural_count is not None and len(indexed) != plural_count:
            raise InputError(
                display, entry.line, f"{len(indexed)} plural forms, but the header's Plural-Forms says nplurals={plural_count}"
            )
    return seen


def read_catalog(path: Path, config: Config) -> polib.POFile:
    """Read and validate a PO or POT file; problems are ``InputError`` with ``path:line``."""
    display = config.relative(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(display, None, f"cannot read: {exc.strerror}") from None
    text = decode_text(data, display)
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n")
    lines = _check_syntax(text, display)
    try:
        catalog = polib.pofile(text, wrapwidth=config.po_width)
    except (OSError, ValueError) as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise InputError(display, int(match.group(1)) if match else None, str(exc)) from None
    for entry in catalog:
        context = None if entry.msgctxt is None else _escaped(entry.msgctxt)
        entry.linenum = lines.get((context, _escaped(entry.msgid)), entry.linenum)
    # A translator's editor may save with a BOM or CRLF line ends: accepted, and kept on write.
    catalog.l10n_bom = data.startswith(BOM)
    catalog.l10n_crlf = crlf
    return catalog


def _escaped(text: str) -> str:
    """A msgid as it is spelled between quotes in the file (how ``_check_syntax`` keys it)."""
    return polib.escape(text)


def write_catalog(path: Path, catalog: polib.POFile, width: int = 79) -> bool:
    """Write in GNU gettext's layout, atomically; returns False when the file was already so.

    A BOM or CRLF line ends the file was read with are kept.
    """
    text = format_catalog(catalog, width)
    if getattr(catalog, "l10n_crlf", False):
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    if getattr(catalog, "l10n_bom", False):
        data = BOM + data
    return write_bytes_atomic(path, data)


def keep_file_format(original: polib.POFile, catalog: polib.POFile) -> polib.POFile:
    """Carry the BOM / CRLF choice of the file ``original`` was read from over to ``catalog``."""
    catalog.l10n_bom = getattr(original, "l10n_bom", False)
    catalog.l10n_crlf = getattr(original, "l10n_crlf", False)
    return catalog


def is_approved(entry: polib.POEntry) -> bool:
    """Approved = translated and not fuzzy: the convention every PO editor shares."""
    if entry.obsolete or entry.fuzzy:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def approved(catalog: polib.POFile) -> dict[tuple[str | None, str], str]:
    """(msgctxt, msgid) -> msgstr of every approved singular entry."""
    return {(e.msgctxt, e.msgid): e.msgstr for e in catalog if not e.msgid_plural and is_approved(e)}


def nplurals(catalog: polib.POFile) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", catalog.metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else 2


def compile_catalog(catalog: polib.POFile, locale: str, exclude: set[tuple[str | None, str]] = frozenset()) -> bytes:
    """MO bytes (Babel) holding only approved entries, minus ``exclude`` (those with errors)."""
    compiled = Catalog(locale=locale, fuzzy=False)
    for entry in catalog:
        if not is_approved(entry) or (entry.msgctxt, entry.msgid) in exclude:
            continue
        if entry.msgid_plural:
            forms = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
            compiled.add((entry.msgid, entry.msgid_plural), forms, context=entry.msgctxt)
        else:
            compiled.add(entry.msgid, entry.msgstr, context=entry.msgctxt)
    buffer = io.BytesIO()
    write_mo(buffer, compiled, use_fuzzy=False)
    return buffer.getvalue()
