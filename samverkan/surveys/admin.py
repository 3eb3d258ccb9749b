from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from samverkan.surveys.models import Campaign, Questionnaire, Recipient


@admin.register(Questionnaire)
class QuestionnaireAdmin(SimpleHistoryAdmin):
    list_display = ["title", "owner", "form_id"]


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ["title", "owner", "deadline", "status"]


@admin.register(Recipient)
class RecipientAdmin(SimpleHistoryAdmin):
    list_display = ["campaign", "organisation", "email", "delivery"]
    exclude = ["token"]
