"""A synthetic clinic site for benchmarks: N English procedure pages and pseudo translations.

Pages follow the source format (front matter with the shared disclaimer, hard-wrapped
paragraphs, headings, lists, links, emphasis, the odd table and hard line break); a few strings
are shared by every page, as on a real site ("Source: TS Plastic Surgery website", section
headings). The pseudo translations are approved entries that pass every error check: each
English word becomes a made-up word in the locale's script, markup, URLs, placeholders and
``keep`` terms stay as written, the locale's final punctuation and comma are used, and the
glossary's required terms are present. So a benchmark measures the pipeline doing real work on
a site that publishes, not a site that fails early.

    python bench/corpus.py DIR --pages 1000    # sources, POT (l10n extract) and eight catalogs
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import polib  # noqa: E402

from pipeline.catalogs import write_catalog  # noqa: E402
from pipeline.checks.gate import DISCLAIMER_CONTEXT  # noqa: E402
from pipeline.glossary import load_glossary  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.update import new_catalog  # noqa: E402

LOCALES = ("ko", "ja", "zh_Hans", "zh_Hant", "th", "vi", "ru", "ar")
DISCLAIMER = (
    "※ Side effects such as inflammation, bleeding, and nerve damage may occur depending on the "
    "individual, so sufficient consultation with the medical team before surgery is necessary."
)
REVIEW_RECORD = "reviewed: bench reviewer 2025-01-01"
PYPROJECT = f"""\
[project]
name = "bench-clinic"

[tool.l10n]
source_locale = "en"
locales = [{", ".join(f'"{loc}"' for loc in LOCALES)}]
base_url = "https://clinic.example/"
publish_threshold = 100
po_width = 79
lock_timeout = 60
"""

_WORDS = """
face facial lift lifting contour jawline cheek neck skin layer tissue fascia muscle incision scar
recovery swelling bruising firmness elasticity volume fat graft thread laser filler implant nose
eyelid brow forehead temple chin lip line wrinkle texture tone collagen procedure surgery
treatment consultation anesthesia stitches dressing follow-up visit week month day result
natural refined defined smooth gentle firm lasting visible subtle balanced youthful delicate
patient surgeon doctor nurse team clinic method technique approach plan care session area
region structure position depth angle tension support shape profile appearance impression
lower upper middle outer inner deep thin small short long gradual careful individual
""".split()
_VERBS = """
helps improves supports restores lifts tightens refines softens reduces shapes smooths balances
reshapes repositions strengthens renews corrects enhances protects maintains
""".split()
_HEADINGS = ("Who it is for", "How the procedure works", "Recovery", "Before and after care",
             "Frequently asked questions")


def _sentence(rng: random.Random, page: int) -> str:
    subject = " ".join(rng.sample(_WORDS, rng.randint(2, 4)))
    obj = " ".join(rng.sample(_WORDS, rng.randint(2, 5)))
    tail = " ".join(rng.sample(_WORDS, rng.randint(2, 6)))
    sentence = f"The {subject} {rng.choice(_VERBS)} the {obj}, with {tail} in case {page}"
    return sentence[0].upper() + sentence[1:] + "."


def _paragraph(rng: random.Random, page: int, markup: bool) -> list[str]:
    """A paragraph, hard-wrapped at about 80 columns as an editor writes it."""
    text = " ".join(_sentence(rng, page) for _ in range(rng.randint(2, 4)))
    words = text.split(" ")
    if markup:
        i = rng.randrange(1, len(words) - 2)
        kind = rng.choice(("strong", "em", "link", "break"))
        if kind == "strong":
            words[i] = f"**{words[i]}**"
        elif kind == "em":
            words[i] = f"_{words[i]}_"
        elif kind == "link":
            words[i] = f"[{words[i]}](https://clinic.example/guide/{page}.html)"
        else:
            words[i] = words[i] + "\\\n"
    lines, line = [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > 80:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
        if line.endswith("\\\n"):
            lines.append(line[:-1])
            line = ""
    lines.append(line)
    return [row for row in lines if row]


def page_text(page: int, seed: int = 0) -> str:
    """The Markdown of page number ``page`` (deterministic)."""
    rng = random.Random(seed * 1_000_003 + page)
    name = " ".join(rng.sample(_WORDS, 2)).title()
    parts = [
        "---",
        f"title: {name} Procedure {page}",
        f"slug: page-{page:04d}",
        f"description: An overview of the {name.lower()} procedure {page} and what to expect from recovery.",
        f"disclaimer: {DISCLAIMER}",
        "---",
        "",
        "Source: TS Plastic Surgery website",
        "",
    ]
    for section in range(rng.randint(2, 3)):
        parts += [f"## {rng.choice(_HEADINGS) if section else name + ' Through SMAS Layer Dissection'}", ""]
        for _ in range(rng.randint(1, 3)):
            parts += _paragraph(rng, page, markup=rng.random() < 0.4) + [""]
    parts += [f"- {_sentence(rng, page)}" for _ in range(3)] + [""]
    if page % 10 == 0:
        parts += ["| Stage | Time |", "| --- | --- |", f"| Consultation {page} | One week before |",
                  f"| Recovery {page} | Two weeks |", ""]
    return "\n".join(parts)


def write_sources(root: Path, pages: int, seed: int = 0) -> None:
    """A fresh project in ``root``: pyproject.toml, the glossary, ``pages`` source pages."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / "locales").mkdir(exist_ok=True)
    shutil.copy(REPO / "locales" / "glossary.csv", root / "locales" / "glossary.csv")
    source = root / "source"
    if source.exists():
        shutil.rmtree(source)
    source.mkdir()
    for page in range(1, pages + 1):
        (source / f"page-{page:04d}.md").write_text(page_text(page, seed), encoding="utf-8")


# ------------------------------------------------------------------ pseudo translation ----

_ALPHABETS = {
    # locale: (letters, letters per English letter)
    "ko": ("가나다라마바사아자차카타파하고노도로모보소오조초코토포호구누두루무부수우주", 0.45),
    "ja": ("あいうえおかきくけこさしすせそたちつてとなにぬねのまみむめもやゆよらりるれろわん治療手術", 0.5),
    "zh_Hans": ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动", 0.3),
    "zh_Hant": ("的一是在不了有和人這中大為上個國我以要他時來用們生到作地於出就分對成會可主發年動", 0.3),
    "th": ("กขคงจฉชซดตถทธนบปผพฟภมยรลวสหอฮ", 0.9),
    "ru": ("абвгдежзиклмнопрстуфхцчшщыэюя", 1.1),
    "ar": ("ابتثجحخدذرزسشصضطظعغفقكلمنهوي", 1.0),
}
_VI = str.maketrans("aeiouyAEIOUYd", "áềìơưỳÁỀÌƠƯỲđ")
_FINAL = {
    "ja": {".": "。", "!": "！", "?": "？", ":": "："},
    "zh_Hans": {".": "。", "!": "！", "?": "？", ":": "："},
    "zh_Hant": {".": "。", "!": "！", "?": "？", ":": "："},
    "th": {".": ""},
    "ar": {"?": "؟"},
}
_COMMA = {"ar": "،", "ja": "、", "zh_Hans": "，", "zh_Hant": "，"}
# What a translator leaves as written: link targets, autolinks, code, placeholders, URLs, kept names.
_PROTECTED = re.compile(
    r"\]\([^)]*\)|<[^>\s]+>|`[^`]*`|\{[A-Za-z_]\w*\}|%\([A-Za-z_]\w*\)[sd]|https?://\S+"
    r"|SMAS|TS Plastic Surgery"
)
_WORD = re.compile(r"[A-Za-z]+")


def _pseudo_word(word: str, locale: str) -> str:
    if locale == "vi":
        return word.translate(_VI)
    letters, ratio = _ALPHABETS[locale]
    size = max(1, round(len(word) * ratio))
    state = zlib.crc32(word.lower().encode())
    out = []
    for _ in range(size):
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        out.append(letters[state % len(letters)])
    made = "".join(out)
    return made.capitalize() if word[0].isupper() else made


def _pseudo_prose(text: str, locale: str) -> str:
    text = _WORD.sub(lambda m: _pseudo_word(m.group(), locale), text)
    if locale in _COMMA:
        text = re.sub(r"(?<!\d),|,(?!\d)", _COMMA[locale], text)
    return text


def pseudo_translate(msgid: str, locale: str, required: dict[str, list[tuple[str, str]]]) -> str:
    """A translation of ``msgid`` that passes every error check in ``locale``."""
    pieces, last = [], 0
    for match in _PROTECTED.finditer(msgid):
        pieces.append(_pseudo_prose(msgid[last:match.start()], locale))
        pieces.append(match.group())
        last = match.end()
    pieces.append(_pseudo_prose(msgid[last:], locale))
    text = "".join(pieces)
    terms = [translation for term, translation in required.get(locale, ())
             if re.search(rf"(?<!\w){re.escape(term)}(?!\w)", msgid, re.IGNORECASE)]
    mark = msgid[-1] if msgid[-1:] in ".!?:" else ""
    body = text[: len(text) - len(mark)] if mark else text
    if terms:
        body += " " + " ".join(terms)
    return body + _FINAL.get(locale, {}).get(mark, mark)


def _required_terms(config) -> dict[str, list[tuple[str, str]]]:
    """locale -> (English term, its first translation) for the glossary's ``required`` rules."""
    glossary = load_glossary(config.glossary_path, "glossary.csv", config.locales)
    required: dict[str, list[tuple[str, str]]] = {}
    for term in glossary:
        if term.rule == "required":
            for locale in config.locales if term.locale == "*" else (term.locale,):
                required.setdefault(locale, []).append((term.term, term.translations[0]))
    return required


def write_translations(root: Path) -> None:
    """One catalog per locale from ``locales/messages.pot``, every entry approved."""
    config = load_config(root)
    pot = polib.pofile(str(config.pot_path), wrapwidth=config.po_width)
    required = _required_terms(config)
    for locale in config.locales:
        catalog = new_catalog(config, locale, pot)
        catalog.metadata["PO-Revision-Date"] = "2025-01-01 00:00+0000"
        for entry in catalog:
            entry.msgstr = pseudo_translate(entry.msgid, locale, required)
            if entry.msgctxt == DISCLAIMER_CONTEXT:  # the gate publishes a disclaimer only with a review record
                entry.tcomment = REVIEW_RECORD
        path = config.po_path(locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_catalog(path, catalog, config.po_width)


def translate_pending(root: Path) -> int:
    """After an English edit and ``l10n update``: give every fuzzy or empty entry of every catalog
    an approved pseudo translation, as a translator would; returns how many entries per locale
    (the most of any locale)."""
    config = load_config(root)
    required = _required_terms(config)
    most = 0
    for locale in config.locales:
        path = config.po_path(locale)
        catalog = polib.pofile(str(path), wrapwidth=config.po_width)
        done = 0
        for entry in catalog:
            if entry.obsolete or (entry.msgstr and "fuzzy" not in entry.flags):
                continue
            entry.msgstr = pseudo_translate(entry.msgid, locale, required)
            entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            done += 1
        if done:
            write_catalog(path, catalog, config.po_width)
        most = max(most, done)
    return most


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--pages", type=int, default=100)
    args = parser.parse_args()
    from pipeline.extract import extract

    write_sources(args.dir, args.pages)
    extract(load_config(args.dir.resolve()))
    write_translations(args.dir.resolve())
    print(f"{args.dir}: {args.pages} pages, {len(LOCALES)} catalogs")


if __name__ == "__main__":
    main()
