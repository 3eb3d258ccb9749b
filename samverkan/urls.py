from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from samverkan.actors.api import OrganisationViewSet
from samverkan.core import views as core_views
from samverkan.core.exchange_api import ExportView, ImportView
from samverkan.geo.api import CountyViewSet, MunicipalityViewSet
from samverkan.projects.api import ProjectViewSet

router = DefaultRouter()
router.register("counties", CountyViewSet, basename="county")
router.register("municipalities", MunicipalityViewSet, basename="municipality")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("projects", ProjectViewSet, basename="project")

api_urls = [
    path("openapi.json", SpectacularAPIView.as_view(), name="openapi"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:openapi"), name="docs"),
    path("import/<str:kind>/", ImportView.as_view(), name="import"),
    path("export/<str:kind>/", ExportView.as_view(), name="export"),
    *router.urls,
]

urlpatterns = [
    path("", include("samverkan.core.urls")),
    path("", include("samverkan.geo.urls")),
    path("aktorer/", include("samverkan.actors.urls")),
    path("konto/", include("samverkan.accounts.urls")),
    path("projekt/", include("samverkan.projects.urls")),
    path("api/", include((api_urls, "api"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
