"""Red-team finding 3 (second part): an organisation's admin adds people by invitation, and a
person becomes a member only by accepting it on their account page."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from samverkan.accounts.models import Invitation, Membership, User
from samverkan.accounts.services import invitation_create, membership_create
from samverkan.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(organisation, owner, outsider):
    """The owner's organisation invites the outsider (an existing user elsewhere) as editor."""
    return invitation_create(
        organisation=organisation, email="outsider@example.se", role="editor", by=owner
    )


def test_an_admin_cannot_enrol_an_existing_user_by_typing_their_address(
    outsider_client, other_organisation, viewer, viewer_client
):
    """The attack: the other organisation's admin adds a member of another organisation to
    theirs, without asking them."""
    response = outsider_client.post(
        reverse("actors:member_add", args=[other_organisation.code]),
        {"email": "viewer@example.se", "role": "admin"},
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(user=viewer, organisation=other_organisation).exists()
    invitation = Invitation.objects.get(user=viewer, organisation=other_organisation)
    assert invitation.role == "admin"
    page = viewer_client.get(reverse("accounts:profile")).content.decode()
    assert "Annan förening bjuder in dig som administratör." in page
    assert reverse("accounts:invitation_accept", args=[invitation.pk]) in page


def test_the_invited_person_accepts(outsider_client, outsider, invitation, organisation, owner):
    response = outsider_client.post(reverse("accounts:invitation_accept", args=[invitation.pk]))
    assert response.status_code == 302
    membership = Membership.objects.get(user=outsider, organisation=organisation)
    assert membership.role == "editor"
    assert not Invitation.objects.exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="accounts.invitation.")
        .order_by("pk")
        .values_list("action", "user")
    )
    assert actions == [
        ("accounts.invitation.created", owner.pk),
        ("accounts.invitation.accepted", outsider.pk),
    ]


def test_the_invited_person_declines(outsider_client, outsider, invitation, organisation):
    response = outsider_client.post(reverse("accounts:invitation_decline", args=[invitation.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(user=outsider, organisation=organisation).exists()
    assert not Invitation.objects.exists()
    assert AuditEntry.objects.filter(action="accounts.invitation.declined").exists()


@pytest.mark.parametrize("who", ["owner_client", "viewer_client"])
@pytest.mark.parametrize("answer", ["invitation_accept", "invitation_decline"])
def test_nobody_answers_someone_else_s_invitation(request, who, answer, invitation):
    client = request.getfixturevalue(who)
    response = client.post(reverse(f"accounts:{answer}", args=[invitation.pk]))
    assert response.status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    assert not Membership.objects.filter(
        user=invitation.user, organisation_id=invitation.organisation_id
    ).exists()


def test_anonymous_cannot_answer(client, invitation):
    response = client.post(reverse("accounts:invitation_accept", args=[invitation.pk]))
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_answering_needs_post(outsider_client, invitation):
    response = outsider_client.get(reverse("accounts:invitation_accept", args=[invitation.pk]))
    assert response.status_code == 405
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_the_admin_sees_and_withdraws_a_pending_invitation(owner_client, invitation, organisation):
    page = owner_client.get(organisation.get_absolute_url()).content.decode()
    url = reverse("actors:invitation_withdraw", args=[organisation.code, invitation.pk])
    assert "outsider@example.se" in page and url in page
    assert owner_client.post(url).status_code == 302
    assert not Invitation.objects.exists()
    assert AuditEntry.objects.filter(action="accounts.invitation.withdrawn").exists()


@pytest.mark.parametrize("who", ["viewer_client", "outsider_client"])
def test_viewer_and_other_organisation_cannot_withdraw(request, who, invitation, organisation):
    client = request.getfixturevalue(who)
    url = reverse("actors:invitation_withdraw", args=[organisation.code, invitation.pk])
    assert client.post(url).status_code == 403
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_withdrawing_through_another_organisation_is_404(
    outsider_client, invitation, other_organisation
):
    url = reverse("actors:invitation_withdraw", args=[other_organisation.code, invitation.pk])
    assert outsider_client.post(url).status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_a_new_address_gets_an_account_and_an_invitation(owner_client, organisation):
    response = owner_client.post(
        reverse("actors:member_add", args=[organisation.code]),
        {"email": "ny@example.se", "role": "viewer"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="ny@example.se")
    assert not user.has_usable_password()
    assert Invitation.objects.filter(user=user, organisation=organisation, role="viewer").exists()
    assert not Membership.objects.filter(user=user).exists()


def test_a_member_is_not_invited_again(owner_client, viewer, organisation):
    response = owner_client.post(
        reverse("actors:member_add", args=[organisation.code]),
        {"email": "viewer@example.se", "role": "admin"},
        follow=True,
    )
    assert "viewer@example.se är redan medlem i organisationen." in response.content.decode()
    assert not Invitation.objects.exists()
    assert Membership.objects.get(user=viewer, organisation=organisation).role == "viewer"


def test_an_admin_cannot_make_members_directly(owner, outsider, organisation):
    with pytest.raises(PermissionDenied):
        membership_create(organisation=organisation, user=outsider, role="editor", by=owner)
    assert not Membership.objects.filter(user=outsider, organisation=organisation).exists()


def test_erasing_a_person_removes_their_invitations(invitation):
    from samverkan.core.privacy import person_erase

    result = person_erase(email="outsider@example.se")
    assert result["changed"]["accounts.invitation"] == 1
    assert not Invitation.objects.exists()
