"""Reglab's role catalogue and the county boards' roles, mandates and interfaces (issue 22,
item 7)."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from samverkan.actors.models import Interface, Mandate, NetworkRole, ResponsibilityClaim

# Reglab, "Integration – regionernas roll", the section "Vem är du?" (the list of roles the
# learning project identified; "Stategiskt arbete" is printed so, and Lobbyist, Mäklare and
# Koordinator appear twice).
REGLAB_ROLES = [
    "Analysförmedlare",
    "Innovatör",
    "Lobbyist",
    "Mäklare",
    "Samordnare",
    "Strategiskt arbete",
    "Koordinator",
    "Dörröppnare",
    "Förebild",
    "Nav",
    "Stödjare",
    "Visionär",
    "Möjliggörare",
    "Nätverkare",
    "Omvärldsbevakare",
    "Projektutvecklare",
    "Projektägare",
    "Processledare",
    "Pådrivare",
    "Påverkare",
    "Samverkare",
    "Samhandlare",
    "Samlande kraft",
    "Nejsägare som påtalar brister",
    "Kunskapsförmedlare",
    "Finansiär",
    "Kunskapsutvecklare",
]
# Integrationsverket 2000, Bilaga 2, question 3: "Samrådspart (7 st.), initiativtagare (6 st.),
# informatör, samordnare, genomförare, pådrivare, administrera nätverket, oklar."
COUNTY_BOARD_ROLES = [
    "Samrådspart",
    "Initiativtagare",
    "Informatör",
    "Samordnare",
    "Genomförare",
    "Pådrivare",
    "Administrera nätverket",
]


@pytest.fixture
def demo(db, settings):
    from samverkan.core.setup import setup_run

    settings.RATE_LIMITS = {}
    setup_run()


def _names() -> set[str]:
    names = set()
    for name in NetworkRole.objects.values_list("name", flat=True):
        names |= {part.strip().lower() for part in name.split("/")}
    return names


def test_catalogue_holds_every_role_the_reports_list(db):
    from samverkan.actors.reference import vocabularies_load_reference

    vocabularies_load_reference()
    names = _names()
    assert len(REGLAB_ROLES) == 27
    missing = [r for r in REGLAB_ROLES + COUNTY_BOARD_ROLES if r.lower() not in names]
    assert not missing
    for role in NetworkRole.objects.all():
        assert role.description, role.code
        assert role.source and "seed" not in role.source.lower(), role.code
    # Region Skåne's definitions are quoted from the report
    financier = NetworkRole.objects.get(code="financier")
    assert "krav på återrapportering" in financier.description


def test_roles_page_and_export(demo, client, tmp_path):
    html = client.get(reverse("actors:roles")).content.decode()
    assert "Nejsägare som påtalar brister" in html and "Administrera nätverket" in html
    target = tmp_path / "roles.json"
    call_command("export", "roles", "--format", "json", "-o", str(target))
    records = json.loads(target.read_text(encoding="utf-8"))
    assert {"code", "name", "description", "source"} <= set(records[0])
    assert len(records) == NetworkRole.objects.count() >= 34


def test_matrix_uses_the_roles(demo, client):
    claim = ResponsibilityClaim.objects.get(organisation__code="region-12", theme__code="health")
    assert list(claim.roles.values_list("code", flat=True)) == ["financier"]
    html = client.get(reverse("geo:county", args=["12"])).content.decode()
    assert "Finansiär" in html


def test_mandates_interfaces_and_gaps_per_county(demo, client):
    # "Där till exempel Arbetsförmedlingen har ett uttalat etableringsansvar och länsstyrelsen
    # ett samordningsansvar för tidiga insatser, saknas en beskrivning av regionernas roll."
    gap = Interface.objects.get(kind="gap")
    assert {gap.side_a.title, gap.side_b.title} == {
        "Etableringsansvar",
        "Samordningsansvar för tidiga insatser",
    }
    assert Mandate.objects.get(title="Etableringsansvar").organisation.code == "arbetsformedlingen"
    html = client.get(reverse("geo:county", args=["01"])).content.decode()
    assert "Mandat och gränsytor" in html
    # Stockholm's own interface, with the county's actors on each side
    assert "Kommunernas operativa ansvar och länsstyrelsens samordning" in html
    assert "Länets 26 kommuner" in html and "Länsstyrelsen i Stockholms län" in html
    assert "Region Stockholm" in html  # the regional mandate resolved to the county's region
    # the Stockholm interface is Stockholm's only
    other = client.get(reverse("geo:county", args=["12"])).content.decode()
    assert "Kommunernas operativa ansvar" not in other and "Regionens roll i integrationen" in other


def test_mandates_export(demo, tmp_path):
    target = tmp_path / "mandates.json"
    call_command("export", "mandates", "--format", "json", "--county", "01", "-o", str(target))
    kinds = [r["kind"] for r in json.loads(target.read_text(encoding="utf-8"))]
    assert kinds.count("gap") == 1 and kinds.count("interface") == 2
