"""The explicit list of checks, and running them over a catalog."""

from __future__ import annotations

from typing import Iterable

import polib

from .base import Check, Finding, Unit
from .glossary import GlossaryForbidden, GlossaryKeep, GlossaryRequired, Term
from .markup import MarkerKept, MarkupMismatch
from .typography import DoubleSpace, EdgeWhitespace

MANDATORY_CONTEXT = "disclaimer"


def all_checks(glossary: tuple[Term, ...] = ()) -> list[Check]:
    return [
        MarkerKept(),
        MarkupMismatch(),
        EdgeWhitespace(),
        DoubleSpace(),
        GlossaryRequired(glossary),
        GlossaryForbidden(glossary),
        GlossaryKeep(glossary),
    ]


def check_catalog(
    catalog: polib.POFile, locale: str, file: str, checks: Iterable[Check]
) -> list[Finding]:
    """Findings for every translated, non-obsolete entry; ``ignore-<id>`` flags are honoured
    except on mandatory messages (the disclaimer)."""
    checks = list(checks)
    findings = []
    for entry in catalog:
        if entry.obsolete or not entry.msgid or entry.msgid_plural or not entry.msgstr:
            continue
        mandatory = entry.msgctxt == MANDATORY_CONTEXT
        unit = Unit(locale, entry.msgid, entry.msgstr, entry.msgctxt, mandatory)
        for check in checks:
            if not mandatory and f"ignore-{check.check_id}" in entry.flags:
                continue
            for message in check.run(unit):
                findings.append(
                    Finding(locale, file, entry.linenum, entry.msgctxt, entry.msgid, check.check_id, check.severity, message)
                )
    return findings
