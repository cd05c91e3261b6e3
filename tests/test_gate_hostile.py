"""The gate against a hostile translator or template: nothing a translator writes becomes markup,
link and image targets come from English whatever the flags, the disclaimer is plain text, and
the HTML gate reads the text a reader gets. Each attack is defused or withheld; honest work still
publishes."""

from __future__ import annotations

from pathlib import Path

import polib
from conftest import DISCLAIMER, TRANSLATIONS, l10n, po_path, translate_catalog
from lxml.etree import HTML

KO = TRANSLATIONS["ko"]
BODY = "Our [booking page](https://clinic.example/book) is open every day.\\\nCall us first."


def ko_page(root: Path) -> str:
    return (root / "output" / "ko" / "first-visit.html").read_text(encoding="utf-8")


def with_flag(root: Path, locale: str, msgid: str, flag: str) -> None:
    from pipeline.catalogs import write_catalog

    catalog = polib.pofile(str(po_path(root, locale)))
    entry = next(e for e in catalog if e.msgid == msgid)
    entry.flags.append(flag)
    write_catalog(po_path(root, locale), catalog)


def test_template_strings_are_text_not_markup(translated: Path) -> None:
    hostile = {
        **KO,
        "Medical disclaimer": '의료 고지"><template x="',
        "Skip to main content": "<img src=x onerror=alert(1)>건너뛰기",
        "Language": '언어" style="filter:opacity(0)',
    }
    translate_catalog(translated, "ko", hostile)
    result = l10n(translated, "build")
    assert result.code == 0, result.output  # defused, so published
    root = HTML(ko_page(translated))
    assert root.xpath("//template") == [] and root.xpath("//img[@onerror]") == []
    aside = root.xpath('//aside[@class="disclaimer"]')[0]
    assert aside.get("aria-label") == '의료 고지"><template x="'
    assert " ".join("".join(aside.itertext()).split()) == KO[DISCLAIMER]
    assert root.xpath("//nav")[0].get("aria-label") == '언어" style="filter:opacity(0)'
    assert root.xpath("//nav")[0].get("style") is None
    assert root.xpath('//a[@class="skip-link"]')[0].text == "<img src=x onerror=alert(1)>건너뛰기"


def test_a_broken_format_string_falls_back_to_english(translated: Path) -> None:
    """Jinja formats every template string: ``100%`` or an unknown ``%(name)s`` would stop the
    build of a whole language; the English is shown instead and the check names it."""
    translate_catalog(translated, "ko", {**KO, "Skip to main content": "100% 본문으로"})
    with_flag(translated, "ko", "Skip to main content", "ignore-markup")
    catalog = polib.pofile(str(po_path(translated, "ko")))
    partial = next(e for e in catalog if "%(language)s" in e.msgid)
    partial.msgstr = "%(secret)s 일부는 아직 없습니다."
    from pipeline.catalogs import write_catalog

    write_catalog(po_path(translated, "ko"), catalog)
    check = l10n(translated, "check", "--locale", "ko")
    assert "format placeholder '%(language)s' is missing" in check.output
    assert l10n(translated, "build").code == 0
    html = ko_page(translated)
    assert "Skip to main content" in html and "100% 본문으로" not in html and "%(secret)s" not in html


def test_link_targets_come_from_english_whatever_the_flags(translated: Path) -> None:
    hostile = ("[예약 페이지](https://evil.example/phish)는 매일 열려 있습니다. <https://evil.example/x> "
               "![추가](https://evil.example/pixel.png)\\\n먼저 전화해 주세요.")
    translate_catalog(translated, "ko", {**KO, BODY: hostile})
    with_flag(translated, "ko", BODY, "ignore-markup")
    assert l10n(translated, "check", "--locale", "ko").code == 0  # the finding is silenced...
    assert l10n(translated, "build").code == 0
    html = ko_page(translated)
    assert "evil.example" not in "".join(HTML(html).xpath("//@href | //@src"))  # ...the target is not
    assert '<a href="https://clinic.example/book">예약 페이지</a>' in html
    assert "https://evil.example/x" in html  # the autolink's text stays, as text
    # and the other way round: an honest reordering keeps the English target
    translate_catalog(translated, "ko", {**KO, BODY: "매일 열려 있는 [예약 페이지](https://clinic.example/book)\\\n먼저 전화해 주세요."})
    assert l10n(translated, "build").code == 0
    assert '매일 열려 있는 <a href="https://clinic.example/book">예약 페이지</a>' in ko_page(translated)


def test_a_second_link_gets_no_target_of_its_own(translated: Path) -> None:
    hostile = "[예약](https://clinic.example/book) [여기](https://evil.example/)\\\n전화."
    translate_catalog(translated, "ko", {**KO, BODY: hostile})
    with_flag(translated, "ko", BODY, "ignore-markup")
    assert l10n(translated, "build").code == 0
    html = ko_page(translated)
    assert html.count('href="https://clinic.example/book"') == 1 and "evil.example" not in html
    assert "여기" in html


def test_front_matter_links_come_from_english(translated: Path) -> None:
    page = translated / "source" / "first-visit.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "description:", "attribution: Photo by [the clinic](https://clinic.example/about)\ndescription:"),
        encoding="utf-8")
    assert l10n(translated, "extract").code == 0 and l10n(translated, "update").code == 0
    attribution = "Photo by [the clinic](https://clinic.example/about)"
    translate_catalog(translated, "ko", {**KO, attribution: "사진: [병원](https://evil.example/) ![x](https://evil.example/p.png)"})
    with_flag(translated, "ko", attribution, "ignore-markup")
    assert l10n(translated, "build").code == 0
    html = ko_page(translated)
    assert "evil.example" not in "".join(HTML(html).xpath("//@href | //@src"))
    assert '<a href="https://clinic.example/about">병원</a>' in html


def test_a_struck_through_disclaimer_is_an_error_no_flag_silences(translated: Path) -> None:
    struck = f"~~{KO[DISCLAIMER]}~~"
    translate_catalog(translated, "ko", {**KO, DISCLAIMER: struck})
    with_flag(translated, "ko", DISCLAIMER, "ignore-disclaimer-plain")
    check = l10n(translated, "check", "--locale", "ko")
    assert check.code == 1 and "disclaimer-plain" in check.output and "strikethrough" in check.output
    result = l10n(translated, "build")
    assert result.code == 1 and "WITHHELD: first-visit [ko]" in result.stderr
    assert not (translated / "output" / "ko" / "first-visit.html").exists()


def test_plain_punctuation_in_a_disclaimer_is_fine(translated: Path) -> None:
    honest = "※ 개인에 따라 출혈 등의 부작용이 발생할 수 있습니다 (상담 < 수술 전 & 후)."
    translate_catalog(translated, "ko", {**KO, DISCLAIMER: honest})
    assert l10n(translated, "build").code == 0
    root = HTML(ko_page(translated))
    aside = root.xpath('//aside[@class="disclaimer"]')[0]
    assert " ".join("".join(aside.itertext()).split()) == honest


def test_html_or_entities_in_the_disclaimer_are_errors(translated: Path) -> None:
    for hostile in (KO[DISCLAIMER] + "<b>x</b>", KO[DISCLAIMER].replace("출혈", "&#52636;혈"), KO[DISCLAIMER].replace("출혈", "출혈\\*")):
        translate_catalog(translated, "ko", {**KO, DISCLAIMER: hostile})
        check = l10n(translated, "check", "--locale", "ko")
        assert check.code == 1 and "disclaimer-plain" in check.output, hostile


def test_a_template_that_hides_the_notice_in_a_descendant_is_withheld(translated: Path) -> None:
    templates = translated / "templates"
    templates.mkdir()
    source = (Path(__file__).parents[1] / "pipeline" / "templates" / "page.html").read_text(encoding="utf-8")
    for wrapper in ('<span hidden>{}</span>', "<template>{}</template>", "<noscript>{}</noscript>",
                    '<span aria-hidden="true">{}</span>', "<details><summary>※</summary>{}</details>"):
        (templates / "page.html").write_text(
            source.replace("{{ page.disclaimer }}</aside>", wrapper.format("{{ page.disclaimer }}") + "</aside>"),
            encoding="utf-8")
        result = l10n(translated, "build")
        assert result.code == 1, wrapper
        assert "WITHHELD: first-visit [ko]" in result.stderr and "text left out" in result.stderr, result.stderr
    # an honest wrapper still publishes
    (templates / "page.html").write_text(
        source.replace("{{ page.disclaimer }}</aside>", "<p><strong>{{ page.disclaimer }}</strong></p></aside>"),
        encoding="utf-8")
    assert l10n(translated, "build").code == 0


def test_control_characters_are_errors(translated: Path) -> None:
    for control in ("\x1b[8m", "\x9b", "\x00"):
        translate_catalog(translated, "ko", {**KO, "Before you arrive": f"방문{control} 전에"})
        check = l10n(translated, "check", "--locale", "ko")
        assert check.code == 1 and "control-char" in check.output, repr(control)
    translate_catalog(translated, "ko", {**KO, "Before you arrive": "방문\t전에"})
    assert "control-char" not in l10n(translated, "check", "--locale", "ko").output


def test_glossary_matching_ignores_invisible_characters(translated: Path) -> None:
    (translated / "locales" / "glossary.csv").write_text(
        "term,locale,translation,rule,note\nbleeding,ko,하혈,forbidden,say 출혈\nbleeding,ko,출혈,required,\n",
        encoding="utf-8")
    for joiner in ("\u2060", "\u00ad", "\u200b", "\ufe0f"):
        smuggled = f"※ 개인에 따라 출혈과 하{joiner}혈 등의 부작용이 발생할 수 있습니다."
        translate_catalog(translated, "ko", {**KO, DISCLAIMER: smuggled})
        check = l10n(translated, "check", "--locale", "ko")
        assert "'bleeding' must not be translated as '하혈'" in check.output, repr(joiner)
    translate_catalog(translated, "ko", KO)
    assert l10n(translated, "check", "--locale", "ko").code == 0
