"""Every catalog any command writes passes `msgfmt -c`, over a week of everyday edits.

The corpus runs edits an editor makes (empty and blank fields, a page added and removed, a
heading changed, a paragraph repeated, `%` in the text, a language added) through extract,
update, translate --provider pseudo, an XLIFF export and import, a review decision, a translator
approving in a PO editor, and build; after every command each POT and PO is held to GNU
`msgfmt -c` and `msgcat` (which rewrites it in GNU's layout: no difference). A message with an
empty msgid would be a second header.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import polib
import pytest
from click.testing import CliRunner
from conftest import gnu, l10n, po_path, translate_catalog

from pipeline.cli import main

PAGE = "source/first-visit.md"


def _catalogs(root: Path) -> list[Path]:
    return sorted((root / "locales").rglob("*.po")) + [root / "locales" / "messages.pot"]


def _assert_gnu_clean(root: Path, after: str) -> None:
    for path in _catalogs(root):
        checked = gnu("msgfmt", "-c", "-o", "/dev/null", str(path))
        assert checked.returncode == 0, f"after {after}: {path}\n{checked.stderr}"
        rewritten = gnu("msgcat", "--width=79", str(path))
        assert rewritten.returncode == 0, f"after {after}: {path}\n{rewritten.stderr}"
        assert rewritten.stdout == path.read_text(encoding="utf-8"), f"after {after}: msgcat rewrites {path}"
        catalog = polib.pofile(str(path))
        assert all(entry.msgid.strip() for entry in catalog), f"after {after}: an empty msgid in {path}"


def _run(root: Path, *args: str) -> None:
    result = l10n(root, *args)
    assert result.code in (0, 1), (args, result.output)  # 1: a page withheld, which is no bad input
    assert "Traceback" not in result.output
    _assert_gnu_clean(root, " ".join(args))


def _approve_everything(root: Path) -> None:
    """A translator accepts every machine draft in a PO editor (test data, never shipped)."""
    for path in sorted((root / "locales").rglob("*.po")):
        locale = path.parts[-3]
        catalog = polib.pofile(str(path))
        translate_catalog(root, locale, {e.msgid: e.msgstr for e in catalog if e.msgstr and not e.obsolete})


def _flows(root: Path) -> None:
    for args in (("extract",), ("update",), ("translate", "--provider", "pseudo"), ("build",)):
        _run(root, *args)
    # an agency's CAT tool round trip: export, then import what came back
    xliff = root.parent / "ko.xlf"
    _run(root, "export", "--locale", "ko", "--output", str(xliff))
    _run(root, "import", str(xliff))
    # a reviewer accepts the first machine draft in Arabic (and confirms, if asked), then quits
    result = CliRunner().invoke(main, ["--project", str(root), "review", "--locale", "ar", "--reviewer", "Layla"],
                                input="a\ny\nq\n", catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    _assert_gnu_clean(root, "review")
    _approve_everything(root)
    _assert_gnu_clean(root, "approving in a PO editor")
    _run(root, "build")
    _run(root, "update")  # a rerun after a PO editor's save changes nothing msgfmt would mind


def _replace(old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        page = root / PAGE
        text = page.read_text(encoding="utf-8")
        assert old in text
        page.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def _add_page(root: Path) -> None:
    (root / "source" / "aftercare.md").write_text(
        "---\ntitle: Aftercare\nslug: aftercare\nattribution: ''\n"
        "disclaimer: ※ Side effects such as bleeding may occur depending on the individual.\n---\n\n"
        "Rest for **two days**.\n\nRest for **two days**.\n",
        encoding="utf-8",
    )


def _remove_page(root: Path) -> None:
    (root / "source" / "aftercare.md").unlink()


def _empty_cells_and_alt(root: Path) -> None:
    (root / "source" / "images").mkdir(exist_ok=True)
    (root / "source" / "images" / "blank.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    _replace("Call us first.", "Call us first.\n\n| Day | Note |\n|---|---|\n|  | |\n| 1 | Rest |\n\n"
             "![](images/blank.svg)\n\n[](https://clinic.example/)\n\n![ ](images/blank.svg \"  \")")(root)


def _add_locale(root: Path) -> None:
    _run(root, "init", "--locale", "ja")


EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("an empty attribution", _replace("disclaimer:", 'attribution: ""\ndisclaimer:')),
    ("a blank caption and description", _replace("description: What to expect at your first consultation.",
                                                  "description: '   '\nimage_caption: \"  \"")),
    ("a blank title-like extra value", _replace("disclaimer:", "image_alt: '\t'\ndisclaimer:")),
    ("empty blocks", _replace("## Before you arrive", "## Before you arrive\n\n#\n\n- \n\n>\n\n* * *\n\n...")),
    ("empty table cells, alt texts and titles", _empty_cells_and_alt),
    ("a page added", _add_page),
    ("a heading changed", _replace("## Before you arrive", "## Before your visit")),
    ("a duplicate paragraph",
     _replace("Call us first.", "Call us first.\n\nPlease bring your ID card\nand a list of your medicines.")),
    ("a percent sign", _replace("Call us first.", "Call us first: 100 % of visits, %d days, %(name)s and %s.")),
    ("a page removed", _remove_page),
    ("a new locale", _add_locale),
]


def test_every_catalog_stays_msgfmt_clean_over_a_week_of_edits(project: Path) -> None:
    _assert_gnu_clean(project, "the fixture")
    for name, edit in EDITS:
        edit(project)
        try:
            _flows(project)
        except AssertionError as failure:
            raise AssertionError(f"edit {name!r}: {failure}") from None
    pot = (project / "locales" / "messages.pot").read_text(encoding="utf-8")
    assert "Before your visit" in pot and "100 % of visits" in pot
    assert po_path(project, "ja").is_file()
    assert "# reviewed: Layla" in po_path(project, "ar").read_text(encoding="utf-8")  # the review flow wrote


def test_empty_front_matter_values_are_not_messages_and_no_page_shows_the_header(translated: Path) -> None:
    _replace("disclaimer:", 'attribution: ""\nimage_caption: "  "\ndisclaimer:')(translated)
    for args in (("extract",), ("update",)):
        assert l10n(translated, *args).code == 0
    _assert_gnu_clean(translated, "extract and update")
    pot = polib.pofile(str(translated / "locales" / "messages.pot"))
    assert [e for e in pot if not e.msgid.strip()] == []
    result = l10n(translated, "build")
    assert result.code == 0, result.output
    for tag in ("en", "ko", "ar"):
        html = (translated / "output" / tag / "first-visit.html").read_text(encoding="utf-8")
        assert "Project-Id-Version" not in html and "Content-Type" not in html, tag
        assert "<figcaption" not in html  # a blank caption is no caption


def test_a_template_asking_for_the_empty_string_gets_it_not_the_header(translated: Path) -> None:
    templates = translated / "templates"
    templates.mkdir()
    page = (Path(__file__).resolve().parents[1] / "pipeline" / "templates" / "page.html").read_text(encoding="utf-8")
    assert "</article>" in page
    (templates / "page.html").write_text(
        page.replace("</article>", '<p class="blank">[{{ _("") }}|{{ pgettext("x", "") }}]</p></article>', 1),
        encoding="utf-8",
    )
    assert l10n(translated, "extract").code == 0
    assert l10n(translated, "update").code == 0
    _assert_gnu_clean(translated, "a template with _(\"\")")
    assert l10n(translated, "build").code == 0
    for tag in ("ko", "ar"):
        html = (translated / "output" / tag / "first-visit.html").read_text(encoding="utf-8")
        assert '<p class="blank">[|]</p>' in html, tag
        assert "Project-Id-Version" not in html


@pytest.mark.parametrize("command", [("extract",), ("update",), ("translate", "--provider", "pseudo")])
def test_catalogs_an_earlier_version_wrote_with_an_empty_msgid_are_repaired(project: Path, command) -> None:
    """Earlier versions wrote `msgid ""` twice (the header, then `attribution: ""`): msgfmt -c
    refused every catalog. The next command that writes a catalog writes it clean."""
    stray = '\n#. page credit\n#: source/first-visit.md:5\nmsgid ""\nmsgstr ""\n'
    for path in _catalogs(project):
        text = path.read_text(encoding="utf-8")
        header_end = text.index("\n\n") + 1
        path.write_text(text[:header_end] + stray + text[header_end:], encoding="utf-8")
        assert gnu("msgfmt", "-c", "-o", "/dev/null", str(path)).returncode != 0
    assert l10n(project, "extract").code == 0
    assert l10n(project, *command).code == 0
    written = [project / "locales" / "messages.pot"] if command == ("extract",) else _catalogs(project)[:-1]
    for path in written:
        assert gnu("msgfmt", "-c", "-o", "/dev/null", str(path)).returncode == 0, path
        assert "Content-Type: text/plain; charset=UTF-8" in path.read_text(encoding="utf-8")
    if command == ("update",):
        catalog = polib.pofile(str(po_path(project, "ko")))
        assert catalog.metadata["Language"] == "ko"  # the translator's header survived, not the stray one


def test_the_shipped_site_with_an_empty_attribution_stays_clean_in_every_language(repo_copy: Path) -> None:
    """The issue's reproduction on the shipped site: `attribution: ""` left the POT and all eight
    catalogs failing `msgfmt -c` and printed the PO header as every translated page's credit."""
    page = repo_copy / "source" / "mini-facelift.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("\ndisclaimer:", '\nattribution: ""\ndisclaimer:', 1), encoding="utf-8")
    for args in (("extract",), ("update",)):
        result = l10n(repo_copy, *args)
        assert result.code == 0, result.output
    _assert_gnu_clean(repo_copy, "extract and update")
    result = l10n(repo_copy, "build")
    assert result.code == 0, result.output
    pages = sorted((repo_copy / "output").glob("*/mini-facelift.html"))
    assert len(pages) == 9
    for built in pages:
        html = built.read_text(encoding="utf-8")
        assert "Project-Id-Version" not in html and 'class="attribution"' not in html, built
