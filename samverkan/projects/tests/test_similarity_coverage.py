"""Similar projects, the duplicate report, coverage with gaps, demo data and the generator."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from samverkan.actors.models import TargetGroup, Theme
from samverkan.core import tenancy
from samverkan.projects.models import Project
from samverkan.projects.selectors import project_coverage
from samverkan.projects.similarity import (
    project_duplicate_report,
    project_similar,
    project_similar_to_draft,
)


def test_similar_projects_have_score_and_reason(corpus, owner, make, organisation):
    twin = make(
        organisation,
        "Validering av yrkeskompetens för nyanlända",
        summary="Snabbare validering av yrkeskunskaper för nyanlända.",
        themes=["work-skills"],
        groups=["newly-arrived"],
        municipalities=["1280"],
    )
    similar = project_similar(user=owner, project=corpus["validering"], limit=3)
    assert similar[0].project == twin
    assert 0 < similar[0].score <= 1 and similar[0].text > 0.3
    reasons = " ".join(similar[0].reasons)
    assert "liknande text" in reasons and "samma teman: Arbete och kompetensförsörjning" in reasons
    assert "samma kommun: Malmö" in reasons
    assert corpus["hemlig"] not in [s.project for s in similar]


def test_similar_to_a_draft_while_registering(corpus, owner, editor_client, organisation):
    similar = project_similar_to_draft(
        user=owner,
        title="Lugna gatan för unga",
        text="Värdar stöttar ungdomar i riskzon",
        themes=list(Theme.objects.filter(code="children-youth")),
        target_groups=list(TargetGroup.objects.filter(code="young-people")),
        county=None,
    )
    assert similar[0].project == corpus["lugna"]
    response = editor_client.post(
        reverse("projects:create"),
        {
            "owner": organisation.pk,
            "title": "Lugna gatan för unga",
            "status": "ongoing",
            "visibility": "internal",
            "summary": "Värdar stöttar ungdomar",
            "action": "check",
        },
    )
    assert response.status_code == 200 and "Lugna Gatan junior" in response.content.decode()
    assert not Project.objects.filter(title="Lugna gatan för unga").exists()


def test_duplicate_report_finds_same_title_and_near_copies(corpus, owner, make, organisation):
    copy = make(
        organisation,
        "Validering av nyanländas yrkeskompetens",
        summary="Valideringen av yrkeskunskaper ska bli snabbare för nyanlända akademiker.",
        municipalities=["1280"],
    )
    report = project_duplicate_report(user=owner, county_code="12")
    pairs = [{p.first, p.second} for p in report if p.duplicate]
    assert {corpus["validering"], copy} in pairs
    assert "samma ägare och titel" in report[0].reasons


def test_coverage_counts_and_gaps(corpus, owner, client):
    coverage = project_coverage(user=owner, county_code="12")
    work = Theme.objects.get(code="work-skills")
    academics = TargetGroup.objects.get(code="academics")
    women = TargetGroup.objects.get(code="foreign-born-women")
    assert coverage.cells[(work.pk, academics.pk)].count == 1
    assert coverage.cells[(work.pk, academics.pk)].budget == 1_200_000
    assert coverage.cells[(work.pk, women.pk)].gap
    assert (work, women) in coverage.gaps
    assert coverage.total_projects == 3
    national = project_coverage(user=tenancy.SYSTEM)
    assert national.cells[(work.pk, academics.pk)].count == 2
    page = client.get(reverse("projects:coverage"), {"county": "12"})
    assert page.status_code == 200
    county_page = page.content.decode()
    # Skåne's 33 municipalities, no county map; municipalities without projects are gaps
    assert county_page.count("<path ") == 33 and "#f4a6a6" in county_page
    national_page = client.get(reverse("projects:coverage")).content.decode()
    assert national_page.count('class="choropleth"') == 2
    assert national_page.count("<path ") == 21 + 290
    xlsx = client.get(reverse("projects:coverage"), {"county": "12", "format": "xlsx"})
    assert xlsx.content[:2] == b"PK"


def test_duplicate_page_and_api_only_show_readable_projects(corpus, outsider_client):
    page = outsider_client.get(reverse("projects:duplicates", args=["12"]))
    assert page.status_code == 200
    assert outsider_client.get(reverse("projects:duplicates", args=["99"])).status_code == 404
    body = outsider_client.get(reverse("api:project-duplicates"), {"county": "12"}).json()
    assert all(corpus["hemlig"].pk not in (p["first"], p["second"]) for p in body)


@pytest.fixture
def reference_organisations(db):
    from samverkan.actors.reference import organisations_load_reference

    organisations_load_reference()


def test_demo_projects_cite_their_seed_and_load_once(reference_organisations):
    from samverkan.projects.demo import PROJECTS, demo_projects_load

    assert demo_projects_load() == len(PROJECTS)
    assert demo_projects_load() == 0
    titles = set(Project.objects.values_list("title", flat=True))
    assert {
        "Lugna Gatan junior",
        "Mentor-adept",
        "Mångfald hemma",
        "Skriftserien om islam",
        "Korta vägen",
        "Validering Väst",
        "Dala Valideringscentrum",
    } <= titles
    assert all(
        p.source.startswith(("Regionen, framtiden", "Sammanställning av regionernas"))
        for p in Project.objects.all()
    )
    assert Project.objects.get(title="Korta vägen").good_example


def test_generator_is_deterministic_and_searchable(reference_organisations):
    call_command(
        "generate",
        "projects",
        "--count",
        "25",
        "--seed",
        "7",
        "--county",
        "12",
        stdout=io.StringIO(),
    )
    first = list(Project.objects.order_by("pk").values_list("title", flat=True))
    Project.objects.all().delete()
    call_command(
        "generate",
        "projects",
        "--count",
        "25",
        "--seed",
        "7",
        "--county",
        "12",
        stdout=io.StringIO(),
    )
    assert list(Project.objects.order_by("pk").values_list("title", flat=True)) == first
    out = io.StringIO()
    call_command("search", first[0].split()[0], "--county", "12", stdout=out)
    assert out.getvalue().split()[0] != "0"


def _brute_force(vectors, threshold):
    """Every pair, exact cosine: no index, no matrix."""
    found = {}
    for i, a in enumerate(vectors):
        for j in range(i + 1, len(vectors)):
            cosine = sum(w * vectors[j].get(t, 0.0) for t, w in a.items())
            if cosine >= threshold:
                found[(i, j)] = cosine
    return found


@pytest.mark.parametrize("dense_terms", [1024, 8, 0])
@pytest.mark.parametrize("threshold", [0.2, 0.4, 0.6])
def test_similar_pairs_equal_brute_force(monkeypatch, dense_terms, threshold):
    """Dense common terms, inverted index for the rare ones, or both: the same pairs and
    cosines as comparing every pair."""
    import random
    from collections import Counter

    from samverkan.projects import similarity

    monkeypatch.setattr(similarity, "DENSE_TERMS", dense_terms)
    monkeypatch.setattr(similarity, "BLOCK", 7)  # several blocks, one of them partial
    rng = random.Random(dense_terms * 10 + int(threshold * 10))
    vocabulary = [f"ord{k}" for k in range(60)]
    weights = [1 / (k + 1) for k in range(60)]  # a few common words, many rare ones
    docs = [
        similarity.Doc(i, "", None, None, Counter(rng.choices(vocabulary, weights, k=12)))
        for i in range(120)
    ]
    docs += [similarity.Doc(999, "", None, None, Counter(docs[0].terms))]  # an exact copy
    vectors = similarity._vectors(docs)
    expected = _brute_force(vectors, threshold)
    found = similarity.similar_pairs(docs, min_cosine=threshold)
    assert expected and set(found) == set(expected)
    assert all(abs(found[p] - expected[p]) < 1e-9 for p in expected)
    assert found[(0, len(docs) - 1)] == pytest.approx(1.0)


def test_duplicate_report_equals_exact_scoring(reference_organisations, owner):
    """On generated projects the report lists exactly the pairs that exact pairwise scoring
    finds, duplicates first then by score; reasons only for the pairs shown."""
    from samverkan.projects import similarity, text
    from samverkan.projects.generate import projects_generate

    projects_generate(count=150, seed=3, county_code="12")
    report = project_duplicate_report(user=tenancy.SYSTEM, county_code="12", limit=10**6)
    docs = similarity._load(Project.objects.filter(county__code="12"), with_projects=False)
    vectors = similarity._vectors(docs)
    expected = set()
    for i, a in enumerate(docs):
        for j in range(i + 1, len(docs)):
            b = docs[j]
            score, cosine, _reasons = similarity._compare(a, vectors[i], b, vectors[j])
            same = a.owner_id == b.owner_id and text.words(a.title) == text.words(b.title)
            if (cosine >= 0.4 and (cosine >= 0.6 or score >= 0.45)) or same:
                expected.add((a.pk, b.pk, cosine >= 0.6 or same))
    assert expected
    assert {(p.first.pk, p.second.pk, p.duplicate) for p in report} == expected
    assert report.total == len(report) == len(expected)
    keys = [(not p.duplicate, -p.score) for p in report]
    assert keys == sorted(keys)
    assert all(p.reasons for p in report)
    shown = project_duplicate_report(user=tenancy.SYSTEM, county_code="12", limit=5)
    assert len(shown) == 5 and shown.total == len(expected)
    assert [(p.first, p.second) for p in shown] == [(p.first, p.second) for p in report[:5]]
