"""Demo mandates and interfaces named in the reports, and the roles behind the demo claims.

Only mandates a report states are recorded, each with the report's words; an interface is
recorded where a report says two mandates meet, a gap ("mellanrum") where it says no mandate
reaches. Running the loader twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from samverkan.actors.models import (
    Interface,
    Mandate,
    NetworkRole,
    Organisation,
    OrganisationKind,
    ResponsibilityClaim,
)
from samverkan.core.citations import cite
from samverkan.core.models import Visibility
from samverkan.geo.models import County

REGLAB_INTRO = cite("004", "inledningen")
STOCKHOLM_1999 = cite(
    "000",
    "Bilagor: Länsstyrelsens integrationsarbete 1999 (Stockholms län), "
    "'Verksamhetsområden och Länsstyrelsens roll'",
)

# key: recorded by (owner code), holder (organisation code or kind), county, title, covers, source
MANDATES: dict[str, dict[str, Any]] = {
    "etablering": dict(
        owner="reglab",
        organisation="arbetsformedlingen",
        title="Etableringsansvar",
        # "Där till exempel Arbetsförmedlingen har ett uttalat etableringsansvar …"
        covers="Ett uttalat ansvar för nyanländas etablering.",
        source=REGLAB_INTRO,
    ),
    "tidiga-insatser": dict(
        owner="reglab",
        kind=OrganisationKind.COUNTY_BOARD,
        title="Samordningsansvar för tidiga insatser",
        # "… och länsstyrelsen ett samordningsansvar för tidiga insatser"
        covers="Länsstyrelsen samordnar de tidiga insatserna.",
        source=REGLAB_INTRO,
    ),
    "regional-utveckling": dict(
        owner="reglab",
        kind=OrganisationKind.REGION,
        title="Regional utveckling och tillväxt",
        # "Regionerna har inget tydligt uppdrag, formell roll eller formellt ansvar i
        # integrationsfrågan … I deras uppdrag ingår att ansvara för regional utveckling och
        # tillväxt."
        covers="Ansvar för regional utveckling och tillväxt; inget tydligt uppdrag, ingen "
        "formell roll och inget formellt ansvar i integrationsfrågan.",
        source=REGLAB_INTRO,
    ),
    "operativt-stockholm": dict(
        owner="lst-01",
        kind=OrganisationKind.MUNICIPALITY,
        county="01",
        title="Operativt ansvar för integrationsprocessen",
        # "Det operativa ansvaret för integrationsprocessen ligger på kommunerna."
        covers="Det operativa ansvaret för integrationsprocessen ligger på kommunerna.",
        source=STOCKHOLM_1999,
    ),
    "samordning-stockholm": dict(
        owner="lst-01",
        organisation="lst-01",
        county="01",
        title="Samordning av integrationsarbetet i länet",
        # "Länsstyrelsens roll och insatser är främst att verka för samordning mellan
        # Integrationsverket, andra statliga myndigheter, kommuner och frivilliga
        # organisationer."
        covers="Verka för samordning mellan Integrationsverket, andra statliga myndigheter, "
        "kommuner och frivilliga organisationer; stimulera och entusiasmera aktörerna.",
        source=STOCKHOLM_1999,
    ),
}

# name, kind, county, side a, side b, description, source, recorded by
INTERFACES: list[dict[str, Any]] = [
    dict(
        name="Kommunernas operativa ansvar och länsstyrelsens samordning",
        kind="interface",
        county="01",
        a="operativt-stockholm",
        b="samordning-stockholm",
        description="Kommunerna bär integrationsprocessen; länsstyrelsen samordnar kommunerna "
        "med Integrationsverket, andra statliga myndigheter och frivilliga organisationer.",
        source=STOCKHOLM_1999,
        owner="lst-01",
    ),
    dict(
        name="Regionens tillväxtansvar och länsstyrelsens ansvar för integrationsfrågor",
        kind="interface",
        a="regional-utveckling",
        b="tidiga-insatser",
        # "Otydlighet och gränsdragningsproblematik mellan nyckelaktörer … Gränsdragningen
        # relativt länsstyrelsens ansvar för integrationsfrågor framgår."
        description="Flera regioner beskriver gränsdragningen mot länsstyrelsens ansvar för "
        "integrationsfrågor och betonar tydlighet i roller, mandat och ansvar.",
        source=cite("001", "avsnitt 2.2.1 Otydlighet och gränsdragningsproblematik"),
        owner="tillvaxtverket",
    ),
    dict(
        name="Regionens roll i integrationen",
        kind="gap",
        a="etablering",
        b="tidiga-insatser",
        # "… saknas en beskrivning av regionernas roll"; "agera i de organisatoriska
        # mellanrummen – i rummen mellan andra aktörers uttalade ansvar."
        description="Mellan Arbetsförmedlingens etableringsansvar och länsstyrelsens "
        "samordningsansvar saknas en beskrivning av regionernas roll. Regionen kan agera i de "
        "organisatoriska mellanrummen: skapa plattformar och mötesplatser, leda processer, "
        "mäkla ihop aktörer och styra genom ekonomiska bidrag.",
        source=cite("004", "inledningen och 'Agera i mellanrummen'"),
        owner="reglab",
    ),
]

# The roles behind the demo's responsibility claims: (organisation, theme) → role codes.
CLAIM_ROLES: dict[tuple[str, str], list[str]] = {
    ("lst-12", "reception-settlement"): ["coordinator", "gathering-force"],
    ("region-12", "work-skills"): ["process-leader"],
    ("region-12", "health"): ["financier"],
    ("svenska-roda-korset", "health"): ["implementer"],
    ("kommun-1280", "reception-settlement"): ["implementer"],
}


@dataclass(frozen=True)
class DemoMandatesResult:
    mandates: int
    interfaces: int
    claim_roles: int


@transaction.atomic
def mandates_load_demo() -> DemoMandatesResult:
    """Create the reports' mandates and interfaces once; existing records are left alone."""
    orgs = {o.code: o for o in Organisation.objects.all()}
    counties = {c.code: c for c in County.objects.all()}
    mandates: dict[str, Mandate] = {}
    made = {"mandates": 0, "interfaces": 0, "claim_roles": 0}
    for key, spec in MANDATES.items():
        mandate, created = Mandate.objects.get_or_create(
            title=spec["title"],
            organisation=orgs.get(spec.get("organisation", "")),
            holder_kind=spec.get("kind", ""),
            county=counties.get(spec.get("county", "")),
            defaults=dict(
                owner=orgs[spec["owner"]],
                covers=spec["covers"],
                source=spec["source"],
                visibility=Visibility.PUBLIC,
            ),
        )
        mandates[key] = mandate
        made["mandates"] += created
    for spec in INTERFACES:
        _, created = Interface.objects.get_or_create(
            name=spec["name"],
            county=counties.get(spec.get("county", "")),
            defaults=dict(
                kind=spec["kind"],
                side_a=mandates[spec["a"]],
                side_b=mandates[spec["b"]],
                description=spec["description"],
                source=spec["source"],
                owner=orgs[spec["owner"]],
                visibility=Visibility.PUBLIC,
            ),
        )
        made["interfaces"] += created
    roles = {r.code: r for r in NetworkRole.objects.all()}
    for (org_code, theme), codes in CLAIM_ROLES.items():
        for claim in ResponsibilityClaim.objects.filter(
            organisation__code=org_code, theme__code=theme, roles__isnull=True
        ):
            claim.roles.set(roles[c] for c in codes)
            made["claim_roles"] += 1
    return DemoMandatesResult(**made)
