"""Bad input: exit 2, `path:line: message`, and nothing modified."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import l10n, po_path, snapshot


@pytest.mark.parametrize(
    "broken, line, message",
    [
        ('msgid "Before you arrive"\nmsgstr "방문 전에\n', None, "expected a quoted string"),
        ('msgid "Before you arrive"\nmsgstr "a" junk\n', None, "expected a quoted string"),
        ('msgid "Before you arrive"\nmsgstr "\\q"\n', None, "invalid escape"),
        ('msgid "Before you arrive"\nmsgstr "x"\n\nmsgid "Before you arrive"\nmsgstr "y"\n', None, "duplicate message"),
        ("msgid\n", None, "syntax error"),
        ('msgstr "x"\n', None, "without a msgid"),
    ],
)
def test_malformed_po_exits_2_and_changes_nothing(translated: Path, broken: str, line: None, message: str) -> None:
    path = po_path(translated, "ar")
    text = path.read_text(encoding="utf-8") + "\n" + broken
    path.write_text(text, encoding="utf-8")
    error_line = text.count("\n", 0, len(text) - len(broken)) + 1
    before = snapshot(translated)
    for command in (["build"], ["update"], ["check"], ["extract"], ["stats"]):
        result = l10n(translated, *command)
        if command == ["extract"]:
            assert result.code == 0  # extract does not read catalogs
            continue
        assert result.code == 2, (command, result.output)
        assert "locales/ar/LC_MESSAGES/messages.po:" in result.stderr
        assert message in result.stderr
        reported = int(result.stderr.split("messages.po:")[1].split(":")[0])
        assert error_line <= reported <= error_line + 4
        assert "Traceback" not in result.output
    assert snapshot(translated) == before


def test_header_without_charset(project: Path) -> None:
    path = po_path(project, "ko")
    path.write_text(path.read_text(encoding="utf-8").replace('"Content-Type: text/plain; charset=UTF-8\\n"\n', ""), encoding="utf-8")
    result = l10n(project, "build")
    assert result.code == 2
    assert "messages.po:3: header has no 'Content-Type" in result.stderr


def test_non_utf8_source(project: Path) -> None:
    page = project / "source" / "first-visit.md"
    page.write_bytes(page.read_bytes() + b"\nCaf\xe9\n")
    before = snapshot(project)
    result = l10n(project, "extract")
    assert result.code == 2
    assert "source/first-visit.md:17: not valid UTF-8" in result.stderr
    assert snapshot(project) == before


@pytest.mark.parametrize(
    "front, line, message",
    [
        ("title: [unclosed\nslug: first-visit\n", 3, "invalid YAML"),
        ("title: First Visit\nslug: First_Visit\ndisclaimer: ※ x\n", 3, "invalid slug"),
        ("title: First Visit\nslug: other-page\ndisclaimer: ※ x\n", 3, "does not match the file name"),
        ("title: First Visit\nslug: first-visit\n", 1, "non-empty string 'disclaimer'"),
        ("title: First Visit\nslug: first-visit\ndisclaimer: [1, 2]\n", 4, "non-empty string 'disclaimer'"),
        ("title: First Visit\nslug: first-visit\ndisclaimer: no marker\n", 4, "marker"),
    ],
)
def test_bad_front_matter(project: Path, front: str, line: int, message: str) -> None:
    (project / "source" / "first-visit.md").write_text(f"---\n{front}---\n\nBody.\n", encoding="utf-8")
    before = snapshot(project)
    result = l10n(project, "extract")
    assert result.code == 2, result.output
    assert f"source/first-visit.md:{line}: " in result.stderr
    assert message in result.stderr
    assert snapshot(project) == before


@pytest.mark.parametrize("locale", ["xx_QQ", "../evil", "ko/../../x", "EN"])
def test_bad_locale_in_init(project: Path, locale: str) -> None:
    before = snapshot(project)
    result = l10n(project, "init", "--locale", locale)
    assert result.code == 2
    assert "locale" in result.stderr
    assert snapshot(project) == before


def test_unknown_locale_in_config(project: Path) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace('"ar"]', '"ar", "zz"]'), encoding="utf-8")
    result = l10n(project, "build")
    assert result.code == 2
    assert "pyproject.toml:7: unknown locale 'zz'" in result.stderr


def test_bom_and_crlf_catalogs_are_accepted_and_kept(translated: Path) -> None:
    path = po_path(translated, "ko")
    original = path.read_bytes()
    path.write_bytes(b"\xef\xbb\xbf" + original.replace(b"\n", b"\r\n"))
    saved = path.read_bytes()
    assert l10n(translated, "build").code == 0
    assert l10n(translated, "update").code == 0
    assert path.read_bytes() == saved  # nothing to change: byte-identical, BOM and CRLF kept
    page = translated / "source" / "first-visit.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8")
    assert l10n(translated, "extract").code == 0
    assert l10n(translated, "update").code == 0
    updated = path.read_bytes()
    assert updated.startswith(b"\xef\xbb\xbf") and b"One more paragraph." in updated
    assert b"\n" not in updated.replace(b"\r\n", b"")


def test_mismatched_plural_forms(project: Path) -> None:
    path = po_path(project, "ar")  # Arabic has six plural forms
    with path.open("a", encoding="utf-8") as handle:
        handle.write('\nmsgid "one day"\nmsgid_plural "%d days"\nmsgstr[0] "يوم"\nmsgstr[1] "يومان"\n')
    result = l10n(project, "check")
    assert result.code == 2
    assert "nplurals=6" in result.stderr


@pytest.mark.parametrize(
    "row, line, message",
    [
        ("bleeding,ko,출혈,mandatory,", 2, "unknown rule"),
        ("bleeding,ko,출혈,required", 2, "expected 5 columns"),
        ("bleeding,xx,출혈,required,", 2, "not configured"),
        ("SMAS,ko,,keep,", 2, "use locale '*'"),
        (",ko,출혈,required,", 2, "empty term"),
    ],
)
def test_malformed_glossary_row(translated: Path, row: str, line: int, message: str) -> None:
    (translated / "locales" / "glossary.csv").write_text(f"term,locale,translation,rule,note\n{row}\n", encoding="utf-8")
    before = snapshot(translated)
    result = l10n(translated, "build")
    assert result.code == 2
    assert f"locales/glossary.csv:{line}: {message}" in result.stderr or message in result.stderr
    assert f"locales/glossary.csv:{line}:" in result.stderr
    assert snapshot(translated) == before
