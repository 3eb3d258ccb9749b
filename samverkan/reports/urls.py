from django.urls import path

from samverkan.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("ny/", views.report_start, name="start"),
    path("mallar/<int:pk>/", views.template_detail, name="template"),
    path("mallar/<int:pk>/bygg/", views.template_generate, name="template_generate"),
    path("mallar/<int:pk>/ta-bort/", views.template_delete, name="template_delete"),
    path("<int:pk>/", views.report_detail, name="report"),
    path("<int:pk>/fil/", views.report_download, name="download"),
    path("<int:pk>/publicera/", views.report_publish, name="publish"),
    path("<int:pk>/ta-bort/", views.report_delete, name="delete"),
]
