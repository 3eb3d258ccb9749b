from django.urls import path

from samverkan.projects.views import duplicates, mapping, projects

app_name = "projects"
urlpatterns = [
    path("", projects.project_list, name="list"),
    path("ny/", projects.project_create, name="create"),
    path("importera/", projects.project_import, name="import"),
    path("tackning/", projects.project_coverage, name="coverage"),
    path("kartlaggningar/", mapping.mapping_round_list, name="mapping_rounds"),
    path("kartlaggningar/ny/", mapping.mapping_round_create, name="mapping_round_create"),
    path("kartlaggningar/<int:pk>/", mapping.mapping_round_detail, name="mapping_round"),
    path(
        "kartlaggningar/<int:pk>/redigera/",
        mapping.mapping_round_edit,
        name="mapping_round_edit",
    ),
    path("dubbletter/<str:county_code>/", duplicates.project_duplicates, name="duplicates"),
    path(
        "dubbletter/<str:county_code>/bygg/",
        duplicates.duplicate_report_start,
        name="duplicates_start",
    ),
    path(
        "dubbletter/rapport/<int:pk>/",
        duplicates.duplicate_report,
        name="duplicate_report",
    ),
    path(
        "dubbletter/rapport/<int:pk>/<str:fmt>/",
        duplicates.duplicate_report_download,
        name="duplicate_report_download",
    ),
    path("<int:pk>/", projects.project_detail, name="detail"),
    path("<int:pk>/redigera/", projects.project_edit, name="edit"),
    path("<int:pk>/ta-bort/", projects.project_delete, name="delete"),
    path("<int:pk>/granska/", projects.project_review, name="review"),
]
