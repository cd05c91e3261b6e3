"""Open Graph and JSON-LD on every page: what a shared link previews and what search engines
read, in the page's own language and matching what the page shows."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import DISCLAIMER, TRANSLATIONS, l10n, translate_catalog
from lxml.etree import HTML

OG = {"en": "en_US", "ko": "ko_KR", "ja": "ja_JP", "zh-Hans": "zh_CN", "zh-Hant": "zh_TW", "th": "th_TH",
      "vi": "vi_VN", "ru": "ru_RU", "ar": "ar_AR"}


def meta(root, name: str) -> list[str]:
    return [m.get("content") for m in root.xpath(f'//meta[@property="{name}"]')]


def structured(root) -> dict:
    scripts = root.xpath('//script[@type="application/ld+json"]')
    assert len(scripts) == 1
    return json.loads(scripts[0].text)


def test_every_page_of_the_shipped_site_has_open_graph_and_json_ld(repo_copy: Path) -> None:
    assert l10n(repo_copy, "build").code == 0
    pages = sorted((repo_copy / "output").rglob("*.html"))
    assert len(pages) == 1 + 9 + 9
    for path in pages:
        root = HTML(path.read_bytes())
        tag = root.get("lang")
        canonical = root.xpath('//link[@rel="canonical"]')[0].get("href")
        assert meta(root, "og:locale") == [OG[tag]], path
        data = structured(root)
        assert data["inLanguage"] == tag and data["url"] == canonical == meta(root, "og:url")[0]
        if path.name == "mini-facelift.html":
            assert data["@type"] == "MedicalWebPage" and data["about"]["@type"] == "MedicalProcedure"
            assert data["name"] == root.findtext(".//title") == meta(root, "og:title")[0]
            assert data["description"] == root.xpath('//meta[@name="description"]')[0].get("content")
            aside = root.xpath('//aside[@class="disclaimer"]')[0]
            assert data["hasPart"]["text"] == " ".join("".join(aside.itertext()).split())
            assert meta(root, "og:image") == ["https://clinic.example/images/mini-facelift-example.svg"]
            assert sorted(meta(root, "og:locale:alternate")) == sorted(v for k, v in OG.items() if k != tag)


def test_alternates_list_only_published_versions(translated: Path) -> None:
    translate_catalog(translated, "ar", TRANSLATIONS["ar"], fuzzy={DISCLAIMER})
    assert l10n(translated, "build").code == 1  # ar withheld
    root = HTML((translated / "output" / "ko" / "first-visit.html").read_bytes())
    assert meta(root, "og:locale:alternate") == ["en_US"]


def test_a_translation_cannot_break_out_of_the_json_ld(translated: Path) -> None:
    hostile = '첫 방문</script><script>alert(1)</script> & "인용"'
    translate_catalog(translated, "ko", {**TRANSLATIONS["ko"], "First Visit": hostile})
    assert l10n(translated, "build").code == 0
    html = (translated / "output" / "ko" / "first-visit.html").read_text(encoding="utf-8")
    root = HTML(html.encode())
    assert [s.get("type") for s in root.xpath("//script[not(@src)]")] == ["application/ld+json"]
    assert structured(root)["name"] == hostile
    assert meta(root, "og:title") == [hostile]
