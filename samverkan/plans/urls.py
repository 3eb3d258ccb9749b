from django.urls import path

from samverkan.core.ops import rate_limit
from samverkan.plans import export_views, structure_views, views

app_name = "plans"
public_token = rate_limit("public_token", methods=("GET", "POST"), per_token=True)

urlpatterns = [
    path("", views.strategy_list, name="list"),
    path("ny/", views.strategy_create, name="strategy_create"),
    path("<int:pk>/", views.strategy_detail, name="strategy"),
    path("<int:pk>/redigera/", views.strategy_edit, name="strategy_edit"),
    path("<int:pk>/fokusomraden/", views.focus_area_add, name="focus_area_add"),
    path("<int:pk>/mal/", views.goal_add, name="goal_add"),
    path("<int:pk>/kommuner/", views.strategy_hook_in, name="hook_in"),
    path("<int:pk>/ny-plan/", views.plan_create, name="plan_create"),
    path("<int:pk>/ny-remiss/", views.consultation_create, name="consultation_create"),
    path(
        "<int:pk>/struktur-historik/", structure_views.structure_history, name="structure_history"
    ),
    path(
        "fokusomraden/<int:pk>/redigera/", structure_views.focus_area_edit, name="focus_area_edit"
    ),
    path("fokusomraden/<int:pk>/flytta/", structure_views.focus_area_move, name="focus_area_move"),
    path(
        "fokusomraden/<int:pk>/ta-bort/",
        structure_views.focus_area_delete,
        name="focus_area_delete",
    ),
    path("mal/<int:pk>/redigera/", views.goal_edit, name="goal_edit"),
    path("mal/<int:pk>/flytta/", structure_views.goal_move, name="goal_move"),
    path("mal/<int:pk>/ta-bort/", structure_views.goal_delete, name="goal_delete"),
    path("mal/<int:pk>/regionala-mal/", views.goal_contributions, name="goal_contributions"),
    path("planer/<int:pk>/", views.plan_detail, name="plan"),
    path("planer/<int:pk>/export.xlsx", views.plan_export, name="plan_export"),
    path("planer/<int:pk>/export.pdf", export_views.plan_export_pdf, name="plan_export_pdf"),
    path("planer/<int:pk>/pdf/", export_views.plan_pdf_start, name="plan_pdf_start"),
    path("planer/pdf/<int:pk>/", export_views.plan_pdf_status, name="plan_pdf_status"),
    path("planer/pdf/<int:pk>/fil/", export_views.plan_pdf_download, name="plan_pdf_download"),
    path("planer/<int:pk>/overfor/", views.plan_roll_over, name="plan_roll_over"),
    path("planer/<int:pk>/ny-aktivitet/", views.activity_create, name="activity_create"),
    path("aktiviteter/<int:pk>/", views.activity_detail, name="activity"),
    path("aktiviteter/<int:pk>/redigera/", views.activity_edit, name="activity_edit"),
    path("aktiviteter/<int:pk>/avstamning/", views.followup_add, name="followup_add"),
    path("remisser/<int:pk>/", views.consultation_detail, name="consultation"),
    path(
        "remisser/<int:pk>/sammanstallning.<str:fmt>",
        views.consultation_export,
        name="consultation_export",
    ),
    path(
        "remiss/<str:token>/", public_token(views.consultation_respond), name="consultation_respond"
    ),
]
