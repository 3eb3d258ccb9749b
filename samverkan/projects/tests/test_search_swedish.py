"""Search that understands Swedish (issue 23): compound words, partial words, synonyms and
help when nothing matches, on the demo data. Runs unchanged on SQLite and PostgreSQL."""

import pytest

from samverkan.actors.models import TargetGroup, Theme
from samverkan.core import tenancy
from samverkan.projects import compounds, search, text
from samverkan.projects.selectors import SearchFilters, project_search
from samverkan.projects.similarity import project_similar_to_draft

pytestmark = pytest.mark.skipif(
    not compounds.available(), reason="no Swedish hunspell dictionary (pip install hunspell-sv)"
)

VALIDERING_VAST = "Validering Väst"
DALA = "Dala Valideringscentrum"
MENTOR = "Mentor-adept"  # "Integrerade invandrarkvinnor blir mentorer …"
SFX = "SFX – svenska för yrkesutbildade"  # "… nyanländas yrkeskompetens …"
KOMMUNIKATORER = "Samhällskommunikatörer"  # "… nyanlända får samhällsinformation …"


@pytest.fixture
def demo(db):
    from samverkan.actors.reference import organisations_load_reference
    from samverkan.projects.demo import demo_projects_load

    organisations_load_reference()
    demo_projects_load()


def titles(query, *, prefix_last=False, **filters):
    result = project_search(
        user=tenancy.SYSTEM,
        filters=SearchFilters(query=query, **filters),
        limit=50,
        prefix_last=prefix_last,
    )
    return [hit.project.title for hit in result.hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # a part finds the compound
        ("validering", {VALIDERING_VAST, DALA}),
        ("kvinnor", {MENTOR}),
        ("kompetens", {VALIDERING_VAST, SFX}),
        ("information", {KOMMUNIKATORER}),
        # the compound finds the same compound
        ("valideringscentrum", {DALA}),
        ("invandrarkvinnor", {MENTOR}),
        ("yrkeskompetens", {VALIDERING_VAST, SFX}),
        ("samhällsinformation", {KOMMUNIKATORER}),
    ],
)
def test_compound_words_are_found_by_their_parts_and_as_themselves(demo, query, expected):
    assert expected <= set(titles(query))


def test_compounds_split_into_dictionary_parts():
    assert text.part_stems("valideringscentrum") == (text.stem("validering"), "centrum")
    assert set(text.part_stems("invandrarkvinnor")) == {
        text.stem("invandrare"),
        text.stem("kvinna"),
    }
    assert text.stem("kompetens") in text.part_stems("yrkeskompetens")
    assert text.stem("information") in text.part_stems("samhällsinformation")
    # words the dictionary knows are not cut into smaller words by accident
    for word in ("centrum", "islam", "samverkan", "utbildning", "översättning", "ungdomar"):
        assert compounds.split(word) == (), word


def test_a_whole_word_match_ranks_above_a_part_match(demo):
    found = titles("validering")
    assert found.index(VALIDERING_VAST) < found.index(DALA)


def test_precision_short_words_split_nothing(demo, make, organisation):
    make(organisation, "Islam i Sverige", summary="Kurser om islam och isländska.")
    assert "Islam i Sverige" not in titles("is")
    assert [t.alternatives for t in search.query_terms("is", prefix_last=True)] == [(("is",),)]
    assert compounds.split("islam") == () and compounds.split("isbit") == ()
    for word in ("valideringscentrum", "invandrarkvinnor", "arbetsmarknaden", "språkcafé"):
        assert all(len(part) >= compounds.MIN_PART for part in compounds.split(word)), word


def test_partial_words_match_as_prefixes(demo):
    assert {VALIDERING_VAST, DALA} <= set(titles("valider*"))
    assert titles("valideri") == []  # a whole word unless typed in the search box …
    assert {VALIDERING_VAST, DALA} <= set(titles("valideri", prefix_last=True))
    assert set(titles("samhällskommunikat", prefix_last=True)) == {KOMMUNIKATORER}
    # … and at least three letters
    assert [t.alternatives for t in search.query_terms("va*")] == [(("va",),)]


def test_prefix_expansion_is_bounded(demo, make, organisation):
    for n in range(search.MAX_EXPANSIONS + 20):
        search.SearchWord.objects.get_or_create(word=f"zzz{n:04d}", lexeme=f"zzz{n:04d}")
    (term,) = search.query_terms("zzz*")
    assert len(term.alternatives) == search.MAX_EXPANSIONS + 1  # the word itself, and 200


@pytest.mark.parametrize(
    ("query", "summary"),
    [
        ("sfi", "Kurser i svenska för invandrare på kvällstid."),
        ("svenska för invandrare", "Läxhjälp för elever på SFI."),
        ("asylsökare", "Stöd till asylsökande familjer."),
        ("hemspråk", "Modersmål i förskolan."),
    ],
)
def test_synonyms_apply_at_query_time(demo, make, organisation, query, summary):
    make(organisation, "Synonymprov", summary=summary)
    assert "Synonymprov" in titles(query)


def test_every_synonym_entry_names_its_source():
    from samverkan.projects.synonyms import SYNONYMS

    assert SYNONYMS and all(entry.source.strip() and len(entry.members) > 1 for entry in SYNONYMS)


def test_snippets_mark_the_compound_a_part_matched(demo):
    result = project_search(user=tenancy.SYSTEM, filters=SearchFilters(query="validering"))
    snippets = {h.project.title: h.snippet for h in result.hits}
    assert "<mark>Valideringscentrum</mark>" in snippets[DALA]


def test_a_new_validation_project_finds_both_validation_projects(demo):
    similar = project_similar_to_draft(
        user=tenancy.SYSTEM,
        title="Validering av yrkeskompetens i Dalarna",
        text="Validering av nyanländas yrkeskunskaper hos arbetsgivare.",
        themes=list(Theme.objects.filter(code="work-skills")),
        target_groups=list(TargetGroup.objects.filter(code="newly-arrived")),
        county=None,
    )
    assert {VALIDERING_VAST, DALA} <= {s.project.title for s in similar}


def test_when_nothing_matches_the_vocabulary_suggests_a_spelling(demo):
    from samverkan.projects.suggest import search_help

    assert titles("valdering") == []
    help = search_help(user=tenancy.SYSTEM, filters=SearchFilters(query="valdering"))
    assert help.suggestion == "validering" and help.suggestion_total >= 2
    assert help.unfiltered_total is None  # no filters to drop


def test_when_nothing_matches_the_query_without_filters_is_counted(demo):
    from samverkan.projects.suggest import search_help

    filters = SearchFilters(query="validering", status="planned")
    assert titles(filters.query, status="planned") == []
    help = search_help(user=tenancy.SYSTEM, filters=filters)
    assert help.unfiltered_total == len(titles("validering"))


def test_the_empty_results_page_offers_help(demo, client):
    from django.urls import reverse

    body = client.get(reverse("projects:list"), {"q": "valdering"}).content.decode()
    assert "Inga projekt matchar sökningen." in body
    assert "Menade du" in body and "?q=validering" in body
    assert reverse("projects:create") in body and "Registrera det" in body
    filtered = {"q": "validering", "status": "planned"}
    body = client.get(reverse("projects:list"), filtered).content.decode()
    assert "Utan filter ger sökningen" in body and 'href="?q=validering"' in body


def test_suggestions_count_a_swap_of_neighbouring_letters_as_one_edit():
    from samverkan.projects.suggest import distance

    assert distance("vaildering", "validering", 2) == 1
    assert distance("valdering", "validering", 2) == 1
    assert distance("kvinnor", "mannen", 2) == 3  # over the limit
