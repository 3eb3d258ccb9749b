"""Demo networks, members, roles, meetings and responsibilities named in the seed reports.

Every record cites the report and section it comes from. A date or count the report does not
give stays empty (shown as "okänt"); where it gives only a month or a year, that is said in the
text and source instead of a placeholder day. Running the loader twice changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from samverkan.actors.models import (
    Meeting,
    Network,
    NetworkMembership,
    NetworkRole,
    Organisation,
    OrganisationKind,
    ResponsibilityClaim,
    Sector,
    Theme,
)
from samverkan.core.citations import cite
from samverkan.core.models import Visibility
from samverkan.geo.models import County

S000 = cite("000")
S001 = cite("001", "avsnitt 2.4 Goda exempel")
S003 = cite("003")
S004 = cite("004")

DEMO_ORGANISATIONS = [
    # code, name, kind, sector, source
    (
        "sios",
        "SIOS – Samarbetsorgan för etniska organisationer i Sverige",
        OrganisationKind.CIVIL_SOCIETY,
        Sector.CIVIL_SOCIETY,
        f"{S003}, Hösten 2012, Inledning",
    ),
    (
        "lansbygderaden-blekinge-kalmar",
        "Länsbygderåden i Blekinge och Kalmar",
        OrganisationKind.CIVIL_SOCIETY,
        Sector.CIVIL_SOCIETY,
        f"{S003}, Ronnebykonferensen",
    ),
]

# slug, name, kind, scope, county code, convener code, owner code, themes, purpose, start,
# parent slug, source
NETWORKS: list[tuple[Any, ...]] = [
    (
        "stig",
        "STIG – Storstadslänens integrationsgrupp",
        "working_group",
        "national",
        None,
        # "en särskild samarbetsgrupp – STIG (STorstadslänens IntegrationsGrupp) bildades, där
        # också Integrationsverket inbjuds till vissa möten": the county boards' own group; the
        # report names no convener. Registered by Skåne's county board, whose report describes it.
        None,
        "lst-12",
        ["workforce-diversity"],
        "Kunskaps- och erfarenhetsutbyte mellan länsstyrelserna i storstadslänen om det regionala "
        "integrationsarbetet och rollfördelningen mot Integrationsverket, som inbjuds till vissa "
        "möten.",
        None,  # formed in 1999 after the spring consultation; no day is given
        None,
        f"{S000}, 'Särskilda samråd med storstadslänsstyrelserna' och avsnitt 2.5 STIG-gruppen "
        "(bildades 1999; startdatum okänt)",
    ),
    (
        "mangfald-ostergotland",
        "Nätverket Mångfald Östergötland",
        "network",
        "county",
        "05",
        "lst-05",
        "lst-05",
        ["workforce-diversity", "attitudes-discrimination"],
        "Utveckla arbetet med mångfald och integration i den offentliga sektorn i Östergötland: "
        "erfarenhetsutbyte, projektidéer, samarbetspartner och gemensam kompetensutveckling.",
        None,
        None,
        f"{S000}, Östergötland: 'Engagera offentlig sektor' och 'Regional samverkan'",
    ),
    (
        "integrationsradet-halland",
        "Integrationsrådet i Halland",
        "council",
        "county",
        "13",
        "lst-13",
        "lst-13",
        ["work-skills", "reception-settlement"],
        "Stärka regionens insatser inom integrationsområdet och samla regionens aktörer.",
        None,
        None,
        f"{S001}, Halland",
    ),
    (
        "arbetsmarknadsradet-stockholm",
        "Arbetsmarknadsrådet i Stockholms län",
        "council",
        "county",
        "01",
        "lst-01",
        "lst-01",
        ["work-skills", "children-youth"],
        "Samla aktörer kring arbetsmarknad och kompetensförsörjning, med fokus på unga och "
        "utrikes födda.",
        None,
        None,
        f"{S001}, Stockholms län",
    ),
    (
        "partnerskap-skane",
        "Partnerskap Skåne",
        "partnership",
        "county",
        "12",
        "lst-12",
        "lst-12",
        ["reception-settlement", "civil-society"],
        # "Partnerskapet består av fyrtio självständiga aktörer"
        "Plattform för samarbete kring etableringen av nyanlända för ett inkluderande mottagande; "
        "fyrtio självständiga aktörer, fem delprojekt.",
        datetime.date(2007, 1, 1),
        None,
        f"{S003}, Hösten 2012, 'Det lokala och regionala arbetet' (Malmö; startår 2007)",
    ),
    (
        "lanspartnerskap-vasternorrland",
        "Länspartnerskapet i Västernorrland",
        "partnership",
        "county",
        "22",
        None,
        "lst-22",
        ["work-skills"],
        "Vägledande råd för integration och tillväxt på den högsta strategiska nivån i länet.",
        None,
        None,
        f"{S001}, Västernorrland",
    ),
    (
        "integration-etablering-uppsala",
        "Integration och etablering Uppsala län",
        "partnership",
        "county",
        "03",
        "lst-03",
        "lst-03",
        ["reception-settlement", "work-skills"],
        "Regional samverkan kring introduktion av nyanlända flyktingar och invandrare i en "
        "tredelad modell.",
        None,
        None,
        f"{S004}, Region Uppsala",
    ),
    (
        "uppsala-strategisk-ledningsgrupp",
        "Strategisk ledningsgrupp, Uppsala län",
        "council",
        "county",
        "03",
        "lst-03",
        "lst-03",
        ["reception-settlement"],
        "Kommunalråd, landstingsråd och myndighetschefer; träffas en eller två gånger per år och "
        "leds av landshövdingen.",
        None,
        "integration-etablering-uppsala",
        f"{S004}, Region Uppsala (nivå 1)",
    ),
    (
        "uppsala-styrgrupp",
        "Styrgrupp, Integration och etablering Uppsala län",
        "working_group",
        "county",
        "03",
        "lst-03",
        "lst-03",
        ["reception-settlement", "education-language"],
        "Förvaltningschefer från kommunerna och chefer från Arbetsförmedlingen, Migrationsverket, "
        "Försäkringskassan, universiteten och landstinget; träffas fyra gånger per år och leds av "
        "länsrådet.",
        None,
        "integration-etablering-uppsala",
        f"{S004}, Region Uppsala (nivå 2)",
    ),
    (
        "uppsala-natverk-arbetsgrupper",
        "Nätverk och arbetsgrupper, Uppsala län",
        "network",
        "county",
        "03",
        None,
        "lst-03",
        ["reception-settlement"],
        "Nätverk och arbetsgrupper; regionen utreder vilken roll den ska ta i dessa.",
        None,
        "integration-etablering-uppsala",
        f"{S004}, Region Uppsala (nivå 3)",
    ),
    (
        "overenskommelsen-integration",
        "Överenskommelsen inom integrationsområdet",
        "agreement",
        "national",
        None,
        None,
        "skr",
        ["participation-democracy", "civil-society"],
        # "staten tecknade en överenskommelse inom integrationsområdet med det civila samhället
        # och Sveriges kommuner och landsting i april 2010" (no day given); the steering group
        # for its follow-up "började sitt arbete i september 2011".
        "Överenskommelse mellan regeringen, Sveriges Kommuner och Landsting och idéburna "
        "organisationer, tecknad i april 2010 (dag anges inte). Styrgruppen för uppföljningen "
        "började sitt arbete i september 2011 och genomförde sju regionala konferenser 2011–2013.",
        None,
        None,
        f"{S003}, Inledning (styrgruppen från september 2011) och Hösten 2012, 'Parternas "
        "utgångspunkter och åtaganden' (tecknad april 2010)",
    ),
]

# network slug, organisation code, role codes, source
MEMBERSHIPS: list[tuple[str, str, list[str], str]] = [
    ("stig", "lst-01", ["member"], f"{S000}, 'Särskilda samråd'"),
    ("stig", "lst-12", ["member"], f"{S000}, 'Särskilda samråd'"),
    ("stig", "lst-14", ["member"], f"{S000}, 'Särskilda samråd'"),
    (
        "stig",
        "integrationsverket",
        ["consultation-partner"],
        f"{S000}, 'Särskilda samråd' (inbjöd till samrådet våren 1999; inbjuds till vissa möten)",
    ),
    (
        "mangfald-ostergotland",
        "lst-05",
        ["convener", "coordinator"],
        f"{S000}, Östergötland (initiativtagare)",
    ),
    ("mangfald-ostergotland", "forsakringskassan", ["member"], f"{S000}, Östergötland"),
    ("mangfald-ostergotland", "integrationsverket", ["member"], f"{S000}, Östergötland"),
    (
        "integrationsradet-halland",
        "lst-13",
        ["convener"],
        f"{S001}, Halland (leds av landshövdingen)",
    ),
    (
        "integrationsradet-halland",
        "region-13",
        ["convener"],
        f"{S001}, Halland (leds av regionrådet)",
    ),
    (
        "arbetsmarknadsradet-stockholm",
        "lst-01",
        ["convener"],
        f"{S001}, Stockholms län (leds av landshövdingen)",
    ),
    (
        "partnerskap-skane",
        "lst-12",
        ["convener", "coordinator"],
        f"{S003}, Hösten 2012 (Länsstyrelsens uppdrag att underlätta samarbetet)",
    ),
    ("partnerskap-skane", "region-12", ["member"], f"{S003}, Hösten 2012, Malmökonferensen"),
    ("partnerskap-skane", "kommun-1280", ["member"], f"{S003}, Hösten 2012, Malmökonferensen"),
    ("lanspartnerskap-vasternorrland", "lst-22", ["member"], f"{S001}, Västernorrland"),
    ("lanspartnerskap-vasternorrland", "region-22", ["member"], f"{S001}, Västernorrland"),
    (
        "uppsala-strategisk-ledningsgrupp",
        "lst-03",
        ["convener"],
        f"{S004}, Region Uppsala (leds av landshövdingen)",
    ),
    ("uppsala-strategisk-ledningsgrupp", "region-03", ["member"], f"{S004}, Region Uppsala"),
    (
        "uppsala-styrgrupp",
        "lst-03",
        ["convener", "process-leader"],
        f"{S004}, Region Uppsala (leds av länsrådet)",
    ),
    ("uppsala-styrgrupp", "arbetsformedlingen", ["member"], f"{S004}, Region Uppsala"),
    ("uppsala-styrgrupp", "migrationsverket", ["member"], f"{S004}, Region Uppsala"),
    ("uppsala-styrgrupp", "forsakringskassan", ["member"], f"{S004}, Region Uppsala"),
    ("uppsala-styrgrupp", "region-03", ["member"], f"{S004}, Region Uppsala (landstinget)"),
    ("uppsala-natverk-arbetsgrupper", "region-03", ["member"], f"{S004}, Region Uppsala"),
    ("overenskommelsen-integration", "skr", ["member"], f"{S003}, Inledning (part)"),
    (
        "overenskommelsen-integration",
        "sios",
        ["coordinator"],
        f"{S003}, Hösten 2012 (samordnade konferenserna i Malmö och Köping)",
    ),
    # Röda Korset attended the 2011 conferences ("På minst tre av fyra konferenser har Röda
    # Korset … deltagit"); attending is not membership, so it is not listed as a member here.
    (
        "overenskommelsen-integration",
        "lansbygderaden-blekinge-kalmar",
        ["implementer"],
        f"{S003}, Ronnebykonferensen (arrangör)",
    ),
    (
        "overenskommelsen-integration",
        "lst-10",
        ["implementer"],
        f"{S003}, Ronnebykonferensen (arrangör)",
    ),
    (
        "overenskommelsen-integration",
        "lst-08",
        ["implementer"],
        f"{S003}, Ronnebykonferensen (arrangör)",
    ),
]

S003_2011 = f"{S003}, Hösten 2011"
S003_2012 = f"{S003}, Hösten 2012"
S003_2013 = f"{S003}, Ronnebykonferensen hösten 2013"
SIOS_ROLE = "SIOS samordnade på uppdrag av styrgruppen"
MALMO_KOPING = (
    "Drygt 200 deltagare tillsammans för Malmö och Köping; antalet per konferens anges inte."
)

# A meeting: network slug, date (None if not given), place, topic, arrangers, counts by sector
# (None if not given), total, whether the counts are approximate ("ca", "omkring"), a note on
# attendance, source. The dates are those of the invitations and programmes in the report's
# appendices; the weekday printed there matches each date.
MEETINGS: list[dict[str, Any]] = [
    dict(
        network="stig",
        # "I samband med mötet i november månad …" (1999): the month only, no day
        date=None,
        place="Göteborg",
        topic="Intern mångfald på länsstyrelserna; studiebesök hos Länsarbetsnämnden i Västra "
        "Götaland, Göteborgs Stad och Volvo Lastvagnar AB (november 1999; dag anges inte)",
        source=f"{S000}, avsnitt 2.5.3 Arbetsformer (november 1999; dag anges inte)",
    ),
    dict(
        network="overenskommelsen-integration",
        date=datetime.date(2011, 11, 25),  # "Fredag 25 november 08.30-15.30 … Stockholm"
        place="Stockholm",
        topic="Brister i integrationspolitiken och skolan; bemötande i sjukvård, skola och "
        "arbetsliv",
        # the invitation carries Afrosvenskarnas Riksförbund's name; registration to SIOS
        arrangers="Afrosvenskarnas Riksförbund och SIOS (enligt inbjudan och program)",
        public=30,
        civil=80,
        private=10,
        total=120,
        approximate=True,
        source=f"{S003_2011}, 'Deltagare' och bilaga: inbjudan och program (fredag 25 november)",
    ),
    dict(
        network="overenskommelsen-integration",
        date=datetime.date(2011, 12, 1),  # "Kl 9.00–16.00 den 1 december, 2011"
        place="Göteborg (Folkets hus i Hammarkullen)",
        topic="Livet i förorten, delaktighet och bostadssegregation",
        arrangers="Nätverket Plattform Göteborg (”bjuder in till”, enligt inbjudan)",
        public=30,
        civil=60,
        private=10,
        total=100,
        approximate=True,
        source=f"{S003_2011}, 'Deltagare' och bilaga: inbjudan (1 december 2011)",
    ),
    dict(
        network="overenskommelsen-integration",
        date=datetime.date(2011, 12, 6),  # "Tisdag den 6 december Klockan 9-17 … Boden"
        place="Boden",
        topic="Norrbottens behov av arbetskraft, minskad utflyttning och arbete mot fördomar "
        "och rasism",
        arrangers="Hela Sverige ska leva! Norrbotten (avsändare av inbjudan)",
        public=25,
        civil=40,
        private=5,
        total=70,
        approximate=True,
        source=f"{S003_2011}, 'Deltagare' och bilaga: inbjudan (tisdag den 6 december)",
    ),
    dict(
        network="overenskommelsen-integration",
        date=datetime.date(2011, 12, 15),  # "Torsdag 15 december 2011 klockan 09.00 - 16.00"
        place="Sundsvall",
        topic="Flyktingmottagning, ökad inflyttning och etableringsreformen i praktiken",
        arrangers="Röda Korset (kontaktpersoner och anmälan enligt inbjudan)",
        public=35,
        civil=35,
        private=5,
        total=75,
        approximate=True,
        source=f"{S003_2011}, 'Deltagare' och bilaga: program (torsdag 15 december 2011)",
    ),
    dict(
        network="overenskommelsen-integration",
        date=datetime.date(2012, 11, 19),  # "Konferens 19 November 2012 kl.12-19 … Malmö"
        place="Malmö (Kockum Fritid)",
        topic="Integration genom interaktion: integration och diskriminering",
        # "I Malmö av ABF, Folksam, Kommunförbundet Skåne, Länsstyrelsen Skåne, Malmö stad,
        # Region Skåne, Regional SIOS Syd och Social Ekonomi Skåne."
        arrangers="ABF, Folksam, Kommunförbundet Skåne, Länsstyrelsen Skåne, Malmö stad, Region "
        f"Skåne, Regional SIOS Syd och Social Ekonomi Skåne; {SIOS_ROLE}",
        # "I konferenserna har sammanlagt drygt 200 personer deltagit"
        note=MALMO_KOPING,
        source=f"{S003_2012}, Inledning, 'Deltagare' och bilaga: program (19 november 2012)",
    ),
    dict(
        network="overenskommelsen-integration",
        date=datetime.date(2012, 12, 10),  # "Måndagen den 10 december kl. 09.00-16.00 … Köping"
        place="Köping (Folkets hus)",
        topic="Organisationernas roll och villkor inom integrationsprocessen",
        # "I Köping av Bilda, Folkets Hus och Parker, Hela Sverige ska leva,
        # Hyresgästföreningen, SIOS Mellansverige och Svenska kyrkan."
        arrangers="Bilda, Folkets Hus och Parker, Hela Sverige ska leva, Hyresgästföreningen, "
        f"SIOS Mellansverige och Svenska kyrkan; {SIOS_ROLE}",
        note=MALMO_KOPING,
        source=f"{S003_2012}, Inledning, 'Deltagare' och bilaga: program (måndagen den 10 "
        "december)",
    ),
    dict(
        network="overenskommelsen-integration",
        date=datetime.date(2013, 10, 21),  # "Datum: Måndag den 21 oktober, 2013"
        place="Ronneby (Ronneby Brunn)",
        topic="Hur går vi vidare och utvecklar samarbetet?",
        # "Konferensen är ett samarrangemang mellan Länsbygderåden och Länsstyrelserna i
        # Blekinge och Kalmar län samt SIOS."
        arrangers="Länsbygderåden och Länsstyrelserna i Blekinge och Kalmar län samt SIOS "
        "(samarrangemang)",
        total=180,  # "med omkring 180 deltagare"
        approximate=True,
        note="Flest deltagare var tjänstemän från kommunerna i Kalmar och Blekinge län; "
        "antalet per sektor anges inte.",
        source=f"{S003_2013}, 'Deltagare' och bilaga: program (måndag den 21 oktober 2013)",
    ),
]

# county code, organisation code, theme code, responsibility, source
CLAIMS: list[tuple[str, str, str, str, str]] = [
    (
        "12",
        "lst-12",
        "reception-settlement",
        "coordinates",
        f"{S003}, Hösten 2012 (Länsstyrelsens uppdrag; Partnerskap Skåne)",
    ),
    (
        "12",
        "region-12",
        "work-skills",
        "leads",
        f"{S001}, Skåne (handlingsplanen Integration för tillväxt)",
    ),
    (
        "12",
        "region-12",
        "health",
        "finances",
        f"{S003}, Hösten 2012, Lokala exempel (samarbetsavtal med sju organisationer)",
    ),
    ("12", "svenska-roda-korset", "health", "delivers", f"{S003}, Hösten 2012, Lokala exempel"),
    (
        "12",
        "kommun-1280",
        "reception-settlement",
        "delivers",
        f"{S003}, Hösten 2012, Malmökonferensen",
    ),
]


@dataclass(frozen=True)
class DemoNetworksResult:
    networks: int
    memberships: int
    meetings: int
    claims: int


@transaction.atomic
def networks_load_demo() -> DemoNetworksResult:
    """Create the seed reports' networks once; existing records are left as they are."""
    for code, name, kind, sector, source in DEMO_ORGANISATIONS:
        Organisation.objects.get_or_create(
            code=code,
            defaults=dict(
                name=name,
                kind=kind,
                sector=sector,
                source=source,
                visibility=Visibility.PUBLIC,
                verified=True,  # the demo's organisations stand for real, known actors
                verified_at=timezone.now(),
            ),
        )
    orgs = {o.code: o for o in Organisation.objects.all()}
    counties = {c.code: c for c in County.objects.all()}
    themes = {t.code: t for t in Theme.objects.all()}
    roles = {r.code: r for r in NetworkRole.objects.all()}
    made = {"networks": 0, "memberships": 0, "meetings": 0, "claims": 0}
    networks: dict[str, Network] = {}
    for (
        slug,
        name,
        kind,
        scope,
        county,
        convener,
        owner,
        theme_codes,
        purpose,
        start,
        parent,
        source,
    ) in NETWORKS:
        network, created = Network.objects.get_or_create(
            slug=slug,
            defaults=dict(
                name=name,
                kind=kind,
                scope=scope,
                county=counties.get(county or ""),
                convener=orgs.get(convener or ""),
                owner=orgs[owner],
                purpose=purpose,
                start_date=start,
                parent=networks.get(parent or ""),
                source=source,
                visibility=Visibility.PUBLIC,
            ),
        )
        if created:
            network.themes.set(themes[c] for c in theme_codes)
            made["networks"] += 1
        networks[slug] = network
    for slug, org_code, role_codes, source in MEMBERSHIPS:
        network = networks[slug]
        membership, created = NetworkMembership.objects.get_or_create(
            network=network,
            organisation=orgs[org_code],
            defaults=dict(owner=network.owner, source=source, visibility=Visibility.PUBLIC),
        )
        if created:
            membership.roles.set(roles[c] for c in role_codes)
            made["memberships"] += 1
    for spec in MEETINGS:
        _, created = Meeting.objects.get_or_create(
            network=networks[spec["network"]],
            date=spec["date"],
            place=spec["place"],
            defaults=dict(
                topic=spec["topic"],
                arrangers=spec.get("arrangers", ""),
                attendance_public=spec.get("public"),
                attendance_civil_society=spec.get("civil"),
                attendance_private=spec.get("private"),
                attendance_total=spec.get("total"),
                attendance_approximate=spec.get("approximate", False),
                attendance_note=spec.get("note", ""),
                source=spec["source"],
            ),
        )
        made["meetings"] += created
    for county, org_code, theme, responsibility, source in CLAIMS:
        organisation = orgs[org_code]
        _, created = ResponsibilityClaim.objects.get_or_create(
            organisation=organisation,
            theme=themes[theme],
            county=counties[county],
            responsibility=responsibility,
            defaults=dict(owner=organisation, source=source, visibility=Visibility.PUBLIC),
        )
        made["claims"] += created
    return DemoNetworksResult(**made)
