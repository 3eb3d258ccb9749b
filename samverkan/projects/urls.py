from django.urls import path

from samverkan.projects import duplicate_views, mapping_views, views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("ny/", views.project_create, name="create"),
    path("importera/", views.project_import, name="import"),
    path("tackning/", views.project_coverage, name="coverage"),
    path("kartlaggningar/", mapping_views.mapping_round_list, name="mapping_rounds"),
    path("kartlaggningar/ny/", mapping_views.mapping_round_create, name="mapping_round_create"),
    path("kartlaggningar/<int:pk>/", mapping_views.mapping_round_detail, name="mapping_round"),
    path(
        "kartlaggningar/<int:pk>/redigera/",
        mapping_views.mapping_round_edit,
        name="mapping_round_edit",
    ),
    path("dubbletter/<str:county_code>/", duplicate_views.project_duplicates, name="duplicates"),
    path(
        "dubbletter/<str:county_code>/bygg/",
        duplicate_views.duplicate_report_start,
        name="duplicates_start",
    ),
    path(
        "dubbletter/rapport/<int:pk>/",
        duplicate_views.duplicate_report,
        name="duplicate_report",
    ),
    path(
        "dubbletter/rapport/<int:pk>/<str:fmt>/",
        duplicate_views.duplicate_report_download,
        name="duplicate_report_download",
    ),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/redigera/", views.project_edit, name="edit"),
    path("<int:pk>/ta-bort/", views.project_delete, name="delete"),
    path("<int:pk>/granska/", views.project_review, name="review"),
]
