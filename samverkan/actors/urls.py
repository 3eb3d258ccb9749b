from django.urls import path

from samverkan.actors.views import agreements, networks, organisations

app_name = "actors"
urlpatterns = [
    path("", organisations.organisation_list, name="organisations"),
    path("ny/", organisations.organisation_create, name="organisation_create"),
    # Networks and responsibilities come before "<code>/" so their prefixes are not read as codes.
    path("natverk/", networks.network_list, name="networks"),
    path("natverk/ny/", networks.network_create, name="network_create"),
    path("natverk/karta/", networks.network_map, name="network_map"),
    path("natverk/karta.json", networks.network_map_data, name="network_map_data"),
    path("natverk/<slug:slug>/", networks.network_detail, name="network"),
    path("natverk/<slug:slug>/redigera/", networks.network_edit, name="network_edit"),
    path("natverk/<slug:slug>/ta-bort/", networks.network_delete, name="network_delete"),
    path("natverk/<slug:slug>/popolo.json", networks.network_popolo, name="network_popolo"),
    path(
        "natverk/<slug:slug>/medlemmar/",
        networks.network_member_add,
        name="network_member_add",
    ),
    path(
        "natverk/<slug:slug>/medlemmar/<int:pk>/ta-bort/",
        networks.network_member_delete,
        name="network_member_delete",
    ),
    path(
        "natverk/<slug:slug>/medlemmar/<int:pk>/avsluta/",
        networks.network_member_end,
        name="network_member_end",
    ),
    path("natverk/<slug:slug>/moten/", networks.network_meeting_add, name="network_meeting_add"),
    path(
        "natverk/<slug:slug>/moten/<int:pk>/ta-bort/",
        networks.network_meeting_delete,
        name="network_meeting_delete",
    ),
    path("natverk/<slug:slug>/lankar/", networks.network_link_add, name="network_link_add"),
    path(
        "natverk/<slug:slug>/lankar/<int:pk>/ta-bort/",
        networks.network_link_delete,
        name="network_link_delete",
    ),
    path("ansvar/<slug:county_code>/", networks.responsibility_add, name="responsibility_add"),
    path(
        "ansvar/<slug:county_code>/ansvarsmatris.xlsx",
        networks.responsibility_xlsx,
        name="responsibility_xlsx",
    ),
    path(
        "ansvar/anspraak/<int:pk>/ta-bort/",
        networks.responsibility_delete,
        name="responsibility_delete",
    ),
    path("roller/", organisations.role_list, name="roles"),
    path("overenskommelser/", agreements.agreement_list, name="agreements"),
    path("overenskommelser/ny/", agreements.agreement_create, name="agreement_create"),
    path("overenskommelser/<slug:slug>/", agreements.agreement_detail, name="agreement"),
    path(
        "overenskommelser/<slug:slug>/redigera/",
        agreements.agreement_edit,
        name="agreement_edit",
    ),
    path(
        "overenskommelser/<slug:slug>/parter/",
        agreements.agreement_party_add,
        name="agreement_party_add",
    ),
    path(
        "overenskommelser/<slug:slug>/parter/<int:pk>/redigera/",
        agreements.agreement_party_edit,
        name="agreement_party_edit",
    ),
    path(
        "overenskommelser/<slug:slug>/parter/<int:pk>/ta-bort/",
        agreements.agreement_party_delete,
        name="agreement_party_delete",
    ),
    path(
        "overenskommelser/<slug:slug>/principer/",
        agreements.agreement_principle_add,
        name="agreement_principle_add",
    ),
    path(
        "overenskommelser/<slug:slug>/principer/<int:pk>/redigera/",
        agreements.agreement_principle_edit,
        name="agreement_principle_edit",
    ),
    path(
        "overenskommelser/<slug:slug>/principer/<int:pk>/ta-bort/",
        agreements.agreement_principle_delete,
        name="agreement_principle_delete",
    ),
    path("<slug:code>/", organisations.organisation_detail, name="organisation"),
    path("<slug:code>/redigera/", organisations.organisation_edit, name="organisation_edit"),
    path("<slug:code>/ta-bort/", organisations.organisation_delete, name="organisation_delete"),
    path("<slug:code>/verifiera/", organisations.organisation_verify, name="organisation_verify"),
    path("<slug:code>/medlemmar/", organisations.member_add, name="member_add"),
    path(
        "<slug:code>/medlemmar/<int:membership_id>/",
        organisations.member_change,
        name="member_change",
    ),
    path("<slug:code>/kontaktadresser/", organisations.contact_add, name="contact_add"),
    path(
        "<slug:code>/kontaktadresser/<int:contact_id>/ta-bort/",
        organisations.contact_delete,
        name="contact_delete",
    ),
    path(
        "<slug:code>/inbjudningar/<int:invitation_id>/aterkalla/",
        organisations.invitation_withdraw_view,
        name="invitation_withdraw",
    ),
]
