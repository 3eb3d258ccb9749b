"""Demo projects: the projects and examples the seed reports name, each citing file and section.

Idempotent: a project is created once per (owner, title); running setup again changes nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from samverkan.actors.models import Organisation, OrganisationKind, Sector, TargetGroup, Theme
from samverkan.core import tenancy
from samverkan.core.citations import cite
from samverkan.core.models import Visibility
from samverkan.geo.models import County, Municipality
from samverkan.projects.models import DatePrecision, ParticipantRole, Project, ProjectStatus
from samverkan.projects.parsing import FundingLine
from samverkan.projects.services import project_create, project_review_good_example

S000 = cite("000")
S001 = cite("001")
F, A, IMP, P = (
    ParticipantRole.FUNDING,
    ParticipantRole.ACCOUNTABLE,
    ParticipantRole.IMPLEMENTING,
    ParticipantRole.PARTNER,
)

# Organisations the reports name that are not reference organisations (created if missing).
EXTRA_ORGANISATIONS = [
    (
        "fryshuset",
        "Fryshuset",
        OrganisationKind.CIVIL_SOCIETY,
        "01",
        f"{S000}, Bilagor: Länsstyrelsens integrationsarbete 1999 (Stockholms län), Ungdomsarbete",
    ),
    (
        "islamic-center-malmo",
        "Islamic Center i Malmö",
        OrganisationKind.CIVIL_SOCIETY,
        "12",
        f"{S000}, Rapport till kulturdepartementet (Skåne län), 2.6 Islamic Center i Malmö",
    ),
    (
        "dalawux",
        "DalaWux",
        OrganisationKind.CIVIL_SOCIETY,
        "20",
        f"{S001}, 2.4 Goda exempel att lära av, Dalarna",
    ),
]

PROJECTS: list[dict[str, Any]] = [
    dict(
        owner="lst-01",
        title="Lugna Gatan junior",
        county="01",
        # The report describes continuing work ("Under 1999 har Lugna gatan etablerat
        # verksamhet i …", "Juniorverksamheten … utvidgats till att omfatta fler kommuner") and
        # gives neither a start nor an end: both stay empty ("okänt").
        status=ProjectStatus.ONGOING,
        themes=["children-youth", "attitudes-discrimination"],
        groups=["young-people"],
        partners=[("fryshuset", IMP), ("lst-01", A)],
        summary="Lugna Gatan-värdar fångar upp ungdomar 15–19 år i riskzon eller kriminalitet "
        "och motverkar social utslagning och utanförskap.",
        description="Värdarna kartlägger ungdomssituationen i området och arbetar med 10–20 "
        "juniorer per grupp. Närpolisen bistår med utbildning och stöd. Omkring 70 "
        "anställda värdar och 250 frivilliga; omsättning cirka 20 Mkr. Verksamheten pågick och "
        "utvidgades under 1999; start- och slutdatum anges inte i rapporten.",
        evaluation="Lugna Gatan kommer att utvärderas av BRÅ.",
        source=f"{S000}, Bilagor: Länsstyrelsens integrationsarbete 1999 (Stockholms län), "
        "Ungdomsarbete – genomförda insatser och syfte, punkt 1",
    ),
    dict(
        owner="lst-05",
        title="Mentor-adept",
        county="05",
        municipalities=["0580", "0581"],
        status=ProjectStatus.FINISHED,
        themes=["education-language", "work-skills"],
        groups=["foreign-born-women", "young-people"],
        start=(1999, 9, 1),
        end=(2001, 8, 31),
        partners=[("kommun-0580", P), ("kommun-0581", P), ("integrationsverket", P)],
        summary="Integrerade invandrarkvinnor blir mentorer och förebilder för invandrarflickor "
        "i gymnasieåldern vid övergången från studier till arbete.",
        source=f"{S000}, Bilagor: Länsstyrelsens integrationsverksamhet 1999 (Östergötlands län), "
        "Arbetsmarknadsfrågor/näringsliv",
    ),
    dict(
        owner="lst-05",
        title="Mångfald hemma",
        county="05",
        # "Projekt pågår under tiden 1 september 1999-30 juni 2000."
        status=ProjectStatus.FINISHED,
        themes=["workforce-diversity"],
        groups=["public-sector-staff"],
        start=(1999, 9, 1),
        end=(2000, 6, 30),
        summary="Internt mångfaldsarbete: länsstyrelsen ser över sina egna rutiner för att vara "
        "trovärdig i det externa integrationsarbetet.",
        source=f"{S000}, Bilagor: Länsstyrelsens integrationsverksamhet 1999 (Östergötlands län), "
        "Utveckling av det interna arbetet",
    ),
    dict(
        owner="lst-05",
        title="Lambohov – en stadsdel för alla",
        county="05",
        municipalities=["0580"],
        # "Projektet startades i november 1999 och kommer att pågå 6-9 månader." The month is
        # given, not the day: stored with month precision (shown "november 1999"). The planned
        # 6–9 months from November 1999 end between May and August 2000, so the end is given
        # only as the year 2000 (shown "2000"); the seed does not say it was carried out as
        # planned, so the status stays as the report gives it (under way).
        status=ProjectStatus.ONGOING,
        themes=["planning-infrastructure", "housing"],
        groups=["general-public"],
        start=(1999, 11, 1),
        start_precision="month",
        end=(2000, 12, 31),
        end_precision="year",
        partners=[("integrationsverket", P), ("kommun-0580", P)],
        summary="Djupstudie i stadsdelen Lambohov i Linköping om sambanden mellan "
        "bebyggelsemiljö, integrationsprocesser och sociala förhållanden.",
        description="Startade i november 1999 och planerades pågå 6–9 månader (till någon gång "
        "mellan maj och augusti 2000); dag anges inte.",
        source=f"{S000}, Bilagor: Länsstyrelsens integrationsverksamhet 1999 (Östergötlands län), "
        "Integrationshänsyn i samhällsplanering",
    ),
    dict(
        owner="lst-12",
        title="Skriftserien om islam",
        county="12",
        # "Länsstyrelsen i Skåne län har under verksamhetsåret bistått förprojekteringsfasen med
        # ekonomiskt stöd … Det första steget i projektet är en serie informationsbroschyrer om
        # islam som skall produceras … Därefter vidtar den mer långsiktiga processen": a funded
        # pre-study in 1999 (year only) and work still to come; no end is given.
        status=ProjectStatus.ONGOING,
        themes=["attitudes-discrimination"],
        groups=["general-public"],
        start=(1999, 1, 1),
        start_precision="year",
        partners=[("islamic-center-malmo", P), ("integrationsverket", P), ("lst-01", P)],
        summary="En skriftserie om islam för att motverka fördomar och öka kunskapen om "
        "muslimska invånares livsvillkor.",
        description="Förprojekteringen fick ekonomiskt stöd av Länsstyrelsen i Skåne län under "
        "1999; broschyrerna var under utarbetande och det långsiktiga arbetet med "
        "kunskapsspridning och attitydförändring återstod. Slutdatum anges inte.",
        source=f"{S000}, Rapport till kulturdepartementet (Skåne län), 5. Initierade projekt",
    ),
    dict(
        owner="region-14",
        title="Korta vägen",
        county="14",
        status=ProjectStatus.ONGOING,
        themes=["work-skills", "education-language"],
        groups=["academics", "newly-arrived"],
        summary="En modell som underlättar för utländska akademiker att snabbt få arbete.",
        good=True,
        source=f"{S001}, 2.4 Goda exempel att lära av, Västra Götalandsregionen",
    ),
    dict(
        owner="region-14",
        title="Grön integration",
        county="14",
        status=ProjectStatus.ONGOING,
        themes=["work-skills"],
        groups=["academics", "foreign-born"],
        summary="En modell som underlättar för utrikes födda agronomer att få arbete.",
        good=True,
        source=f"{S001}, 2.4 Goda exempel att lära av, Västra Götalandsregionen",
    ),
    dict(
        owner="region-14",
        title="Validering Väst",
        county="14",
        status=ProjectStatus.ONGOING,
        themes=["work-skills"],
        groups=["newly-arrived", "foreign-born"],
        summary="Ledande modell för validering av yrkeskompetens som har inspirerat arbetet med "
        "validering i Dalarna och Skåne.",
        good=True,
        source=f"{S001}, 2.4 Goda exempel att lära av, Västra Götalandsregionen",
    ),
    dict(
        owner="region-14",
        title="Business Centers",
        county="14",
        status=ProjectStatus.ONGOING,
        themes=["entrepreneurship"],
        groups=["entrepreneurs", "foreign-born"],
        fundings=[("ERUF", None)],
        good=True,
        summary="Satsningar på entreprenörer i stadsdelar med många utrikes födda boende, inom "
        "det ERUF-finansierade UNO-projektet.",
        source=f"{S001}, 2.4 Goda exempel att lära av, Västra Götalandsregionen",
    ),
    dict(
        owner="region-20",
        title="Dala Valideringscentrum",
        county="20",
        status=ProjectStatus.ONGOING,
        themes=["work-skills"],
        groups=["newly-arrived"],
        partners=[("tillvaxtverket", F), ("dalawux", F)],
        fundings=[("Tillväxtverket", None), ("Region Dalarna", None), ("DalaWux", None)],
        summary="Valideringscentrum som förväntas leda till ett effektivare integrationsarbete.",
        good=True,
        source=f"{S001}, 2.4 Goda exempel att lära av, Dalarna",
    ),
    dict(
        # Listed under "Stockholms län" in the compilation of the regions' accounts; in
        # Stockholm that account is the county board's ("Länsstyrelsen anger i sin
        # redovisning …", section 2.1.5), so the county board is the owner.
        owner="lst-01",
        title="SFX – svenska för yrkesutbildade",
        county="01",
        status=ProjectStatus.ONGOING,
        themes=["education-language", "work-skills"],
        groups=["newly-arrived", "academics"],
        good=True,
        summary="Tar vara på nyanländas yrkeskompetens så att kvinnor och män snabbt kan börja "
        "arbeta inom sina yrkesområden; SFINX riktade sig till ingenjörer.",
        source=f"{S001}, 2.4 Goda exempel att lära av, Stockholms län",
    ),
    dict(
        owner="region-17",
        title="Samhällskommunikatörer",
        county="17",
        status=ProjectStatus.ONGOING,
        themes=["reception-settlement", "participation-democracy"],
        groups=["newly-arrived"],
        good=True,
        summary="En regional samverkansmodell där nyanlända får samhällsinformation på olika "
        "språk; flera folkhögskolor i regionen är involverade.",
        source=f"{S001}, 2.4 Goda exempel att lära av, Värmland",
    ),
]


def _organisation(code: str) -> Organisation | None:
    return Organisation.objects.filter(code=code).first()


@transaction.atomic
def demo_projects_load() -> int:
    """Create the demo projects that do not exist yet; return how many were created."""
    for code, name, kind, county, source in EXTRA_ORGANISATIONS:
        Organisation.objects.get_or_create(
            code=code,
            defaults=dict(
                name=name,
                kind=kind,
                sector=Sector.CIVIL_SOCIETY,
                visibility=Visibility.PUBLIC,
                county=County.objects.filter(code=county).first(),
                source=source,
                steward=_organisation(f"lst-{county}"),
                verified=True,  # the demo's organisations stand for real, known actors
                verified_at=timezone.now(),
            ),
        )
    created = 0
    for spec in PROJECTS:
        owner = _organisation(spec["owner"])
        if owner is None or Project.objects.filter(owner=owner, title=spec["title"]).exists():
            continue
        participants = [
            (org, role)
            for code, role in spec.get("partners", [])
            if (org := _organisation(code)) is not None
        ]
        project = project_create(
            user=tenancy.SYSTEM,
            owner=owner,
            title=spec["title"],
            summary=spec["summary"],
            description=spec.get("description", ""),
            evaluation=spec.get("evaluation", ""),
            county=County.objects.get(code=spec["county"]),
            status=spec["status"],
            start_date=datetime.date(*spec["start"]) if "start" in spec else None,
            end_date=datetime.date(*spec["end"]) if "end" in spec else None,
            start_precision=spec.get("start_precision", DatePrecision.DAY),
            end_precision=spec.get("end_precision", DatePrecision.DAY),
            municipalities=list(
                Municipality.objects.filter(code__in=spec.get("municipalities", []))
            ),
            themes=list(Theme.objects.filter(code__in=spec["themes"])),
            target_groups=list(TargetGroup.objects.filter(code__in=spec["groups"])),
            participants=[(owner, ParticipantRole.IMPLEMENTING), *participants],
            fundings=[FundingLine(f, a) for f, a in spec.get("fundings", [])],
            visibility=Visibility.PUBLIC,
            source=spec["source"],
        )
        if spec.get("good"):
            project_review_good_example(project=project, user=tenancy.SYSTEM, good_example=True)
        created += 1
    return created
