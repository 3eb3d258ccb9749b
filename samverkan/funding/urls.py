from django.urls import path

from samverkan.funding.views import applications, assessment, calls

app_name = "funding"
urlpatterns = [
    path("", calls.call_list, name="list"),
    path("utlysning/ny/", calls.call_create, name="call_create"),
    path("utlysning/<int:pk>/", calls.call_detail, name="call"),
    path("utlysning/<int:pk>/redigera/", calls.call_edit, name="call_edit"),
    path("utlysning/<int:pk>/kriterium/", calls.criterion_add, name="criterion_add"),
    path("kriterium/<int:pk>/redigera/", calls.criterion_edit, name="criterion_edit"),
    path("kriterium/<int:pk>/ta-bort/", calls.criterion_remove, name="criterion_remove"),
    path("utlysning/<int:pk>/publicera/", calls.call_publish, name="call_publish"),
    path("utlysning/<int:pk>/ansok/", applications.application_create, name="application_create"),
    path("utlysning/<int:pk>/rangordning/", assessment.ranking, name="ranking"),
    path("utlysning/<int:pk>/beslutsbrev/", assessment.letters_generate, name="letters"),
    path("utlysning/<int:pk>/portfolj/", assessment.portfolio, name="portfolio"),
    path("ansokan/<int:pk>/", applications.application_detail, name="application"),
    path("ansokan/<int:pk>/redigera/", applications.application_edit, name="application_edit"),
    path("ansokan/<int:pk>/skicka-in/", applications.application_submit, name="application_submit"),
    path(
        "ansokan/<int:pk>/ata-ta/", applications.application_withdraw, name="application_withdraw"
    ),
    path("ansokan/<int:pk>/bilaga/", applications.attachment_add, name="attachment_add"),
    path("ansokan/<int:pk>/jav/", assessment.conflict_declare, name="conflict"),
    path("ansokan/<int:pk>/bedomning/", assessment.assess, name="assess"),
    path("ansokan/<int:pk>/beslut/", assessment.decide, name="decide"),
    path("ansokan/<int:pk>/beslutsbrev.pdf", assessment.letter_pdf, name="letter_pdf"),
    path("ansokan/<int:pk>/beslutsbrev.docx", assessment.letter_docx, name="letter_docx"),
    path("bilaga/<int:pk>/", applications.attachment_download, name="attachment"),
    path("bilaga/<int:pk>/ta-bort/", applications.attachment_remove, name="attachment_remove"),
    path("aterrapport/<int:pk>/", applications.report, name="report"),
]
