"""Demo: the county board of Skåne's project support in 1999, from seed 000.

The report (Rapport till kulturdepartementet, Skåne län, section 6 "Ekonomiskt stöd till
integrationsfrämjande projekt") says: 700 000 SEK was available for the work and project
support; eight applications came in and six were granted, one of them as a procurement of
training; to be granted a project had to promote employment or generate long-term attitude
change, be long-term and have some regional anchoring; the granted projects were Skriftserien
om islam, Antirasistiska Filmdagar i Malmö, Afrikanska Filmdagar i Kristianstad, Urban Malmö,
Africa Forum's national conference on immigrant and minority media, and the procured training
"Kulturmöten och yrkesroller" (Interkulturell utbildning i Skanör).

The report does not give the amounts (they are in its appendix 2, which the seed does not
contain), the deadline or the two rejected applicants: those values are illustrative and say so
in their source. A project the projects demo already holds (Skriftserien om islam) is linked,
not duplicated.

Idempotent: nothing is done if the call already exists.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from samverkan.accounts.models import User
from samverkan.actors.models import Organisation, OrganisationKind, Sector, TargetGroup, Theme
from samverkan.core import tenancy
from samverkan.core.citations import cite
from samverkan.core.models import Visibility
from samverkan.funding.models import Call, CallStatus, Outcome
from samverkan.funding.services import applications, assessment, attachments, calls, decisions
from samverkan.geo.models import County
from samverkan.projects.models import ParticipantRole, Project, ProjectStatus
from samverkan.projects.services import project_update

SEED = cite("000")
SECTION = (
    f"{SEED}, Rapport till kulturdepartementet (Skåne län), "
    "6. Ekonomiskt stöd till integrationsfrämjande projekt"
)
ILLUSTRATIVE = "belopp och datum illustrativa: rapportens bilaga 2 finns inte med"
CALL_TITLE = "Ekonomiskt stöd till integrationsfrämjande projekt 1999"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
ASSESSOR = "demo@samverkan.localhost"

CRITERIA = [
    calls.CriterionSpec(
        "Främjar sysselsättning eller långsiktig attitydförändring",
        weight=2,
        guidance="Projektet ska vara sysselsättningsfrämjande eller generera långsiktiga "
        "attitydförändrande processer.",
    ),
    calls.CriterionSpec(
        "Långsiktighet", weight=1, guidance="Projektet ska inneha en långsiktighet."
    ),
    calls.CriterionSpec(
        "Regional förankring",
        weight=1,
        guidance="Projektet ska ha någon form av regional förankring i Skåne län.",
    ),
]

# Applicant organisations the report implies but does not name (created if missing).
ORGANISATIONS = [
    (
        "antirasistiska-filmdagar-malmo",
        "Antirasistiska Filmdagar i Malmö",
        OrganisationKind.CIVIL_SOCIETY,
    ),
    (
        "afrikanska-filmdagar-kristianstad",
        "Afrikanska Filmdagar i Kristianstad",
        OrganisationKind.CIVIL_SOCIETY,
    ),
    ("urban-malmo", "Urban Malmö", OrganisationKind.CIVIL_SOCIETY),
    ("africa-forum", "Africa Forum", OrganisationKind.CIVIL_SOCIETY),
    (
        "interkulturell-utbildning-skanor",
        "Interkulturell utbildning i Skanör",
        OrganisationKind.BUSINESS,
    ),
    ("sokande-a-1999", "Sökande A (ej namngiven i rapporten)", OrganisationKind.CIVIL_SOCIETY),
    ("sokande-b-1999", "Sökande B (ej namngiven i rapporten)", OrganisationKind.CIVIL_SOCIETY),
]

# (applicant, title, municipality, themes, groups, requested, outcome, scores per criterion, note)
APPLICATIONS: list[dict[str, Any]] = [
    dict(
        owner="islamic-center-malmo",
        title="Skriftserien om islam",
        municipality="1280",
        themes=["attitudes-discrimination"],
        groups=["general-public", "employers"],
        requested=150_000,
        outcome=Outcome.GRANTED,
        scores=(5, 5, 4),
        summary="En serie informationsbroschyrer om islam, i samverkan med Islamic Center, "
        "Integrationsverket och Länsstyrelsen i Stockholms län, för att motverka fördomar.",
        partners=[
            ("integrationsverket", ParticipantRole.PARTNER),
            ("lst-01", ParticipantRole.PARTNER),
        ],
        cite=f"{SEED}, Rapport till kulturdepartementet (Skåne län), 2.6 Islamic Center i Malmö "
        "och 5. Initierade projekt",
    ),
    dict(
        owner="antirasistiska-filmdagar-malmo",
        title="Antirasistiska Filmdagar i Malmö",
        municipality="1280",
        themes=["attitudes-discrimination"],
        groups=["general-public", "young-people"],
        requested=120_000,
        outcome=Outcome.GRANTED,
        scores=(4, 3, 4),
        summary="Filmdagar mot främlingsfientlighet och rasism; länsstyrelsen gav ekonomiskt "
        "stöd och distribuerade programmet till länets kommuner.",
        cite=f"{SEED}, Rapport till kulturdepartementet (Skåne län), 3. Länsstyrelsens roll "
        "och 6. Ekonomiskt stöd",
    ),
    dict(
        owner="afrikanska-filmdagar-kristianstad",
        title="Afrikanska Filmdagar i Kristianstad",
        municipality="1290",
        themes=["attitudes-discrimination", "civil-society"],
        groups=["general-public"],
        requested=80_000,
        outcome=Outcome.GRANTED,
        scores=(4, 3, 4),
        summary="Filmdagar med afrikansk film i Kristianstad; länsstyrelsen distribuerade "
        "program och trycksaker till länets övriga kommuner.",
        cite=SECTION,
    ),
    dict(
        owner="urban-malmo",
        title="Urban Malmö",
        municipality="1280",
        themes=["attitudes-discrimination"],
        groups=["young-people"],
        requested=90_000,
        # "Totalt har åtta ansökningar om projektstöd inkommit varav sex har fått bifall";
        # Urban Malmö is named among the projects granted support. The report says nothing of
        # a partial grant, so it is granted (the amounts stay illustrative).
        outcome=Outcome.GRANTED,
        scores=(3, 3, 3),
        summary="Projekt i Malmö som länsstyrelsen fann uppfylla kriterierna om "
        "attitydförändring, långsiktighet och regional förankring.",
        cite=SECTION,
    ),
    dict(
        owner="africa-forum",
        title="Africa Forums rikskonferens om invandrar- och minoritetsmedia",
        municipality="1280",
        themes=["participation-democracy"],
        groups=["general-public"],
        requested=60_000,
        outcome=Outcome.GRANTED,
        scores=(3, 2, 3),
        summary="Rikskonferens om invandrar- och minoritetsmedia; länsstyrelsen distribuerade "
        "program och trycksaker till länets kommuner.",
        cite=SECTION,
    ),
    dict(
        owner="interkulturell-utbildning-skanor",
        title="Kulturmöten och yrkesroller (provutbildning)",
        municipality="1233",
        themes=["workforce-diversity"],
        groups=["public-sector-staff"],
        requested=50_000,
        outcome=Outcome.GRANTED,
        scores=(4, 2, 3),
        summary="Provutbildning som länsstyrelsen upphandlade av företaget Interkulturell "
        "utbildning i Skanör (ett av de sex bifallen skedde i form av upphandling).",
        cite=SECTION,
    ),
    dict(
        owner="sokande-a-1999",
        title="Avslagen ansökan A (ej namngiven i rapporten)",
        municipality="1280",
        themes=["civil-society"],
        groups=["general-public"],
        requested=200_000,
        outcome=Outcome.REJECTED,
        scores=(1, 1, 2),
        summary="En av de två ansökningar som fick avslag (skriftligt eller muntligt).",
        cite=f"{SECTION} ({ILLUSTRATIVE})",
    ),
    dict(
        owner="sokande-b-1999",
        title="Avslagen ansökan B (ej namngiven i rapporten)",
        municipality="1280",
        themes=["civil-society"],
        groups=["general-public"],
        requested=150_000,
        outcome=Outcome.REJECTED,
        scores=(2, 1, 1),
        summary="En av de två ansökningar som fick avslag (skriftligt eller muntligt).",
        cite=f"{SECTION} ({ILLUSTRATIVE})",
    ),
]

REJECTION = (
    "Projektet bedöms inte vara sysselsättningsfrämjande eller generera långsiktiga "
    "attitydförändrande processer, och saknar långsiktighet och regional förankring."
)
# A minimal valid PDF, attached to one application so the attachment pages have something.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
    b"/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _at(month: int, day: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(1999, month, day, hour, 0, tzinfo=STOCKHOLM)


def _organisations(skane: County) -> None:
    lst = Organisation.objects.filter(code="lst-12").first()
    for code, name, kind in ORGANISATIONS:
        Organisation.objects.get_or_create(
            code=code,
            defaults=dict(
                name=name,
                kind=kind,
                sector=Sector.PRIVATE
                if kind == OrganisationKind.BUSINESS
                else Sector.CIVIL_SOCIETY,
                visibility=Visibility.PUBLIC,
                county=skane,
                source=f"{SECTION} (sökande; organisationsformen anges inte)",
                steward=lst,
                verified=True,  # the demo's organisations stand for real, known actors
                verified_at=timezone.now(),
            ),
        )


@transaction.atomic
def funding_demo_load() -> int:
    """Create the Skåne 1999 call with its eight applications; return how many were created."""
    funder = Organisation.objects.filter(code="lst-12").first()
    skane = County.objects.filter(code="12").first()
    if funder is None or skane is None:
        return 0
    if Call.objects.filter(owner=funder, title=CALL_TITLE).exists():
        return 0
    _organisations(skane)
    system = tenancy.SYSTEM
    call = calls.call_create(
        user=system,
        owner=funder,
        title=CALL_TITLE,
        # "Länsstyrelsen under 1999 förfogat över 700 000 SEK avsedda att användas för
        # bedrivandet av verksamheten. Budgeten har också varit avsedd att täcka ekonomiskt stöd
        # åt av Länsstyrelsen initierade projekt …"
        purpose="Länsstyrelsen förfogade under 1999 över 700 000 SEK för bedrivandet av "
        "verksamheten; budgeten skulle också täcka ekonomiskt stöd åt projekt som "
        "Länsstyrelsen initierat eller bedömt vara integrationsfrämjande. Ingen officiell "
        "kungörelse; Integrationsverket hänvisade sökande till Länsstyrelsen. Åtta ansökningar "
        "kom in, sex fick bifall (en i form av upphandling av utbildning).",
        budget=700_000,
        period_start=datetime.date(1999, 1, 1),
        period_end=datetime.date(1999, 12, 31),
        deadline=_at(11, 30, 23),
        source=f"{SECTION} (700 000 SEK för bedrivandet av verksamheten enligt rapporten; sista "
        "ansökningsdag illustrativ)",
        criteria=CRITERIA,
        eligible_counties=[skane],
    )
    Call.objects.filter(pk=call.pk).update(illustrative=True)  # the deadline is invented
    calls.call_publish(call=call, user=system)
    assessor = User.objects.filter(email=ASSESSOR).first()
    criteria = list(call.criteria.all())
    created = 0
    for number, spec in enumerate(APPLICATIONS, start=1):
        owner = Organisation.objects.get(code=spec["owner"])
        requested = spec["requested"]
        application = applications.application_create(
            user=system,
            call=call,
            owner=owner,
            title=spec["title"],
            summary=spec["summary"],
            description=spec["summary"],
            county=skane,
            start_date=datetime.date(1999, 3, 1),
            end_date=datetime.date(1999, 12, 31),
            total_budget=requested * 2,
            requested_amount=requested,
            expected_results="Långsiktig attitydförändring och kunskapsspridning i Skåne län.",
            partners=[
                (org, role)
                for code, role in spec.get("partners", [])
                if (org := Organisation.objects.filter(code=code).first())
            ],
            budget_lines=[
                ("Genomförande", requested * 2 - 20_000),
                ("Information och trycksaker", 20_000),
            ],
            co_financing=[("Egen insats och övriga finansiärer", requested)],
            indicators=[
                applications.IndicatorSpec("Deltagare", Decimal(200 + 50 * number), "personer")
            ],
            themes=list(Theme.objects.filter(code__in=spec["themes"])),
            target_groups=list(TargetGroup.objects.filter(code__in=spec["groups"])),
            source=f"{spec['cite']} ({ILLUSTRATIVE})",
        )
        # amounts, dates and budget lines are invented (appendix 2 is not in the report's text)
        application.illustrative = True
        application.save(update_fields=["illustrative"])
        existing = Project.objects.filter(title=spec["title"]).order_by("pk").first()
        if existing is not None:
            application.project = existing
            application.save(update_fields=["project"])
        if number == 1:
            attachments.attachment_add(
                application=application,
                user=system,
                filename="projektbeskrivning.pdf",
                data=DEMO_PDF,
            )
        applications.application_submit(application=application, user=system, now=_at(10, number))
        if assessor is not None:
            assessment.conflict_declare(application=application, user=assessor, has_conflict=False)
            assessment.scores_set(
                application=application,
                user=assessor,
                scores={c.pk: (s, "") for c, s in zip(criteria, spec["scores"], strict=True)},
            )
        outcome = spec["outcome"]
        decisions.decision_make(
            application=application,
            user=system,
            outcome=outcome,
            amount=0 if outcome == Outcome.REJECTED else spec.get("granted", requested),
            conditions="Länsstyrelsens stöd ska framgå av program och trycksaker."
            if outcome != Outcome.REJECTED
            else "",
            reasons=REJECTION if outcome == Outcome.REJECTED else "Uppfyller kriterierna.",
            decided_at=_at(12, 10),
        )
        project = application.project
        if outcome != Outcome.REJECTED and project and project.status == ProjectStatus.PLANNED:
            # the 1999 projects have long been carried out
            project_update(
                project=project,
                user=system,
                status=ProjectStatus.FINISHED,
                visibility=Visibility.PUBLIC,
            )
        created += 1
    call.status = CallStatus.CLOSED
    call.save(update_fields=["status"])
    return created
