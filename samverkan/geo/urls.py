from django.urls import path

from samverkan.geo import views

app_name = "geo"
urlpatterns = [
    path("lan/", views.county_list, name="counties"),
    path("lan/<str:code>/", views.county_detail, name="county"),
    path("kommun/<str:code>/", views.municipality_detail, name="municipality"),
]
