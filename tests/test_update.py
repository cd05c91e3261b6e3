"""`l10n update` / `l10n init`: msgmerge semantics, byte-stable, GNU tools accept the result."""

from __future__ import annotations

import tomllib
from pathlib import Path

import polib

from conftest import TRANSLATIONS, gnu, l10n, po_path


def test_created_catalogs_pass_msgfmt(project: Path) -> None:
    for locale in ("ko", "ar"):
        catalog = polib.pofile(str(po_path(project, locale)))
        assert catalog.metadata["Language"] == locale
        assert "nplurals=" in catalog.metadata["Plural-Forms"]
        result = gnu("msgfmt", "-c", "-o", "/dev/null", str(po_path(project, locale)))
        assert result.returncode == 0, result.stderr


def test_rerun_changes_no_byte(translated: Path) -> None:
    before = po_path(translated, "ko").read_bytes()
    result = l10n(translated, "update")
    assert result.code == 0
    assert "unchanged" in result.stdout
    assert po_path(translated, "ko").read_bytes() == before


def test_changed_source_turns_fuzzy_and_removed_turns_obsolete(translated: Path, tmp_path: Path) -> None:
    page = translated / "source" / "first-visit.md"
    text = page.read_text(encoding="utf-8")
    text = text.replace("Please bring your ID card\nand a list of your medicines.",
                        "Please bring your ID card\nand a list of all your medicines.")
    text = text.replace("## Before you arrive\n\n", "")
    page.write_text(text, encoding="utf-8")
    old = tmp_path / "old.po"
    old.write_bytes(po_path(translated, "ko").read_bytes())
    assert l10n(translated, "extract").code == 0
    result = l10n(translated, "update")
    assert result.code == 0
    catalog = polib.pofile(str(po_path(translated, "ko")))
    changed = catalog.find("Please bring your ID card and a list of all your medicines.")
    assert changed.fuzzy
    assert changed.previous_msgid == "Please bring your ID card and a list of your medicines."
    assert changed.msgstr == TRANSLATIONS["ko"]["Please bring your ID card and a list of your medicines."]
    obsolete = [e for e in catalog if e.obsolete]
    assert [e.msgid for e in obsolete] == ["Before you arrive"]

    # GNU msgmerge on the same inputs makes the same decisions
    reference = tmp_path / "ref.po"
    gnu("msgmerge", "--quiet", "--previous", "-o", str(reference), str(old), str(translated / "locales" / "messages.pot"))
    ref = polib.pofile(str(reference))

    def decisions(po: polib.POFile) -> list[tuple]:
        return [(e.msgctxt, e.msgid, e.msgstr, e.fuzzy, e.previous_msgid, e.obsolete) for e in po]

    assert decisions(catalog) == decisions(ref)
    assert gnu("msgfmt", "-c", "-o", "/dev/null", str(po_path(translated, "ko"))).returncode == 0


def test_update_creates_a_missing_catalog(project: Path) -> None:
    path = po_path(project, "ar")
    path.unlink()
    result = l10n(project, "update")
    assert result.code == 0
    assert "locales/ar/LC_MESSAGES/messages.po: created" in result.stdout
    assert path.is_file()


def test_init_adds_locale_keeping_the_file_formatting(project: Path) -> None:
    pyproject = project / "pyproject.toml"
    before = pyproject.read_text(encoding="utf-8")
    result = l10n(project, "init", "--locale", "vi")
    assert result.code == 0, result.output
    after = pyproject.read_text(encoding="utf-8")
    assert after == before.replace('locales = ["ko", "ar"]', 'locales = ["ko", "ar", "vi"]')
    assert tomllib.loads(after)["tool"]["l10n"]["locales"] == ["ko", "ar", "vi"]
    catalog = polib.pofile(str(po_path(project, "vi")))
    assert catalog.metadata["Language"] == "vi"
    assert len([e for e in catalog if not e.obsolete]) == len(polib.pofile(str(project / "locales" / "messages.pot")))
    # the new locale is part of the pipeline now
    assert "locales/vi/LC_MESSAGES/messages.po: unchanged" in l10n(project, "update").stdout


def test_init_in_a_multiline_locales_list(project: Path) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace('locales = ["ko", "ar"]', 'locales = [\n    "ko",\n    "ar",\n]'),
        encoding="utf-8",
    )
    assert l10n(project, "init", "--locale", "zh_Hant").code == 0
    assert 'locales = [\n    "ko",\n    "ar",\n    "zh_Hant",\n]' in pyproject.read_text(encoding="utf-8")
