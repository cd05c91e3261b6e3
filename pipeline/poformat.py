"""Write a polib catalog byte-for-byte as GNU ``msgcat`` (gettext 0.21) does.

The layout follows gettext-tools/src/write-po.c; string wrapping follows its
``wrap()`` on top of libunistring 1.0's ``ulc_width_linebreaks``.  The
Unicode data comes from libraries (``uniseg`` line-break classes, ``wcwidth``
and ``unicodedata`` widths); what is ported here is libunistring's algorithm,
which is a simplified UAX #14 (pair table, no dictionary for Thai).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from functools import lru_cache

import polib

# uniseg and wcwidth are imported where a character is first classified, not here: with what
# they import (importlib.metadata, secrets, ...) they cost 30 ms, and every command that reads
# a catalog imports this module, while only those that write one use them.

__all__ = ["display_lines", "format_catalog"]

# Break values, as libunistring's UC_BREAK_*.
_UNDEFINED, _PROHIBITED, _POSSIBLE, _MANDATORY, _CR_BEFORE_LF = 0, 1, 2, 3, 5

# libunistring's line-break classes; the first 33 index its pair table.
_CLASSES = ("WJ GL B2 BA BB HY CL CP1 CP2 EX IN NS OP1 OP2 QU IS NU PO PR SY "
            "AL H2 H3 ID1 ID2 JL JV JT HL RI ZWJ EB EM").split()
_C = {name: i for i, name in enumerate(_CLASSES)}
_BK, _CR, _LF, _CM, _ZW, _SP = 33, 34, 35, 36, 37, 38
_HL_BA = 100  # pseudo class: Hebrew letter followed by hyphen/break-after
_AL, _RI, _ZWJ, _HL = _C["AL"], _C["RI"], _C["ZWJ"], _C["HL"]

# libunistring 1.0 lib/unilbrk/lbrktables.c: row = class before the break,
# column = class after it (same order as _CLASSES).  D = direct break,
# I = break only after spaces, P = prohibited.
_PAIRS = """
PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII
PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII
PIPIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
PDDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII
PDDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD
PIDIDIPPPPIPDDIPDIIPDDDDDDDDDDDDD
PIDIDIPPPPIIDDIPIIIPIDDDDDDDIDIDD
PIDIDIPPPPIIDDIPDIIPDDDDDDDDDDDDD
PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP
PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP
PIIIIIPPPPIIPPIPIIIPIIIIIIIIIIIII
PIDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD
PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD
PIDIDIPPPPIIIIIPIDDPIDDDDDDDIDIDD
PIDIDIPPPPIIIIIPIDDPIIIIIIIIIDIII
PIDIDIPPPPIIDDIPIDDPDDDDDDDDIDDDD
PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD
PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD
PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD
PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD
PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI
PIDIDIPPPPIIDDIPDIDPDIIDDIIDDDDDD
PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD
PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD
PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD
PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
PIDIDIPPPPIIIDIPIIIPIDDIIDDDIDIII
PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI
PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD
""".split()

# Unicode classes that libunistring 1.0 folds into others.  SA (Thai, Lao,
# ...) becomes AL: libunistring has no dictionary, so it never breaks inside
# a Thai run.  AK/AP/AS/HH are newer than Unicode 14 and were AL/BA then.
_FOLD = {"NL": _BK, "BK": _BK, "CR": _CR, "LF": _LF, "CM": _CM, "ZW": _ZW,
         "SP": _SP, "CJ": _C["NS"], "CB": _C["ID1"], "ID": _C["ID1"],
         "AI": _AL, "SA": _AL, "XX": _AL, "SG": _AL, "AK": _AL, "AP": _AL,
         "AS": _AL, "HH": _C["BA"]}


@lru_cache(maxsize=4096)
def _lb_class(ch: str) -> int:
    """libunistring line-break class of ``ch``."""
    from uniseg.linebreak import line_break

    name = line_break(ch).value
    cat = unicodedata.category(ch)
    # uniseg follows a newer Unicode than libunistring 1.0 (Unicode 14):
    # map back the classes that changed since, by general category.
    if name in ("VI", "VF"):
        return _CM
    if name in ("AS", "AK", "AP") and cat == "Nd":
        return _C["NU"]
    if name == "NU" and cat == "Cf":
        return _AL
    if name in ("OP", "CP"):
        # libunistring splits brackets by East Asian width (UAX #14 LB30).
        wide = unicodedata.east_asian_width(ch) in ("W", "F", "H")
        return _C[name + ("2" if wide else "1")]
    if name in _FOLD:
        return _FOLD[name]
    return _C[name]


@lru_cache(maxsize=4096)
def _char_width(ch: str) -> int:
    """Columns of ``ch`` as libunistring's uc_width (-1 for controls)."""
    cat = unicodedata.category(ch)
    if cat == "Cf":
        return 0  # libunistring counts every format char (even U+00AD) as 0
    import wcwidth

    width = wcwidth.wcwidth(ch)
    if width < 0 or (width == 0 and cat != "Mc"):  # spacing marks take room
        return width
    # Double width from the East Asian Width data, as libunistring does;
    # wcwidth widens a few more (regional indicators, hexagrams).
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _possible_breaks(text: str) -> list[int]:
    """Port of libunistring's u8_possible_linebreaks_v2, one value a char."""
    return _scan(text, _BK, _BK, False)[0]


def _scan(text: str, prev: int, last: int, seen_space: bool) -> tuple[list[int], int]:
    """The break values of ``text`` from a given state, and ``last`` at its end."""
    out: list[int] = []
    ri_count = 0
    for ch in text:
        prop = _lb_class(ch)
        if prop in (_BK, _LF, _CR):
            brk = _MANDATORY
            if prev == _CR and prop == _LF:
                out[-1] = _CR_BEFORE_LF
            prev, last, seen_space = prop, _BK, False
        else:
            if prop == _SP:
                brk, seen_space = _PROHIBITED, True
            elif prop == _ZW:
                brk, last, seen_space = _PROHIBITED, _ZW, False
            elif prop in (_CM, _ZWJ):
                if last == _BK:
                    brk, last, seen_space = _PROHIBITED, _AL, False
                elif last == _ZW or seen_space:
                    brk, last, seen_space = _POSSIBLE, _AL, False
                else:
                    brk = _PROHIBITED  # X CM behaves as X
            else:
                if last == _BK:
                    brk = _PROHIBITED
                elif last == _ZW:
                    brk = _POSSIBLE
                elif prev == _ZWJ or prev == _HL_BA:
                    brk = _PROHIBITED
                elif last == _RI and prop == _RI:
                    brk = _POSSIBLE if seen_space or ri_count % 2 == 0 else _PROHIBITED
                else:
                    rule = _PAIRS[last][prop]
                    if rule == "D" or (rule == "I" and seen_space):
                        brk = _POSSIBLE
                    else:
                        brk = _PROHIBITED
                last, seen_space = prop, False
            prev = _HL_BA if prev == _HL and prop in (_C["HY"], _C["BA"]) else prop
        ri_count = ri_count + 1 if prop == _RI else 0
        out.append(brk)
    return out, last


# Running the per-character port over every string made writing a large catalog take seconds.
# Only U+0020 has class SP, and after a space the scan's state no longer depends on what came
# before, except through ``last`` at the token's first character. So the break values inside
# each space-separated token are computed once per distinct token (words repeat a lot) and
# only the token's first character is decided in context. ``_possible_breaks`` stays the
# reference, tested against libunistring itself.

def _after_space(last: int, prop: int) -> int:
    """The break value before the first character of a token that follows spaces."""
    if prop in (_BK, _LF, _CR):
        return _MANDATORY
    if prop == _ZW:
        return _PROHIBITED
    if last == _BK:
        return _PROHIBITED
    if prop in (_CM, _ZWJ) or last == _ZW or (last == _RI and prop == _RI):
        return _POSSIBLE
    return _POSSIBLE if _PAIRS[last][prop] in "DI" else _PROHIBITED


# _AFTER_SPACE[last][prop], for every ``last`` the scan can leave (a pair-table class, BK or ZW)
# and every class a token can start with (any but SP).
_AFTER_SPACE = [[_after_space(last, prop) if (last < _BK or last in (_BK, _ZW)) and prop != _SP else _PROHIBITED
                 for prop in range(_SP + 1)] for last in range(_SP + 1)]


_Token = tuple[int, tuple[tuple[int, int, int], ...], int, int, "tuple[int, int] | None", int]
_TOKENS: dict[str, _Token] = {}  # words repeat a lot; a dict is the cheapest cache to ask


def _token(token: str) -> _Token:
    """(class of the first char, (offset, break value, columns before it) of every break
    opportunity after the first char, ``last`` at the end, columns of the whole token,
    (offset, columns before it) of its last opportunity when all are plain ``_POSSIBLE``, and
    its length).

    The fifth item lets a token that fits on the line be passed in one step: its opportunities
    then only move the last one forward, and a Korean or Chinese word has one a character."""
    found = _TOKENS.get(token)
    if found is not None:
        return found
    brks, last = _scan(token, _SP, _AL, True)  # any state after a space: only char 0 depends on it
    events = []
    columns = 0
    for k, ch in enumerate(token):
        brk = brks[k]
        if k and brk != _PROHIBITED:
            events.append((k, brk, columns))
        if brk not in (_MANDATORY, _CR_BEFORE_LF):
            columns += _columns(ch)
    plain = all(brk == _POSSIBLE for _, brk, _ in events)
    final = (events[-1][0], events[-1][2]) if events and plain else None
    if len(_TOKENS) >= 1 << 16:
        _TOKENS.clear()  # bounded, like the lru_cache it replaced
    found = _TOKENS[token] = (_lb_class(token[0]), tuple(events), last, columns, final, len(token))
    return found


@lru_cache(maxsize=4096)
def _columns(ch: str) -> int:
    return max(_char_width(ch), 0)  # what u8_width_linebreaks adds (controls count 0)


def _width_breaks(text: str, prohibited: set[int], width: int, start: int, first_only: bool = False) -> list[int]:
    """Port of u8_width_linebreaks: the positions where a line break is inserted.

    ``prohibited`` are positions GNU forbids breaking at (escape sequences, format directives).
    With ``first_only``, stop at the first break (all ``wrap`` needs to know of a first line).
    """
    room = width - start
    if len(text) <= room // 2 or (len(text) <= room and text.isascii() and text.isprintable()):
        return []  # fits whatever its characters (none is wider than 2 columns)
    # A line's columns are the text's columns minus its origin, and it overflows past
    # ``limit`` = origin + width. The original's last_col and piece bookkeeping reduce to this
    # because a checked break always follows ``last_p``.
    result: list[int] = []
    last_p = None  # the last break opportunity, where a line break can go
    last_at = 0  # the text's columns before last_p
    limit = room
    pos = columns = 0  # position in ``text``, and its columns before it
    last = _BK
    blocked = sorted(prohibited) if prohibited else None
    after_space, token_info = _AFTER_SPACE, _TOKENS.get
    for token in text.split(" "):
        if not token:
            pos += 1  # a space: never a break before it, one column
            columns += 1
            continue
        info = token_info(token) or _token(token)
        first, inner, end_last, token_columns, final, size = info
        brk = after_space[last][first]
        if brk != _PROHIBITED and (blocked is None or pos not in prohibited):
            # An atomic piece ends here; if it overflows, break before it.
            if columns > limit and last_p is not None:
                if first_only:
                    return [last_p]
                result.append(last_p)
                limit = last_at + width
            if brk == _POSSIBLE:
                last_p, last_at = pos, columns
            else:  # a mandatory break
                last_p, limit = None, columns + width
        if inner:
            if final is not None and columns + final[1] <= limit and (
                blocked is None or bisect_right(blocked, pos) == bisect_left(blocked, pos + size)
            ):
                # No opportunity in the token overflows or is prohibited: each one only moves
                # the last opportunity forward, so the token's last one is where it ends up.
                last_p, last_at = pos + final[0], columns + final[1]
            else:
                for offset, brk, before in inner:
                    i, at = pos + offset, columns + before
                    if i in prohibited:
                        continue
                    if at > limit and last_p is not None:
                        if first_only:
                            return [last_p]
                        result.append(last_p)
                        limit = last_at + width
                    if brk == _POSSIBLE:
                        last_p, last_at = i, at
                    else:
                        last_p, limit = None, at + width
        last = end_last
        pos += size + 1  # and the space after the token
        columns += token_columns + 1
    if last_p is not None and columns - 1 > limit:
        result.append(last_p)
    return result


def display_lines(text: str, width: int) -> list[str]:
    """``text`` (one line, no newline) cut into lines of at most ``width`` terminal columns at
    word boundaries, for showing a message in a terminal.

    The opportunities are the PO layout's (UAX #14 as libunistring implements it: between
    words, between CJK characters), plus Thai word boundaries from libthai's dictionary when the
    system has it, minus those inside a Korean word (Korean wraps between words, as CSS
    ``word-break: keep-all``). A run still wider than a line (a long URL) is cut between
    grapheme clusters. Widths are wcwidth's, as the terminal draws them."""
    import wcwidth
    from uniseg.graphemecluster import grapheme_clusters

    width = max(width, 8)
    marked, inserted = _thai_word_breaks(text)
    prohibited = {i for i in range(1, len(marked))
                  if " " not in marked[i - 1:i + 1] and (_is_hangul(marked[i - 1]) or _is_hangul(marked[i]))}
    cuts = _width_breaks(marked, prohibited, width, 0)
    pieces = ["".join(ch for k, ch in enumerate(marked[i:j], i) if k not in inserted).rstrip(" ")
              for i, j in zip([0, *cuts], [*cuts, len(marked)])]
    lines: list[str] = []
    for piece in pieces:
        line, used = "", 0
        for cluster in grapheme_clusters(piece):
            columns = max(wcwidth.wcswidth(cluster), 0)
            if used + columns > width and line:
                lines.append(line)
                line, used = "", 0
            line += cluster
            used += columns
        lines.append(line)
    return lines


def _is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f"


_THAI_RUN = re.compile("[\u0e00-\u0e7f]{2,}")


@lru_cache(maxsize=1)
def _libthai() -> tuple | None:
    """libthai's word breaker (its dictionary), or None when the library is not installed."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("thai") or "libthai.so.0"
    try:
        lib = ctypes.CDLL(name)
        lib.th_brk_new.restype = ctypes.c_void_p
        lib.th_brk_new.argtypes = [ctypes.c_char_p]
        lib.th_brk_wc_find_breaks.restype = ctypes.c_int
        lib.th_brk_wc_find_breaks.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint32),
                                              ctypes.POINTER(ctypes.c_int), ctypes.c_size_t]
        breaker = lib.th_brk_new(None)
    except (OSError, AttributeError):
        return None
    return (lib, breaker) if breaker else None


def _thai_word_breaks(text: str) -> tuple[str, set[int]]:
    """``text`` with a zero-width space (a UAX #14 break opportunity) at each Thai word
    boundary, and the positions of the spaces inserted."""
    runs = list(_THAI_RUN.finditer(text))
    found = _libthai() if runs else None
    if found is None:
        return text, set()
    import ctypes

    lib, breaker = found
    cuts: set[int] = set()
    for run in runs:
        word = run.group()
        chars = (ctypes.c_uint32 * (len(word) + 1))(*map(ord, word), 0)
        positions = (ctypes.c_int * len(word))()
        count = lib.th_brk_wc_find_breaks(breaker, chars, positions, len(word))
        cuts.update(run.start() + positions[k] for k in range(count) if 0 < positions[k] < len(word))
    out, inserted = [], set()
    for i, ch in enumerate(text):
        if i in cuts:
            inserted.add(len(out))
            out.append("\u200b")
        out.append(ch)
    return "".join(out), inserted


# ---------------------------------------------------------------- flags ----

# gettext 0.21 message.c format_language[], in the order GNU writes them.
_FORMATS = ("c objc python python-brace java java-printf csharp javascript "
            "scheme lisp elisp librep ruby sh awk lua object-pascal smalltalk "
            "qt qt-plural kde kde-kuit boost tcl perl perl-brace php "
            "gcc-internal gfc-internal ycp").split()
_FLAG_SPLIT = re.compile(r"[\n \t\r\f\v,]+")


class _Flags:
    """An entry's flags as GNU's po_parse_comment_special reads them."""

    def __init__(self, flags: list[str]):
        self.fuzzy = False
        self.formats: dict[str, str] = {}  # language -> yes/no/possible/impossible
        self.range: tuple[int, int] | None = None
        self.wrap: bool | None = None
        self.unknown: list[str] = []
        tokens = _FLAG_SPLIT.split(" ".join(flags))
        tokens = [t for t in tokens if t]
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            i += 1
            if tok == "fuzzy":
                self.fuzzy = True
            elif tok.endswith("-format") and self._format(tok[:-7]):
                pass
            elif tok == "range:" and i < len(tokens) and re.fullmatch(r"\d+\.\.\d+", tokens[i]):
                lo, hi = (int(x) for x in tokens[i].split(".."))
                i += 1
                if lo <= hi:
                    self.range = (lo, hi)
                else:
                    self.unknown.append(f"range: {tokens[i - 1]}")
            elif tok in ("wrap", "no-wrap"):
                self.wrap = tok == "wrap"
            elif tok not in self.unknown:
                self.unknown.append(tok)

    def _format(self, spec: str) -> bool:
        for prefix, value in (("no-", "no"), ("possible-", "possible"),
                              ("impossible-", "impossible"), ("", "yes")):
            if spec.startswith(prefix) and spec[len(prefix):] in _FORMATS:
                self.formats[spec[len(prefix):]] = value
                return True
        return False

    def line(self, show_fuzzy: bool, obsolete: bool) -> str | None:
        """The ``#,`` line GNU writes, or None."""
        out = ["fuzzy"] if show_fuzzy and self.fuzzy else []
        for lang in _FORMATS:
            value = self.formats.get(lang)
            if value in ("yes", "possible"):
                out.append(f"{lang}-format")
            elif value == "no":
                out.append(f"no-{lang}-format")
        if self.range and not obsolete:  # GNU drops range on obsolete entries
            out.append(f"range: {self.range[0]}..{self.range[1]}")
        if self.wrap is False:
            out.append("no-wrap")
        # Flags GNU does not know (it drops them) are kept, in entry order.
        out += self.unknown
        return "#, " + ", ".join(out) if out else None

    def directive_language(self) -> str | None:
        """The format GNU parses to protect directives from line breaks."""
        for lang in _FORMATS:
            if self.formats.get(lang) in ("yes", "possible"):
                return lang
        return None


@lru_cache(maxsize=1024)
def _parsed_flags(flags: tuple[str, ...], obsolete: bool) -> tuple[_Flags, str | None, str | None]:
    """(flags, ``#,`` line of a translated entry, format language): entries share a handful."""
    parsed = _Flags(list(flags))
    return parsed, parsed.line(True, obsolete), parsed.directive_language()


# ------------------------------------------------- format directives ----
#
# write-po.c never breaks inside a format directive of the entry's first
# format flag (in _FORMATS order).  The parsers below mirror gettext 0.21's
# format-*.c on the UTF-8 bytes: they mark START/END of valid directives and
# stop at the first invalid one (whose marks then protect nothing).

_START, _END, _ERROR = 1, 2, 4


class _Marks:
    """The ``fdi`` array of a gettext format parser."""

    def __init__(self, size: int):
        self.flags = bytearray(size)

    def set(self, pos: int, flag: int) -> None:
        if 0 <= pos < len(self.flags):
            self.flags[pos] |= flag


def _digits(b: bytes, i: int) -> int:
    while i < len(b) and 48 <= b[i] <= 57:
        i += 1
    return i


def _c_marks(b: bytes, marks: _Marks, translated: bool, objc: bool) -> None:
    """format-c-parse.h: printf directives incl. %n$, <PRIx64> and 'I'."""
    n = len(b)
    at = lambda k: chr(b[k]) if k < n else "\0"  # noqa: E731 - C's NUL end
    numbered = unnumbered = 0

    def arg(is_numbered: bool) -> bool:
        nonlocal numbered, unnumbered
        if (unnumbered if is_numbered else numbered):
            return False  # numbered and unnumbered arguments are exclusive
        if is_numbered:
            numbered += 1
        else:
            unnumbered += 1
        return True

    def dollar(k: int) -> tuple[int, int]:
        """(argument number or 0, index after it) for a `digits$` at k."""
        end = _digits(b, k)
        if end > k and at(end) == "$":
            return int(b[k:end]), end + 1
        return 0, k

    i = 0
    while i < n:
        if b[i] != 37:  # '%'
            i += 1
            continue
        marks.set(i, _START)
        i += 1
        number, j = dollar(i)
        if j != i and number == 0:
            return marks.set(j - 1, _ERROR)
        i = j
        while at(i) in " +-#0'" or (translated and at(i) == "I"):
            i += 1
        for is_width in (True, False):
            if not is_width:
                if at(i) != ".":
                    break
                i += 1
            if at(i) == "*":
                i += 1
                num, j = dollar(i)
                if j != i and num == 0:
                    return marks.set(j - 1, _ERROR)
                i = j
                if not arg(num != 0):
                    return marks.set(i - 1, _ERROR)
            else:
                i = _digits(b, i)
        takes_arg = True
        if at(i) == "<":  # ISO C 99 <inttypes.h> macro such as <PRId64>
            m = re.compile(rb"<PRI[diouxX](?:MAX|PTR|(?:LEAST|FAST)?(?:8|16|32|64))>").match(b, i)
            if not m:
                return marks.set(min(i + 1, n - 1), _ERROR)
            i = m.end() - 1
        else:
            while at(i) in "hlLqjzZt":
                i += 1
            conv = at(i)
            if conv in "%m":
                takes_arg = False
            elif conv not in "cCsSidiuoxXeEfFgGaApn" + ("@" if objc else "") or conv == "\0":
                return marks.set(i if conv != "\0" else i - 1, _ERROR)
        if takes_arg and not arg(number != 0):
            return marks.set(i, _ERROR)
        marks.set(i, _END)
        i += 1


def _python_marks(b: bytes, marks: _Marks) -> None:
    """format-python.c: %(name)s and positional % directives."""
    n = len(b)
    at = lambda k: chr(b[k]) if k < n else "\0"  # noqa: E731
    named = unnamed = 0
    i = 0
    while i < n:
        if b[i] != 37:
            i += 1
            continue
        marks.set(i, _START)
        i += 1
        has_name = False
        if at(i) == "(":
            depth, i = 0, i + 1
            while i < n and not (at(i) == ")" and depth == 0):
                depth += {"(": 1, ")": -1}.get(at(i), 0)
                i += 1
            if i >= n:
                return marks.set(i - 1, _ERROR)
            has_name, i = True, i + 1
        while at(i) in "-+ #0" and at(i) != "\0":
            i += 1
        for is_width in (True, False):
            if not is_width:
                if at(i) != ".":
                    break
                i += 1
            if at(i) == "*":
                i += 1
                if named:
                    return marks.set(i - 1, _ERROR)
                unnamed += 1
            else:
                i = _digits(b, i)
        if at(i) in "hlL" and at(i) != "\0":
            i += 1
        conv = at(i)
        if conv == "\0":
            return marks.set(i - 1, _ERROR)
        if conv not in "%csrdiuoxXeEfgG":
            return marks.set(i, _ERROR)
        if has_name:
            if unnamed:
                return marks.set(i, _ERROR)
            named += 1
        elif conv != "%":
            if named:
                return marks.set(i, _ERROR)
            unnamed += 1
        marks.set(i, _END)
        i += 1


_BRACE_NAME = re.compile(rb"[A-Za-z_][A-Za-z_0-9]*")
_BRACE_INDEX = re.compile(rb"[A-Za-z_][A-Za-z_0-9]*|[0-9]+")
_BRACE_SPEC = re.compile(rb"[-+ ]?#?0?[0-9]*(?:\.[0-9]*)?[bcdoxXneEfFgG%]?")


def _brace_marks(b: bytes, marks: _Marks) -> None:
    """format-python-brace.c of gettext 0.21.

    Its FDI_SET there counts from the start of each directive instead of the
    string, so the marks land at the start of the string; that is mirrored.
    """
    at = lambda k: chr(b[k]) if k < len(b) else "\0"  # noqa: E731

    def directive(i: int, top: bool) -> int | None:
        base = i  # GNU's (directive-local) format_start
        i += 1
        if at(i) == "{":
            return i + 1
        name_start = i
        m = _BRACE_INDEX.match(b, i)
        if not m:
            return marks.set(i - base, _ERROR)
        i = m.end()
        while at(i) in ".[" and at(i) != "\0":
            m = (_BRACE_NAME if at(i) == "." else _BRACE_INDEX).match(b, i + 1)
            if not m:
                return marks.set(i + 1 - base, _ERROR)
            bracket, i = at(i) == "[", m.end()
            if bracket:
                i += 1
                if at(i - 1) != "]":
                    return marks.set(i - base, _ERROR)
        if at(i) == ":":
            if not top:
                return marks.set(i - base, _ERROR)
            i += 1
            if at(i) == "{":
                nested = directive(i, False)
                if nested is None:
                    return None
                i = nested
            else:
                if at(i + 1) in "<>=^" and at(i + 1) != "\0":  # [[fill]align]
                    i += 2
                elif at(i) in "<>=^" and at(i) != "\0":
                    i += 1
                i = _BRACE_SPEC.match(b, i).end()
            if at(i) != "}":
                return marks.set(i - base, _ERROR)
        if at(i) != "}":
            return marks.set(i - base, _ERROR)
        if top:
            marks.set(name_start - 1 - base, _START)
            marks.set(i - base, _END)
        return i + 1

    i = 0
    while i < len(b):
        if b[i] == 123:  # '{'
            nxt = directive(i, True)
            if nxt is None:
                return
            i = nxt
        else:
            i += 1


_DIRECTIVE_FORMATS = frozenset(("c", "objc", "python", "python-brace"))  # those _protected parses


def _protected(value: str, fmt: str | None, translated: bool) -> list[bool]:
    """Per char of ``value``: True where GNU forbids a break (inside a directive)."""
    parse = {"c": lambda b, m: _c_marks(b, m, translated, False),
             "objc": lambda b, m: _c_marks(b, m, translated, True),
             "python": _python_marks, "python-brace": _brace_marks}.get(fmt or "")
    if parse is None or not value:
        return [False] * len(value)
    raw = value.encode("utf-8")
    marks = _Marks(len(raw))
    parse(raw, marks)
    # write-po.c: a START up to the next END is a directive; up to an ERROR
    # it is an invalid one, which does not restrict breaking.
    inside = bytearray(len(raw))
    flags = marks.flags
    k = 0
    while k < len(raw):
        if flags[k] & _START:
            end = k
            while not flags[end] & (_END | _ERROR):
                end += 1
            if not flags[end] & _ERROR:
                inside[k:end + 1] = b"\1" * (end + 1 - k)
            k = end
        k += 1
    result = []
    pos = 0
    for ch in value:
        result.append(bool(inside[pos]) and not flags[pos] & _START)
        pos += len(ch.encode("utf-8"))
    return result


# ------------------------------------------------------------- strings ----

_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t",
            "\v": "v", "\\": "\\", '"': '"'}
_NO_WRAP = 1 << 30  # GNU's INT_MAX page width


_NEEDS_ESCAPE = re.compile('[\a\b\f\n\r\t\v\\\\"]')


def _wrap(out: list[str], prefix: str, name: str, value: str,
          page_width: int, fmt: str | None) -> None:
    """Append the lines of ``name "value"`` as write-po.c's wrap() does."""
    out.extend(_wrapped(prefix, name, value, page_width, fmt))


@lru_cache(maxsize=1 << 15)  # every catalog repeats the template's msgids
def _wrapped(prefix: str, name: str, value: str, page_width: int, fmt: str | None) -> tuple[str, ...]:
    out: list[str] = []
    if fmt in _DIRECTIVE_FORMATS:
        inner = _protected(value, fmt, name.startswith("msgstr"))
        protected = [k for k, flag in enumerate(inner) if flag] if True in inner else []
    else:
        protected = []  # no directives to keep whole

    # Subsequent lines are `prefix"...` ; the width excludes both quotes.
    after_break = len(prefix) + 1
    width = page_width - 1 - after_break
    first = True
    pos = 0
    while True:
        end = value.find("\n", pos)
        end = len(value) if end < 0 else end + 1
        # Escape the portion; escape sequences never break inside.
        portion, prohibited = _escape(value, pos, end, protected)
        if first and end < len(value):
            # A multi-line string starts with an empty string so the text lines up below it.
            out.append(f'{prefix}{name} ""')
            first = False
        breaks = _width_breaks(portion, prohibited, width, 0)
        if first and portion:
            # A first line that would wrap after `name "` also starts with an empty string. It
            # wraps if the lines below do (less room never breaks later), else it is checked.
            start_col = len(name) + 1
            if breaks or start_col > width or _width_breaks(portion, prohibited, width, start_col, first_only=True):
                out.append(f'{prefix}{name} ""')
                first = False
        line = f"{prefix}{name} " if first else prefix
        first = False
        chunk_start = 0
        for k in breaks:
            out.append(f'{line}"{portion[chunk_start:k]}"')
            line, chunk_start = prefix, k
        out.append(f'{line}"{portion[chunk_start:]}"')
        pos = end
        if pos >= len(value):
            break
    return tuple(out)


def _escape(value: str, pos: int, end: int, protected: list[int]) -> tuple[str, set[int]]:
    """``value[pos:end]`` escaped as in a PO file, and the positions (in the escaped text)
    where no break may go: after each escape's backslash, and inside format directives."""
    chunk = value[pos:end]
    escapes = [m.start() for m in _NEEDS_ESCAPE.finditer(chunk)]
    prohibited: set[int] = set()
    if not escapes:
        text = chunk
    else:
        parts, last = [], 0
        for shift, k in enumerate(escapes):
            parts += [chunk[last:k], "\\", _ESCAPES[chunk[k]]]
            prohibited.add(k + shift + 1)
            last = k + 1
        parts.append(chunk[last:])
        text = "".join(parts)
        if chunk.endswith("\n"):
            prohibited.add(len(text) - 2)  # never break right before "\n"
    if protected:
        lo, hi = bisect_left(protected, pos), bisect_left(protected, end)
        for k in protected[lo:hi]:
            prohibited.add(k - pos + bisect_left(escapes, k - pos))
    return text, prohibited


# ------------------------------------------------------------- entries ----

def _comment_lines(out: list[str], marker: str, text: str | None) -> None:
    if text:
        for line in text.split("\n"):
            out.append(f"{marker} {line}" if line else marker)


def _references(out: list[str], occurrences, page_width: int) -> None:
    """``#:`` lines, filled up to the page width like write-po.c."""
    seen = set()
    refs = []
    for fname, lineno in occurrences:
        key = (fname, str(lineno))
        if key in seen:  # GNU keeps one copy of a repeated position
            continue
        seen.add(key)
        while fname.startswith("./"):
            fname = fname[2:]
        lineno = str(lineno).strip()
        digits = lineno.isascii() and lineno.isdigit()
        refs.append(f"{fname}:{int(lineno)}" if digits else fname)
    if not refs:
        return
    line, column = "#:", 2
    for ref in refs:
        size = len(ref.encode("utf-8")) + 1  # GNU counts bytes here
        if column > 2 and column + size > page_width:
            out.append(line)
            line, column = "#:", 2
        line += " " + ref
        column += size
    out.append(line)


def _entry_lines(entry: polib.POEntry, page_width: int, no_wrap: bool,
                 header_comment: str | None = None) -> list[str]:
    out: list[str] = []
    obsolete = bool(entry.obsolete)
    flags, translated_flag_line, fmt = _parsed_flags(tuple(entry.flags), obsolete)
    if entry.msgid_plural:
        forms = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)] or [""]
    else:
        forms = [entry.msgstr]
    translated = forms[0] != ""
    if obsolete and not translated:
        return out  # GNU drops obsolete entries without a translation

    _comment_lines(out, "#", header_comment if header_comment is not None else entry.tcomment)
    _comment_lines(out, "#.", entry.comment)
    _references(out, entry.occurrences, page_width)
    show_fuzzy = translated or obsolete
    flag_line = translated_flag_line if show_fuzzy else flags.line(show_fuzzy=False, obsolete=obsolete)
    if flag_line:
        out.append(flag_line)

    wrap_width = _NO_WRAP if no_wrap or flags.wrap is False else page_width
    prev = "#~| " if obsolete else "#| "
    for name, value in (("msgctxt", entry.previous_msgctxt),
                        ("msgid", entry.previous_msgid),
                        ("msgid_plural", entry.previous_msgid_plural)):
        if value is not None:
            _wrap(out, prev, name, value, wrap_width, fmt)

    prefix = "#~ " if obsolete else ""
    if entry.msgctxt is not None:
        _wrap(out, prefix, "msgctxt", entry.msgctxt, wrap_width, fmt)
    _wrap(out, prefix, "msgid", entry.msgid, wrap_width, fmt)
    if entry.msgid_plural:
        _wrap(out, prefix, "msgid_plural", entry.msgid_plural, wrap_width, fmt)
        for i, form in enumerate(forms):
            _wrap(out, prefix, f"msgstr[{i}]", form, wrap_width, fmt)
    else:
        _wrap(out, prefix, "msgstr", entry.msgstr, wrap_width, fmt)
    return out


def _header_entry(catalog: polib.POFile) -> polib.POEntry:
    """The header as an entry, fields in ``catalog.metadata`` order."""
    entry = polib.POEntry(msgid="")
    entry.msgstr = "".join(f"{key}: {value}\n" for key, value in catalog.metadata.items())
    fuzzy = catalog.metadata_is_fuzzy
    entry.flags = list(fuzzy) if isinstance(fuzzy, list) else (["fuzzy"] if fuzzy else [])
    return entry


def format_catalog(catalog: polib.POFile, width: int = 79) -> str:
    """Return ``catalog`` as GNU ``msgcat --width=WIDTH`` writes it.

    ``width=0`` means ``msgcat --no-wrap``: strings are not wrapped, while
    ``#:`` reference lines are still filled to GNU's default 79 columns.
    """
    if width < 0:
        raise ValueError("width must be >= 0")
    page_width = width or 79
    no_wrap = width == 0
    blocks = [_entry_lines(_header_entry(catalog), page_width, no_wrap,
                           header_comment=catalog.header)]
    live = [e for e in catalog if not e.obsolete]
    dead = [e for e in catalog if e.obsolete]  # GNU moves obsolete entries last
    for entry in live + dead:
        lines = _entry_lines(entry, page_width, no_wrap)
        if lines:
            blocks.append(lines)
    return "\n".join("\n".join(lines) + "\n" for lines in blocks)
