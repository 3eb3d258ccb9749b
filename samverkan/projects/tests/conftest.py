"""Small project fixtures: a handful of projects, written through the service (so indexed)."""

import datetime

import pytest

from samverkan.actors.models import TargetGroup, Theme
from samverkan.core import tenancy
from samverkan.core.models import Visibility
from samverkan.geo.models import Municipality
from samverkan.projects.parsing import FundingLine
from samverkan.projects.services import project_create
from tests.factories import OrganisationFactory


def make_project(
    owner,
    title,
    *,
    summary="",
    description="",
    themes=(),
    groups=(),
    municipalities=(),
    visibility=Visibility.INTERNAL,
    **fields,
):
    return project_create(
        user=tenancy.SYSTEM,
        owner=owner,
        title=title,
        summary=summary,
        description=description,
        themes=list(Theme.objects.filter(code__in=themes)),
        target_groups=list(TargetGroup.objects.filter(code__in=groups)),
        municipalities=list(Municipality.objects.filter(code__in=municipalities)),
        visibility=visibility,
        **fields,
    )


@pytest.fixture
def make():
    return make_project


@pytest.fixture
def corpus(organisation, other_organisation, skane):
    """Five projects: three in Skåne, one private project of another organisation."""
    linkoping = OrganisationFactory(
        name="Linköpings kommun", code="kommun-0580", kind="municipality", sector="public"
    )
    return {
        "validering": make_project(
            organisation,
            "Validering av nyanländas yrkeskompetens",
            summary="Valideringen av yrkeskunskaper ska bli snabbare för nyanlända akademiker.",
            description="Projektet samarbetar med arbetsgivare i regionen.",
            themes=["work-skills"],
            groups=["newly-arrived", "academics"],
            municipalities=["1280"],
            budget=1_200_000,
            fundings=[FundingLine("ESF", 800_000), FundingLine("Malmö stad", 400_000)],
            start_date=datetime.date(2016, 1, 1),
            end_date=datetime.date(2018, 12, 31),
        ),
        "kvinnor": make_project(
            organisation,
            "Mötesplats för utrikes födda kvinnor",
            summary="Kvinnor med utländsk bakgrund möts och lär sig svenska.",
            themes=["civil-society", "education-language"],
            groups=["foreign-born-women"],
            municipalities=["1280"],
            status="finished",
        ),
        "lugna": make_project(
            organisation,
            "Lugna Gatan junior",
            summary="Ungdomar i riskzon får stöd av värdar i sitt bostadsområde.",
            description="Fryshuset driver verksamheten.",
            themes=["children-youth"],
            groups=["young-people"],
            municipalities=["1281"],
        ),
        "mentor": make_project(
            linkoping,
            "Mentor-adept i Östergötland",
            summary="Mentorer från arbetslivet stöttar akademiker med utländsk examen.",
            themes=["work-skills"],
            groups=["academics"],
            municipalities=["0580"],
            visibility=Visibility.PUBLIC,
        ),
        "hemlig": make_project(
            other_organisation,
            "Hemlig validering",
            summary="Validering som bara den egna organisationen ser.",
            themes=["work-skills"],
            groups=["newly-arrived"],
            visibility=Visibility.PRIVATE,
        ),
    }
