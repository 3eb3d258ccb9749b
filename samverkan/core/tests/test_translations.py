"""The committed English catalogue is complete, keeps every placeholder and is compiled.

These tests read samverkan/locale/en/LC_MESSAGES/django.po as committed, not the sources: after
new Swedish strings are added, `make messages` (scripts/translate_check.py) refreshes the .po,
and these tests then fail until the new entries are translated and compiled.
"""

import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrx%]|\{[^{}]*\}")


@pytest.fixture(scope="module")
def catalogue() -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(LOCALE / "django.po")) if not e.obsolete]


def _where(entry: polib.POEntry) -> str:
    return f"{entry.msgid!r} ({', '.join(path for path, _ in entry.occurrences[:2])})"


def _translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural.get(i, "") for i in (0, 1)]
    return [entry.msgstr]


def test_every_entry_is_translated_and_not_fuzzy(catalogue):
    assert len(catalogue) > 1000
    fuzzy = [_where(e) for e in catalogue if "fuzzy" in e.flags]
    empty = [_where(e) for e in catalogue if not all(t.strip() for t in _translations(e))]
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries, e.g. {fuzzy[:10]}"
    assert not empty, f"{len(empty)} untranslated entries, e.g. {empty[:10]}"


def test_translations_keep_the_placeholders(catalogue):
    wrong = []
    for entry in catalogue:
        sources = [entry.msgid, entry.msgid_plural or entry.msgid]
        for source, text in zip(sources, _translations(entry), strict=False):
            if Counter(PLACEHOLDER.findall(source)) != Counter(PLACEHOLDER.findall(text)):
                wrong.append(f"{_where(entry)} -> {text!r}")
    assert not wrong, "\n".join(wrong)


def test_compiled_catalogue_matches_the_po_file(catalogue):
    compiled = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(LOCALE / "django.mo"))}
    stale = []
    for entry in catalogue:
        mo = compiled.get((entry.msgctxt, entry.msgid))
        if mo is None or _translations(mo) != _translations(entry):
            stale.append(_where(entry))
    assert not stale, f"django.mo is out of date (run compilemessages): {stale[:10]}"


def test_interface_strings_from_every_area_are_english():
    with translation.override("en"):
        assert translation.gettext("Nätverk, råd och partnerskap") == (
            "Networks, councils and partnerships"
        )
        assert translation.gettext("Strategier och handlingsplaner") == (
            "Strategies and action plans"
        )
        assert translation.gettext("Kunskapsbanken: projekt") == "Knowledge bank: projects"
        assert translation.gettext("Importera observationer") == "Import observations"
        assert translation.ngettext("%(n)s projekt", "%(n)s projekt", 2) == "%(n)s projects"


# makemessages finds the names it is told (gettext, gettext_lazy, _, ngettext, …): a string
# marked through any other alias is never extracted and shows in Swedish in English.
ALIAS = re.compile(
    r"from django\.utils\.translation import .*\b(?:gettext|gettext_lazy|ngettext|pgettext)"
    r" as (?!_\b)(\w+)"
)


def test_translation_functions_are_imported_under_names_makemessages_knows():
    sources = Path(__file__).resolve().parents[2]
    found = [
        f"{path.relative_to(sources)}: {match.group(1)}"
        for path in sources.rglob("*.py")
        if "migrations" not in path.parts
        for match in ALIAS.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
