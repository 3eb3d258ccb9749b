"""``tenancy.acting_organisations``: the one answer to "whom may I act for", per role."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from samverkan.core import tenancy
from tests.factories import UserFactory


def test_admins_and_editors_act_for_their_organisation_viewers_and_others_do_not(
    owner, editor, viewer, outsider, organisation, other_organisation
):
    assert list(tenancy.acting_organisations(owner)) == [organisation]
    assert list(tenancy.acting_organisations(editor)) == [organisation]
    assert not tenancy.acting_organisations(viewer).exists()
    assert list(tenancy.acting_organisations(outsider)) == [other_organisation]
    assert not tenancy.acting_organisations(AnonymousUser()).exists()
    for user in (owner, editor, viewer, outsider):
        for org in (organisation, other_organisation):
            acting = tenancy.acting_organisations(user).filter(pk=org.pk).exists()
            assert acting == tenancy.can_act_for(user, org.pk)


def test_a_superuser_acts_for_every_organisation(db, organisation, other_organisation):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    assert set(tenancy.acting_organisations(superuser)) == {organisation, other_organisation}
