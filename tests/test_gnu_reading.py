"""The PO reader reads what GNU gettext reads: a differential test against msgfmt and msgcat over
generated catalogs, every string spelled in the ways a PO file may spell it."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import polib
import pytest
from conftest import gnu, l10n, po_path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.catalogs import read_catalog, write_catalog
from pipeline.config import load_config

HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
)
# Line separators and the other characters str.splitlines ends lines at, escapes' targets, and
# ordinary text (Latin, Hangul, an emoji, a quote, a backslash).
SPECIAL = "\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e\x07\x08\t\n\r\"\\"
ALPHABET = st.sampled_from(list(SPECIAL) + list("aZ 9é한\U0001f600{}%"))
SIMPLE = {"\n": "n", "\t": "t", "\b": "b", "\r": "r", "\f": "f", "\v": "v", "\a": "a", "\\": "\\", '"': '"'}
HEX = set("0123456789abcdefABCDEF")


@st.composite
def spelled(draw: st.DrawFn, text: str) -> list[str]:
    """``text`` as the bodies of one or more quoted strings, each character spelled raw, with its
    escape, or byte by byte in octal or hex (a hex escape never before a raw hex digit)."""
    units: list[str] = []  # cut anywhere between two, even inside one character's bytes
    for ch in text:
        ways = ["octal", "hex"]
        if ch not in '"\\\n\r':
            ways.append("raw")
        if ch in SIMPLE:
            ways.append("simple")
        way = draw(st.sampled_from(ways))
        if way == "raw" and ch in HEX and units and units[-1].startswith("\\x"):
            way = "octal"
        if way == "raw":
            units.append(ch)
        elif way == "simple":
            units.append("\\" + SIMPLE[ch])
        elif way == "octal":
            units += [f"\\{byte:03o}" for byte in ch.encode("utf-8")]
        else:
            units += [f"\\x{byte:02x}" for byte in ch.encode("utf-8")]
    cuts = sorted(draw(st.sets(st.integers(0, len(units)), max_size=3)))
    bodies, start = [], 0
    for cut in [*cuts, len(units)]:
        bodies.append("".join(units[start:cut]))
        start = cut
    return [body for body in bodies if body] or [""]


def quoted(keyword: str, bodies: list[str]) -> str:
    if len(bodies) == 1:
        return f'{keyword} "{bodies[0]}"\n'
    return f'{keyword} ""\n' + "".join(f'"{body}"\n' for body in bodies)


@st.composite
def catalogs(draw: st.DrawFn) -> tuple[str, dict[tuple[str | None, str], str], dict[tuple[str | None, str], str]]:
    """A PO text; what each entry's msgstr is; each entry's translator comment."""
    count = draw(st.integers(1, 4))
    texts = st.text(ALPHABET, min_size=1, max_size=12)
    keys = draw(st.lists(st.tuples(st.none() | texts, texts), min_size=count, max_size=count, unique=True))
    expected, comments, blocks = {}, {}, []
    for context, msgid in keys:
        msgstr = draw(texts)
        # GNU wants msgid and msgstr to agree on a leading and trailing newline (msgfmt -c)
        msgstr = ("\n" if msgid.startswith("\n") else "") + msgstr.strip("\n") + ("\n" if msgid.endswith("\n") else "")
        if msgstr in ("", "\n", "\n\n"):
            msgstr = msgstr + "x" if not msgid.endswith("\n") else "x\n"
            msgstr = ("\n" if msgid.startswith("\n") else "") + msgstr.lstrip("\n")
        comment = draw(st.text(st.sampled_from(list("\u2028\u2029\x85\x0c\x1c ab")), max_size=6))
        block = f"# {comment}\n" if comment.strip() == comment and comment else ""
        if context is not None:
            block += quoted("msgctxt", draw(spelled(context)))
        block += quoted("msgid", draw(spelled(msgid))) + quoted("msgstr", draw(spelled(msgstr)))
        blocks.append(block)
        expected[(context, msgid)] = msgstr
        if block.startswith("# "):
            comments[(context, msgid)] = comment
    return HEADER + "\n".join(blocks), expected, comments


def ours(path: Path, root: Path | None = None) -> polib.POFile:
    return read_catalog(path, load_config(root or path.parent))


def table(catalog: polib.POFile) -> dict[tuple[str | None, str], str]:
    return {(e.msgctxt, e.msgid): e.msgstr for e in catalog if e.msgid}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_the_reader_agrees_with_msgfmt_and_msgcat(generated) -> None:
    text, expected, comments = generated
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "pyproject.toml").write_text('[tool.l10n]\nlocales = ["ko"]\n', encoding="utf-8")
        po = root / "messages.po"
        po.write_bytes(text.encode("utf-8"))
        compiled = gnu("msgfmt", "-o", str(root / "messages.mo"), str(po))
        assert compiled.returncode == 0, compiled.stderr
        reference = table(polib.mofile(str(root / "messages.mo")))
        assert reference == expected  # the generator spells what it means, as GNU reads it

        catalog = ours(po)
        assert table(catalog) == reference
        assert {(e.msgctxt, e.msgid): e.tcomment for e in catalog if e.tcomment} == comments

        # msgcat's rewriting (GNU's own spelling and layout) reads back the same
        (root / "msgcat.po").write_bytes(gnu_bytes("msgcat", "-o", "-", str(po)))
        assert table(ours(root / "msgcat.po")) == reference

        # and so does what we write ourselves, which msgfmt -c accepts
        write_catalog(root / "ours.po", catalog)
        assert table(ours(root / "ours.po")) == reference
        checked = gnu("msgfmt", "-c", "-o", str(root / "ours.mo"), str(root / "ours.po"))
        assert "error" not in checked.stderr.lower(), checked.stderr
        assert table(polib.mofile(str(root / "ours.mo"))) == reference


def gnu_bytes(*args: str) -> bytes:
    gnu(args[0], "--version")  # fails the test with the install command when missing
    return subprocess.run(args, capture_output=True, check=True).stdout


@pytest.mark.parametrize(
    "spelling, meaning",
    [
        ('"a\\ab"', "a\x07b"),
        ('"\\b\\f\\v\\r"', "\x08\x0c\x0b\r"),
        ('"\\101\\60\\0601"', "A001"),
        ('"\\x41\\x4a4b"', "AK"),  # hex takes every hex digit; the value is one byte
        ('"\\xe2\\x80\\xa8"', "\u2028"),
        ('"\\xe2"\n"\\x80\\xa8"', "\u2028"),  # one UTF-8 sequence across two strings
        ('"line\u2028separator\u2029paragraph"', "line\u2028separator\u2029paragraph"),
        ('"nel\x85 vt\x0b ff\x0c fs\x1c gs\x1d rs\x1e"', "nel\x85 vt\x0b ff\x0c fs\x1c gs\x1d rs\x1e"),
    ],
)
def test_gnu_escapes_and_line_breaks_inside_strings(project: Path, spelling: str, meaning: str) -> None:
    path = po_path(project, "ko")
    empty = 'msgid "Language"\nmsgstr ""'
    text = path.read_text(encoding="utf-8").replace(empty, 'msgid "Language"\nmsgstr ' + spelling)
    path.write_text(text, encoding="utf-8")
    assert gnu("msgfmt", "-o", "/dev/null", str(path)).returncode == 0

    assert next(e for e in ours(path, project) if e.msgid == "Language").msgstr == meaning
    for command in (("check", "--locale", "ko"), ("stats",), ("update",)):
        assert l10n(project, *command).code in (0, 1), command  # reads it: no "Syntax error", no exit 2
    assert next(e for e in ours(path, project) if e.msgid == "Language").msgstr == meaning  # update kept it


def test_escapes_that_do_not_spell_utf8_are_exit_2_with_the_line(project: Path) -> None:
    path = po_path(project, "ko")
    text = path.read_text(encoding="utf-8").replace('msgid "Language"\nmsgstr ""', 'msgid "Language"\nmsgstr "\\xff"')
    path.write_text(text, encoding="utf-8")
    line = text.split("\n").index('msgid "Language"') + 1
    result = l10n(project, "check", "--locale", "ko")
    assert result.code == 2
    assert f"locales/ko/LC_MESSAGES/messages.po:{line}: escape sequences that do not spell UTF-8" in result.stderr
