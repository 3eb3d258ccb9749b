"""Factories for the shared test fixtures (owner, member, outsider) and records."""

import factory

from samverkan.accounts.models import Membership, User
from samverkan.actors.models import Organisation, OrganisationKind, Sector
from samverkan.core.models import Visibility


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.se")
    password = factory.PostGenerationMethodCall("set_password", "test-password-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Testföreningen {n}")
    code = factory.Sequence(lambda n: f"test-org-{n}")
    kind = OrganisationKind.CIVIL_SOCIETY
    sector = Sector.CIVIL_SOCIETY
    visibility = Visibility.PUBLIC
    # Test organisations stand for known actors, as the reference data does; tests of
    # self-registration create unverified ones through the services or with verified=False.
    verified = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "editor"


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actors.Network"

    name = factory.Sequence(lambda n: f"Testnätverket {n}")
    slug = factory.Sequence(lambda n: f"testnatverk-{n}")
    kind = "network"
    scope = "national"
    owner = factory.SubFactory(OrganisationFactory)
    visibility = Visibility.PUBLIC
