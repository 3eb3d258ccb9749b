import pytest

from samverkan.actors.models import Organisation
from samverkan.actors.reference import organisations_load_reference


@pytest.mark.django_db
def test_reference_creates_county_boards_regions_and_municipalities():
    organisations_load_reference()
    assert Organisation.objects.filter(kind="municipality").count() == 290
    assert Organisation.objects.filter(kind="county_board").count() == 21
    assert Organisation.objects.filter(kind="region").count() == 21
    malmo = Organisation.objects.get(code="kommun-1280")
    assert (malmo.name, malmo.county.code, malmo.municipality.code) == ("Malmö stad", "12", "1280")
    assert Organisation.objects.get(code="lst-12").name == "Länsstyrelsen i Skåne län"
    assert Organisation.objects.get(code="region-14").name == "Västra Götalandsregionen"


@pytest.mark.django_db
def test_reference_load_is_idempotent():
    organisations_load_reference()
    count = Organisation.objects.count()
    result = organisations_load_reference()
    assert (result.created, result.updated) == (0, 0)
    assert Organisation.objects.count() == count
