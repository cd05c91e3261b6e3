"""A tiny project in a temp directory, and a way to run the real CLI on it."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from pipeline.cli import main

REPO = Path(__file__).resolve().parents[1]

# Under pytest-xdist (`make test`) every test process would otherwise size its pools, and the
# browser pass its Chromiums, to every core: on a many-core CI machine, processes x cores of them.
if "PYTEST_XDIST_WORKER" in os.environ:
    os.environ.setdefault("L10N_JOBS", "2")

PYPROJECT = """\
[project]
name = "tiny-clinic"

[tool.l10n]
# the languages of our patients
source_locale = "en"
locales = ["ko", "ar"]
base_url = "https://clinic.example/"
publish_threshold = 100
lock_timeout = 5
"""

PAGE = """\
---
title: First Visit
slug: first-visit
description: What to expect at your first consultation.
disclaimer: ※ Side effects such as bleeding may occur depending on the individual.
---

## Before you arrive

Please bring your ID card
and a list of your medicines.

Our [booking page](https://clinic.example/book) is open
every day.\\
Call us first.
"""

DISCLAIMER = "※ Side effects such as bleeding may occur depending on the individual."

TRANSLATIONS = {
    "ko": {
        "First Visit": "첫 방문",
        "What to expect at your first consultation.": "첫 상담에서 알아 두실 내용을 안내합니다.",
        DISCLAIMER: "※ 개인에 따라 출혈 등의 부작용이 발생할 수 있습니다.",
        "Before you arrive": "방문 전에",
        "Please bring your ID card and a list of your medicines.": "신분증과 복용 중인 약 목록을 지참해 주세요.",
        "Our [booking page](https://clinic.example/book) is open every day.\\\nCall us first.":
            "[예약 페이지](https://clinic.example/book)는 매일 열려 있습니다.\\\n먼저 전화해 주세요.",
        "Skip to main content": "본문으로 건너뛰기",
        "Language": "언어",
        "Medical disclaimer": "의료 고지",
        "Procedures": "시술 안내",
    },
    "ar": {
        "First Visit": "الزيارة الأولى",
        "What to expect at your first consultation.": "ما يمكن توقعه في استشارتك الأولى.",
        DISCLAIMER: "※ قد تحدث آثار جانبية مثل النزيف حسب الحالة الفردية.",
        "Before you arrive": "قبل وصولك",
        "Please bring your ID card and a list of your medicines.": "يرجى إحضار بطاقة هويتك وقائمة بأدويتك.",
        "Our [booking page](https://clinic.example/book) is open every day.\\\nCall us first.":
            "[صفحة الحجز](https://clinic.example/book) متاحة كل يوم.\\\nاتصل بنا أولاً.",
        "Skip to main content": "انتقل إلى المحتوى الرئيسي",
        "Language": "اللغة",
        "Medical disclaimer": "تنبيه طبي",
        "Procedures": "الإجراءات",
    },
}


# The tiny project's termbase: a required term for each point of the disclaimer in each locale
# (the gate fails a locale without them), and the ※ marker kept.
GLOSSARY_ROWS = {
    ("※", "*"): "※,*,,keep,the disclaimer's reference mark",
    ("inflammation", "ko"): "inflammation,ko,염증,required,side effect",
    ("bleeding", "ko"): "bleeding,ko,출혈,required,side effect",
    ("nerve damage", "ko"): "nerve damage,ko,신경 손상,required,side effect",
    ("depending on the individual", "ko"): "depending on the individual,ko,개인에 따라,required,hedge",
    ("consultation", "ko"): "consultation,ko,상담,required,consultation",
    ("medical team", "ko"): "medical team,ko,의료진,required,the clinic's doctors",
    ("before surgery", "ko"): "before surgery,ko,수술 전,required,timing",
    ("inflammation", "ar"): "inflammation,ar,التهاب,required,side effect",
    ("bleeding", "ar"): "bleeding,ar,النزيف|نزيف,required,side effect",
    ("nerve damage", "ar"): "nerve damage,ar,تلف الأعصاب|تلف العصب,required,side effect",
    ("depending on the individual", "ar"): "depending on the individual,ar,الفردية,required,hedge",
    ("consultation", "ar"): "consultation,ar,استشار,required,consultation",
    ("medical team", "ar"): "medical team,ar,الفريق الطبي|فريق طبي,required,the clinic's doctors",
    ("before surgery", "ar"): "before surgery,ar,قبل الجراحة,required,timing",
}


def glossary_text(*rows: str, locales: tuple[str, ...] = ("ko", "ar")) -> str:
    """``locales/glossary.csv`` with the disclaimer points of ``locales`` and ``rows`` (a row
    replaces the point row of the same term, locale and rule)."""
    table = {(*key, row.split(",")[3]): row for key, row in GLOSSARY_ROWS.items() if key[1] in ("*", *locales)}
    for row in rows:
        term, locale, _translation, rule = row.split(",")[:4]
        table[(term, locale, rule)] = row
    return "term,locale,translation,rule,note\n" + "".join(f"{row}\n" for row in table.values())


def write_glossary(root: Path, *rows: str) -> None:
    (root / "locales" / "glossary.csv").write_text(glossary_text(*rows), encoding="utf-8")


# A page added after the Japanese catalog was complete (review workbench tests): one sentence
# moved from an approved paragraph of the shipped mini facelift page, and new text.
NEW_PAGE = """\
---
title: The SMAS Layer
slug: smas-layer
description: What the SMAS layer is and why a facelift works on it.
disclaimer: {disclaimer}
---

## What the SMAS Layer Is

The SMAS layer is a thin fascial layer located beneath the skin and is a structure
that plays an important role in maintaining facial firmness and shape.

Ask the medical team which approach suits your face.
"""
MOVED = ("The SMAS layer is a thin fascial layer located beneath the skin and is a structure that plays an "
         "important role in maintaining facial firmness and shape.")
MOVED_JA = "SMAS層は皮膚の下にある薄い筋膜の層で、顔のハリと形を維持するうえで重要な役割を果たす構造です。"


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def l10n(root: Path, *args: str) -> Result:
    """Run the real CLI on the project at ``root``."""
    result = CliRunner().invoke(main, ["--project", str(root), *args], catch_exceptions=False)
    return Result(result.exit_code, result.stdout, result.stderr)


def po_path(root: Path, locale: str) -> Path:
    return root / "locales" / locale / "LC_MESSAGES" / "messages.po"


REVIEW_RECORD = "reviewed: Test Reviewer 2026-12-01"


def translate_catalog(
    root: Path, locale: str, table: dict[str, str], fuzzy: set[str] = frozenset(), reviewed: bool = True
) -> None:
    """Fill a catalog as a translator would in a PO editor (then saved in GNU layout). With
    ``reviewed``, a disclaimer it fills carries a review record, as a reviewer writes by hand;
    without, it has none."""
    from pipeline.catalogs import write_catalog

    path = po_path(root, locale)
    catalog = polib.pofile(str(path))
    for entry in catalog:
        if entry.msgid in table:
            entry.msgstr = table[entry.msgid]
            if entry.msgctxt == "disclaimer":  # without ``reviewed``: no review record
                kept = [c for c in entry.tcomment.split("\n") if c and not c.startswith("reviewed:")]
                entry.tcomment = "\n".join([*kept, REVIEW_RECORD] if reviewed else kept)
            if entry.msgid in fuzzy and "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
            elif entry.msgid not in fuzzy and "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    write_catalog(path, catalog)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the project (but the lock), to prove a command changed nothing."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".cache" not in p.parts
    }


def make_project(root: Path, **pages: str) -> Path:
    """The tiny project in ``root``: first-visit (and ``pages``, file stem -> Markdown), with
    extracted messages and empty ko and ar catalogs."""
    (root / "source").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    for stem, text in {"first-visit": PAGE, **pages}.items():
        (root / "source" / f"{stem}.md").write_text(text, encoding="utf-8")
    (root / "locales").mkdir()
    write_glossary(root)
    assert l10n(root, "extract").code == 0
    assert l10n(root, "update").code == 0
    return root


def approve_everything(root: Path) -> Path:
    """Every message of the tiny project translated and approved in ko and ar."""
    for locale, table in TRANSLATIONS.items():
        translate_catalog(root, locale, table)
    return root


def make_translated(root: Path, **pages: str) -> Path:
    """``make_project`` with every message approved in ko and ar."""
    return approve_everything(make_project(root, **pages))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A one-page project with empty ko and ar catalogs."""
    return make_project(tmp_path / "site")


@pytest.fixture
def translated(project: Path) -> Path:
    """The tiny project with every message approved in ko and ar."""
    return approve_everything(project)


class Kept:
    """A project as it was at one moment, put back at the same path for each test that asks.

    The browser pass keeps its verdicts (`.cache/browser-verdicts.json`) with the project, so a
    project checked in Chromium once and put back reuses those verdicts: a test's own pass then
    lays out only what the test changed. Tests of a module run one after another in one process
    (pytest-xdist --dist loadscope), so they take turns at the path."""

    def __init__(self, root: Path, name: str = "kept") -> None:
        self.root = root
        self.copy = root.with_name(f"{root.name}-{name}")
        shutil.copytree(root, self.copy, symlinks=True)

    def restore(self) -> Path:
        if self.root.exists():
            shutil.rmtree(self.root)
        shutil.copytree(self.copy, self.root, symlinks=True)
        return self.root


@pytest.fixture(scope="module")
def checked_once(tmp_path_factory: pytest.TempPathFactory) -> Kept:
    """The tiny project approved in ko and ar, built and checked in Chromium once per module."""
    root = make_translated(tmp_path_factory.mktemp("checked") / "site")
    assert l10n(root, "build").code == 0
    result = l10n(root, "check", "--browser")
    assert result.code == 0, result.output
    return Kept(root)


@pytest.fixture
def checked(checked_once: Kept) -> Path:
    """``translated``, built, with the verdicts of a browser pass over it in ``.cache/``: its first
    ``publish`` or ``build --browser`` lays out only what the test changed. For tests about what
    publishing does, not about a first look in Chromium (those use ``translated``)."""
    return checked_once.restore()


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A copy of this repository's site (source, locales, config), to run the real pipeline on."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("source", "locales"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


GNU_TOOLS = ("msgfmt", "msgcat", "msgmerge", "msgunfmt")
GETTEXT_INSTALL = "sudo apt-get install -y gettext"


def missing_gnu_tools() -> list[str]:
    return [tool for tool in GNU_TOOLS if shutil.which(tool) is None]


def pytest_sessionstart(session: pytest.Session) -> None:
    """GNU gettext is the reference the tests compare with: without it the suite fails, not skips."""
    missing = missing_gnu_tools()
    if missing:
        pytest.exit(
            f"GNU gettext is missing ({', '.join(missing)} not on PATH), the reference these tests"
            f" compare with: run `{GETTEXT_INSTALL}` (or `make test` as root, which installs it)",
            returncode=1,
        )


def gnu(*args: str) -> subprocess.CompletedProcess:
    """Run a GNU gettext tool (the reference implementation)."""
    if shutil.which(args[0]) is None:
        pytest.fail(f"GNU gettext's {args[0]} is not installed: run `{GETTEXT_INSTALL}`")
    return subprocess.run(args, capture_output=True, text=True)
