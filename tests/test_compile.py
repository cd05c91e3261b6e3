"""Compiled catalogs: what `l10n build` writes to locales/<locale>/LC_MESSAGES/messages.mo."""

from __future__ import annotations

import gettext
import io

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from conftest import DISCLAIMER, gnu, l10n, po_path

from pipeline.catalogs import mo_bytes


def test_build_compiles_the_approved_entries_with_the_catalogs_own_header(translated):
    assert l10n(translated, "build").code == 0
    mo = translated / "locales" / "ko" / "LC_MESSAGES" / "messages.mo"
    translations = gettext.GNUTranslations(io.BytesIO(mo.read_bytes()))
    assert translations.pgettext("disclaimer", DISCLAIMER) == "※ 개인에 따라 출혈 등의 부작용이 발생할 수 있습니다."
    assert translations.gettext("First Visit") == "첫 방문"
    header = translations.info()
    assert header["plural-forms"] == "nplurals=1; plural=0;"  # the PO's, as msgfmt keeps it
    # GNU msgunfmt reads it back to the same approved entries msgfmt compiles from the PO
    reference = translated / "msgfmt.mo"
    assert gnu("msgfmt", "-o", str(reference), str(po_path(translated, "ko"))).returncode == 0
    assert _entries(gnu("msgunfmt", str(mo)).stdout) == _entries(gnu("msgunfmt", str(reference)).stdout)


def test_the_same_catalog_compiles_to_the_same_bytes(translated):
    assert l10n(translated, "build").code == 0
    mo = translated / "locales" / "ko" / "LC_MESSAGES" / "messages.mo"
    first = mo.read_bytes()
    mo.unlink()
    (translated / ".cache").rename(translated / "old-cache")
    assert l10n(translated, "build").code == 0
    assert mo.read_bytes() == first


def test_mo_bytes_are_babels_bytes():
    catalog = Catalog(locale="ru", fuzzy=False)
    catalog.add("Consultation", "Консультация")
    catalog.add("Recovery", "Восстановление", context="heading")
    catalog.add("Recovery", "Реабилитация")
    catalog.add(("{n} day", "{n} days"), ("{n} день", "{n} дня", "{n} дней"))
    catalog.add(("{n} week", "{n} weeks"), ("{n} неделя", "", ""))  # empty forms fall back to the msgid
    catalog.add("Draft", "Черновик", flags=["fuzzy"])
    catalog.add("Empty", "")
    catalog.add("Ärzte ※", "Врачи ※")
    expected = io.BytesIO()
    write_mo(expected, catalog)
    assert mo_bytes(catalog) == expected.getvalue()


def _entries(msgunfmt_output: str) -> list[str]:
    """msgunfmt's entries without the header (Babel and msgfmt write different headers)."""
    blocks = msgunfmt_output.strip().split("\n\n")
    return sorted(block for block in blocks if not block.startswith('msgid ""\nmsgstr ""'))
