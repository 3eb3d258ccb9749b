from django.urls import path

from samverkan.funding import views

app_name = "funding"
urlpatterns = [
    path("", views.call_list, name="list"),
    path("utlysning/ny/", views.call_create, name="call_create"),
    path("utlysning/<int:pk>/", views.call_detail, name="call"),
    path("utlysning/<int:pk>/redigera/", views.call_edit, name="call_edit"),
    path("utlysning/<int:pk>/kriterium/", views.criterion_add, name="criterion_add"),
    path("kriterium/<int:pk>/redigera/", views.criterion_edit, name="criterion_edit"),
    path("kriterium/<int:pk>/ta-bort/", views.criterion_remove, name="criterion_remove"),
    path("utlysning/<int:pk>/publicera/", views.call_publish, name="call_publish"),
    path("utlysning/<int:pk>/ansok/", views.application_create, name="application_create"),
    path("utlysning/<int:pk>/rangordning/", views.ranking, name="ranking"),
    path("utlysning/<int:pk>/beslutsbrev/", views.letters_generate, name="letters"),
    path("utlysning/<int:pk>/portfolj/", views.portfolio, name="portfolio"),
    path("ansokan/<int:pk>/", views.application_detail, name="application"),
    path("ansokan/<int:pk>/redigera/", views.application_edit, name="application_edit"),
    path("ansokan/<int:pk>/skicka-in/", views.application_submit, name="application_submit"),
    path("ansokan/<int:pk>/ata-ta/", views.application_withdraw, name="application_withdraw"),
    path("ansokan/<int:pk>/bilaga/", views.attachment_add, name="attachment_add"),
    path("ansokan/<int:pk>/jav/", views.conflict_declare, name="conflict"),
    path("ansokan/<int:pk>/bedomning/", views.assess, name="assess"),
    path("ansokan/<int:pk>/beslut/", views.decide, name="decide"),
    path("ansokan/<int:pk>/beslutsbrev.pdf", views.letter_pdf, name="letter_pdf"),
    path("ansokan/<int:pk>/beslutsbrev.docx", views.letter_docx, name="letter_docx"),
    path("bilaga/<int:pk>/", views.attachment_download, name="attachment"),
    path("aterrapport/<int:pk>/", views.report, name="report"),
]
