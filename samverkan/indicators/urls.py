import re

from django.urls import path, re_path

from samverkan.indicators.views import authoring, benchmarking

app_name = "indicators"
urlpatterns = [
    path("", benchmarking.indicator_list, name="list"),
    path("ny/", authoring.indicator_create, name="create"),
    path("ny/fran-fil/", authoring.indicator_create_from_file, name="create_from_file"),
    path(
        "nyckelindikatorer/<str:level>/<str:code>/",
        benchmarking.key_indicators_choose,
        name="key_indicators",
    ),
    path("mal/<int:pk>/ta-bort/", benchmarking.target_delete, name="target_delete"),
    path("<slug:code>/", benchmarking.indicator_detail, name="detail"),
    path("<slug:code>/mal/nytt/", benchmarking.target_create, name="target_create"),
    path("<slug:code>/andra/", authoring.indicator_edit, name="edit"),
    path("<slug:code>/hamta/", authoring.indicator_fetch, name="fetch"),
    path("<slug:code>/hamta/<int:job_id>/", authoring.fetch_job, name="fetch_job"),
    path("<slug:code>/observationer/", authoring.observation_list, name="observations"),
    path(
        "<slug:code>/observationer/<int:observation_id>/",
        authoring.observation_edit,
        name="observation_edit",
    ),
    path(
        "<slug:code>/observationer/<int:observation_id>/ta-bort/",
        authoring.observation_delete,
        name="observation_delete",
    ),
    path("<slug:code>/importera/", benchmarking.observations_upload, name="import"),
    re_path(
        r"^(?P<code>[-\w]+)/(?P<what>"
        + "|".join(re.escape(name) for name in benchmarking.DOWNLOAD_NAMES)
        + ")$",
        benchmarking.ranking_download,
        name="download",
    ),
]
