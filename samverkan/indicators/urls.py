import re

from django.urls import path, re_path

from samverkan.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_list, name="list"),
    path("ny/", views.indicator_create, name="create"),
    path("ny/fran-fil/", views.indicator_create_from_file, name="create_from_file"),
    path(
        "nyckelindikatorer/<str:level>/<str:code>/",
        views.key_indicators_choose,
        name="key_indicators",
    ),
    path("mal/<int:pk>/ta-bort/", views.target_delete, name="target_delete"),
    path("<slug:code>/", views.indicator_detail, name="detail"),
    path("<slug:code>/mal/nytt/", views.target_create, name="target_create"),
    path("<slug:code>/andra/", views.indicator_edit, name="edit"),
    path("<slug:code>/hamta/", views.indicator_fetch, name="fetch"),
    path("<slug:code>/hamta/<int:job_id>/", views.fetch_job, name="fetch_job"),
    path("<slug:code>/observationer/", views.observation_list, name="observations"),
    path(
        "<slug:code>/observationer/<int:observation_id>/",
        views.observation_edit,
        name="observation_edit",
    ),
    path(
        "<slug:code>/observationer/<int:observation_id>/ta-bort/",
        views.observation_delete,
        name="observation_delete",
    ),
    path("<slug:code>/importera/", views.observations_upload, name="import"),
    re_path(
        r"^(?P<code>[-\w]+)/(?P<what>"
        + "|".join(re.escape(name) for name in views.DOWNLOAD_NAMES)
        + ")$",
        views.ranking_download,
        name="download",
    ),
]
