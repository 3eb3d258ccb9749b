from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from samverkan.actors.models import (
    Meeting,
    Network,
    NetworkLink,
    NetworkMembership,
    NetworkRole,
    Organisation,
    ResponsibilityClaim,
)


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "sector", "county", "verified"]
    list_filter = ["verified", "kind", "sector", "county"]
    search_fields = ["name", "code"]


@admin.register(NetworkRole)
class NetworkRoleAdmin(SimpleHistoryAdmin):
    """The role vocabulary is edited here (names, order, source)."""

    list_display = ["name", "code", "position", "source"]
    list_editable = ["position"]
    search_fields = ["name", "code"]


class MeetingInline(admin.TabularInline):
    model = Meeting
    extra = 0


class NetworkLinkInline(admin.TabularInline):
    model = NetworkLink
    extra = 0


@admin.register(Network)
class NetworkAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "scope", "county", "convener", "owner"]
    list_filter = ["kind", "scope", "county"]
    search_fields = ["name", "slug"]
    raw_id_fields = ["convener", "owner", "parent"]
    inlines = [MeetingInline, NetworkLinkInline]


@admin.register(NetworkMembership)
class NetworkMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "network", "start_date", "end_date", "owner"]
    search_fields = ["organisation__name", "network__name"]
    raw_id_fields = ["organisation", "network", "owner"]


@admin.register(ResponsibilityClaim)
class ResponsibilityClaimAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "theme", "county", "responsibility", "owner"]
    list_filter = ["county", "theme", "responsibility"]
    raw_id_fields = ["organisation", "owner"]
