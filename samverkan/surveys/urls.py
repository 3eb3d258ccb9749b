from django.urls import path

from samverkan.core.ops import rate_limit
from samverkan.surveys import views

app_name = "surveys"
public_token = rate_limit("public_token", methods=("GET", "POST"), per_token=True)

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("ny/", views.questionnaire_create, name="create"),
    path("importera/", views.questionnaire_import, name="import"),
    path("<int:pk>/", views.questionnaire_detail, name="questionnaire"),
    path("<int:pk>/xlsform/", views.questionnaire_xlsform, name="xlsform"),
    path("<int:pk>/kopiera/", views.questionnaire_copy, name="copy"),
    path("<int:pk>/forhandsvisning/", views.questionnaire_preview, name="preview"),
    path("<int:pk>/forhandsvisning/villkor/", views.preview_relevance, name="preview_relevance"),
    path("<int:pk>/grupper/", views.group_add, name="group_add"),
    path("<int:pk>/fragor/", views.question_add, name="question_add"),
    path("<int:pk>/fragor/<int:question_id>/", views.question_edit, name="question_edit"),
    path("<int:pk>/fragor/<int:question_id>/flytta/", views.question_move, name="question_move"),
    path(
        "<int:pk>/fragor/<int:question_id>/ta-bort/",
        views.question_delete,
        name="question_delete",
    ),
    path("<int:pk>/utskick/nytt/", views.campaign_create, name="campaign_create"),
    path("utskick/<int:pk>/", views.campaign_detail, name="campaign"),
    path("utskick/<int:pk>/skicka/", views.campaign_send, name="campaign_send"),
    path("utskick/<int:pk>/adresser/", views.campaign_emails, name="campaign_emails"),
    path(
        "utskick/<int:pk>/saknade-adresser/",
        views.campaign_missing_addresses,
        name="campaign_missing_addresses",
    ),
    path("utskick/<int:pk>/extra-dagar/", views.campaign_grace, name="campaign_grace"),
    path("utskick/<int:pk>/stang/", views.campaign_close, name="campaign_close"),
    path(
        "utskick/<int:pk>/svar/<int:recipient_id>/oppna/",
        views.response_reopen,
        name="response_reopen",
    ),
    path("utskick/<int:pk>/sammanstallning/", views.campaign_compilation, name="compilation"),
    path("utskick/<int:pk>/sammanstallning.<str:fmt>", views.campaign_export, name="export"),
    path("svara/<str:token>/", public_token(views.answer), name="answer"),
    path(
        "svara/<str:token>/villkor/", public_token(views.answer_relevance), name="answer_relevance"
    ),
]
