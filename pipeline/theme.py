"""The Jinja2 templates of the site: the package's own, overridable by the site's ``templates/``."""

from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, select_autoescape

from .config import Config

# Every template the build renders (and ``extract`` reads strings from), including parents.
TEMPLATE_NAMES = ("base.html", "page.html", "index.html", "chooser.html", "chooser-language.html")
STYLESHEET = "style.css"
PACKAGE_TEMPLATES = Path(__file__).parent / "templates"


def template_environment(config: Config) -> Environment:
    """The environment of one build. Templates are read once: a build does not watch them
    change (``auto_reload`` stat-ed both templates of every page: 18,000 calls at 1,000 pages)."""
    loader = ChoiceLoader([FileSystemLoader(str(config.site_templates_dir)), PackageLoader("pipeline", "templates")])
    env = Environment(
        loader=loader,
        auto_reload=False,
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def template_source(config: Config, name: str) -> tuple[str, str]:
    """(source text, path as written in ``#:`` references) of the template the build will use."""
    site = config.site_templates_dir / name
    if site.is_file():
        return site.read_text(encoding="utf-8"), config.relative(site)
    package = PACKAGE_TEMPLATES / name
    return package.read_text(encoding="utf-8"), f"pipeline/templates/{name}"
