"""``l10n``: the only module that prints or exits. Exit codes: 0 ok, 1 a gate/check failed, 2 bad input."""

from __future__ import annotations

import json
import sys
from functools import wraps
from pathlib import Path
from typing import Any, Callable

import click

from .config import Config, load_config, validate_locale
from .errors import InputError, LockTimeout
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
                ctx.obj["config"] = load_config(ctx.obj["root"])
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
    from .update import init_locale

    row = init_locale(_config(ctx), locale)
    click.echo(f"{row.file}: {'created' if row.created else 'updated'}; {locale} added to [tool.l10n] locales")


@main.command()
@click.option("--provider", help="Machine translation provider (default: [tool.l10n] provider).")
@click.option("--provider-url", help="Endpoint of a self-hosted provider.")
@click.option("--locale", "-l", "locales", multiple=True, help="Only this locale (repeatable).")
@click.option("--dry-run", is_flag=True, help="Send nothing; show what would be sent.")
@command(writes=True)
def translate(ctx: click.Context, provider: str | None, provider_url: str | None, locales: tuple[str, ...], dry_run: bool) -> None:
    """Fill empty entries by machine translation (results are fuzzy until reviewed)."""
    from .translate import plan

    config = _config(ctx)
    provider = provider or config.provider
    plans = plan(config, _locales(config, locales))
    total = sum(p.messages for p in plans)
    if provider is None or dry_run:
        for row in plans:
            if row.messages:
                click.echo(f"{row.locale}: {row.messages} empty entries, {row.characters} characters")
        reason = "dry run" if dry_run else "no provider configured"
        click.echo(f"{reason}: {total} empty entries in {len(plans)} locales; nothing sent")
        return
    click.echo(f"error: provider {provider!r} is not available in this version", err=True)
    ctx.exit(2)


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
@command(writes=False)
def check(ctx: click.Context, fmt: str, locales: tuple[str, ...]) -> None:
    """Run the quality checks and the disclaimer gate on catalogs and on output/."""
    from .checks.report import check_project

    config = _config(ctx)
    report = check_project(config, _locales(config, locales))
    if fmt == "json":
        click.echo(json.dumps([f.as_dict() for f in report.findings], ensure_ascii=False, indent=2))
    else:
        _print_findings(report.findings)
        errors = sum(f.severity == "error" for f in report.findings)
        warnings = len(report.findings) - errors
        click.echo(
            f"{report.catalogs} catalogs, {report.pages_checked} rendered pages checked: "
            f"{errors} errors, {warnings} warnings"
        )
    if report.failed:
        raise Failed


@main.command()
@click.option("--drafts", is_flag=True, help="Render unreviewed machine translations into output-drafts/ (never published).")
@command(writes=True)
def build(ctx: click.Context, drafts: bool) -> None:
    """Compile catalogs and render every publishable page into output/."""
    from .build import build as run

    result = run(_config(ctx), drafts=drafts)
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
    click.echo(
        f"{result.output}/: {len(published)} pages published ({result.rendered} rendered), "
        f"{len(result.written)} files written, {len(result.removed)} removed, "
        f"{result.files - len(result.written)} unchanged"
    )


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@command(writes=False)
def stats(ctx: click.Context, fmt: str) -> None:
    """Translation progress per locale."""
    from .stats import stats as run

    rows = run(_config(ctx))
    if fmt == "json":
        click.echo(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return
    click.echo(f"{'locale':<8} {'approved':>8} {'fuzzy':>6} {'empty':>6} {'total':>6} {'done':>7}")
    for r in rows:
        click.echo(f"{r.locale:<8} {r.approved:>8} {r.fuzzy:>6} {r.untranslated:>6} {r.total:>6} {r.percent:>6.1f}%")


@main.command()
@click.option("--port", default=8000, show_default=True)
@click.option("--bind", default="127.0.0.1", show_default=True)
@command(writes=False)
def serve(ctx: click.Context, port: int, bind: str) -> None:
    """Preview output/ at http://127.0.0.1:8000/ (Ctrl-C stops)."""
    import functools
    import http.server

    config = _config(ctx)
    if not config.output_dir.is_dir():
        raise InputError(config.relative(config.output_dir), None, "nothing to serve: run `l10n build` first")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(config.output_dir))
    with http.server.ThreadingHTTPServer((bind, port), handler) as server:
        click.echo(f"serving {config.relative(config.output_dir)} at http://{bind}:{port}/")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
