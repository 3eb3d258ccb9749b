"""Demo content people can read (issue 22, item 11).

Sources are shown as citations of the reports (title, publisher, year, section), never as the
file a report was read from or a path in the code; invented fill-ins carry the visible badge
"Illustrativt exempel" instead of "[Exempel]" in their text.
"""

import re

import pytest
from django.urls import reverse

from samverkan.core.citations import REPORTS, citation_from_legacy, cite

# What must never reach a reader: the seed file names ("003_20a12cd6db3bf2e4.txt"), the word
# "seed", a path in the code, or the old text marker.
FORBIDDEN = re.compile(
    r"00\d_[0-9a-f]{16}|\.txt\b|\bseeds?\b|samverkan/(?:geo|actors|core)|shared/|\[Exempel\]",
    re.IGNORECASE,
)


@pytest.fixture
def demo(db, settings):
    from samverkan.core.setup import setup_run

    settings.RATE_LIMITS = {}
    setup_run()


def _demo_pages() -> list[str]:
    from samverkan.actors.models import Network, Organisation
    from samverkan.funding.models import Application, Call
    from samverkan.plans.models import ActionPlan, Activity, Consultation, Strategy
    from samverkan.projects.models import Project
    from samverkan.surveys.models import Campaign, Questionnaire

    pages = [reverse("geo:county", args=[c]) for c in ("01", "03", "12", "23")]
    pages += [n.get_absolute_url() for n in Network.objects.all()]
    pages += [p.get_absolute_url() for p in Project.objects.all()]
    pages += [s.get_absolute_url() for s in Strategy.objects.all()]
    pages += [p.get_absolute_url() for p in ActionPlan.objects.all()]
    pages += [a.get_absolute_url() for a in Activity.objects.order_by("pk")[:5]]
    pages += [c.get_absolute_url() for c in Consultation.objects.all()]
    pages += [c.get_absolute_url() for c in Call.objects.all()]
    pages += [a.get_absolute_url() for a in Application.objects.all()]
    pages += [q.get_absolute_url() for q in Questionnaire.objects.all()]
    pages += [c.get_absolute_url() for c in Campaign.objects.all()]
    codes = ["lst-12", "integrationsverket", "sios", "skr", "kommun-1280", "reglab"]
    pages += [o.get_absolute_url() for o in Organisation.objects.filter(code__in=codes)]
    pages += [reverse("reports:list"), reverse("actors:roles")]
    return pages


def test_no_page_of_the_demo_shows_a_file_name_or_code_path(demo, client):
    from samverkan.accounts.models import User

    client.force_login(User.objects.get(email="admin@samverkan.localhost"))
    found = []
    for path in _demo_pages():
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        found += [(path, m.group(0)) for m in FORBIDDEN.finditer(html)]
    assert not found


def test_no_export_of_the_demo_shows_a_file_name(demo):
    from samverkan.accounts.models import User
    from samverkan.core.exchange import EXPORTERS, data_export

    admin = User.objects.get(email="admin@samverkan.localhost")
    for kind in EXPORTERS:
        options = {"county": "12"} if kind == "county" else {}
        text = data_export(kind=kind, fmt="json", user=admin, options=options).decode()
        assert not FORBIDDEN.search(text), (kind, FORBIDDEN.search(text))


def test_sources_are_citations_with_title_publisher_year_and_section(demo):
    from samverkan.actors.models import Meeting
    from samverkan.plans.models import Strategy

    ronneby = Meeting.objects.get(place__startswith="Ronneby")
    assert ronneby.source.startswith(
        "Sammanfattande rapport från sju regionala konferenser inom integrationsområdet "
        "2011–2013 (Styrgruppen för uppföljningen av Överenskommelsen 2014), "
    )
    gislaved = Strategy.objects.get(owner__code="kommun-0662")
    assert gislaved.source.startswith(
        "Inspiration för integration (KSL, Kommunförbundet Stockholms Län 2016), avsnittet"
    )
    for report in REPORTS.values():
        assert report.title and report.publisher


def test_illustrative_records_carry_a_badge_not_a_marker(demo, client):
    from samverkan.plans.models import Activity, Goal, Strategy

    assert Goal.objects.filter(illustrative=True).exists()
    assert not Goal.objects.filter(title__contains="Exempel").exists()
    kept = Activity.objects.get(title="Arbete med attityder")
    assert not kept.illustrative and kept.start_date is None
    invented = Activity.objects.filter(plan=kept.plan, illustrative=True).first()
    assert invented is not None
    html = client.get(invented.get_absolute_url()).content.decode()
    assert "Illustrativt exempel" in html
    html = client.get(kept.get_absolute_url()).content.decode()
    assert "<h1>Arbete med attityder</h1>" in html  # its title is the report's, no badge
    municipal = Strategy.objects.get(owner__code="kommun-2380")
    assert municipal.illustrative
    assert "Illustrativt exempel" in client.get(municipal.get_absolute_url()).content.decode()


def test_old_notes_are_rewritten_as_citations():
    old = (
        "Seed 003_20a12cd6db3bf2e4 (Överenskommelsen inom integrationsområdet, konferenser "
        "2011–2013), Ronnebykonferensen"
    )
    assert citation_from_legacy(old) == cite("003", "Ronnebykonferensen")
    assert citation_from_legacy(
        "Integrationsverket 2000, seeds/000_48435878549b66b9.txt, Bilaga 1 och Bilaga 2"
    ) == cite("000", "Bilaga 1 och Bilaga 2")
    assert citation_from_legacy("SCB (samverkan/geo/data)") == "SCB"
    assert (
        citation_from_legacy("Seeds 001, 002")
        == "Tillväxtverket 2015; KSL, Kommunförbundet Stockholms Län 2016"
    )
