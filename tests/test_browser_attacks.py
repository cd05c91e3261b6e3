"""The browser gate against a hostile stylesheet, template or script, and for an honest restyling.

Each attack breaks the Korean notice of one page (a ``case <slug>`` wrapper lets the site's
``templates/style.css`` aim at it) in a way the HTML gate cannot see; ``l10n build --browser``
must withhold that page in Korean, name the condition under which a reader loses the notice,
and take every link to it away, while the English page stays published. Each honest restyling
must publish every page in every language. Real Chromium throughout.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import PAGE, REPO, TRANSLATIONS, glossary_text, l10n, translate_catalog

from pipeline.checks.browser import DEFAULT_CHROMIUM, INSTALL_COMMAND

STYLE = (REPO / "pipeline" / "templates" / "style.css").read_text(encoding="utf-8")
PAGE_TEMPLATE = (REPO / "pipeline" / "templates" / "page.html").read_text(encoding="utf-8")
ONE_LOCALE = """\
[project]
name = "tiny-clinic"

[tool.l10n]
source_locale = "en"
locales = ["ko"]
base_url = "https://clinic.example/"
publish_threshold = 100
lock_timeout = 5
"""
EXTERNAL = "https://fonts.example/clinic.css"

# (slug, CSS aimed at the Korean notice of that page, HTML added to that page's <head> in Korean,
#  what the report must say: the condition and what the reader gets)
ATTACKS = [
    ("after-cover",
     ":lang(ko) .after-cover { position: relative; }"
     " :lang(ko) .after-cover::after { content: ''; position: absolute; inset: 0; background: #fff8e6; }",
     "", ["1280px light 1x screen", "text is not painted"]),
    ("partial-cover",
     ":lang(ko) .partial-cover { position: relative; }"
     " :lang(ko) .partial-cover::after { content: ''; position: absolute; inset: 0 75% 0 0; background: #fff8e6; }",
     "", ["part of the notice's text is not painted"]),
    ("filter-opacity", ":lang(ko) .filter-opacity .disclaimer { filter: opacity(0); }", "", ["text is not painted"]),
    ("blend-mode", ":lang(ko) .blend-mode .disclaimer { mix-blend-mode: lighten; }", "", ["text is not painted"]),
    ("mask", ":lang(ko) .mask .disclaimer { mask-image: linear-gradient(transparent, transparent); }", "",
     ["text is not painted"]),
    ("text-fill", ":lang(ko) .text-fill .disclaimer { -webkit-text-fill-color: transparent; }", "",
     ["text is not painted"]),
    ("content-visibility", ":lang(ko) .content-visibility .disclaimer { content-visibility: hidden; }", "",
     ["the notice"]),
    ("scale-y", ":lang(ko) .scale-y .disclaimer { transform: scaleY(0.05); }", "", ["below 12 px"]),
    ("letter-spacing", ":lang(ko) .letter-spacing .disclaimer { letter-spacing: -0.6em; }", "",
     ["letters overlap"]),
    ("bidi-override", ":lang(ko) .bidi-override .disclaimer { unicode-bidi: bidi-override; direction: rtl; }", "",
     ["drawn backwards"]),
    ("mirrored", ":lang(ko) .mirrored .disclaimer { transform: scaleX(-1); }", "", ["drawn backwards"]),
    ("wide-screens-only",
     "@media (min-width: 1600px) { :lang(ko) .wide-screens-only .disclaimer { visibility: hidden; } }", "",
     ["at 1920px light 1x screen", "not rendered"]),
    ("dark-scheme-only",
     "@media (prefers-color-scheme: dark) { :lang(ko) .dark-scheme-only .disclaimer { color: #fff8e6; } }", "",
     ["at 390px dark 2x screen", "768px dark 2x screen", "text is not painted"]),
    ("high-density-only",
     "@media (min-resolution: 2dppx) { :lang(ko) .high-density-only .disclaimer { opacity: 0; } }", "",
     ["2x screen", "not rendered"]),
    ("hover", ":lang(ko) .hover .disclaimer:hover { color: transparent; }", "",
     ["hovering the notice: the notice's text is not painted"]),
    ("hover-ancestor", ":lang(ko) main:hover .hover-ancestor .disclaimer:not(:hover) { opacity: 0; }", "",
     ["hovering just above the notice: the notice is not rendered"]),
    ("fades-out",
     "@keyframes gone { to { opacity: 0; } } :lang(ko) .fades-out .disclaimer { animation: gone 1s 4s forwards; }",
     "", ["JS on, after 10 s", "not rendered"]),
    ("blinks",
     "@keyframes blink { 50% { opacity: 0; } } :lang(ko) .blinks .disclaimer { animation: blink 2s infinite; }",
     "", ["endless animation (blink on aside.disclaimer)"]),
    ("removed-after-2s", "",
     "<script>setTimeout(() => document.querySelector('aside.disclaimer').remove(), 2000);</script>",
     ["JS on, after 10 s", "the notice (aside.disclaimer) is not in the page"]),
    ("removed-for-readers-only", "",
     "<script>addEventListener('DOMContentLoaded', () => { if (navigator.webdriver === false"
     " && !/Headless/.test(navigator.userAgent)) document.querySelector('aside.disclaimer').remove(); });</script>",
     ["JS on, after 10 s", "the notice (aside.disclaimer) is not in the page"]),
    ("what-a-script-sees", "",
     "<script>addEventListener('DOMContentLoaded', () => { document.querySelector('aside.disclaimer').append("
     "' webdriver=' + navigator.webdriver + ' headless=' + /Headless/.test(navigator.userAgent)); });</script>",
     ["webdriver=false headless=false"]),
    ("hidden-without-script", "",
     "<noscript><style>:lang(ko) .hidden-without-script .disclaimer { display: none; }</style></noscript>",
     ["at 1280px light 1x screen, JS off: the notice is not rendered"]),
    ("print", "@media print { :lang(ko) .print .disclaimer { display: none; } }", "",
     ["at 768px light 1x print", "not rendered"]),
    ("external-stylesheet", "", f'<link rel="stylesheet" href="{EXTERNAL}">',
     [f"the page loads {EXTERNAL}, which the check cannot load"]),
    ("noisy-background",
     ":lang(ko) .noisy-background .disclaimer {"
     " background: repeating-linear-gradient(90deg, #000 0 2px, #fff 2px 4px); }",
     "", ["contrast is", "below 4.5:1"]),
]

# (slug, an honest restyling of that page in every language)
BENIGN = [
    ("another-font", ".another-font .disclaimer { font-family: 'DejaVu Serif', 'Noto Serif CJK KR', serif; }"),
    ("dark-notice-box", ".dark-notice-box .disclaimer { background: #1d2733; color: #f4f4f4; border-color: #e0a030; }"),
    ("dark-mode",
     "@media (prefers-color-scheme: dark) { html:has(.dark-mode) { background: #121417; color: #e8e8ea; }"
     " .dark-mode .disclaimer { background: #2b2310; color: #f6eedb; } html:has(.dark-mode) a { color: #8cc8e8; } }"),
    ("wider-layout", "main:has(.wider-layout), .site-header:has(~ main .wider-layout) { max-width: 90rem; }"),
    ("fade-in", "@keyframes appear { from { opacity: 0; } to { opacity: 1; } }"
     " .fade-in .disclaimer { animation: appear 0.6s ease-out both; }"),
    ("print-margins", "@media print { @page { margin: 2cm; } .print-margins .disclaimer { margin: 1cm 0;"
     " background: none; color: #000; border: 1pt solid #000; } }"),
    ("uppercase-label", ".uppercase-label .disclaimer { text-transform: uppercase; letter-spacing: 0.02em; }"),
]

CASE_TEMPLATE = PAGE_TEMPLATE.replace(
    '<aside class="disclaimer"', '<div class="case {{ page.slug }}">\n<aside class="disclaimer"'
).replace("</aside>", "</aside>\n</div>")
# The attacks aim at Korean versions only: the others carry no case class, so they are alike and
# the pass lays them out under every condition once (the honest restylings apply to every language).
KOREAN_CASE_TEMPLATE = CASE_TEMPLATE.replace(
    '<div class="case {{ page.slug }}">',
    '{% if tag == "ko" %}<div class="case {{ page.slug }}">{% else %}<div>{% endif %}')


@pytest.fixture(scope="module", autouse=True)
def chromium() -> None:
    if not DEFAULT_CHROMIUM.is_file():
        pytest.fail(f"{DEFAULT_CHROMIUM} is missing; `make test` installs it, or run: {INSTALL_COMMAND}")


def site(root: Path, pyproject: str, slugs: list[str], css: str, head: dict[str, str],
         case_template: str = CASE_TEMPLATE) -> Path:
    """A project with one copy of the tiny page per slug, approved, with the given overrides."""
    (root / "source").mkdir(parents=True)
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    for slug in slugs:
        text = PAGE.replace("slug: first-visit", f"slug: {slug}")
        (root / "source" / f"{slug}.md").write_text(text, encoding="utf-8")
    heads = "".join(f'{{% if tag == "ko" and page.slug == "{slug}" %}}{html}{{% endif %}}\n'
                    for slug, html in head.items() if html)
    template = case_template.replace("{% block meta %}\n", "{% block meta %}\n" + heads, 1)
    assert heads == "" or heads in template
    (root / "templates").mkdir()
    (root / "templates" / "page.html").write_text(template, encoding="utf-8")
    (root / "templates" / "style.css").write_text(STYLE + "\n" + css + "\n", encoding="utf-8")
    locales = tuple(locale for locale in TRANSLATIONS if f'"{locale}"' in pyproject)
    (root / "locales").mkdir()
    (root / "locales" / "glossary.csv").write_text(glossary_text(locales=locales), encoding="utf-8")
    assert l10n(root, "extract").code == 0
    assert l10n(root, "update").code == 0
    for locale, table in TRANSLATIONS.items():
        if locale in locales:
            translate_catalog(root, locale, table)
    return root


@pytest.fixture(scope="module")
def attacked(tmp_path_factory: pytest.TempPathFactory):
    root = site(tmp_path_factory.mktemp("attacks") / "site", ONE_LOCALE, [a[0] for a in ATTACKS] + ["untouched"],
                "\n".join(a[1] for a in ATTACKS), {a[0]: a[2] for a in ATTACKS}, KOREAN_CASE_TEMPLATE)
    assert l10n(root, "build").code == 0  # the HTML gate sees nothing wrong
    checked = l10n(root, "check", "--browser", "--format", "json")
    result = l10n(root, "build", "--browser")
    return root, result, checked


def withheld_reasons(output: str, slug: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith(f"WITHHELD: {slug} [ko]: ")]
    return "\n".join(lines)


@pytest.mark.parametrize("slug, reported", [(a[0], a[3]) for a in ATTACKS], ids=[a[0] for a in ATTACKS])
def test_attack_withholds_the_korean_page_naming_the_condition(attacked, slug: str, reported: list[str]) -> None:
    root, result, _ = attacked
    assert result.code == 1
    reasons = withheld_reasons(result.stderr, slug)
    assert reasons, f"{slug} was published in Korean:\n{result.output[-3000:]}"
    for words in reported:
        assert words in reasons, reasons
    assert not (root / "output" / "ko" / f"{slug}.html").exists()
    english = (root / "output" / "en" / f"{slug}.html").read_text(encoding="utf-8")
    assert f"ko/{slug}.html" not in english  # no link to the withheld version
    assert f"ko/{slug}.html" not in (root / "output" / "sitemap.xml").read_text(encoding="utf-8")
    assert f"{slug}.html" not in (root / "output" / "ko" / "index.html").read_text(encoding="utf-8")


def test_only_attacked_versions_are_withheld(attacked) -> None:
    root, result, _ = attacked
    withheld = {line.split(" [")[0].removeprefix("WITHHELD: ") for line in result.stderr.splitlines()
                if line.startswith("WITHHELD: ")}
    assert withheld == {a[0] for a in ATTACKS}
    assert (root / "output" / "ko" / "untouched.html").is_file()
    for slug, *_ in ATTACKS:
        assert (root / "output" / "en" / f"{slug}.html").is_file()


def test_check_browser_names_the_same_pages_in_json(attacked) -> None:
    _, _, checked = attacked
    assert checked.code == 1
    findings = json.loads(checked.stdout)
    named = {Path(f["file"]).stem for f in findings if f["check"] == "disclaimer-browser"}
    assert named == {a[0] for a in ATTACKS}
    assert {(f["locale"], f["severity"]) for f in findings} == {("ko", "error")}


@pytest.fixture(scope="module")
def honest(tmp_path_factory: pytest.TempPathFactory):
    pyproject = ONE_LOCALE.replace('locales = ["ko"]', 'locales = ["ko", "ar"]')
    root = site(tmp_path_factory.mktemp("honest") / "site", pyproject, [b[0] for b in BENIGN],
                "\n".join(b[1] for b in BENIGN), {})
    return root, l10n(root, "build", "--browser")


@pytest.mark.parametrize("slug", [b[0] for b in BENIGN])
def test_honest_restyling_publishes_every_language(honest, slug: str) -> None:
    root, result = honest
    assert f"WITHHELD: {slug} " not in result.stderr, result.output
    for tag in ("en", "ko", "ar"):
        assert (root / "output" / tag / f"{slug}.html").is_file()


def test_honest_restylings_build_cleanly(honest) -> None:
    _, result = honest
    assert result.code == 0, result.output


def test_shipped_site_restyled_honestly_publishes_all_nine_languages(repo_copy: Path) -> None:
    (repo_copy / "templates").mkdir()
    restyled = STYLE + "\n" + "\n".join(css.replace(f".{slug} ", "").replace(f"(.{slug})", "(.disclaimer)")
                                        for slug, css in BENIGN if slug != "uppercase-label")
    (repo_copy / "templates" / "style.css").write_text(restyled, encoding="utf-8")
    result = l10n(repo_copy, "build", "--browser")
    assert result.code == 0, result.output
    assert "9 pages published" in result.stdout
    assert len(list((repo_copy / "output").glob("*/mini-facelift.html"))) == 9


def test_an_allowed_resource_is_checked_from_its_local_copy(tmp_path: Path) -> None:
    allow = f'browser_allow = {{ "{EXTERNAL}" = "vendor/clinic.css" }}\n'
    root = site(tmp_path / "site", ONE_LOCALE + allow, ["first-visit"], "",
                {"first-visit": f'<link rel="stylesheet" href="{EXTERNAL}">'})
    (root / "vendor").mkdir()
    (root / "vendor" / "clinic.css").write_text(".disclaimer { font-family: serif; }\n", encoding="utf-8")
    result = l10n(root, "build", "--browser")
    assert result.code == 0, result.output
    assert (root / "output" / "ko" / "first-visit.html").is_file()

    # the local copy is what the check holds the page to
    (root / "vendor" / "clinic.css").write_text(":lang(ko) .disclaimer { visibility: hidden; }\n", encoding="utf-8")
    result = l10n(root, "build", "--browser")
    assert result.code == 1
    assert "not rendered" in withheld_reasons(result.stderr, "first-visit")


def test_an_allowed_resource_without_its_local_copy_is_bad_input(tmp_path: Path) -> None:
    allow = f'browser_allow = {{ "{EXTERNAL}" = "vendor/missing.css" }}\n'
    root = site(tmp_path / "site", ONE_LOCALE + allow, ["first-visit"], "", {})
    assert l10n(root, "build").code == 0
    result = l10n(root, "check", "--browser")
    assert result.code == 2
    assert f"the local copy of {EXTERNAL} (vendor/missing.css) does not exist" in result.stderr
