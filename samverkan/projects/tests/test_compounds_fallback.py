"""Without a Swedish dictionary, words are not split and search works as before."""

from samverkan.projects import compounds, search, text


def test_without_a_dictionary_nothing_is_split(monkeypatch, tmp_path):
    monkeypatch.setattr(compounds, "DICTIONARY_DIRS", (tmp_path,))
    monkeypatch.setattr(compounds, "_lexicon", None)
    compounds.caches_clear()
    try:
        assert compounds.dictionary_path() is None
        assert not compounds.available()
        assert compounds.split("valideringscentrum") == ()
        assert text.lexemes("Dala Valideringscentrum") == (["dal", "valideringscentrum"], [])
    finally:
        compounds.caches_clear()


def test_a_query_without_compounds_is_its_stems():
    with compounds.disabled():
        (term,) = search.query_terms("valideringscentrum")
        assert term.alternatives == (("valideringscentrum",),)
