from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from samverkan.actors.api.agreements import AgreementViewSet
from samverkan.actors.api.networks import CountyOverviewView, NetworkGraphView, NetworkViewSet
from samverkan.actors.api.organisations import OrganisationViewSet
from samverkan.core import ops
from samverkan.core import views as core_views
from samverkan.core.exchange_api import ExportView, ImportRunView, ImportView
from samverkan.funding.api.applications import FundingApplicationViewSet
from samverkan.funding.api.calls import (
    FundingCallViewSet,
    FundingCriterionViewSet,
    FundingReportViewSet,
)
from samverkan.funding.api.files import FundingAttachmentViewSet, FundingLetterJobViewSet
from samverkan.geo.api import CountyViewSet, MunicipalityViewSet
from samverkan.indicators.api import IndicatorViewSet, OwnIndicatorViewSet, TargetViewSet
from samverkan.plans.api import (
    ActionPlanViewSet,
    ActivityViewSet,
    ConsultationResponseViewSet,
    ConsultationViewSet,
    PlanExportViewSet,
    StrategyViewSet,
)
from samverkan.projects.api.duplicates import DuplicateReportViewSet
from samverkan.projects.api.mapping import MappingRoundViewSet
from samverkan.projects.api.projects import ProjectViewSet
from samverkan.reports.api import ReportViewSet
from samverkan.surveys.api import CampaignViewSet

router = DefaultRouter()
router.register("counties", CountyViewSet, basename="county")
router.register("municipalities", MunicipalityViewSet, basename="municipality")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("networks", NetworkViewSet, basename="network")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("strategies", StrategyViewSet, basename="strategy")
router.register("action-plans", ActionPlanViewSet, basename="actionplan")
router.register("activities", ActivityViewSet, basename="activity")
router.register("plan-exports", PlanExportViewSet, basename="plan-export")
router.register("consultations", ConsultationViewSet, basename="consultation")
router.register("consultation-responses", ConsultationResponseViewSet, basename="remissvar")
router.register("survey-campaigns", CampaignViewSet, basename="survey-campaign")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("own-indicators", OwnIndicatorViewSet, basename="own-indicator")
router.register("indicator-targets", TargetViewSet, basename="indicator-target")
router.register("projects", ProjectViewSet, basename="project")
router.register("mapping-rounds", MappingRoundViewSet, basename="mapping-round")
router.register(
    "project-duplicate-reports", DuplicateReportViewSet, basename="project-duplicate-report"
)
router.register("reports", ReportViewSet, basename="report")
router.register("funding-calls", FundingCallViewSet, basename="funding-call")
router.register("funding-criteria", FundingCriterionViewSet, basename="funding-criterion")
router.register("funding-applications", FundingApplicationViewSet, basename="funding-application")
router.register("funding-reports", FundingReportViewSet, basename="funding-report")
router.register("funding-attachments", FundingAttachmentViewSet, basename="funding-attachment")
router.register("funding-letter-jobs", FundingLetterJobViewSet, basename="funding-letter-job")

api_urls = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:openapi"), name="docs"),
    path("import/<str:kind>/", ImportView.as_view(), name="import"),
    path("import-runs/<int:pk>/", ImportRunView.as_view(), name="import-run"),
    path("export/<str:kind>/", ExportView.as_view(), name="export"),
    path("county-overview/<slug:code>/", CountyOverviewView.as_view(), name="county_overview"),
    path("network-graph/", NetworkGraphView.as_view(), name="network_graph"),
    *router.urls,
]

handler500 = "samverkan.core.ops.server_error"

urlpatterns = [
    path("", include("samverkan.core.urls")),
    path("", include("samverkan.geo.urls")),
    path("aktorer/", include("samverkan.actors.urls")),
    path("strategier/", include("samverkan.plans.urls")),
    path("konto/", include("samverkan.accounts.urls")),
    path("enkater/", include("samverkan.surveys.urls")),
    path("indikatorer/", include("samverkan.indicators.urls")),
    path("projekt/", include("samverkan.projects.urls")),
    path("rapporter/", include("samverkan.reports.urls")),
    path("finansiering/", include("samverkan.funding.urls")),
    path("api/", include((api_urls, "api"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("metrics", ops.metrics, name="metrics"),
    # The admin's sign-in form is limited per client address like the site's own.
    path("admin/login/", ops.rate_limit("login")(admin.site.login)),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
