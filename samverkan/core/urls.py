from django.urls import path

from samverkan.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("historik/<str:label>/<int:pk>/", views.record_history, name="history"),
    path(
        "historik/<str:label>/<int:pk>/<int:history_id>/aterstall/",
        views.record_restore,
        name="restore",
    ),
    path("papperskorg/", views.trash, name="trash"),
    path("data/import/", views.import_data, name="import"),
    path("data/import/<int:pk>/", views.import_run, name="import_run"),
    path("data/export/", views.export_data, name="export"),
]
