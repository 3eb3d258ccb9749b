"""One audit_log() with a registry of action names (issue 24, item 5)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from samverkan.accounts.models import User
from samverkan.core import tenancy
from samverkan.core.audit import audit_action, audit_action_registered, audit_actions, audit_log
from samverkan.core.models import AuditEntry
from samverkan.funding.services import decisions  # noqa: F401  (registers funding.decided)

pytestmark = pytest.mark.django_db


def test_an_unregistered_action_is_refused_and_files_nothing():
    with pytest.raises(ValueError, match="unregistered"):
        audit_log("funding.decidde", data={})
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("name", ["Funding.decided", "decided", "funding.", "funding decided"])
def test_an_action_name_is_dotted_lower_case_app_first(name):
    with pytest.raises(ValueError):
        audit_action(name)


def test_a_pattern_stands_for_the_part_given_at_run_time():
    assert audit_action_registered("projects.imported")  # "*.imported" and its own name
    assert audit_action_registered("actors.organisation.restored")  # "*.restored"
    assert audit_action_registered("accounts.invitation.accepted")
    assert not audit_action_registered("accounts.membership.accepted")
    # the names the services file are registered once, where the action is done
    for name in ["funding.decided", "person.erase", "indicators.observation.corrected"]:
        assert name in audit_actions()


def test_the_entry_stores_a_real_user_never_the_system_or_a_visitor():
    user = User.objects.create_user(email="revisor@example.org", password="x")  # noqa: S106
    entry = audit_log("funding.decided", user=user, data={"application": 1})
    entry.refresh_from_db()
    assert (entry.action, entry.user, entry.data) == ("funding.decided", user, {"application": 1})
    for nobody in (tenancy.SYSTEM, AnonymousUser(), None):
        assert audit_log("person.erase", user=nobody).user is None
