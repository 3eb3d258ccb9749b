"""Demo agreements (överenskommelser) named in the reports: the national agreement with its six
principles, and the regional and local agreements the conferences and KSL's report describe.

Only what a report states is recorded, each with its citation: a party the report names only
as a group keeps that wording, a date it does not give stays empty ("okänt"). The meetings held
under the national agreement are the seven conferences already recorded on its network
(``demo_networks``); they are linked, not copied. Running the loader twice changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from samverkan.actors.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementPrinciple,
    AgreementRole,
    Network,
    Organisation,
    OrganisationKind,
    Sector,
)
from samverkan.core.citations import cite
from samverkan.core.dates import DatePrecision
from samverkan.core.models import Visibility
from samverkan.geo.models import County, Municipality

S002_JAMTLAND = cite("002", "Region Jämtland Härjedalen, med fotnot 8")
S003_2011 = cite("003", "Hösten 2011")
S003_2012 = cite("003", "Hösten 2012")

DEMO_ORGANISATIONS = [
    # code, name, kind, sector, source
    (
        "regeringskansliet",
        "Regeringskansliet",
        OrganisationKind.OTHER,
        Sector.PUBLIC,
        f"{S003_2012}, 'Parternas utgångspunkter och åtaganden'",
    ),
]

# "Den nationella Överenskommelsen inom Integrationsområdet består bland annat av följande sex
# principer" (Hösten 2011; repeated in Hösten 2012 and for Ronneby 2013), in the report's order.
SIX_PRINCIPLES = [
    "Självständighet och oberoende",
    "Dialog",
    "Kvalitet",
    "Långsiktighet",
    "Öppenhet och insyn",
    "Mångfald",
]
PRINCIPLES_SOURCE = f"{S003_2011}, 'De sex principerna' (och Hösten 2012, 'De sex principerna')"

PARTS = f"{S003_2011}, Inledning (styrgruppen av de tre parterna)"

AGREEMENTS: list[dict[str, Any]] = [
    dict(
        slug="overenskommelsen-integration",
        name="Överenskommelsen inom integrationsområdet",
        kind=AgreementKind.NATIONAL,
        owner="skr",
        network="overenskommelsen-integration",
        # "staten tecknade en överenskommelse inom integrationsområdet med det civila samhället
        # och Sveriges kommuner och landsting i april 2010"
        start=(datetime.date(2010, 4, 1), DatePrecision.MONTH),
        period_note="Tecknad i april 2010 (dag anges inte); något slutdatum anges inte.",
        responsible_note="Styrgruppen för uppföljningen av Överenskommelsen, med de tre "
        "parterna (arbetar sedan september 2011)",
        purpose="Förtydliga relationen mellan staten och de idéburna organisationerna i arbetet "
        "med nyanländas etablering och utveckla former och metoder så att de idéburna "
        "organisationerna kan medverka till att skapa bättre förutsättningar; däri ingår att "
        "inventera verksamheter, identifiera hinder och belysa hur organisationerna kan "
        "utvecklas.",
        principles=SIX_PRINCIPLES,
        parties=[
            ("regeringskansliet", "", AgreementRole.PARTY, "Regeringen", PARTS),
            ("skr", "", AgreementRole.PARTY, "Sveriges Kommuner och Landsting (SKL)", PARTS),
            (
                None,
                "Idéburna organisationer inom integrationsområdet",
                AgreementRole.PARTY,
                "",
                PARTS,
            ),
            (
                "sios",
                "",
                AgreementRole.COORDINATOR,
                "Projektledare för de sju regionala konferenserna, på uppdrag av styrgruppen",
                cite("003", "Inledning"),
            ),
        ],
        source=f"{S003_2012}, 'De sex principerna' och 'Parternas utgångspunkter och "
        "åtaganden'; Inledning (styrgruppen)",
    ),
    dict(
        slug="rok-skane",
        name="Överenskommelsen om samverkan mellan Region Skåne och den idéburna sektorn i Skåne",
        kind=AgreementKind.REGIONAL,
        owner="region-12",
        county="12",
        purpose="Regional överenskommelse (RÖK) mellan Region Skåne och den idéburna sektorn. "
        "Malmökonferensen den 19 november 2012 finansierades och genomfördes på uppdrag av den "
        "och den nationella överenskommelsen. Somali Information and Business Centre beskrivs "
        "som en del av överenskommelsen.",
        website="http://www.overenskommelsenskane.se",
        parties=[
            ("region-12", "", AgreementRole.PARTY, "", f"{S003_2012}, bilaga: Malmökonferensen"),
            (
                None,
                "Den idéburna sektorn i Skåne",
                AgreementRole.PARTY,
                "",
                f"{S003_2012}, bilaga: Malmökonferensen",
            ),
            (
                None,
                "Somali Information and Business Centre",
                AgreementRole.PARTICIPANT,
                "Ett samarbete med Region Skåne, finansierat av Europeiska socialfonden, "
                "”en del av den regionala överenskommelsen, RÖK”",
                f"{S003_2012}, Lokala exempel",
            ),
        ],
        source=f"{S003_2012}, bilaga: Malmökonferensen ('Konferensen finansieras samt genomförs "
        "på uppdrag av') och Lokala exempel",
    ),
    dict(
        slug="rok-norrbotten",
        name="Regional överenskommelse i Norrbottens län (RÖK)",
        kind=AgreementKind.REGIONAL,
        owner="lst-25",
        county="25",
        purpose="En etablerad regional överenskommelse som presenterades på konferensen i Boden "
        "den 6 december 2011. Endast ett litet antal organisationer deltog i framtagandet; ett "
        "nätverk arbetar med genomförandet i nära samarbete med länsstyrelsen. Rapporten anger "
        "inte överenskommelsens namn, parter eller period.",
        parties=[
            (
                "lst-25",
                "",
                AgreementRole.INITIATOR,
                "Tog fram överenskommelsen och arbetar med den",
                f"{S003_2011}, 'Dialog med medverkande' (Boden)",
            ),
            (
                "arbetsformedlingen",
                "",
                AgreementRole.INITIATOR,
                "Tog fram överenskommelsen och arbetar med den",
                f"{S003_2011}, 'Dialog med medverkande' (Boden)",
            ),
        ],
        source=f"{S003_2011}, 'Det lokala och regionala arbetet' och 'Dialog med medverkande' "
        "(Boden; namnet anges inte)",
    ),
    dict(
        slug="rok-vasternorrland",
        name="Regional överenskommelse i Västernorrlands län (RÖK)",
        kind=AgreementKind.REGIONAL,
        owner="lst-22",
        county="22",
        purpose="En etablerad regional överenskommelse som länsstyrelsen presenterade på "
        "konferensen i Sundsvall den 15 december 2011. Rapporten anger inte överenskommelsens "
        "namn, parter eller period.",
        parties=[
            (
                "lst-22",
                "",
                AgreementRole.IMPLEMENTER,
                "Föreläste om arbetet med den framtagna regionala överenskommelsen",
                f"{S003_2011}, 'Dialog med medverkande' (Sundsvall)",
            ),
        ],
        source=f"{S003_2011}, 'Det lokala och regionala arbetet' och 'Dialog med medverkande' "
        "(Sundsvall; namnet anges inte)",
    ),
    dict(
        slug="rok-jamtland-harjedalen",
        name="Regional överenskommelse om asylsökande och nyanlända, Jämtlands län",
        kind=AgreementKind.REGIONAL,
        owner="lst-23",
        county="23",
        responsible="lst-23",
        purpose="Gäller asylsökande och nyanlända inklusive ensamkommande barn. Överenskommelsen "
        "hör till en årlig handlingsplan som kopplar an till den regionala strategin för ökad "
        "inflyttning och förbättrad integration, med tydligare insatsområden och "
        "ansvarsfördelning mellan de samverkande parterna.",
        parties=[
            ("region-23", "", AgreementRole.PARTY, "", S002_JAMTLAND),
            ("arbetsformedlingen", "", AgreementRole.PARTY, "", S002_JAMTLAND),
            ("forsakringskassan", "", AgreementRole.PARTY, "", S002_JAMTLAND),
            ("lst-23", "", AgreementRole.PARTY, "Ansvarig", S002_JAMTLAND),
            ("migrationsverket", "", AgreementRole.PARTY, "", S002_JAMTLAND),
        ],
        source=S002_JAMTLAND,
    ),
    dict(
        slug="lok-goteborg",
        name="Lokal överenskommelse i Göteborg (LÖK)",
        kind=AgreementKind.LOCAL,
        owner="kommun-1480",
        county="14",
        municipality="1480",
        purpose="På konferensen i Göteborg den 1 december 2011 redogjorde en medarbetare vid "
        "Göteborgs föreningscenter, som arbetar med social ekonomi, för arbetet med en lokal "
        "överenskommelse. Rapporten anger inte parter eller period.",
        parties=[
            (
                None,
                "Göteborgs föreningscenter",
                AgreementRole.PARTICIPANT,
                "Redogjorde för arbetet med överenskommelsen",
                f"{S003_2011}, 'Dialog med medverkande' (Göteborg)",
            ),
        ],
        source=f"{S003_2011}, 'Dialog med medverkande' (Göteborg)",
    ),
    dict(
        slug="region-skane-samarbetsavtal-halsa",
        name="Region Skånes samarbetsavtal med idéburna organisationer om hälsa",
        kind=AgreementKind.OTHER,
        owner="region-12",
        county="12",
        period_note="Tre år (startår anges inte).",
        purpose="Hälso- och sjukvårdsnämnden i Region Skåne har tecknat samarbetsavtal med sju "
        "organisationer, däribland Stadsmissionen och Röda Korset, för en tidsperiod på tre år; "
        "de övriga fem namnges inte.",
        parties=[
            (
                "region-12",
                "",
                AgreementRole.PARTY,
                "Hälso- och sjukvårdsnämnden",
                f"{S003_2012}, Lokala exempel",
            ),
            ("svenska-roda-korset", "", AgreementRole.PARTY, "", f"{S003_2012}, Lokala exempel"),
            (None, "Stadsmissionen", AgreementRole.PARTY, "", f"{S003_2012}, Lokala exempel"),
        ],
        source=f"{S003_2012}, Lokala exempel",
    ),
]


@dataclass(frozen=True)
class DemoAgreementsResult:
    agreements: int
    parties: int
    principles: int


@transaction.atomic
def agreements_load_demo() -> DemoAgreementsResult:
    """Create the reports' agreements once; existing records are left as they are."""
    for code, name, kind, sector, source in DEMO_ORGANISATIONS:
        Organisation.objects.get_or_create(
            code=code,
            defaults=dict(
                name=name,
                kind=kind,
                sector=sector,
                source=source,
                visibility=Visibility.PUBLIC,
                verified=True,
                verified_at=timezone.now(),
            ),
        )
    orgs = {o.code: o for o in Organisation.objects.all()}
    made = {"agreements": 0, "parties": 0, "principles": 0}
    for spec in AGREEMENTS:
        start, start_precision = spec.get("start", (None, DatePrecision.DAY))
        agreement, created = Agreement.objects.get_or_create(
            slug=spec["slug"],
            defaults=dict(
                name=spec["name"],
                kind=spec["kind"],
                owner=orgs[spec["owner"]],
                visibility=Visibility.PUBLIC,
                county=County.objects.filter(code=spec.get("county", "")).first(),
                municipality=Municipality.objects.filter(code=spec.get("municipality", "")).first(),
                responsible=orgs.get(spec.get("responsible", "")),
                responsible_note=spec.get("responsible_note", ""),
                purpose=spec.get("purpose", ""),
                start_date=start,
                start_precision=start_precision,
                period_note=spec.get("period_note", ""),
                network=Network.objects.filter(slug=spec.get("network", "")).first(),
                website=spec.get("website", ""),
                source=spec["source"],
            ),
        )
        if not created:
            continue
        made["agreements"] += 1
        for position, principle in enumerate(spec.get("principles", []), start=1):
            AgreementPrinciple.objects.create(
                agreement=agreement, position=position, name=principle, source=PRINCIPLES_SOURCE
            )
            made["principles"] += 1
        for org_code, name, role, note, source in spec["parties"]:
            AgreementParty.objects.create(
                agreement=agreement,
                organisation=orgs[org_code] if org_code else None,
                name=name,
                role=role,
                note=note,
                source=source,
            )
            made["parties"] += 1
    return DemoAgreementsResult(**made)
