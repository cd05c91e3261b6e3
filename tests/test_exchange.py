"""`l10n export` / `l10n import`: a locale's catalog as XLIFF 1.2 for an agency's CAT tool, and
its translations taken back, exactly where they belong."""

from __future__ import annotations

from pathlib import Path

import polib
from conftest import DISCLAIMER, PAGE, TRANSLATIONS, gnu, l10n, po_path, snapshot, translate_catalog
from translate.storage import xliff

KO = TRANSLATIONS["ko"]


def export(root: Path, *args: str) -> Path:
    out = root.parent / "ko.xlf"
    result = l10n(root, "export", "--locale", "ko", "--output", str(out), *args)
    assert result.code == 0, result.output
    return out


def entries(root: Path) -> dict[tuple, tuple]:
    return {(e.msgctxt, e.msgid): (e.msgstr, tuple(e.flags), e.tcomment)
            for e in polib.pofile(str(po_path(root, "ko"))) if not e.obsolete}


def test_export_then_import_without_edits_is_byte_identical(translated: Path) -> None:
    translate_catalog(translated, "ko", {k: v for k, v in KO.items() if k != "Before you arrive"},
                      fuzzy={"Language"})
    before = snapshot(translated)
    out = export(translated)
    result = l10n(translated, "import", str(out))
    assert result.code == 0 and "unchanged" in result.stdout, result.output
    assert snapshot(translated) == before


def test_the_xliff_carries_context_notes_and_states(translated: Path) -> None:
    page = translated / "source" / "first-visit.md"
    page.write_text(PAGE.replace("your ID card", "your passport"), encoding="utf-8")
    (translated / "locales" / "glossary.csv").write_text(
        "term,locale,translation,rule,note\nbleeding,ko,출혈,required,\n", encoding="utf-8")
    assert l10n(translated, "extract").code == 0 and l10n(translated, "update").code == 0
    store = xliff.xlifffile.parsestring(export(translated).read_bytes())
    assert store.getsourcelanguage() == "en" and store.gettargetlanguage() == "ko"
    units = {str(u.source): u for u in store.units}
    disclaimer = units[DISCLAIMER]
    assert disclaimer.getcontextgroups("po-entry") == [[("x-po-msgctxt", "disclaimer")]]
    assert disclaimer.xmlelement.get("resname") == "disclaimer"
    assert "glossary (required): bleeding -> 출혈" in disclaimer.getnotes("glossary")
    assert "https://clinic.example/en/first-visit.html" in disclaimer.getnotes("developer")
    changed = units["Please bring your passport and a list of your medicines."]
    assert "Before: Please bring your ID card and a list of your medicines." in changed.getnotes("previous-source")
    state = {str(u.source): u.getlanguageNode(lang=None, index=1).get("state") for u in store.units}
    assert state["Please bring your passport and a list of your medicines."] == "needs-review-translation"
    assert state["First Visit"] == "translated"
    assert state["Machine-translated draft, not reviewed"] == "needs-translation"
    only_empty = xliff.xlifffile.parsestring(export(translated, "--only", "empty").read_bytes())
    assert {str(u.source) for u in only_empty.units} == {
        s for s, v in state.items() if v == "needs-translation"}


def edit_target(path: Path, source: str, target: str) -> None:
    store = xliff.xlifffile.parsestring(path.read_bytes())
    unit = next(u for u in store.units if str(u.source) == source)
    unit.settarget(target)
    path.write_bytes(bytes(store))


def test_one_edited_target_changes_exactly_that_entry(translated: Path) -> None:
    before = entries(translated)
    out = export(translated)
    edit_target(out, "Before you arrive", "내원 전에")
    result = l10n(translated, "import", str(out))
    assert result.code == 0 and "1 of" in result.stdout and "fuzzy" in result.stdout, result.output
    after = entries(translated)
    differing = {k for k in before if before[k] != after[k]}
    assert differing == {(None, "Before you arrive")}
    assert after[(None, "Before you arrive")][0] == "내원 전에" and "fuzzy" in after[(None, "Before you arrive")][1]
    assert gnu("msgfmt", "-c", "-o", "/dev/null", str(po_path(translated, "ko"))).returncode == 0
    # reviewed by a named person: approved, with the record the disclaimer gate asks for
    edit_target(out, DISCLAIMER, KO[DISCLAIMER].replace("발생할 수 있습니다", "생길 수 있습니다"))
    result = l10n(translated, "import", str(out), "--reviewed", "Park Minji")
    assert result.code == 0, result.output
    catalog = polib.pofile(str(po_path(translated, "ko")))
    disclaimer = catalog.find(DISCLAIMER, msgctxt="disclaimer")
    assert not disclaimer.fuzzy and "생길 수 있습니다" in disclaimer.msgstr
    assert disclaimer.tcomment.startswith("reviewed: Park Minji ")
    assert catalog.metadata["Last-Translator"] == "Park Minji"


def test_unknown_units_and_changed_english_change_nothing(translated: Path) -> None:
    out = export(translated)
    page = translated / "source" / "first-visit.md"
    page.write_text(PAGE.replace("## Before you arrive", "## Before your visit"), encoding="utf-8")
    assert l10n(translated, "extract").code == 0 and l10n(translated, "update").code == 0
    edit_target(out, "First Visit", "첫 내원")
    before = snapshot(translated)
    result = l10n(translated, "import", str(out))
    assert result.code == 2 and "'Before you arrive'" in result.stderr and "ko.xlf:" in result.stderr
    assert snapshot(translated) == before
    text = out.read_text(encoding="utf-8")
    out.write_text(text.replace('target-language="ko"', 'target-language="de"'), encoding="utf-8")
    assert l10n(translated, "import", str(out)).code == 2
    out.write_text("<xliff", encoding="utf-8")
    result = l10n(translated, "import", str(out))
    assert result.code == 2 and "not an XLIFF file" in result.stderr
    assert snapshot(translated) == before
