from django.urls import path

from samverkan.core.ops import rate_limit
from samverkan.plans.views import action_plans, consultations, exports, strategies, structure

app_name = "plans"
public_token = rate_limit("public_token", methods=("GET", "POST"), per_token=True)

urlpatterns = [
    path("", strategies.strategy_list, name="list"),
    path("ny/", strategies.strategy_create, name="strategy_create"),
    path("<int:pk>/", strategies.strategy_detail, name="strategy"),
    path("<int:pk>/redigera/", strategies.strategy_edit, name="strategy_edit"),
    path("<int:pk>/fokusomraden/", strategies.focus_area_add, name="focus_area_add"),
    path("<int:pk>/mal/", strategies.goal_add, name="goal_add"),
    path("<int:pk>/kommuner/", strategies.strategy_hook_in, name="hook_in"),
    path("<int:pk>/ny-plan/", action_plans.plan_create, name="plan_create"),
    path("<int:pk>/ny-remiss/", consultations.consultation_create, name="consultation_create"),
    path("<int:pk>/struktur-historik/", structure.structure_history, name="structure_history"),
    path("fokusomraden/<int:pk>/redigera/", structure.focus_area_edit, name="focus_area_edit"),
    path("fokusomraden/<int:pk>/flytta/", structure.focus_area_move, name="focus_area_move"),
    path(
        "fokusomraden/<int:pk>/ta-bort/",
        structure.focus_area_delete,
        name="focus_area_delete",
    ),
    path("mal/<int:pk>/redigera/", strategies.goal_edit, name="goal_edit"),
    path("mal/<int:pk>/flytta/", structure.goal_move, name="goal_move"),
    path("mal/<int:pk>/ta-bort/", structure.goal_delete, name="goal_delete"),
    path("mal/<int:pk>/regionala-mal/", strategies.goal_contributions, name="goal_contributions"),
    path("planer/<int:pk>/", action_plans.plan_detail, name="plan"),
    path("planer/<int:pk>/export.xlsx", action_plans.plan_export, name="plan_export"),
    path("planer/<int:pk>/export.pdf", exports.plan_export_pdf, name="plan_export_pdf"),
    path("planer/<int:pk>/pdf/", exports.plan_pdf_start, name="plan_pdf_start"),
    path("planer/pdf/<int:pk>/", exports.plan_pdf_status, name="plan_pdf_status"),
    path("planer/pdf/<int:pk>/fil/", exports.plan_pdf_download, name="plan_pdf_download"),
    path("planer/<int:pk>/overfor/", action_plans.plan_roll_over, name="plan_roll_over"),
    path("planer/<int:pk>/ny-aktivitet/", action_plans.activity_create, name="activity_create"),
    path("aktiviteter/<int:pk>/", action_plans.activity_detail, name="activity"),
    path("aktiviteter/<int:pk>/redigera/", action_plans.activity_edit, name="activity_edit"),
    path("aktiviteter/<int:pk>/avstamning/", action_plans.followup_add, name="followup_add"),
    path("remisser/<int:pk>/", consultations.consultation_detail, name="consultation"),
    path(
        "remisser/<int:pk>/skicka/",
        consultations.consultation_publish,
        name="consultation_publish",
    ),
    path(
        "remisser/<int:pk>/bjud-in/", consultations.consultation_invite, name="consultation_invite"
    ),
    path(
        "remisser/<int:pk>/paminn/", consultations.consultation_remind, name="consultation_remind"
    ),
    path(
        "remisser/<int:pk>/e-post/", consultations.consultation_emails, name="consultation_emails"
    ),
    path(
        "remisser/<int:pk>/status/", consultations.consultation_status, name="consultation_status"
    ),
    path(
        "remisser/<int:pk>/beslut/", consultations.consultation_decide, name="consultation_decide"
    ),
    path(
        "remisser/<int:pk>/sammanstallning.<str:fmt>",
        consultations.consultation_export,
        name="consultation_export",
    ),
    path(
        "remiss/<str:token>/",
        public_token(consultations.consultation_respond),
        name="consultation_respond",
    ),
]
