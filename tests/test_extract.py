"""`l10n extract`: one message per block, references, the disclaimer context, stable output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polib

from conftest import DISCLAIMER, REPO, gnu, l10n

SEED = REPO / "tests" / "data" / "seed-mini-facelift.txt"  # shared/seeds/000_e2bbb42cd8b70053.txt


def pot(root: Path) -> polib.POFile:
    return polib.pofile(str(root / "locales" / "messages.pot"))


def test_one_message_per_block_with_references(project: Path) -> None:
    catalog = pot(project)
    ids = [e.msgid for e in catalog]
    assert ids[:3] == ["First Visit", "What to expect at your first consultation.", DISCLAIMER]
    assert "Before you arrive" in ids
    # hard-wrapped lines of one paragraph are one message, joined with a space
    paragraph = catalog.find("Please bring your ID card and a list of your medicines.")
    assert paragraph.occurrences == [("source/first-visit.md", "10")]
    assert "paragraph" in paragraph.comment
    # a hard break is kept; inline markup stays as Markdown
    assert "Our [booking page](https://clinic.example/book) is open every day.\\\nCall us first." in ids
    # template strings come from the templates actually used
    assert catalog.find("Skip to main content").occurrences[0][0] == "pipeline/templates/base.html"


def test_disclaimer_has_its_context(project: Path) -> None:
    entry = pot(project).find(DISCLAIMER, msgctxt="disclaimer")
    assert entry is not None and entry.msgctxt == "disclaimer"
    assert entry.occurrences == [("source/first-visit.md", "5")]


def test_rerun_is_byte_identical_and_check_passes(project: Path) -> None:
    path = project / "locales" / "messages.pot"
    before = path.read_bytes()
    assert l10n(project, "extract").code == 0
    assert path.read_bytes() == before
    result = l10n(project, "extract", "--check")
    assert result.code == 0, result.output


def test_check_reports_stale_template_and_writes_nothing(project: Path) -> None:
    path = project / "locales" / "messages.pot"
    before = path.read_bytes()
    page = project / "source" / "first-visit.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")
    result = l10n(project, "extract", "--check")
    assert result.code == 1
    assert "stale" in result.output
    assert path.read_bytes() == before
    assert l10n(project, "extract").code == 0
    assert pot(project).find("A new closing paragraph.") is not None
    assert l10n(project, "extract", "--check").code == 0


def test_creation_date_changes_only_with_messages(project: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    page = project / "source" / "first-visit.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nAnother paragraph.\n", encoding="utf-8")
    assert l10n(project, "extract").code == 0
    assert pot(project).metadata["POT-Creation-Date"] == "2023-11-14 22:13+0000"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert l10n(project, "extract").code == 0  # same messages: the date stays
    assert pot(project).metadata["POT-Creation-Date"] == "2023-11-14 22:13+0000"


def test_template_is_accepted_by_msgfmt(project: Path) -> None:
    result = gnu("msgfmt", "--check-format", "--check-domain", "-o", "/dev/null", str(project / "locales" / "messages.pot"))
    assert result.returncode == 0, result.stderr


def test_pybabel_uses_the_markdown_extractor(project: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "babel.cfg"
    mapping.write_text("[l10n_markdown: **.md]\n", encoding="utf-8")
    out = tmp_path / "babel.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(mapping), "-o", str(out), "source"],
        cwd=project, check=True, capture_output=True,
    )
    catalog = polib.pofile(str(out))
    assert catalog.find(DISCLAIMER, msgctxt="disclaimer") is not None
    assert catalog.find("Please bring your ID card and a list of your medicines.") is not None


def test_seed_page_is_complete_in_the_shipped_template() -> None:
    """Every sentence of the seed text is in some message of the shipped POT, verbatim."""
    catalog = polib.pofile(str(REPO / "locales" / "messages.pot"))
    text = "\n".join(e.msgid for e in catalog)
    for line in SEED.read_text(encoding="utf-8").splitlines():
        for sentence in filter(None, (s.strip() for s in line.replace(". ", ".\n").split("\n"))):
            assert sentence.rstrip(",") in text, sentence
    source = catalog.find("Source: TS Plastic Surgery website")
    assert len(source.occurrences) == 2
    assert catalog.find("Benefits of a Mini Facelift Through SMAS Layer Dissection").comment.split("\n")[0] == "heading 2"
    assert catalog.find(
        "※ Side effects such as inflammation, bleeding, and nerve damage may occur depending on the individual, "
        "so sufficient consultation with the medical team before surgery is necessary.",
        msgctxt="disclaimer",
    ) is not None
