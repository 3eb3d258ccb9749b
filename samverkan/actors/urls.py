from django.urls import path

from samverkan.actors import views

app_name = "actors"
urlpatterns = [
    path("", views.organisation_list, name="organisations"),
    path("ny/", views.organisation_create, name="organisation_create"),
    path("<slug:code>/", views.organisation_detail, name="organisation"),
    path("<slug:code>/redigera/", views.organisation_edit, name="organisation_edit"),
    path("<slug:code>/ta-bort/", views.organisation_delete, name="organisation_delete"),
    path("<slug:code>/medlemmar/", views.member_add, name="member_add"),
    path("<slug:code>/medlemmar/<int:membership_id>/", views.member_change, name="member_change"),
]
