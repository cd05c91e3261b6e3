"""Localized images: ``images/NAME.LOCALE.EXT`` beside ``images/NAME.EXT`` is what that language's
pages show, for body images and the front matter image alike."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import PAGE, l10n

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><text x="2" y="15">{}</text></svg>'


def srcs(root: Path, tag: str) -> list[str]:
    return re.findall(r'<img src="([^"]*)"', (root / "output" / tag / "first-visit.html").read_text(encoding="utf-8"))


def rendered(output: str) -> int:
    return int(re.search(r"\((\d+) rendered\)", output).group(1))


def with_images(root: Path) -> None:
    images = root / "source" / "images"
    images.mkdir()
    (images / "chart.svg").write_text(SVG.format("PRICE"), encoding="utf-8")
    (images / "photo.svg").write_text(SVG.format("EXAMPLE"), encoding="utf-8")
    page = root / "source" / "first-visit.md"
    page.write_text(PAGE.replace("description:", "image: images/photo.svg\nimage_has_text: [images/photo.svg, images/chart.svg]\ndescription:")
                    + "\n![Prices](images/chart.svg)\n", encoding="utf-8")
    assert l10n(root, "extract").code == 0 and l10n(root, "update").code == 0


def test_a_variant_replaces_the_image_in_its_language_only(translated: Path) -> None:
    with_images(translated)
    from conftest import TRANSLATIONS, translate_catalog

    for locale, table in TRANSLATIONS.items():
        translate_catalog(translated, locale, {**table, "Prices": {"ko": "가격", "ar": "الأسعار"}[locale]})
    assert l10n(translated, "build").code == 0
    assert srcs(translated, "ko") == ["../images/chart.svg", "../images/photo.svg"]
    stats = l10n(translated, "stats").stdout
    assert "images/photo.svg (first-visit) [ko]" in stats and "images/chart.svg (first-visit) [ar]" in stats

    (translated / "source" / "images" / "chart.ko.svg").write_text(SVG.format("가격"), encoding="utf-8")
    (translated / "source" / "images" / "photo.ko.svg").write_text(SVG.format("예시"), encoding="utf-8")
    result = l10n(translated, "build")
    assert result.code == 0 and rendered(result.stdout) == 1  # only the Korean page
    assert srcs(translated, "ko") == ["../images/chart.ko.svg", "../images/photo.ko.svg"]
    assert srcs(translated, "ar") == srcs(translated, "en") == ["../images/chart.svg", "../images/photo.svg"]
    assert (translated / "output" / "images" / "photo.ko.svg").read_text(encoding="utf-8") == SVG.format("예시")
    assert 'og:image" content="https://clinic.example/images/photo.ko.svg"' in \
        (translated / "output" / "ko" / "first-visit.html").read_text(encoding="utf-8")
    stats = l10n(translated, "stats").stdout
    assert "[ko]" not in stats.split("images with text")[-1] and "images/chart.svg (first-visit) [ar]" in stats

    # a new version of the variant: copied, no page rendered again (its address is the same)
    (translated / "source" / "images" / "photo.ko.svg").write_text(SVG.format("예시 2"), encoding="utf-8")
    result = l10n(translated, "build")
    assert result.code == 0 and rendered(result.stdout) == 0
    assert (translated / "output" / "images" / "photo.ko.svg").read_text(encoding="utf-8") == SVG.format("예시 2")

    # the variant removed: the Korean page shows the English image again, the copy is gone
    (translated / "source" / "images" / "photo.ko.svg").unlink()
    assert l10n(translated, "build").code == 0
    assert srcs(translated, "ko") == ["../images/chart.ko.svg", "../images/photo.svg"]
    assert not (translated / "output" / "images" / "photo.ko.svg").exists()


def test_the_shipped_example_image_is_localized(repo_copy: Path) -> None:
    assert l10n(repo_copy, "build").code == 0
    for tag, locale in (("ko", "ko"), ("zh-Hant", "zh_Hant"), ("ar", "ar")):
        html = (repo_copy / "output" / tag / "mini-facelift.html").read_text(encoding="utf-8")
        assert f'src="../images/mini-facelift-example.{locale}.svg"' in html
        svg = (repo_copy / "output" / "images" / f"mini-facelift-example.{locale}.svg").read_text(encoding="utf-8")
        assert "EXAMPLE" not in svg
    assert 'src="../images/mini-facelift-example.svg"' in \
        (repo_copy / "output" / "en" / "mini-facelift.html").read_text(encoding="utf-8")
