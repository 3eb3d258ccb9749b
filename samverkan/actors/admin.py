from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from samverkan.actors.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "sector", "county"]
    list_filter = ["kind", "sector", "county"]
    search_fields = ["name", "code"]
