"""The explicit list of checks, and running them over a catalog."""

from __future__ import annotations

from typing import Iterable

import polib

from .base import Check, Finding, Unit
from .claims import Claim, Claims
from .coverage import DisclaimerPoints
from .fragment import UntranslatedFragment
from .glossary import GlossaryForbidden, GlossaryKeep, GlossaryRequired, Term
from .invisible import ControlCharacters, InvisibleCharacters
from .length import LengthRatio
from .markup import DisclaimerPlainText, MarkerKept, MarkupMismatch, StyleMismatch
from .punctuation import FinalPunctuation, LocaleComma
from .script import UnexpectedScript
from .typography import DoubleSpace, EdgeWhitespace
from .untranslated import Untranslated

MANDATORY_CONTEXT = "disclaimer"


def all_checks(glossary: tuple[Term, ...] = (), claims: tuple[Claim, ...] = ()) -> list[Check]:
    """Every check, errors first; those that need the termbase or the claims list get it."""
    return [
        MarkerKept(),
        DisclaimerPoints(glossary),
        Claims(claims),
        MarkupMismatch(),
        DisclaimerPlainText(),
        EdgeWhitespace(),
        InvisibleCharacters(),
        ControlCharacters(),
        UnexpectedScript(glossary),
        GlossaryRequired(glossary),
        GlossaryForbidden(glossary),
        GlossaryKeep(glossary),
        UntranslatedFragment(glossary),
        StyleMismatch(),
        DoubleSpace(),
        Untranslated(glossary),
        LengthRatio(glossary),
        FinalPunctuation(),
        LocaleComma(),
    ]


def check_unit(
    unit: Unit, checks: Iterable[Check], flags: Iterable[str] = ()
) -> list[tuple[Check, str]]:
    """(check, message) for every problem of one unit; ``ignore-<id>`` flags are honoured
    except on mandatory messages (the disclaimer)."""
    checks = checks if isinstance(checks, (list, tuple)) else list(checks)
    flags = set(flags)
    ignored = set() if unit.mandatory or not flags else {
        c for c in checks if c.ignorable and f"ignore-{c.check_id}" in flags
    }
    return [(check, message) for check in checks if check not in ignored for message in check.run(unit)]


def check_catalog(
    catalog: polib.POFile, locale: str, file: str, checks: Iterable[Check]
) -> list[Finding]:
    """Findings for every translated, non-obsolete entry of one catalog."""
    checks = list(checks)
    findings = []
    for entry in catalog:
        if entry.obsolete or not entry.msgid or entry.msgid_plural or not entry.msgstr:
            continue
        mandatory = entry.msgctxt == MANDATORY_CONTEXT
        unit = Unit(locale, entry.msgid, entry.msgstr, entry.msgctxt, mandatory, entry.fuzzy)
        for check, message in check_unit(unit, checks, entry.flags):
            findings.append(Finding(
                locale, file, entry.linenum, entry.msgctxt, entry.msgid, check.check_id, check.severity, message
            ))
    return findings
