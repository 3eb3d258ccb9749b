from django.urls import path

from samverkan.actors import agreement_views, network_views, views

app_name = "actors"
urlpatterns = [
    path("", views.organisation_list, name="organisations"),
    path("ny/", views.organisation_create, name="organisation_create"),
    # Networks and responsibilities come before "<code>/" so their prefixes are not read as codes.
    path("natverk/", network_views.network_list, name="networks"),
    path("natverk/ny/", network_views.network_create, name="network_create"),
    path("natverk/karta/", network_views.network_map, name="network_map"),
    path("natverk/karta.json", network_views.network_map_data, name="network_map_data"),
    path("natverk/<slug:slug>/", network_views.network_detail, name="network"),
    path("natverk/<slug:slug>/redigera/", network_views.network_edit, name="network_edit"),
    path("natverk/<slug:slug>/ta-bort/", network_views.network_delete, name="network_delete"),
    path("natverk/<slug:slug>/popolo.json", network_views.network_popolo, name="network_popolo"),
    path(
        "natverk/<slug:slug>/medlemmar/",
        network_views.network_member_add,
        name="network_member_add",
    ),
    path(
        "natverk/<slug:slug>/medlemmar/<int:pk>/ta-bort/",
        network_views.network_member_delete,
        name="network_member_delete",
    ),
    path(
        "natverk/<slug:slug>/medlemmar/<int:pk>/avsluta/",
        network_views.network_member_end,
        name="network_member_end",
    ),
    path(
        "natverk/<slug:slug>/moten/", network_views.network_meeting_add, name="network_meeting_add"
    ),
    path(
        "natverk/<slug:slug>/moten/<int:pk>/ta-bort/",
        network_views.network_meeting_delete,
        name="network_meeting_delete",
    ),
    path("natverk/<slug:slug>/lankar/", network_views.network_link_add, name="network_link_add"),
    path(
        "natverk/<slug:slug>/lankar/<int:pk>/ta-bort/",
        network_views.network_link_delete,
        name="network_link_delete",
    ),
    path("ansvar/<slug:county_code>/", network_views.responsibility_add, name="responsibility_add"),
    path(
        "ansvar/<slug:county_code>/ansvarsmatris.xlsx",
        network_views.responsibility_xlsx,
        name="responsibility_xlsx",
    ),
    path(
        "ansvar/anspraak/<int:pk>/ta-bort/",
        network_views.responsibility_delete,
        name="responsibility_delete",
    ),
    path("roller/", views.role_list, name="roles"),
    path("overenskommelser/", agreement_views.agreement_list, name="agreements"),
    path("overenskommelser/ny/", agreement_views.agreement_create, name="agreement_create"),
    path("overenskommelser/<slug:slug>/", agreement_views.agreement_detail, name="agreement"),
    path(
        "overenskommelser/<slug:slug>/redigera/",
        agreement_views.agreement_edit,
        name="agreement_edit",
    ),
    path(
        "overenskommelser/<slug:slug>/parter/",
        agreement_views.agreement_party_add,
        name="agreement_party_add",
    ),
    path(
        "overenskommelser/<slug:slug>/parter/<int:pk>/redigera/",
        agreement_views.agreement_party_edit,
        name="agreement_party_edit",
    ),
    path(
        "overenskommelser/<slug:slug>/parter/<int:pk>/ta-bort/",
        agreement_views.agreement_party_delete,
        name="agreement_party_delete",
    ),
    path(
        "overenskommelser/<slug:slug>/principer/",
        agreement_views.agreement_principle_add,
        name="agreement_principle_add",
    ),
    path(
        "overenskommelser/<slug:slug>/principer/<int:pk>/redigera/",
        agreement_views.agreement_principle_edit,
        name="agreement_principle_edit",
    ),
    path(
        "overenskommelser/<slug:slug>/principer/<int:pk>/ta-bort/",
        agreement_views.agreement_principle_delete,
        name="agreement_principle_delete",
    ),
    path("<slug:code>/", views.organisation_detail, name="organisation"),
    path("<slug:code>/redigera/", views.organisation_edit, name="organisation_edit"),
    path("<slug:code>/ta-bort/", views.organisation_delete, name="organisation_delete"),
    path("<slug:code>/verifiera/", views.organisation_verify, name="organisation_verify"),
    path("<slug:code>/medlemmar/", views.member_add, name="member_add"),
    path("<slug:code>/medlemmar/<int:membership_id>/", views.member_change, name="member_change"),
    path("<slug:code>/kontaktadresser/", views.contact_add, name="contact_add"),
    path(
        "<slug:code>/kontaktadresser/<int:contact_id>/ta-bort/",
        views.contact_delete,
        name="contact_delete",
    ),
    path(
        "<slug:code>/inbjudningar/<int:invitation_id>/aterkalla/",
        views.invitation_withdraw_view,
        name="invitation_withdraw",
    ),
]
