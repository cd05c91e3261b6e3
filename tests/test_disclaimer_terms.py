"""Every locale's disclaimer is verifiable: without a required glossary term for each point of
the disclaimer (the ※ marker, inflammation, bleeding, nerve damage, varies by individual,
consult the medical team before surgery) the locale fails the gate."""

from __future__ import annotations

from pathlib import Path

from conftest import DISCLAIMER, TRANSLATIONS, glossary_text, l10n, translate_catalog, write_glossary

GERMAN = {
    "First Visit": "Erster Besuch",
    "What to expect at your first consultation.": "Was Sie bei Ihrer ersten Beratung erwartet.",
    DISCLAIMER: "※ Nebenwirkungen wie Blutungen können je nach Person auftreten.",
    "Before you arrive": "Bevor Sie kommen",
    "Please bring your ID card and a list of your medicines.":
        "Bitte bringen Sie Ihren Ausweis und eine Liste Ihrer Medikamente mit.",
    "Our [booking page](https://clinic.example/book) is open every day.\\\nCall us first.":
        "Unsere [Buchungsseite](https://clinic.example/book) ist jeden Tag geöffnet.\\\nRufen Sie uns zuerst an.",
    "Skip to main content": "Zum Hauptinhalt springen",
    "Language": "Sprache",
    "Medical disclaimer": "Medizinischer Hinweis",
    "Procedures": "Behandlungen",
}
GERMAN_ROWS = (
    "inflammation,de,Entzündung,required,side effect",
    "bleeding,de,Blutung,required,side effect",
    "nerve damage,de,Nervenschäden|Nervenschädigung,required,side effect",
    "depending on the individual,de,je nach Person,required,hedge",
    "consultation,de,Beratung,required,consultation",
    "medical team,de,Ärzteteam,required,the clinic's doctors",
    "before surgery,de,vor der Operation,required,timing",
)


def test_a_new_locale_without_glossary_rows_fails_check_and_is_not_built(translated: Path) -> None:
    init = l10n(translated, "init", "--locale", "de")
    assert init.code == 0, init.output
    assert "de pages are withheld until locales/glossary.csv requires a de term for each point" in init.stdout
    for row in ("inflammation,de,<de wording>,required,", "bleeding,de,<de wording>,required,",
                "nerve damage,de,", "depending on the individual,de,", "consultation,de,", "medical team,de,",
                "before surgery,de,"):
        assert f"\n  {row}" in init.stdout, row
    assert "※,*" not in init.stdout  # the marker is kept in every locale already
    translate_catalog(translated, "de", GERMAN)

    check = l10n(translated, "check")

    assert check.code == 1
    assert ("error: disclaimer-terms (disclaimer): locales/glossary.csv has no required de term for: "
            "inflammation ('inflammation'); bleeding ('bleeding'); nerve damage ('nerve damage'); "
            "varies by individual ('depending on the individual'); consult the medical team before surgery "
            "('consultation', 'medical team', 'before surgery')") in check.stdout
    build = l10n(translated, "build")
    assert build.code == 1 and "WITHHELD: first-visit [de]: the disclaimer fails check disclaimer-terms" in build.stderr
    assert not (translated / "output" / "de").exists()
    assert (translated / "output" / "ko" / "first-visit.html").is_file()

    # the rows init printed, with the wording the German reviewer approves: published
    (translated / "locales" / "glossary.csv").write_text(
        glossary_text(*GERMAN_ROWS, locales=("ko", "ar", "de")), encoding="utf-8")
    assert l10n(translated, "init", "--locale", "de").stdout.count("\n") == 1  # nothing left to add
    build = l10n(translated, "build")
    assert build.code == 0, build.output
    assert (translated / "output" / "de" / "first-visit.html").is_file()
    assert l10n(translated, "check").code == 0


def test_one_missing_point_is_named_and_fails_only_that_locale(translated: Path) -> None:
    text = glossary_text().replace("nerve damage,ko,신경 손상,required,side effect\n", "")
    (translated / "locales" / "glossary.csv").write_text(text, encoding="utf-8")

    build = l10n(translated, "build")

    assert build.code == 1
    assert ("WITHHELD: first-visit [ko]: the disclaimer fails check disclaimer-terms: locales/glossary.csv has no "
            "required ko term for: nerve damage ('nerve damage'):") in build.stderr
    assert "[ar]" not in build.stderr
    assert (translated / "output" / "ar" / "first-visit.html").is_file()
    assert not (translated / "output" / "ko" / "first-visit.html").exists()


def test_the_marker_needs_a_keep_or_required_row(translated: Path) -> None:
    text = glossary_text().replace("※,*,,keep,the disclaimer's reference mark\n", "")
    (translated / "locales" / "glossary.csv").write_text(text, encoding="utf-8")
    build = l10n(translated, "build")
    assert build.code == 1 and "the ※ marker ('※')" in build.stderr
    write_glossary(translated, "※,ko,※,required,marker", "※,ar,※,required,marker")
    (translated / "locales" / "glossary.csv").write_text(
        (translated / "locales" / "glossary.csv").read_text(encoding="utf-8").replace(
            "※,*,,keep,the disclaimer's reference mark\n", ""), encoding="utf-8")
    assert l10n(translated, "build").code == 0


def test_a_forbidden_or_other_locale_row_does_not_count(translated: Path) -> None:
    text = glossary_text().replace("bleeding,ko,출혈,required,side effect", "bleeding,ko,피,forbidden,side effect")
    (translated / "locales" / "glossary.csv").write_text(text, encoding="utf-8")
    build = l10n(translated, "build")
    assert build.code == 1 and "required ko term for: bleeding ('bleeding')" in build.stderr


def test_the_flag_ignore_disclaimer_terms_is_not_honoured(translated: Path) -> None:
    text = glossary_text().replace("bleeding,ko,출혈,required,side effect\n", "")
    (translated / "locales" / "glossary.csv").write_text(text, encoding="utf-8")
    translate_catalog(translated, "ko", TRANSLATIONS["ko"])
    path = translated / "locales" / "ko" / "LC_MESSAGES" / "messages.po"
    path.write_text(path.read_text(encoding="utf-8").replace('msgctxt "disclaimer"',
                                                             '#, ignore-disclaimer-terms\nmsgctxt "disclaimer"'),
                    encoding="utf-8")
    assert l10n(translated, "build").code == 1
