"""``l10n``: the only module that prints or exits. Exit codes: 0 ok, 1 a gate/check failed, 2 bad input."""

from __future__ import annotations

import sys
from functools import wraps
from pathlib import Path
from typing import Any, Callable

import click

from .config import Config, html_tag, load_config, validate_locale
from .errors import InputError, LockTimeout
from .files import links_out_of
from .lock import project_lock


class Failed(Exception):
    """A gate or check failed: exit 1 after the report."""


def _config(ctx: click.Context) -> Config:
    return ctx.obj["config"]


def _locales(config: Config, chosen: tuple[str, ...]) -> tuple[str, ...] | None:
    for locale in chosen:
        validate_locale(locale)
        if locale not in config.locales:
            raise InputError("pyproject.toml", None, f"locale {locale!r} is not configured in [tool.l10n] locales")
    return chosen or None


def command(writes: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Wrap a command: load config, take the project lock when it writes, map errors to exit codes."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @click.pass_context
        @wraps(func)
        def run(ctx: click.Context, *args: Any, **kwargs: Any) -> None:
            try:
                ctx.obj["config"] = config = load_config(ctx.obj["root"])
                for link, target in links_out_of(config.root, (config.source_dir, config.locales_dir,
                                                               config.site_templates_dir)):
                    raise InputError(link.relative_to(config.root).as_posix(), None,
                                     f"a symbolic link to {target}, outside its folder: inputs are read only "
                                     "from inside the project's folders (copy the file in instead)")
                if writes:
                    with project_lock(ctx.obj["config"], ctx.info_name or "command"):
                        func(ctx, *args, **kwargs)
                else:
                    func(ctx, *args, **kwargs)
            except InputError as exc:
                click.echo(f"error: {exc}", err=True)
                ctx.exit(2)
            except LockTimeout as exc:
                click.echo(f"error: {exc}", err=True)
                ctx.exit(1)
            except Failed:
                ctx.exit(1)
            except OSError as exc:  # a full disk, an I/O error: every write was atomic, so nothing is half-written
                where = f"{exc.filename}: " if exc.filename else ""
                click.echo(f"error: {where}{exc.strerror or exc}; files are as they were before this write, "
                           "run the command again once the cause is fixed", err=True)
                ctx.exit(1)

        return run

    return decorate


@click.group()
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Project folder (the one with pyproject.toml).",
)
@click.version_option(package_name="clinic-l10n")
@click.pass_context
def main(ctx: click.Context, project: Path) -> None:
    """Localize Markdown pages through gettext catalogs, with a medical disclaimer gate."""
    ctx.ensure_object(dict)
    ctx.obj["root"] = project.resolve()


@main.command()
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 if the POT is stale.")
@command(writes=True)
def extract(ctx: click.Context, check_only: bool) -> None:
    """Extract messages from source/ and the templates into locales/messages.pot."""
    from .extract import extract as run

    result = run(_config(ctx), check=check_only)
    if check_only:
        if result.changed:
            click.echo(f"{result.pot_path} is stale: run `l10n extract`", err=True)
            raise Failed
        click.echo(f"{result.pot_path} is up to date ({result.messages} messages)")
    else:
        state = "written" if result.changed else "unchanged"
        click.echo(f"{result.pot_path}: {result.messages} messages, {state}")
    _warn_claims(_config(ctx))


def _warn_claims(config: Config) -> None:
    """Tell the content editor at once: a prohibited claim in the English withholds the page."""
    from .checks.claims import load_claims_for, source_findings
    from .source import load_pages

    for finding in source_findings(load_pages(config), load_claims_for(config), config.source_locale):
        click.echo(f"warning: {finding.file}:{finding.line}: {finding.message} "
                   f"(the page is withheld in every language until it is removed)", err=True)


@main.command()
@click.option("--locale", "-l", "locales", multiple=True, help="Only this locale (repeatable).")
@command(writes=True)
def update(ctx: click.Context, locales: tuple[str, ...]) -> None:
    """Merge the POT into every locale's catalog (msgmerge semantics)."""
    from .update import update as run

    config = _config(ctx)
    for row in run(config, _locales(config, locales)):
        verb = "created" if row.created else ("updated" if row.changed else "unchanged")
        click.echo(f"{row.file}: {verb} ({row.added} new, {row.fuzzy} fuzzy, {row.obsolete} obsolete)")


@main.command()
@click.option("--locale", "-l", "locale", required=True, help="Locale to add, e.g. de or pt_BR.")
@command(writes=True)
def init(ctx: click.Context, locale: str) -> None:
    """Add a locale: create its catalog and list it in [tool.l10n] locales."""
    from dataclasses import replace

    from .checks.coverage import rows_to_add
    from .state import load_glossary_for
    from .update import init_locale

    config = _config(ctx)
    row = init_locale(config, locale)
    click.echo(f"{row.file}: {'created' if row.created else 'updated'}; {locale} added to [tool.l10n] locales")
    missing = rows_to_add(load_glossary_for(replace(config, locales=(*config.locales, locale))), locale)
    if missing:
        click.echo(f"{locale} pages are withheld until locales/glossary.csv requires a {locale} term for each point "
                   f"of the disclaimer; add these rows, with the wording your medical reviewer approves:")
        for line in missing:
            click.echo(f"  {line}")


@main.command()
@click.option("--provider", help="Machine translation provider (default: [tool.l10n] provider).")
@click.option("--provider-url", help="Base URL of the provider's API, e.g. a self-hosted LibreTranslate.")
@click.option("--locale", "-l", "locales", multiple=True, help="Only this locale (repeatable).")
@click.option("--dry-run", is_flag=True, help="Send nothing; show what would be sent (needs no key).")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=16, show_default=True, help="Requests in flight at once.")
@click.option("--timeout", type=click.FloatRange(0, min_open=True), default=30.0, show_default=True, help="Seconds per request.")
@command(writes=True)
def translate(
    ctx: click.Context, provider: str | None, provider_url: str | None, locales: tuple[str, ...], dry_run: bool,
    jobs: int, timeout: float,
) -> None:  # fmt: skip
    """Fill empty entries by machine translation (results are fuzzy until reviewed)."""
    from .translate import translate as run

    config = _config(ctx)
    provider = provider or config.provider
    url = provider_url or (config.provider_url if provider == config.provider else None)
    chosen = _locales(config, locales)
    if dry_run or provider is None:
        result = run(config, chosen, provider, url, dry_run=True)
    elif sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task(f"{provider}", total=None)
            result = run(config, chosen, provider, url, jobs=jobs, timeout=timeout,
                         progress=lambda done, total: bar.update(task, completed=done, total=total))  # fmt: skip
    else:
        result = run(config, chosen, provider, url, jobs=jobs, timeout=timeout)
    _print_translation(result)
    if result.failed:
        raise Failed


def _print_translation(result: Any) -> None:
    for row in result.locales:
        for empty in row.left_empty:
            click.echo(f"warning: {empty.file}:{empty.line}: left empty: {empty.reason}", err=True)
        if row.error:
            click.echo(f"error: {row.locale}: {row.error}; {row.file} unchanged" if not row.filled
                       else f"error: {row.locale}: {row.error}; {row.filled} translations saved", err=True)  # fmt: skip
    if result.dry_run:
        for row in result.locales:
            if row.empty:
                click.echo(f"{row.locale}: {row.empty} empty entries, {row.sent} texts to send "
                           f"({row.characters} characters), {row.cached} cached")  # fmt: skip
        reason = "dry run" if result.provider else "no provider configured"
        click.echo(f"{reason}: {result.total('sent')} texts, {result.total('characters')} characters "
                   f"in {len(result.locales)} locales; nothing sent")  # fmt: skip
        return
    for row in result.locales:
        if row.empty:
            click.echo(f"{row.file}: {row.filled} filled ({row.sent} sent, {row.cached} cached), "
                       f"{row.failed} failed, {row.characters} characters")  # fmt: skip
    click.echo(f"{result.provider}: {result.total('sent')} sent, {result.total('cached')} cached, "
               f"{result.total('failed')} failed, {result.total('characters')} characters")  # fmt: skip


def _print_findings(findings: list[Any]) -> None:
    by_locale: dict[str, list[Any]] = {}
    for finding in findings:
        by_locale.setdefault(finding.locale, []).append(finding)
    for locale in sorted(by_locale):
        click.echo(f"[{locale}]")
        for f in by_locale[locale]:
            context = f" ({f.msgctxt})" if f.msgctxt else ""
            click.echo(f"  {f.file}:{f.line}: {f.severity}: {f.check}{context}: {f.message}")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--locale", "-l", "locales", multiple=True, help="Only this locale (repeatable).")
@click.option(
    "--browser", is_flag=True,
    help="Also check each page's disclaimer as painted in Chromium, at several widths, schemes, densities, "
         "hover, print, script on and off (screenshots in reports/screenshots/).",
)
@command(writes=False)
def check(ctx: click.Context, fmt: str, locales: tuple[str, ...], browser: bool) -> None:
    """Run the quality checks and the disclaimer gate on catalogs and on output/."""
    from .checks.report import check_project

    config = _config(ctx)
    chosen = _locales(config, locales)
    if browser:
        from .checks.browser import CONDITIONS_SUMMARY, check_in_browser, chromium_executable

        chromium = chromium_executable(config)  # missing: exit 2 with the install command, before any work
    report = check_project(config, chosen)
    seen = check_in_browser(config, chosen, chromium) if browser else None
    findings = report.findings + (seen.findings if seen else ())
    if fmt == "json":
        import json

        click.echo(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        _print_findings(list(findings))
        errors = sum(f.severity == "error" for f in findings)
        warnings = len(findings) - errors
        reused = seen.pages_checked - seen.loaded if seen else 0
        in_browser = (
            f", {seen.pages_checked} in Chromium (the disclaimer at {CONDITIONS_SUMMARY}; {seen.accessibility}; "
            f"images and links){f' ({reused} unchanged: verdicts from .cache/)' if reused else ''}"
            f" (screenshots of failures and changes in reports/screenshots/)" if seen else ""
        )
        click.echo(
            f"{report.catalogs} catalogs, {report.pages_checked} rendered pages checked{in_browser}: "
            f"{errors} errors, {warnings} warnings"
        )
    if report.failed or (seen and seen.failed):
        raise Failed


@main.command()
@click.option("--drafts", is_flag=True, help="Render unreviewed machine translations into output-drafts/ (never published).")
@click.option("--browser", is_flag=True, help="Also withhold pages whose disclaimer Chromium shows hidden, tiny, covered or faint.")
@command(writes=True)
def build(ctx: click.Context, drafts: bool, browser: bool) -> None:
    """Compile catalogs and render every publishable page into output/."""
    from .build import build as run
    from .build import build_checked_in_browser

    config = _config(ctx)
    if browser and not drafts:
        from .checks.browser import chromium_executable

        result = build_checked_in_browser(config, chromium_executable(config))
    else:
        result = run(config, drafts=drafts)
    _report_build(result)
    if result.gate_withheld and not drafts:
        click.echo(f"disclaimer gate withheld {len(result.gate_withheld)} page(s)", err=True)
        raise Failed


def _report_build(result: Any) -> None:
    published = [o for o in result.outcomes if o.published]
    for outcome in result.outcomes:
        if not outcome.published:
            kind = "WITHHELD" if outcome.gate_withheld else "not published"
            click.echo(f"{kind}: {outcome.slug} [{outcome.locale}]: {'; '.join(outcome.reasons)}", err=outcome.gate_withheld)
        elif outcome.fallbacks:
            click.echo(f"partial: {outcome.slug} [{outcome.locale}]: {outcome.fallbacks} blocks in English")
        if outcome.published and outcome.outdated:
            click.echo(f"outdated: {outcome.slug} [{outcome.locale}]: shown with translations of the previous "
                       f"English: {'; '.join(outcome.outdated)}")
    click.echo(
        f"{result.output}/: {len(published)} pages published ({result.rendered} rendered), "
        f"{len(result.written)} files written, {len(result.removed)} removed, "
        f"{result.files - len(result.written)} unchanged"
    )


@main.command()
@click.option("--dest", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder the site is served from.")
@click.option("--strict", is_flag=True, help="Refuse unless every page is published in every language, none outdated.")
@click.option("--dry-run", is_flag=True, help="Show what would be added, changed and removed; change nothing.")
@command(writes=True)
def publish(ctx: click.Context, dest: Path, strict: bool, dry_run: bool) -> None:
    """Build, run the gate, then replace DEST atomically with every page that passes and a manifest.json."""
    from .build import build_checked_in_browser
    from .checks.report import check_project
    from .publish import publish as run

    from .checks.browser import check_in_browser, chromium_executable

    config = _config(ctx)
    chromium = chromium_executable(config)  # publishing always lays pages out in Chromium: exit 2 if missing
    built: list[Any] = []

    def build_site(config: Config) -> Any:
        built.append(build_checked_in_browser(config, chromium))
        return built[-1]

    def verify() -> list[str]:
        # What is in output/ now, nothing else: an entry or a page the build left out blocks nothing.
        shown = config.relative(config.output_dir) + "/"
        left_out = {f"{shown}{html_tag(o.locale)}/{o.slug}.html" for o in built[-1].outcomes if not o.published}
        findings = [f for f in check_project(config).findings if f.file.startswith(shown)
                    and not (f.file in left_out and not (config.root / f.file).exists())]
        # the pass over what is in output/ now: verdicts the build's pass left in .cache/, but for
        # the pages a rebuild without the withheld versions changed (their links, the indexes)
        findings += check_in_browser(config, None, chromium).findings
        return [f"{f.file}:{f.line}: {f.check}: {f.message}" for f in findings if f.severity == "error"]

    result = run(config, dest, strict=strict, dry_run=dry_run, verify=verify, build_site=build_site)
    _report_build(result.build)
    if result.left_out:
        names = ", ".join(f"{o.slug} [{o.locale}]" for o in result.left_out)
        click.echo(f"left out, with every link to them: {names}", err=True)
    if result.refusal:
        for reason in result.refusal:
            click.echo(f"refused: {reason}", err=True)
        click.echo(f"publish refused: {dest} is unchanged", err=True)
        raise Failed
    if dry_run:
        for label, paths in (("add", result.added), ("change", result.changed), ("remove", result.removed)):
            for path in paths:
                click.echo(f"would {label}: {path}")
    verb = "would publish" if dry_run else "published"
    click.echo(f"{verb} to {dest}: {len(result.added)} added, {len(result.changed)} changed, {len(result.removed)} removed")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--locale", "-l", "locales", multiple=True, help="Only this locale (repeatable; en for the source).")
@click.option("--page", "pages", multiple=True, help="Only this page slug (repeatable).")
@click.option("--at", "at", help="Only what was published at this date (end of day, UTC) or ISO 8601 time.")
@click.option("--verify", is_flag=True, help="Exit 1 if the history was edited or the destination changed since.")
@command(writes=False)
def audit(ctx: click.Context, fmt: str, locales: tuple[str, ...], pages: tuple[str, ...], at: str | None,
          verify: bool) -> None:
    """What each page version showed at each publish: disclaimer, reviewer, sha256s (locales/publish-history.jsonl)."""
    from .compliance import audit as run

    config = _config(ctx)
    for locale in locales:
        validate_locale(locale)
    result = run(config, locales, pages, at, verify)
    if fmt == "json":
        import json

        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_audit(result)
    if result.problems:
        raise Failed


def _print_audit(result: Any) -> None:
    if not result.records:
        click.echo(f"{result.history}: no publish recorded")
    for record in result.records:
        revision = record.source_revision or "no git revision"
        click.echo(f"#{record.number} {record.published_at} to {record.dest} ({revision}); "
                   f"manifest sha256 {record.manifest_sha256[:16]}; record sha256 {record.digest[:16]}")
        for version in result.versions(record):
            changed = "*" if (version["page"], version["locale"]) in record.changed else " "
            who = (f"reviewed by {version['reviewer']} on {version['reviewed']}" if version["reviewer"]
                   else "source text")
            click.echo(f" {changed} {version['page']} [{version['locale']}] {version['path']} "
                       f"sha256 {version['sha256'][:16]}; "
                       f"disclaimer sha256 {version['disclaimer']['sha256'][:16]}, {who}")
            click.echo(f"      {version['disclaimer']['text']}")
        for withheld in record.withheld:
            if (not result.locales or withheld["locale"] in result.locales) and (
                    not result.pages or withheld["page"] in result.pages):
                reasons = "; ".join(withheld["reasons"])
                click.echo(f"   {withheld['page']} [{withheld['locale']}] not published: {reasons}")
    for problem in result.problems:
        click.echo(f"error: {problem}", err=True)
    if result.verified and not result.problems and result.records:
        click.echo("verified: the history chain is intact and the last publish's destination is as it recorded")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--locale", "-l", "locales", multiple=True, help="Only this locale (repeatable).")
@click.option(
    "--html", "html_file", type=click.Path(dir_okay=False, path_type=Path), help="Also write an HTML dashboard to this file."
)
@command(writes=False)
def stats(ctx: click.Context, fmt: str, locales: tuple[str, ...], html_file: Path | None) -> None:
    """Progress, review and publishing state per locale."""
    from .stats import stats as run
    from .stats import write_dashboard

    config = _config(ctx)
    rows = run(config, _locales(config, locales))
    if html_file is not None:
        write_dashboard(config, rows, html_file)
    if fmt == "json":
        import json

        click.echo(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{'locale':<8} {'approved':>8} {'fuzzy':>6} {'empty':>6} {'mt-unchanged':>12} {'errors':>6} "
        f"{'total':>6} {'done':>7}  pages"
    )
    for r in rows:
        click.echo(
            f"{r.locale:<8} {r.approved:>8} {r.fuzzy:>6} {r.untranslated:>6} {r.mt_accepted_unchanged:>12} "
            f"{r.errors:>6} {r.total:>6} {r.percent:>6.1f}%  {len(r.publishable)}/{len(r.pages)} publishable"
        )
    click.echo("English words (counted as pocount counts them):")
    click.echo(f"  {'locale/page':<24} {'approved':>8} {'fuzzy':>6} {'empty':>6} {'total':>6}")
    for r in rows:
        for label, words in [(r.locale, r.words), *((f"  {p.slug}", p.words) for p in r.pages)]:
            click.echo(f"  {label:<24} {words.approved:>8} {words.fuzzy:>6} {words.empty:>6} {words.total:>6}")
    withheld = [(r.locale, p) for r in rows for p in r.withheld]
    if withheld:
        click.echo("withheld:")
        for locale, page in withheld:
            click.echo(f"  {page.slug} [{locale}]: {'; '.join(page.reasons)}")
    outdated = [(r.locale, p) for r in rows for p in r.pages if p.outdated]
    if outdated:
        click.echo("outdated (the English changed; shown with the previous translation until reviewed):")
        for locale, page in outdated:
            click.echo(f"  {page.slug} [{locale}]: {'; '.join(page.outdated)}")
    images = [(r.locale, image) for r in rows for image in r.images]
    if images:
        click.echo("images with text and no version in the language (add images/NAME.LOCALE.EXT):")
        for locale, image in images:
            click.echo(f"  {image} [{locale}]")
    if html_file is not None:
        click.echo(f"dashboard written to {html_file}")


_REVIEW_KEYS = "[a]ccept [e]dit [s]kip [q]uit [?]help"
_REVIEW_HELP = """\
  a    accept the draft: removes fuzzy, records `reviewed: NAME DATE`, saves the catalog
  e    edit the draft, or type the translation of an empty entry ($EDITOR when set, else one
       line here; \\n is a line break); it is saved as a draft (fuzzy) to accept with a
  1-9  put that suggestion in the draft (then edit it with e or accept it with a)
  s    skip: leave this entry as it is and go to the next
  b    back to the previous entry
  /    search the English and the drafts (empty: the next match of the last search)
  q    quit: every decision so far is already saved
  ?    this help"""
_LABEL = 10  # columns of the "English:  " labels


def _columns() -> int:
    """The terminal's width; 100 when the output is not a terminal (or $COLUMNS)."""
    import os
    import shutil

    if sys.stdout.isatty():
        return shutil.get_terminal_size((100, 24)).columns
    try:
        return int(os.environ.get("COLUMNS") or 100)
    except ValueError:
        return 100


def _show_text(label: str, text: str, indent: int = _LABEL) -> None:
    """``text`` after ``label``, wrapped at word boundaries in every script (UAX #14)."""
    from .poformat import display_lines

    width = max(_columns() - indent, 20)
    lines = [piece for line in text.split("\n") for piece in display_lines(line, width)] or [""]
    for k, line in enumerate(lines):
        click.echo(f"{label if k == 0 else '':<{indent - 1}} {line}" if indent else line)


def _coloured_diff(text: str) -> str:
    """Colour the complete ``[-...-]`` and ``{+...+}`` runs of one shown line."""
    import re

    text = re.sub(r"\[-.*?-\]", lambda m: click.style(m.group(), fg="red"), text)
    return re.sub(r"\{\+.*?\+\}", lambda m: click.style(m.group(), fg="green"), text)


def _show_review_item(item: Any, remaining: int, hints: tuple[Any, ...], glossary: tuple[Any, ...]) -> None:
    from .poformat import display_lines

    click.echo("")
    click.echo(click.style(f"--- {remaining} to review: {item.file}:{item.line}", bold=True))
    if item.mandatory:
        click.echo(click.style('mandatory: the medical disclaimer (msgctxt "disclaimer")', fg="yellow", bold=True))
    elif item.msgctxt:
        click.echo(f"context:  {item.msgctxt}")
    if item.kind:
        _show_text("kind:", item.kind)
    for address in item.addresses:
        click.echo(f"{'page:':<{_LABEL - 1}} {address}")  # one line: terminals open it on a click
    if item.empty and not item.fuzzy:
        state = ["empty: type the translation (e) or take a suggestion"]
    else:
        state = ["fuzzy" if item.fuzzy else "not fuzzy"] + ([item.machine_shown] if item.machine_shown else [])
    click.echo(f"state:    {' | '.join(state)}")
    _show_text("English:", item.msgid)
    if item.diff:
        marks = {"delete": ("[-", "-]"), "insert": ("{+", "+}")}
        shown = "".join(
            part.text if part.op == "equal" else marks[part.op][0] + part.text + marks[part.op][1]
            for part in item.diff
        )
        width = max(_columns() - _LABEL - 1, 20)
        lines = [piece for line in shown.split("\n") for piece in display_lines(line, width)]
        for k, line in enumerate(lines):
            click.echo(f"{'changed:' if k == 0 else '':<{_LABEL - 1}} {_coloured_diff(line)}")
    _show_text("draft:", item.draft if item.draft else "(empty)")
    if not item.findings:
        click.echo("checks:   " + ("passed" if item.draft else "(nothing to check)"))
    else:
        click.echo("checks:")
        for f in item.findings:
            colour = "red" if f.severity == "error" else "yellow"
            click.echo(f"  {click.style(f.severity, fg=colour)} {f.check}: {f.message}")
    for hint in glossary:
        wording = " | ".join(hint.wordings)
        _show_text("glossary:", f"{hint.term} -> {wording} ({hint.rule})")
    if hints:
        click.echo("suggestions (approved translations; press the number):")
        for number, hint in enumerate(hints, 1):
            percent = int(hint.similarity * 100)
            _show_text(f"  {number} {percent:>3}%", hint.text, indent=_LABEL + 2)
            origin = "sentence of line" if hint.sentence else "line"
            _show_text("", f"({origin} {hint.line}: {hint.english})", indent=_LABEL + 2)


def _getchar() -> str:
    """One key from the terminal without Enter. Unlike click.getchar, keys typed before the
    prompt appeared are kept (it switches modes with TCSANOW, not TCSAFLUSH)."""
    try:
        import termios
    except ImportError:  # not a POSIX terminal
        return click.getchar()
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    keys = termios.tcgetattr(fd)
    keys[3] &= ~(termios.ICANON | termios.ECHO)
    keys[6][termios.VMIN], keys[6][termios.VTIME] = 1, 0
    termios.tcsetattr(fd, termios.TCSANOW, keys)
    try:
        import codecs
        import os

        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        key = ""
        while not key:
            byte = os.read(fd, 1)
            if not byte:
                raise EOFError
            key = decoder.decode(byte)
        return key
    finally:
        termios.tcsetattr(fd, termios.TCSANOW, saved)


def _keypress(prompt: str) -> str | None:
    """One key on a terminal, acting at once; one line otherwise (scripts, tests). None at the
    end of input."""
    try:
        if sys.stdin.isatty():
            click.echo(f"{prompt}: ", nl=False)
            key = _getchar()
            click.echo(key if key.isprintable() else "")
            if key in ("\x03", "\x04"):  # Ctrl-C, Ctrl-D
                return None
        else:
            key = click.prompt(prompt, default="", show_default=False)
    except (click.Abort, EOFError, KeyboardInterrupt):
        return None
    return key.strip()[:1].lower()


def _review_key(suggested: int) -> str:
    """The reviewer's key; end of input quits."""
    prefix = f"[1-{suggested}] suggestion " if suggested > 1 else "[1] suggestion " if suggested else ""
    key = _keypress(f"{prefix}[b]ack [/]search {_REVIEW_KEYS}")
    return "q" if key is None else key


def _line_answer(prompt: str) -> str | None:
    """A line of text (a search, an inline translation); None at the end of input."""
    try:
        return click.prompt(prompt, default="", show_default=False)
    except (click.Abort, EOFError, KeyboardInterrupt):
        return None


def _edited_draft(item: Any) -> str | None:
    """The translator's new text, or None to keep the draft."""
    import os

    from .review import from_one_line, to_one_line

    editor = os.environ.get("EDITOR")
    try:
        if editor:
            text = click.edit(item.draft + "\n", editor=editor, extension=".txt", require_save=True)
            if text is not None and text.endswith("\n") and not item.msgid.endswith("\n"):
                text = text[:-1]  # the newline every editor adds at the end of the file
        else:
            if to_one_line(item.draft) != item.draft:
                click.echo(f"draft on one line: {to_one_line(item.draft)}")
            what = "new translation (empty keeps the draft)" if item.draft else "translation (empty: none yet)"
            raw = _line_answer(what) or ""
            text = from_one_line(raw) if raw.strip() else None
    except click.ClickException as exc:  # the editor failed
        click.echo(f"error: {exc.format_message()}", err=True)
        return None
    return text or None


@main.command()
@click.option("--locale", "-l", "locale", required=True, help="The locale to review, e.g. ko.")
@click.option("--reviewer", help="Name recorded in `# reviewed:` and Last-Translator "
                                 "(default: [tool.l10n] reviewer, else $USER).")
@click.option("--only", type=click.Choice(["fuzzy", "empty", "mt", "all"]), default="all", show_default=True,
              help="Which entries: fuzzy, empty (to translate), unreviewed machine translations, or all.")
@click.option("--page", "page", metavar="SLUG", help="Only the messages of this page.")
@command(writes=False)  # the project lock is taken for each decision's write, not while a key is awaited
def review(ctx: click.Context, locale: str, reviewer: str | None, only: str, page: str | None) -> None:
    """Review fuzzy and machine-translated entries, then translate empty ones, one at a time;
    saves after each decision."""
    from . import review as stage

    config = _config(ctx)
    _locales(config, (locale,))
    name = stage.reviewer_name(config, reviewer)
    session = stage.start(config, locale, only, page)
    passed: set[Any] = set()
    history: list[Any] = []  # the entries shown, in order, for going back
    counts = {"accepted": 0, "edited": 0, "skipped": 0}
    position = None  # where in the order of offering the last entry shown was
    forced = None  # the entry to show next instead of the next one (back, search, after an edit)
    last_search = ""

    def save(item: Any, text: str) -> None:
        with project_lock(config, "review"):
            stage.save_draft(session, item, text, name)
        counts["edited"] += 1
        click.echo(f"draft saved to {item.file} (accept it with a)")

    while True:
        item, remaining = stage.next_item(session, passed, position)
        if forced is not None:
            item, forced = forced, None
        if item is None:
            break
        position = item.rank
        if not history or history[-1] != item.key:
            history.append(item.key)
        hints = stage.suggestions(session, item)
        _show_review_item(item, remaining, hints, stage.glossary_hints(session, item))
        numbers = [str(n) for n in range(1, len(hints) + 1)]
        key = _review_key(len(hints))
        while key not in ("a", "e", "s", "q", "b", "/", *numbers):
            click.echo(_REVIEW_HELP)
            key = _review_key(len(hints))
        if key == "q":
            break
        if key == "s":
            passed.add(item.key)
            counts["skipped"] += 1
        elif key == "b":
            if len(history) < 2:
                click.echo("this is the first entry")
                forced = item
                continue
            history.pop()
            forced = stage.item_for(session, history[-1]) or item
        elif key == "/":
            query = _line_answer(f"search{f' [{last_search}]' if last_search else ''}")
            query = (query or "").strip() or last_search
            found = stage.search(session, query, item.rank) if query else None
            if query:
                last_search = query
            if found is None:
                click.echo(f"no entry matches {query!r}" if query else "nothing to search for")
            forced = found or item
        elif key in numbers:
            save(item, hints[int(key) - 1].text)
            forced = stage.item_for(session, item.key)
        elif key == "e":
            text = _edited_draft(item)
            if text is None or text == item.draft:
                click.echo("draft unchanged")
            else:
                save(item, text)
            forced = stage.item_for(session, item.key)
        elif not item.draft:
            click.echo("the draft is empty: type the translation (e) or take a suggestion first")
            forced = item
        else:
            if item.errors:
                what = (
                    "the page stays withheld until they are fixed"
                    if item.mandatory
                    else "it will not be published while they remain"
                )
                sure = _keypress(f"{len(item.errors)} error(s): {what}. Accept anyway? [y/N]") == "y"
                if not sure:
                    click.echo("not accepted")
                    forced = item
                    continue
            with project_lock(config, "review"):
                stage.accept(session, item, name)
            counts["accepted"] += 1
            click.echo(f"accepted; saved {item.file}")
    left = len(stage.pending(session))
    summary = ", ".join(f"{n} {label}" for label, n in counts.items())
    _show_text("", f"{locale}: {summary}; " + (f"{left} still to review" if left else "nothing left to review"), 0)


@main.command()
@click.option("--port", default=8000, show_default=True)
@click.option("--bind", default="127.0.0.1", show_default=True)
@click.option("--no-rebuild", is_flag=True, help="Only serve; do not rebuild when inputs change.")
@command(writes=False)
def serve(ctx: click.Context, port: int, bind: str, no_rebuild: bool) -> None:
    """Preview output/ at http://127.0.0.1:8000/, rebuilding when source, catalogs or templates change."""
    import threading

    from .build import build as run_build
    from .serve import preview_server, watch

    config = _config(ctx)

    def rebuild() -> None:
        try:
            with project_lock(config, "serve (rebuild)"):
                _report_build(run_build(config))
        except (InputError, LockTimeout) as exc:
            click.echo(f"error: {exc}", err=True)

    if not config.output_dir.is_dir():
        rebuild()
    stop = threading.Event()
    if not no_rebuild:
        threading.Thread(target=watch, args=(config, rebuild, stop), daemon=True).start()
    with preview_server(config, bind, port) as server:
        click.echo(f"serving {config.relative(config.output_dir)} at http://{bind}:{server.server_port}/ (Ctrl-C stops)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["xliff"]), default="xliff", show_default=True)
@click.option("--locale", "-l", "locale", required=True, help="The locale to export.")
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: stdout).")
@click.option("--only", type=click.Choice(["empty", "fuzzy", "all"]), default="all", show_default=True,
              help="Which entries: untranslated, awaiting review, or all.")
@command(writes=False)
def export(ctx: click.Context, fmt: str, locale: str, output: Path | None, only: str) -> None:
    """Write a locale's catalog as XLIFF 1.2 for a translation agency's CAT tool."""
    from .exchange import export_xliff
    from .files import write_bytes_atomic

    config = _config(ctx)
    _locales(config, (locale,))
    result = export_xliff(config, locale, only)
    if output is None:
        click.echo(result.data.decode("utf-8"), nl=False)
        return
    write_bytes_atomic(output, result.data)
    click.echo(f"{output}: {result.units} units of {locale} ({only})", err=True)


@main.command("import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--reviewed", "reviewed", default=None, metavar="NAME",
              help="The imported translations were reviewed by NAME: approve them (else they stay fuzzy).")
@command(writes=True)
def import_(ctx: click.Context, source: Path, reviewed: str | None) -> None:
    """Take the translations of an XLIFF file back into its locale's catalog."""
    from .exchange import import_xliff

    config = _config(ctx)
    name = " ".join(reviewed.split()) if reviewed else None
    result = import_xliff(config, source, str(source), name)
    state = "approved, reviewed by " + name if name else "fuzzy, awaiting review"
    click.echo(f"{result.file}: {len(result.changed)} of {result.units} units changed ({state})"
               if result.changed else f"{result.file}: unchanged ({result.units} units, no new translation)")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
