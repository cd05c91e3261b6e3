"""``l10n check``: the check registry over every catalog, and the disclaimer gate over catalogs
and over the pages in ``output/``."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..assets import missing_targets
from ..config import Config, html_tag
from .base import ERROR, WARNING, Finding
from .claims import load_claims_for, source_findings
from .gate import expected_disclaimer, page_problems
from .project import pages_and_states

GATE = "disclaimer-gate"
MISSING_FILE = "missing-file"  # a built page's <img> or local link points at nothing in output/
OUTDATED = "outdated"


@dataclass(frozen=True)
class CheckReport:
    findings: tuple[Finding, ...]
    catalogs: int
    pages_checked: int

    @property
    def failed(self) -> bool:
        return any(f.severity == ERROR for f in self.findings)


def check_project(config: Config, locales: tuple[str, ...] | None = None) -> CheckReport:
    pages, states = pages_and_states(config, locales)
    findings: list[Finding] = [_as_published(f, state.drafts) for state in states.values() for f in state.findings]
    output = config.output_dir
    built = output.is_dir()
    shown_output = config.relative(output)  # once: resolving 9,000 page paths took a second
    pages_checked = 0
    # a prohibited claim in the English withholds the page in every language
    claimed = source_findings(pages, load_claims_for(config), config.source_locale)
    findings += claimed
    withheld_everywhere = {f.file for f in claimed}

    def rendered(locale: str, slug: str, expected: str, msgid: str) -> None:
        nonlocal pages_checked
        path = output / html_tag(locale) / f"{slug}.html"
        file = f"{shown_output}/{html_tag(locale)}/{slug}.html"
        if not path.is_file():
            findings.append(Finding(locale, file, 1, "disclaimer", msgid, GATE, ERROR,
                                    "the page passes the gate but is missing from output/ (run `l10n build`)"))
            return
        pages_checked += 1
        page_html = path.read_text(encoding="utf-8")
        for problem in page_problems(page_html, expected_disclaimer(expected)):
            findings.append(Finding(locale, file, 1, "disclaimer", msgid, GATE, ERROR, problem))
        relative = f"{html_tag(locale)}/{slug}.html"
        for problem in missing_targets(page_html, relative, lambda target: (output / target).is_file()):
            findings.append(Finding(locale, file, 1, None, slug, MISSING_FILE, ERROR, problem))

    for page in pages:
        disclaimer = page.disclaimer.msgid
        if page.path in withheld_everywhere:
            for locale in (config.source_locale, *states):
                path = output / html_tag(locale) / f"{page.slug}.html"
                if path.exists():
                    findings.append(Finding(locale, config.relative(path), 1, None, page.fields["title"], GATE, ERROR,
                                            "a withheld page is present in output/ (run `l10n build`)"))
            continue
        if built and locales is None:
            rendered(config.source_locale, page.slug, disclaimer, disclaimer)
        for locale, state in states.items():
            verdict = state.verdict(page)
            line = state.disclaimer_line(disclaimer)
            if verdict.disclaimer_problems:
                for problem in verdict.disclaimer_problems:
                    findings.append(Finding(locale, state.file, line, "disclaimer", disclaimer, GATE, ERROR,
                                            f"{page.slug}: withheld: {problem}"))
                path = output / html_tag(locale) / f"{page.slug}.html"
                if path.exists():
                    findings.append(Finding(locale, config.relative(path), 1, "disclaimer", disclaimer, GATE, ERROR,
                                            "a withheld page is present in output/ (run `l10n build`)"))
            elif not verdict.publishable(config.publish_threshold):
                [reason] = state.reasons(page, verdict, config.publish_threshold)
                findings.append(Finding(locale, state.file, line, None, page.fields["title"], "publish-threshold", WARNING,
                                        f"{page.slug}: not published: {reason}"))
            elif built:
                rendered(locale, page.slug, state.approved()[("disclaimer", disclaimer)], disclaimer)
            if verdict.outdated and not verdict.disclaimer_problems:
                where = state.outdated_entries(page)
                findings.append(Finding(locale, state.file, int(where[0].rsplit(":", 1)[1]), None, page.fields["title"],
                                        OUTDATED, WARNING,
                                        f"{page.slug}: the English changed; shown with the translation of the previous "
                                        f"English (review to update): {'; '.join(where)}"))
    return CheckReport(tuple(findings), len(states), pages_checked)


def _as_published(finding: Finding, drafts: frozenset) -> Finding:
    """A check error on a fuzzy entry blocks nothing (the entry is not published as it is): it
    is reported as a warning, saying so; ``review`` shows it again before anyone accepts it."""
    if finding.severity != ERROR or (finding.msgctxt, finding.msgid) not in drafts:
        return finding
    note = "(fuzzy: not published until fixed and reviewed)"
    return replace(finding, severity=WARNING, message=f"{finding.message} {note}")
