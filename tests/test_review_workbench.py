"""`l10n review` as a translator's workbench: empty entries to translate, filters, going back,
search, suggestions from the catalog (msgmerge's score) and the glossary, header upkeep."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
import wcwidth
from click.testing import CliRunner

from conftest import (
    DISCLAIMER, MOVED, MOVED_JA, NEW_PAGE, TRANSLATIONS, Result, gnu, l10n, po_path, translate_catalog,
)
from pipeline.cli import main

EPOCH = "1767225600"  # 2026-01-01 00:00 UTC
# Real Korean for the template strings the tiny project's TRANSLATIONS leave empty.
KO_TEMPLATES = {
    "Machine-translated draft, not reviewed": "기계 번역 초안(검토 전)",
    "Search": "검색",
    "Search the procedure pages": "시술 안내 페이지 검색",
    "The English page changed on %(date)s; this translation may be out of date.":
        "영어 원문이 %(date)s에 변경되어 이 번역은 최신 내용이 아닐 수 있습니다.",
    "Parts of this page are not yet available in %(language)s.": "이 페이지의 일부는 아직 %(language)s(으)로 제공되지 않습니다.",
    "Choose a language": "언어 선택",
    "Procedure pages in this language: %(count)s": "이 언어로 제공되는 시술 안내 페이지: %(count)s",
}


def review(root: Path, keys: str, *args: str, editor: str | None = None, columns: int | None = None) -> Result:
    """`l10n review` with ``keys`` on stdin (one key or answer a line), at a fixed moment."""
    env = {"EDITOR": editor, "SOURCE_DATE_EPOCH": EPOCH, "COLUMNS": str(columns) if columns else None}
    result = CliRunner().invoke(main, ["--project", str(root), "review", *args], input=keys, env=env,
                                catch_exceptions=False)
    return Result(result.exit_code, result.stdout, result.stderr)


def shown(output: str) -> list[str]:
    """Each entry as it was shown (the text after each ``--- N to review`` line)."""
    return output.split("\n--- ")[1:]


def english(block: str) -> str:
    """The English of a shown entry, its wrapped lines joined."""
    return field(block, "English:")


def field(block: str, label: str) -> str:
    """A labelled text of a shown entry, its wrapped lines joined."""
    lines = block.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(label))
    text = lines[start][10:]
    for line in lines[start + 1:]:
        if not line.startswith(" " * 10):
            break
        text += ("" if text.endswith("-") else " ") + line[10:]  # a line may end after a hyphen
    return text


def catalog(root: Path, locale: str) -> polib.POFile:
    return polib.pofile(str(po_path(root, locale)))


def same_as_msgcat(root: Path, locale: str) -> None:
    path = po_path(root, locale)
    assert gnu("msgfmt", "-c", "-o", "/dev/null", str(path)).returncode == 0
    assert path.read_text(encoding="utf-8") == gnu("msgcat", "--width=79", str(path)).stdout


@pytest.fixture
def new_page(repo_copy: Path) -> Path:
    """The shipped site, after a content editor added a page and ran extract and update."""
    disclaimer = catalog(repo_copy, "ja").find("disclaimer", by="msgctxt").msgid
    (repo_copy / "source" / "smas-layer.md").write_text(NEW_PAGE.format(disclaimer=disclaimer), encoding="utf-8")
    assert l10n(repo_copy, "extract").code == 0
    assert l10n(repo_copy, "update").code == 0
    return repo_copy



def add_paragraphs(root: Path, *paragraphs: str) -> None:
    """New English paragraphs after first-visit's ID-card paragraph."""
    page = root / "source" / "first-visit.md"
    anchor = "Please bring your ID card\nand a list of your medicines."
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace(anchor, "\n\n".join((anchor, *paragraphs))), encoding="utf-8")

def test_empty_entries_come_after_the_fuzzy_ones_and_are_translated_inline(translated: Path) -> None:
    translate_catalog(translated, "ko", TRANSLATIONS["ko"], fuzzy={"First Visit"})
    empty = [e.msgid for e in catalog(translated, "ko") if e.msgid and not e.msgstr]
    assert empty, "the tiny project has untranslated template strings"

    # accept the fuzzy entry, then type the first empty one's translation on one line and accept it
    first = review(translated, "q\n", "--locale", "ko", "--reviewer", "Kim")
    assert english(shown(first.stdout)[0]) == "First Visit"
    probe = review(translated, "s\nq\n", "--locale", "ko", "--reviewer", "Kim")
    second = shown(probe.stdout)[1]
    assert "state:    empty: type the translation" in second and "draft:    (empty)" in second
    msgid = english(second)
    assert msgid in empty and msgid in KO_TEMPLATES
    typed = KO_TEMPLATES[msgid]

    result = review(translated, f"a\ne\n{typed}\na\nq\n", "--locale", "ko", "--reviewer", "Kim Jiwoo")

    assert result.code == 0, result.output
    blocks = shown(result.stdout)
    assert "draft saved" in blocks[1]
    assert english(blocks[2]) == msgid and f"draft:    {typed}" in blocks[2]  # shown again before accepting
    assert "ko: 2 accepted, 1 edited, 0 skipped" in result.stdout
    after = catalog(translated, "ko")
    done = after.find(msgid)
    assert done.msgstr == typed and not done.fuzzy and done.tcomment == "reviewed: Kim Jiwoo 2026-01-01"
    assert after.metadata["PO-Revision-Date"] == "2026-01-01 00:00+0000"
    assert after.metadata["Last-Translator"] == "Kim Jiwoo"
    same_as_msgcat(translated, "ko")
    # an entry typed but not yet accepted stays a draft awaiting review
    rest = [m for m in empty if m != msgid]
    typed_only = review(translated, f"e\n{KO_TEMPLATES[rest[0]]}\nq\n", "--locale", "ko", "--reviewer", "Kim",
                        "--only", "empty")
    assert typed_only.code == 0, typed_only.output
    draft = catalog(translated, "ko").find(rest[0])
    assert draft.msgstr == KO_TEMPLATES[rest[0]] and draft.fuzzy


def test_an_empty_entry_is_typed_in_the_editor(translated: Path, tmp_path: Path) -> None:
    msgid = "Search the procedure pages"
    editor = tmp_path / "editor.sh"
    editor.write_text(f"#!/bin/sh\nprintf '%s\\n' '{KO_TEMPLATES[msgid]}' > \"$1\"\n", encoding="utf-8")
    editor.chmod(0o755)
    keys = f"/\n{msgid}\ne\na\nq\n"

    result = review(translated, keys, "--locale", "ko", "--reviewer", "Kim", editor=str(editor))

    assert result.code == 0, result.output
    entry = catalog(translated, "ko").find(msgid)
    assert entry.msgstr == KO_TEMPLATES[msgid] and not entry.fuzzy and "reviewed: Kim" in entry.tcomment


def test_only_and_page_choose_the_entries(translated: Path) -> None:
    translate_catalog(translated, "ko", TRANSLATIONS["ko"], fuzzy={"First Visit", "Before you arrive"})
    entries = [e for e in catalog(translated, "ko") if e.msgid]
    empty = {e.msgid for e in entries if not e.msgstr}
    quit_all = "s\n" * (len(entries) + 1)

    only_empty = review(translated, quit_all, "--locale", "ko", "--reviewer", "Kim", "--only", "empty")
    assert {english(b) for b in shown(only_empty.stdout)} == empty
    only_fuzzy = review(translated, quit_all, "--locale", "ko", "--reviewer", "Kim", "--only", "fuzzy")
    assert [english(b) for b in shown(only_fuzzy.stdout)] == ["First Visit", "Before you arrive"]
    everything = review(translated, quit_all, "--locale", "ko", "--reviewer", "Kim")
    order = [english(b) for b in shown(everything.stdout)]
    assert order[:2] == ["First Visit", "Before you arrive"] and set(order[2:]) == empty  # review first
    # the page's messages only: the template strings are not on it
    page = review(translated, quit_all, "--locale", "ko", "--reviewer", "Kim", "--page", "first-visit")
    assert [english(b) for b in shown(page.stdout)] == ["First Visit", "Before you arrive"]
    unknown = review(translated, "", "--locale", "ko", "--reviewer", "Kim", "--page", "no-such-page")
    assert unknown.code == 2 and "no page 'no-such-page'" in unknown.stderr and "first-visit" in unknown.stderr


def test_back_returns_to_the_previous_entry_and_search_finds_the_next_match(translated: Path) -> None:
    medicines = "Please bring your ID card and a list of your medicines."
    translate_catalog(translated, "ko", TRANSLATIONS["ko"], fuzzy={"First Visit", "Before you arrive", medicines})
    keys = "s\nb\n/\nmedicines\n/\n\n/\nno such words\nq\n"

    result = review(translated, keys, "--locale", "ko", "--reviewer", "Kim", "--only", "fuzzy")

    assert result.code == 0, result.output
    order = [english(b) for b in shown(result.stdout)]
    assert order == ["First Visit", "Before you arrive", "First Visit", medicines, medicines, medicines]
    assert "no entry matches 'no such words'" in result.stdout
    # a search also looks in the drafts (the Korean)
    by_draft = review(translated, "/\n방문 전\nq\n", "--locale", "ko", "--reviewer", "Kim", "--only", "fuzzy")
    assert [english(b) for b in shown(by_draft.stdout)] == ["First Visit", "Before you arrive"]
    # back at the first entry says so and stays
    first = review(translated, "b\nq\n", "--locale", "ko", "--reviewer", "Kim", "--only", "fuzzy")
    assert "this is the first entry" in first.stdout
    assert [english(b) for b in shown(first.stdout)] == ["First Visit", "First Visit"]


def test_a_moved_sentence_is_suggested_and_a_key_puts_it_in_the_draft(new_page: Path) -> None:
    result = review(new_page, "/\nThe SMAS layer is a thin\n1\na\nq\n", "--locale", "ja", "--reviewer", "Sato Yuki")

    assert result.code == 0, result.output
    offered = next(b for b in shown(result.stdout) if english(b) == MOVED)
    assert re.search(r"\n  1 100%    SMAS層は皮膚の下にある", offered)
    assert "(sentence of line" in offered
    entry = catalog(new_page, "ja").find(MOVED)
    assert entry.msgstr == MOVED_JA and not entry.fuzzy and entry.previous_msgid is None
    assert entry.tcomment == "reviewed: Sato Yuki 2026-01-01"
    header = catalog(new_page, "ja").metadata
    assert header["PO-Revision-Date"] == "2026-01-01 00:00+0000" and header["Last-Translator"] == "Sato Yuki"
    same_as_msgcat(new_page, "ja")


def test_a_suggestion_is_what_msgmerge_would_fuzzy_match(translated: Path, tmp_path: Path) -> None:
    """The top whole-entry suggestion is the entry GNU msgmerge takes as a fuzzy match, with the
    score msgmerge uses; English msgmerge finds no match for gets no whole-entry suggestion."""
    from pipeline.config import load_config
    from pipeline.merge import fstrcmp
    from pipeline.review import pending, start, suggestions

    reworded = "Please bring your passport and a list of your medicines."
    unlike = "Parking is free for patients."
    add_paragraphs(translated, reworded, unlike)
    assert l10n(translated, "extract").code == 0
    # what GNU msgmerge does with the same catalog and template
    merged = tmp_path / "merged.po"
    assert gnu("msgmerge", "--quiet", "-o", str(merged), str(po_path(translated, "ko")),
               str(translated / "locales" / "messages.pot")).returncode == 0
    by_gnu = polib.pofile(str(merged))
    assert by_gnu.find(reworded).fuzzy and by_gnu.find(unlike).msgstr == ""
    # our update would fill them the same way: so undo its fuzzy match to get two empty entries
    assert l10n(translated, "update").code == 0
    translate_catalog(translated, "ko", {reworded: "", unlike: ""})

    session = start(load_config(translated), "ko", only="empty")
    items = {i.msgid: i for i in pending(session)}
    [best, *_] = suggestions(session, items[reworded])
    assert best.text == by_gnu.find(reworded).msgstr and not best.sentence
    assert best.similarity == fstrcmp(reworded, best.english) > 0.6
    assert suggestions(session, items[unlike]) == ()
    shown_text = review(translated, f"/\n{reworded}\nq\n", "--locale", "ko", "--reviewer", "Kim").stdout
    assert f"  1 {int(best.similarity * 100):>3}%    {best.text}" in shown_text


def test_glossary_wordings_are_shown_for_terms_in_the_english(translated: Path) -> None:
    (translated / "locales" / "glossary.csv").write_text(
        "term,locale,translation,rule,note\n"
        "bleeding,ko,출혈,required,side effect\n"
        "bleeding,ko,피흘림,forbidden,not medical language\n"
        "bleeding,ar,النزيف,required,not for ko\n", encoding="utf-8"
    )
    translate_catalog(translated, "ko", TRANSLATIONS["ko"], fuzzy={DISCLAIMER})

    result = review(translated, "q\n", "--locale", "ko", "--reviewer", "Kim")

    block = shown(result.stdout)[0]
    assert "glossary: bleeding -> 출혈 (required)" in block
    assert "glossary: bleeding -> 피흘림 (forbidden)" in block
    assert "النزيف" not in block


def test_no_internal_digest_is_shown(translated: Path) -> None:
    path = po_path(translated, "ko")
    draft = catalog(translated, "ko")
    draft.find("Before you arrive").tcomment = "machine translation: pseudo 2025-01-02"
    draft.save(str(path))
    assert l10n(translated, "update").code == 0
    assert review(translated, "e\n방문하시기 전에\nq\n", "--locale", "ko", "--reviewer", "Kim", "--only", "mt").code == 0
    assert re.search(r"draft:[0-9a-f]{12}", path.read_text(encoding="utf-8"))  # kept for stats

    result = review(translated, "q\n", "--locale", "ko", "--reviewer", "Kim", "--only", "fuzzy")

    assert "state:    fuzzy | machine translation: pseudo 2025-01-02\n" in result.stdout
    assert not re.search(r"[0-9a-f]{12}", result.stdout)


@pytest.mark.parametrize("locale", ["ja", "ko", "zh_Hant", "th", "ru", "ar"])
def test_lines_wrap_at_word_boundaries_within_the_terminal_width(repo_copy: Path, locale: str) -> None:
    width = 60
    # everything is approved in the shipped catalogs: review a copy where all are fuzzy
    from pipeline.catalogs import write_catalog

    po = catalog(repo_copy, locale)
    for entry in po:
        if entry.msgid:
            entry.flags.append("fuzzy")
    write_catalog(po_path(repo_copy, locale), po)

    result = review(repo_copy, "s\n" * 30, "--locale", locale, "--reviewer", "Kim", columns=width)

    assert result.code == 0, result.output
    for line in result.stdout.split("\n"):
        if not line.startswith(("page:", "--- ", "[1", "[b]")):  # an address or a file:line stays whole
            assert wcwidth.wcswidth(line) <= width, line
    for block in shown(result.stdout):
        assert english(block).split() in [e.msgid.split() for e in po]  # no English word cut
    if locale in ("ko", "ru", "ar"):  # words are separated by spaces: none is cut
        words = {w for e in po for w in e.msgstr.split()}
        for block in shown(result.stdout):
            draft = field(block, "draft:")
            assert all(word in words for word in draft.split()), draft


def test_display_lines_break_thai_between_words_and_keep_korean_words_whole() -> None:
    from pipeline.poformat import _libthai, display_lines

    korean = "미니 페이스리프트는 SMAS 층을 박리하여 리프팅하는 시술입니다. 자세한 내용은 상담을 통해 확인하세요."
    lines = display_lines(korean, 20)
    assert " ".join(lines) == korean and all(wcwidth.wcswidth(line) <= 20 for line in lines)
    thai = "การผ่าตัดดึงหน้าแบบมินิช่วยยกกระชับผิวหน้า"
    lines = display_lines(thai, 12)
    assert "".join(lines) == thai and all(wcwidth.wcswidth(line) <= 12 for line in lines)
    if _libthai() is not None:  # libthai's dictionary: cut between words only
        words = ["การ", "ผ่าตัด", "ดึง", "หน้า", "แบบ", "มินิ", "ช่วย", "ยก", "กระชับ", "ผิว", "หน้า"]
        boundaries = {sum(len(w) for w in words[:k]) for k in range(1, len(words))}
        for width in (8, 12, 20):
            cut = display_lines(thai, width)
            assert len(cut) > 1 and {sum(len(line) for line in cut[:k]) for k in range(1, len(cut))} <= boundaries
    japanese = "ミニフェイスリフトの概要と、SMAS層の剥離によるリフトアップのメリットをご紹介します。"
    lines = display_lines(japanese, 30)
    assert "".join(lines) == japanese and all(wcwidth.wcswidth(line) <= 30 for line in lines)
    assert not any(line.startswith(("、", "。")) for line in lines)  # UAX #14: no break before them


def test_translate_stamps_the_revision_date_but_names_no_translator(translated: Path) -> None:
    before = catalog(translated, "ko").metadata["Last-Translator"]
    runner = CliRunner()
    filled = runner.invoke(main, ["--project", str(translated), "translate", "--provider", "pseudo", "--locale", "ko"],
                           env={"SOURCE_DATE_EPOCH": EPOCH}, catch_exceptions=False)
    assert filled.exit_code == 0, filled.output
    header = catalog(translated, "ko").metadata
    assert header["PO-Revision-Date"] == "2026-01-01 00:00+0000" and header["Last-Translator"] == before
    same_as_msgcat(translated, "ko")
    # nothing left to fill: nothing changes, not even the date
    unchanged = po_path(translated, "ko").read_bytes()
    again = runner.invoke(main, ["--project", str(translated), "translate", "--provider", "pseudo", "--locale", "ko"],
                          env={"SOURCE_DATE_EPOCH": "1800000000"}, catch_exceptions=False)
    assert again.exit_code == 0 and po_path(translated, "ko").read_bytes() == unchanged


def test_a_session_without_a_decision_leaves_the_header_alone(translated: Path) -> None:
    translate_catalog(translated, "ko", TRANSLATIONS["ko"], fuzzy={"First Visit"})
    before = po_path(translated, "ko").read_bytes()
    result = review(translated, "s\nb\ne\n\n/\nVisit\nq\n", "--locale", "ko", "--reviewer", "Kim")
    assert result.code == 0, result.output
    assert po_path(translated, "ko").read_bytes() == before


def test_accepting_an_approved_entry_again_the_same_day_changes_nothing(translated: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Going back (`b`) to an entry just accepted and pressing `a` again writes nothing, not even
    a new PO-Revision-Date."""
    from pipeline.config import load_config
    from pipeline.review import accept, item_for, start

    translate_catalog(translated, "ko", TRANSLATIONS["ko"], fuzzy={"First Visit"})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    session = start(load_config(translated), "ko")
    assert accept(session, item_for(session, (None, "First Visit")), "Kim").written
    after = po_path(translated, "ko").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH) + 120))  # two minutes later, same day
    again = accept(session, item_for(session, (None, "First Visit")), "Kim")
    assert not again.written and po_path(translated, "ko").read_bytes() == after
    other = accept(session, item_for(session, (None, "First Visit")), "Lee")  # another reviewer: recorded
    assert other.written and catalog(translated, "ko").metadata["PO-Revision-Date"] == "2026-01-01 00:02+0000"


def test_only_mt_offers_machine_drafts_fuzzy_or_not_and_no_human_draft(translated: Path) -> None:
    from pipeline.catalogs import write_catalog

    translate_catalog(translated, "ko", TRANSLATIONS["ko"], fuzzy={"First Visit", "Before you arrive", "Language"})
    po = catalog(translated, "ko")
    po.find("Before you arrive").tcomment = "machine translation: pseudo 2025-01-02"  # fuzzy machine draft
    po.find("Procedures").tcomment = "machine translation: pseudo 2025-01-02"  # flag removed in an editor
    write_catalog(po_path(translated, "ko"), po)

    result = review(translated, "s\ns\ns\ns\n", "--locale", "ko", "--reviewer", "Kim", "--only", "mt")

    assert [english(b) for b in shown(result.stdout)] == ["Before you arrive", "Procedures"]


def test_only_approved_translations_are_suggested(translated: Path) -> None:
    """A fuzzy draft (a machine's, or one whose English changed) is never offered as a suggestion."""
    from pipeline.config import load_config
    from pipeline.review import pending, start, suggestions

    reworded = "Please bring your passport and a list of your medicines."
    add_paragraphs(translated, reworded)
    assert l10n(translated, "extract").code == 0 and l10n(translated, "update").code == 0
    translate_catalog(translated, "ko", {reworded: ""})
    session = start(load_config(translated), "ko", only="empty")
    item = next(i for i in pending(session) if i.msgid == reworded)
    assert [s.english for s in suggestions(session, item)] == ["Please bring your ID card and a list of your medicines."]
    translate_catalog(translated, "ko", TRANSLATIONS["ko"] | {reworded: ""},
                      fuzzy={"Please bring your ID card and a list of your medicines."})
    assert suggestions(session, item) == ()
