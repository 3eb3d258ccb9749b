"""Search gives the same results on SQLite (FTS5 + Snowball) and PostgreSQL (swedish tsvector):
this file runs unchanged on both, so every assertion is an equivalence check."""

import pytest
from django.db import connection

from samverkan.core import tenancy
from samverkan.projects import text
from samverkan.projects.selectors import SearchFilters, project_search


def titles(user, query="", **filters):
    result = project_search(user=user, filters=SearchFilters(query=query, **filters))
    return [hit.project.title for hit in result.hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nyanländas", {"Validering av nyanländas yrkeskompetens"}),
        ("nyanlända", {"Validering av nyanländas yrkeskompetens"}),
        ("valideringen", {"Validering av nyanländas yrkeskompetens"}),
        ("kvinnor", {"Mötesplats för utrikes födda kvinnor"}),
        ("kvinna", {"Mötesplats för utrikes födda kvinnor"}),
        ("akademiker", {"Validering av nyanländas yrkeskompetens", "Mentor-adept i Östergötland"}),
        ("mentor-adept", {"Mentor-adept i Östergötland"}),
        ("Fryshuset", {"Lugna Gatan junior"}),  # description
        ("linköpings", {"Mentor-adept i Östergötland"}),  # owner organisation name
        ("akademiker mentorer", {"Mentor-adept i Östergötland"}),  # every word must match
        ("LUGNA gatan", {"Lugna Gatan junior"}),
    ],
)
def test_stemmed_search_finds_the_same_projects_on_both_databases(corpus, owner, query, expected):
    assert set(titles(owner, query)) == expected


def test_search_ranks_title_matches_first(corpus, owner, make, organisation):
    make(organisation, "Projekt om arbetsgivare", summary="Arbetsgivare och validering.")
    found = titles(owner, "validering")
    assert found[0] == "Validering av nyanländas yrkeskompetens"
    assert set(found) == {"Validering av nyanländas yrkeskompetens", "Projekt om arbetsgivare"}


@pytest.mark.parametrize(
    "hostile",
    [
        '"',
        "*",
        "NEAR(",
        "'; DROP TABLE projects_project; --",
        'validering" OR "',
        "valid*",
        "NEAR(validering akademiker)",
        "title:validering",
        "-validering",
        "^validering",
        "&|!():*",
        "x" * 5000,
    ],
)
def test_hostile_queries_are_words_or_nothing(corpus, owner, hostile):
    result = project_search(user=owner, filters=SearchFilters(query=hostile))
    assert result.total >= 0
    assert set(titles(owner, "validering")) >= {"Validering av nyanländas yrkeskompetens"}


def test_search_syntax_is_treated_as_plain_words(corpus, owner):
    assert titles(owner, 'validering" OR "kvinnor') == []  # both words must match: none does
    assert set(titles(owner, "NEAR(validering akademiker)")) == set()  # "near" is a plain word


def test_snippet_highlights_stemmed_matches_and_escapes_html(corpus, owner, make, organisation):
    make(organisation, "Skript", summary="<script>alert(1)</script> nyanlända familjer")
    result = project_search(user=owner, filters=SearchFilters(query="nyanländas familj"))
    assert [h.project.title for h in result.hits] == ["Skript"]
    snippet = result.hits[0].snippet
    assert "&lt;script&gt;" in snippet and "<script>" not in snippet
    assert "<mark>nyanlända</mark>" in snippet and "<mark>familjer</mark>" in snippet


def test_facets_count_matching_projects(corpus, owner):
    result = project_search(user=owner, filters=SearchFilters(query="akademiker"))
    facets = {
        name: {code: n for code, _label, n in values} for name, values in result.facets.items()
    }
    assert facets["county"] == {"12": 1, "05": 1}
    assert facets["theme"] == {"work-skills": 2}
    assert facets["target_group"] == {"academics": 2, "newly-arrived": 1}
    assert facets["status"] == {"ongoing": 2}


def test_facet_filters_narrow_the_search(corpus, owner):
    assert titles(owner, "akademiker", county="05") == ["Mentor-adept i Östergötland"]
    assert set(titles(owner, "", theme="work-skills", county="12")) == {
        "Validering av nyanländas yrkeskompetens"
    }
    assert titles(owner, "", status="finished") == ["Mötesplats för utrikes födda kvinnor"]
    assert titles(owner, "", funder="esf") == ["Validering av nyanländas yrkeskompetens"]
    # the meeting place has no period, so it counts as running every year
    assert set(titles(owner, "", year=2017, municipality="1280")) == {
        "Validering av nyanländas yrkeskompetens",
        "Mötesplats för utrikes födda kvinnor",
    }
    assert titles(owner, "", year=2020, municipality="1280") == [
        "Mötesplats för utrikes födda kvinnor"
    ]


def test_private_projects_of_others_are_not_found(corpus, owner, outsider):
    assert "Hemlig validering" not in titles(owner, "validering")
    assert "Hemlig validering" in titles(outsider, "validering")
    assert titles(None, "validering") == []  # anonymous: only public
    assert titles(None, "akademiker") == ["Mentor-adept i Östergötland"]
    assert "Hemlig validering" in titles(tenancy.SYSTEM, "validering")


def test_edits_and_deletes_update_the_index(corpus, owner):
    from samverkan.projects.services import project_delete, project_update

    project_update(project=corpus["lugna"], user=owner, summary="Nattvandring med föräldrar.")
    assert titles(owner, "nattvandringen") == ["Lugna Gatan junior"]
    assert titles(owner, "riskzon") == []
    project_delete(project=corpus["lugna"], user=owner)
    assert titles(owner, "nattvandring") == []


def test_search_entries_follow_visibility_status_and_review(corpus, owner):
    """Filters, facets and tenancy read the search entry: every write that changes what they
    see (visibility, status, the good-example review) reaches it."""
    from samverkan.core.models import Visibility
    from samverkan.projects.services import project_review_good_example, project_update

    lugna = corpus["lugna"]
    assert "Lugna Gatan junior" not in titles(None, "")
    project_update(project=lugna, user=owner, visibility=Visibility.PUBLIC, status="finished")
    assert "Lugna Gatan junior" in titles(None, "")
    assert "Lugna Gatan junior" in titles(owner, "", status="finished")
    assert "Lugna Gatan junior" not in titles(owner, "lugna", good_example=True)
    project_review_good_example(project=lugna, user=tenancy.SYSTEM, good_example=True)
    assert titles(owner, "lugna", good_example=True) == ["Lugna Gatan junior"]
    assert titles(owner, "", good_example=True) == ["Lugna Gatan junior"]


def test_query_words_drop_stop_words_and_syntax():
    assert text.query_words('"och" NEAR( * valideringen') == ["near", "valideringen"]
    assert text.stem("nyanländas") == text.stem("nyanlända")


@pytest.mark.postgres
def test_python_stemmer_and_stop_words_match_postgresql(corpus):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    vocabulary = sorted(
        {
            w
            for p in corpus.values()
            for w in text.WORD_RE.findall(f"{p.title} {p.summary} {p.description}".lower())
        }
    )
    with connection.cursor() as cursor:
        for word in [*vocabulary, *text.STOP_WORDS]:
            cursor.execute("SELECT ts_lexize('swedish_stem', %s)", [word])
            lexemes = cursor.fetchone()[0]
            if word in text.STOP_WORDS:
                assert lexemes == [], word
            else:
                assert lexemes == [text.stem(word)], word


def test_facet_counts_follow_theme_edits_and_terms_beyond_the_mask(corpus, owner):
    """Theme and target-group counts come from bit masks kept by the index; a term whose pk has
    no bit (> 63) is counted through its link table, with the same result."""
    from samverkan.actors.models import TargetGroup, Theme
    from samverkan.projects.services import project_update

    late_theme = Theme.objects.create(pk=100, code="late-theme", name="Sent tema")
    late_group = TargetGroup.objects.create(pk=200, code="late-group", name="Sen målgrupp")
    project_update(
        project=corpus["validering"],
        user=owner,
        themes=[late_theme, *Theme.objects.filter(code="housing")],
        target_groups=[late_group],
    )

    result = project_search(user=owner, filters=SearchFilters(query="akademiker"))
    facets = {
        name: {code: n for code, _label, n in values} for name, values in result.facets.items()
    }
    assert facets["theme"] == {"work-skills": 1, "housing": 1, "late-theme": 1}
    assert facets["target_group"] == {"academics": 1, "late-group": 1}
    assert titles(owner, "akademiker", theme="late-theme") == [
        "Validering av nyanländas yrkeskompetens"
    ]


def test_filters_combined_with_words_follow_edits(corpus, owner):
    """Facet filters together with query words (on SQLite intersected inside FTS5 through the
    projects' tags) see county, theme and status changes at once."""
    from samverkan.actors.models import Theme
    from samverkan.geo.models import County, Municipality
    from samverkan.projects.services import project_update

    validering = "Validering av nyanländas yrkeskompetens"
    assert titles(owner, "akademiker", county="12", theme="work-skills") == [validering]
    project_update(
        project=corpus["validering"],
        user=owner,
        county=County.objects.get(code="05"),
        municipalities=list(Municipality.objects.filter(code="0580")),
        themes=list(Theme.objects.filter(code="housing")),
        status="finished",
    )
    assert titles(owner, "akademiker", county="12") == []
    assert titles(owner, "akademiker", theme="work-skills") == ["Mentor-adept i Östergötland"]
    assert titles(owner, "akademiker", county="05", theme="housing", status="finished") == [
        validering
    ]
    assert set(titles(owner, "akademiker", municipality="0580")) == {
        validering,
        "Mentor-adept i Östergötland",
    }
    assert titles(owner, "akademiker", municipality="1280") == []
    assert titles(owner, "akademiker", county="99") == []  # names no county
    for facets in (True, False):  # a theme or target group that names nothing: nothing, no error
        for unknown in ({"theme": "no-such-theme"}, {"target_group": "x"}):
            result = project_search(
                user=owner, filters=SearchFilters(query="akademiker", **unknown), facets=facets
            )
            assert (result.total, result.hits, result.facets) == (0, [], {})


@pytest.mark.parametrize("facets", [True, False], ids=["with-facets", "without-facets"])
@pytest.mark.parametrize("theme", ["", "housing"], ids=["unfiltered", "theme-filter"])
def test_pages_follow_one_ranking_title_tier_first(
    corpus, owner, make, organisation, facets, theme
):
    """Pages follow one order, title tier first, with or without a facet filter (with one,
    PostgreSQL ranks both tiers in the facet statement) and with or without facets."""
    for n in range(7):
        make(
            organisation,
            f"Språkcafé {n}",
            summary="Samtal på svenska för nyanlända.",
            themes=["housing"],
        )
        make(
            organisation,
            f"Läxhjälp {n}",
            summary="Språkcafé och läxhjälp varje vecka.",
            themes=["housing"],
        )

    def page(offset, limit):
        result = project_search(
            user=owner,
            filters=SearchFilters(query="språkcafé", theme=theme),
            offset=offset,
            limit=limit,
            facets=facets,
        )
        assert result.total == 14
        return [hit.project.title for hit in result.hits]

    everything = page(0, 20)
    assert [t.split()[0] for t in everything] == ["Språkcafé"] * 7 + ["Läxhjälp"] * 7
    assert page(0, 5) + page(5, 5) + page(10, 5) == everything


@pytest.mark.parametrize("facets", [True, False], ids=["with-facets", "without-facets"])
@pytest.mark.parametrize("county", ["", "12"], ids=["unfiltered", "county-filter"])
def test_a_large_tier_is_ranked_in_windows_of_the_newest_matches(
    corpus, owner, make, organisation, skane, facets, county, monkeypatch
):
    """With more title matches than a ranking window, the newest window comes first and
    relevance orders each window; paging walks through every window once, on both paths."""
    from samverkan.projects import search

    monkeypatch.setattr(search, "RANK_WINDOW", 2)
    for n in range(5):  # the odd titles say nothing else: more relevant on both databases
        make(
            organisation,
            f"Språkcafé {n}" if n % 2 else f"Språkcafé {n} med samtal om vardagen",
            summary="Samtal.",
            county=skane,
        )

    def page(offset, limit):
        result = project_search(
            user=owner,
            filters=SearchFilters(query="språkcafé", county=county),
            offset=offset,
            limit=limit,
            facets=facets,
        )
        assert result.total == 5
        return [hit.project.title.split()[1] for hit in result.hits]

    # windows by id, newest first: (4, 3) (2, 1) (0); the more relevant first in each
    assert page(0, 20) == ["3", "4", "1", "2", "0"]
    assert page(0, 2) + page(2, 2) + page(4, 2) == page(0, 20)


def test_the_entry_upsert_rewrites_every_copied_column():
    import re

    from samverkan.projects import search

    updated = re.findall(r"(\w+) = excluded\.(\w+)", search.ENTRY_UPSERT)
    assert all(left == right for left, right in updated)
    assert [left for left, _right in updated] == search.ENTRY_COLUMNS.split(", ")[1:]


def test_the_search_api_answers_in_the_documented_envelope(corpus, client):
    """The OpenAPI document describes what GET /api/projects/ returns (count, words, results,
    facets), not a bare list of hits."""
    import json

    schema = json.loads(client.get("/api/openapi.json").content)
    content = schema["paths"]["/api/projects/"]["get"]["responses"]["200"]["content"]
    envelope = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    documented = schema["components"]["schemas"][envelope]
    answer = client.get("/api/projects/", {"q": "akademiker"}).json()
    assert set(answer) == set(documented["required"]) == {"count", "words", "results", "facets"}
    assert answer["count"] == 1 and answer["facets"]["county"][0].keys() == {
        "code",
        "label",
        "count",
    }


@pytest.mark.parametrize("facets", [True, False], ids=["with-facets", "without-facets"])
def test_a_page_past_the_last_match_is_empty(corpus, owner, facets):
    result = project_search(
        user=owner, filters=SearchFilters(query="akademiker"), offset=10**6, facets=facets
    )
    assert (result.total, result.hits) == (2, [])
