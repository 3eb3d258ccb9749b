from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from samverkan.accounts import views
from samverkan.core.ops import rate_limit

app_name = "accounts"
urlpatterns = [
    path("logga-in/", rate_limit("login")(views.LoginView.as_view()), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("profil/", views.profile, name="profile"),
    path("profil/api-nyckel/", views.token_regenerate, name="token_regenerate"),
    path("inbjudningar/<int:pk>/godta/", views.invitation_accept, name="invitation_accept"),
    path("inbjudningar/<int:pk>/tacka-nej/", views.invitation_decline, name="invitation_decline"),
    path(
        "losenord/aterstall/",
        rate_limit("password_reset")(
            auth_views.PasswordResetView.as_view(
                template_name="accounts/password_reset.html",
                email_template_name="accounts/password_reset_email.txt",
                subject_template_name="accounts/password_reset_subject.txt",
                success_url=reverse_lazy("accounts:password_reset_done"),
            )
        ),
        name="password_reset",
    ),
    path(
        "losenord/aterstall/skickat/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "losenord/aterstall/<uidb64>/<token>/",
        rate_limit("password_reset")(
            auth_views.PasswordResetConfirmView.as_view(
                template_name="accounts/password_reset_confirm.html",
                success_url=reverse_lazy("accounts:password_reset_complete"),
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "losenord/aterstall/klart/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
