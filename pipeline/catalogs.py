"""All PO/POT/MO reading and writing. polib is the catalog model; Babel's catalog model compiles
MO files.

Reading is strict (a PO that ``msgfmt`` would reject is an ``InputError`` with its line) and
writing is canonical (GNU gettext's layout, see ``poformat``) and atomic.
"""

from __future__ import annotations

import array
import functools
import re
import struct
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import polib

from .config import Config
from .errors import InputError
from .files import BOM, decode_text, write_bytes_atomic
from .poformat import format_catalog

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog, Message

__all__ = [
    "IndexedCatalog",
    "code_version",
    "compile_catalog",
    "format_catalog",
    "is_approved",
    "is_machine_draft",
    "read_catalog",
    "write_catalog",
]

_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"\s*$')
_ESCAPE = re.compile(r"\\(.)")
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr\[(\d+)\]|msgstr)\s+(.*)$")
_VALID_ESCAPES = set('\\"ntrabfv01234567x')


class IndexedCatalog(polib.POFile):
    """polib's POFile, with a ``find`` by msgid that looks at the entries with that msgid only.

    polib's ``find`` copies and scans the whole catalog on every call, and the gate looks up the
    disclaimer for every page in every locale: quadratic at 1,000 pages. The index is rebuilt
    whenever the number of entries changes; nothing edits an entry's msgid in place.
    """

    def find(self, st, by="msgid", include_obsolete_entries=False, msgctxt=False):  # noqa: ANN001, ANN201
        if by != "msgid":
            return super().find(st, by, include_obsolete_entries, msgctxt)
        index = self.__dict__.get("_by_msgid")
        if index is None or index[0] != len(self):
            by_msgid: dict[str, list[polib.POEntry]] = {}
            for entry in self:
                by_msgid.setdefault(entry.msgid, []).append(entry)
            index = self.__dict__["_by_msgid"] = (len(self), by_msgid)
        matches = [
            e for e in index[1].get(st, ())
            if e.msgid == st and (include_obsolete_entries or not e.obsolete)
            and (msgctxt is False or e.msgctxt == msgctxt)
        ]
        # the rest is polib's own choice among the matches
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1 and not msgctxt:
            without_context = [m for m in matches if not m.msgctxt]
            return without_context[-1] if without_context else matches[0]
        return None

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_by_msgid"}


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


# Reading a 6 MB catalog through the syntax pass and then polib took a second. A catalog in
# GNU's layout (what msgmerge, Poedit and our writer produce) is read in one pass below, into
# the very objects polib builds; anything unusual takes the careful path (the syntax pass and
# polib), which also words the errors. So the one-pass reader never reports a problem itself.
_POLIB_ESCAPES = set('\\"ntrvbf')  # what polib.unescape turns back into characters
# Characters the two careful passes read differently (str.splitlines ends a line on them, or
# polib.escape would respell them), and a tab in a comment; rare, so left to the careful path.
_UNUSUAL = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\t\x08"
_INDEXED = re.compile(r"msgstr\[(\d)\]")


class _Unusual(Exception):
    """A construct the one-pass reader leaves to the careful path."""


def _raw(token: str) -> str:
    """A string's spelling between its quotes, checked as ``_unquote`` checks it."""
    if len(token) < 2 or token[0] != '"' or token[-1] != '"':
        raise _Unusual
    inner = token[1:-1]
    if ("\\" in inner or '"' in inner) and (
        not _STRING.match(token) or not _POLIB_ESCAPES.issuperset(_ESCAPE.findall(inner))
    ):
        raise _Unusual
    return inner


def _unescape(raw: str) -> str:
    return polib.unescape(raw) if "\\" in raw else raw


def _occurrences(text: str) -> list[tuple[str, str]]:
    """polib's reading of a ``#:`` line."""
    found = []
    for occurrence in text.split():
        name, _, line = occurrence.rpartition(":")
        found.append((name, line) if ":" in occurrence and line.isdigit() else (occurrence, ""))
    return found


def _read_fast(text: str) -> polib.POFile:
    """One pass over a catalog of blank-line separated entries (comments, then keywords)."""
    if any(ch in text for ch in _UNUSUAL):
        raise _Unusual
    catalog = IndexedCatalog(encoding=polib.detect_encoding(text), check_for_duplicates=False)
    header_lines: list[str] = []
    entries: list[polib.POEntry] = []
    raw_keys: list[tuple[str | None, str]] = []
    seen: dict[tuple[str | None, str], int] = {}
    plural_count = None
    block: list[tuple[int, str]] = []
    for number, line in enumerate([*text.split("\n"), ""], 1):
        line = line.strip()
        if line:
            block.append((number, line))
            continue
        if not block:
            continue
        entry, raw_key, msgid_line = _entry(block, header_lines if not entries else None)
        block = []
        if not entries and raw_key == (None, "") and not entry.obsolete:
            plural_count = _header_plurals(entry)
        elif raw_key[1] == "":
            raise _Unusual  # another entry with an empty msgid: polib may take it for the header
        elif not entry.obsolete:
            if raw_key in seen:
                raise _Unusual  # a duplicate: the careful path reports it
            seen[raw_key] = msgid_line
            if entry.msgid_plural and plural_count is not None and len(entry.msgstr_plural) != plural_count:
                raise _Unusual
        entries.append(entry)
        raw_keys.append(raw_key)
    catalog.header = _joined(header_lines)
    if entries and raw_keys[0] == (None, "") and not entries[0].obsolete:
        metadata = entries.pop(0)
        raw_keys.pop(0)
        catalog.metadata_is_fuzzy = metadata.flags
        key = None
        for row in metadata.msgstr.splitlines():  # as polib reads the header
            if ":" in row:
                key, value = row.split(":", 1)
                catalog.metadata[key] = value.strip()
            elif key is not None:
                catalog.metadata[key] += "\n" + row.strip()
    for entry, raw_key in zip(entries, raw_keys):
        # Strings here are spelled as polib.escape spells them, so this is read_catalog's mapping.
        entry.linenum = seen.get(raw_key, entry.linenum)
    catalog.extend(entries)
    return catalog


def _joined(lines: list[str]) -> str:
    """Comment lines joined as polib joins them: leading empty lines vanish."""
    text = ""
    for line in lines:
        text += ("\n" if text else "") + line
    return text


def _header_plurals(entry: polib.POEntry) -> int | None:
    """The header checks of ``_check_syntax``; nplurals from Plural-Forms."""
    charset = re.search(r"^Content-Type:.*charset=([^\s;]+)", entry.msgstr, re.MULTILINE | re.IGNORECASE)
    if not charset or charset.group(1).upper() not in ("UTF-8", "CHARSET"):
        raise _Unusual
    forms = re.search(r"^Plural-Forms:.*nplurals\s*=\s*(\d+)", entry.msgstr, re.MULTILINE)
    return int(forms.group(1)) if forms else None


def _entry(
    block: list[tuple[int, str]], header: list[str] | None
) -> tuple[polib.POEntry, tuple[str | None, str], int]:
    """One entry as polib builds it, its (msgctxt, msgid) as spelled in the file and the line of
    its msgid. ``header`` collects the file's leading comments (given for the first entry)."""
    tcomments: list[str] = []
    comments: list[str] = []
    occurrences: list[tuple[str, str]] = []
    flags: list[str] = []
    previous: dict[str, str] = {}
    previous_last = None  # the #| field a "#| \"...\"" line continues
    raw: dict[str, str] = {}
    last = None
    obsolete = None
    linenum = 0 if header is not None else None  # polib numbers the first entry 0
    msgid_line = 0
    for number, line in block:
        if line.startswith("#~|"):
            if line.split(None, 1)[0] != "#~|" or raw:
                raise _Unusual
            continue  # polib drops the previous msgid of obsolete entries
        if line.startswith("#~ "):
            body, is_obsolete = line[3:].strip(), 1
        elif line[0] == "#":
            if raw:
                raise _Unusual  # a comment after the keywords
            head = line.split(None, 1)[0]
            rest = line[len(head):]
            if head in ("#:", "#,", "#.") and not rest.strip():
                continue  # polib skips these
            if linenum is None:
                linenum = number
            if head == "#" or head.startswith("##"):
                previous_last = None
                if header is not None and not (tcomments or comments or occurrences or flags or previous):
                    header.append(line[2:])
                else:
                    comment = line.lstrip("#")
                    tcomments.append(comment[1:] if comment.startswith(" ") else comment)
            elif head == "#:":
                previous_last = None
                occurrences += _occurrences(line[3:])
            elif head == "#,":
                previous_last = None
                flags += [flag.strip() for flag in line[3:].split(",")]
            elif head == "#.":
                previous_last = None
                comments.append(line[3:])
            elif head == "#|":
                value = line[2:].lstrip()
                if value.startswith('"'):
                    if previous_last is None:
                        raise _Unusual
                    previous[previous_last] += _unescape(value[1:-1])
                    continue
                parts = value.split(None, 1)
                if len(parts) < 2 or parts[0] not in ("msgctxt", "msgid", "msgid_plural"):
                    raise _Unusual
                previous_last = parts[0]
                token = value[len(parts[0]):].lstrip()
                previous[previous_last] = _unescape(token[1:-1])
            else:
                raise _Unusual
            continue
        else:
            body, is_obsolete = line, 0
        # a keyword or a continuation, all of one entry either live or obsolete
        if obsolete is None:
            obsolete = is_obsolete
        elif obsolete != is_obsolete:
            raise _Unusual
        if linenum is None:
            linenum = number
        if body[:1] == '"':
            if last is None:
                raise _Unusual
            raw[last] += _raw(body)
            continue
        parts = body.split(None, 1)
        if len(parts) < 2:
            raise _Unusual
        keyword, token = parts
        if keyword == "msgctxt":
            allowed = not raw
        elif keyword == "msgid":
            allowed = raw.keys() <= {"msgctxt"}
        elif keyword == "msgid_plural":
            allowed = last == "msgid"
        elif keyword == "msgstr":
            allowed = last in ("msgid", "msgid_plural") and "msgid_plural" not in raw
        else:
            index = _INDEXED.fullmatch(keyword)
            expected = sum(k.startswith("msgstr[") for k in raw)
            allowed = bool(index) and "msgid_plural" in raw and int(index.group(1)) == expected
        if not allowed:
            raise _Unusual
        raw[keyword] = _raw(token)
        last = keyword
        if keyword == "msgid":
            msgid_line = number
    if "msgid" not in raw or ("msgstr" not in raw and "msgstr[0]" not in raw):
        raise _Unusual
    entry = polib.POEntry(
        msgid=_unescape(raw["msgid"]),
        msgstr=_unescape(raw.get("msgstr", "")),
        msgid_plural=_unescape(raw.get("msgid_plural", "")),
        msgstr_plural={int(k[7:-1]): _unescape(v) for k, v in raw.items() if k.startswith("msgstr[")},
        msgctxt=_unescape(raw["msgctxt"]) if "msgctxt" in raw else None,
        obsolete=obsolete,
        comment=_joined(comments),
        tcomment=_joined(tcomments),
        occurrences=occurrences,
        flags=flags,
        previous_msgctxt=previous.get("msgctxt"),
        previous_msgid=previous.get("msgid"),
        previous_msgid_plural=previous.get("msgid_plural"),
        linenum=linenum,
    )
    return entry, (raw.get("msgctxt"), raw["msgid"]), msgid_line


def read_catalog(path: Path, config: Config, data: bytes | None = None) -> polib.POFile:
    """Read and validate a PO or POT file; problems are ``InputError`` with ``path:line``.

    ``data``: the file's bytes when the caller has read them already (to key a cache with them).
    """
    display = config.relative(path)
    try:
        data = path.read_bytes() if data is None else data
    except OSError as exc:
        raise InputError(display, None, f"cannot read: {exc.strerror}") from None
    text = decode_text(data, display)
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n")
    try:
        catalog = _read_fast(text)
    except _Unusual:
        catalog = _read_careful(text, display, config)
    catalog.wrapwidth = config.po_width
    # A translator's editor may save with a BOM or CRLF line ends: accepted, and kept on write.
    catalog.l10n_bom = data.startswith(BOM)
    catalog.l10n_crlf = crlf
    return catalog


def _read_careful(text: str, display: str, config: Config) -> polib.POFile:
    text, respelled = _respelled(text)
    lines = _check_syntax(text, display)
    try:
        catalog = polib.pofile(text, wrapwidth=config.po_width, klass=IndexedCatalog)
    except (OSError, ValueError) as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise InputError(display, int(match.group(1)) if match else None, str(exc)) from None
    for entry in catalog:
        context = None if entry.msgctxt is None else _escaped(entry.msgctxt)
        entry.linenum = lines.get((context, _escaped(entry.msgid)), entry.linenum)
    if respelled:
        _restore(catalog, display)
    _drop_empty_msgids(catalog)
    return catalog


# What GNU reads and polib does not. polib reads a text with str.splitlines and splits tokens with
# str.split, which also end lines at these characters; GNU ends lines at "\n" only.
_LINE_BREAKS = "\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029"
# While polib reads, each stands in as a (high) surrogate, which no decoded file holds.
_STAND_INS = {ch: chr(0xD800 + i) for i, ch in enumerate(_LINE_BREAKS)}
_RESTORE = str.maketrans({v: k for k, v in _STAND_INS.items()})
_HIDE = str.maketrans(_STAND_INS)
_BREAK = re.compile(f"[{_LINE_BREAKS}]")
_NOT_POLIB_ESCAPE = re.compile(r'\\[^\\"ntrvbf]')
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # surrogateescape's spelling of a byte
# GNU's escapes (po-lex.c): octal takes up to three digits, hex every hex digit that follows; both
# give one byte of the file's encoding, so "\xe2\x80\xa8" is U+2028 (even across continuation lines).
_GNU_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]+)|(.))", re.DOTALL)
_GNU_SIMPLE = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "\\": "\\", '"': '"'}
_STRING_LINE = re.compile(
    r'^(\s*(?:#~\|?\s*|#\|\s*)?(?:(?:msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+)?)"((?:[^"\\]|\\.)*)"(\s*)$'
)


def _gnu_unescape(body: str) -> str | None:
    """A string's body as GNU reads it; bytes from octal/hex escapes stay surrogate-escaped (they
    may be one part of a UTF-8 sequence continued on the next line). None: an invalid escape."""
    parts, position = [], 0
    for match in _GNU_ESCAPE.finditer(body):
        parts.append(body[position:match.start()])
        octal, hexadecimal, simple = match.groups()
        if simple is not None:
            if simple not in _GNU_SIMPLE:
                return None  # _check_syntax reports it with its line
            parts.append(_GNU_SIMPLE[simple])
        else:
            value = int(octal, 8) if octal is not None else int(hexadecimal, 16)
            parts.append(bytes([value & 0xFF]).decode("utf-8", "surrogateescape"))
        position = match.end()
    parts.append(body[position:])
    return "".join(parts)


def _respelled(text: str) -> tuple[str, bool]:
    """``text`` with every string spelled in polib's escapes and every character polib would break
    a line at standing in as a surrogate; True when anything changed (``_restore`` undoes it)."""
    if not _BREAK.search(text) and not _NOT_POLIB_ESCAPE.search(text):
        return text, False
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if "\\" not in line and not _BREAK.search(line):
            continue
        match = _STRING_LINE.match(line)
        body = _gnu_unescape(match.group(2)) if match else None
        if body is not None:
            lines[number] = f'{match.group(1)}"{polib.escape(body)}"{match.group(3)}'
    return "\n".join(lines).translate(_HIDE), True


def _original(value: str, display: str, line: int | None) -> str:
    value = value.translate(_RESTORE)
    if _ESCAPED_BYTE.search(value):  # bytes from octal or hex escapes
        try:
            value = value.encode("utf-8", "surrogateescape").decode("utf-8")
        except UnicodeError:
            raise InputError(display, line, "escape sequences that do not spell UTF-8") from None
    return value


def _restore(catalog: polib.POFile, display: str) -> None:
    """Undo ``_respelled`` in every string polib read."""
    catalog.header = _original(catalog.header, display, None)
    catalog.metadata = {
        _original(k, display, None): _original(v, display, None) for k, v in catalog.metadata.items()
    }
    for entry in catalog:
        def original(value: str | None) -> str | None:
            return None if value is None else _original(value, display, entry.linenum)

        entry.msgid, entry.msgstr = original(entry.msgid), original(entry.msgstr)
        entry.msgctxt, entry.msgid_plural = original(entry.msgctxt), original(entry.msgid_plural)
        entry.msgstr_plural = {i: original(v) for i, v in entry.msgstr_plural.items()}
        entry.previous_msgctxt = original(entry.previous_msgctxt)
        entry.previous_msgid = original(entry.previous_msgid)
        entry.previous_msgid_plural = original(entry.previous_msgid_plural)
        entry.comment, entry.tcomment = original(entry.comment), original(entry.tcomment)
        entry.flags = [original(flag) for flag in entry.flags]
        entry.occurrences = [(original(name), original(line)) for name, line in entry.occurrences]


def _drop_empty_msgids(catalog: polib.POFile) -> None:
    """A second ``msgid ""`` (earlier versions extracted empty front matter values as one) is
    no message: polib takes the last for the header, so the real one, the first with a
    Content-Type, is put back and the others are dropped. The next write is ``msgfmt -c`` clean."""
    strays = [e for e in catalog if e.msgid == "" and e.msgctxt is None and not e.msgid_plural]
    if not strays:
        return
    if "Content-Type" not in catalog.metadata:
        header = next((e for e in strays if "Content-Type:" in e.msgstr), None)
        if header is not None:
            catalog.metadata = {}
            for line in header.msgstr.split("\n"):
                name, colon, value = line.partition(":")
                if colon:
                    catalog.metadata[name.strip()] = value.strip()
            catalog.metadata_is_fuzzy = ["fuzzy"] if "fuzzy" in header.flags else []
    for entry in strays:
        catalog.remove(entry)
    catalog.l10n_repaired = True  # the file differs from what it reads as: rewrite it


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


@functools.cache  # one process, one version of the code
def code_version() -> str:
    """A digest of this package (code and templates) and the libraries it reads and renders
    with: every cache under ``.cache/`` is keyed with it, so a new version never reuses old
    results."""
    import hashlib
    from importlib import metadata

    package = Path(__file__).parent
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for library in ("polib", "markdown-it-py", "PyYAML", "jinja2", "babel", "markupsafe", "uniseg", "wcwidth", "lxml"):
        try:
            digest.update(f"{library} {metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            pass
    return digest.hexdigest()


def is_approved(entry: polib.POEntry) -> bool:
    """Approved = translated and not fuzzy: the convention every PO editor shares."""
    if entry.obsolete or entry.fuzzy or not entry.msgid.strip():  # msgid "" is the header's
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def is_machine_draft(entry: polib.POEntry) -> bool:
    """A machine translation nobody reviewed: a ``# machine translation:`` comment and no
    ``# reviewed:`` record (clearing ``fuzzy`` in an editor is not a review)."""
    lines = entry.tcomment.split("\n") if entry.tcomment else []
    machine = any(c.startswith("machine translation:") for c in lines)
    return machine and not any(c.startswith("reviewed:") for c in lines)


def compile_catalog(catalog: polib.POFile, locale: str, exclude: set[tuple[str | None, str]] = frozenset()) -> bytes:
    """MO bytes holding only approved entries, minus ``exclude`` (those with errors), and the
    catalog's own header (as ``msgfmt`` keeps it: its Plural-Forms and dates, so the same PO
    always compiles to the same bytes)."""
    from babel.messages.catalog import Catalog  # only compiling needs Babel (10 ms to import)

    compiled = Catalog(locale=locale, fuzzy=False)
    compiled.mime_headers = list(catalog.metadata.items())
    for entry in catalog:
        if not is_approved(entry) or (entry.msgctxt, entry.msgid) in exclude:
            continue
        if entry.msgid_plural:
            forms = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
            compiled.add((entry.msgid, entry.msgid_plural), forms, context=entry.msgctxt)
        else:
            compiled.add(entry.msgid, entry.msgstr, context=entry.msgctxt)
    return mo_bytes(compiled)


def mo_bytes(catalog: Catalog) -> bytes:
    """``babel.messages.mofile.write_mo(catalog)``'s bytes (no fuzzy entries), in linear time.

    Babel's writer sorts with a Python-level comparison and grows its string tables with
    ``bytes +=``, which copies them for every message: 0.7 s for an 11,000-entry catalog, most
    of a large build's compile time. Same layout here (little-endian, no hash table), tested
    byte for byte against Babel's."""
    messages = list(catalog)
    messages[1:] = [m for m in messages[1:] if m.string and not m.fuzzy]
    messages.sort(key=_mo_order)
    charset = catalog.charset
    ids: list[bytes] = []
    strs: list[bytes] = []
    for message in messages:
        if message.pluralizable:
            msgid = b"\x00".join(part.encode(charset) for part in message.id)
            forms = [form or message.id[min(index, 1)] for index, form in enumerate(message.string)]
            msgstr = b"\x00".join(form.encode(charset) for form in forms)
        else:
            msgid, msgstr = message.id.encode(charset), message.string.encode(charset)
        if message.context:
            msgid = message.context.encode(charset) + b"\x04" + msgid
        ids.append(msgid)
        strs.append(msgstr)
    count = len(messages)
    keystart = 7 * 4 + 16 * count
    valuestart = keystart + sum(len(i) + 1 for i in ids)
    table = array.array("i")
    for strings, start in ((ids, keystart), (strs, valuestart)):
        offset = start
        for string in strings:
            table.extend((len(string), offset))
            offset += len(string) + 1
    header = struct.pack("Iiiiiii", 0x950412DE, 0, count, 7 * 4, 7 * 4 + count * 8, 0, 0)
    return b"".join([header, table.tobytes(), *(i + b"\x00" for i in ids), *(s + b"\x00" for s in strs)])


def _mo_order(message: Message) -> tuple[str, str]:
    """Babel's ``Message`` ordering."""
    return (message.id[0] if message.pluralizable else message.id), message.context or ""
