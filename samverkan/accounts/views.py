from typing import cast

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from samverkan.accounts import selectors, services
from samverkan.accounts.forms import EmailAuthenticationForm
from samverkan.accounts.models import User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    memberships = user.memberships.select_related("organisation").order_by("organisation__name")
    token = Token.objects.filter(user=user).first()
    return render(
        request,
        "accounts/profile.html",
        {
            "memberships": memberships,
            "invitations": selectors.invitation_list_for_user(user=user),
            "token": token,
        },
    )


@login_required
@require_POST
def invitation_accept(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_get_for_invitee(user=request.user, pk=pk)
    membership = services.invitation_accept(invitation=invitation, user=request.user)
    messages.success(
        request,
        _("Du är nu %(role)s i %(organisation)s.")
        % {"role": membership.get_role_display().lower(), "organisation": membership.organisation},
    )
    return redirect("accounts:profile")


@login_required
@require_POST
def invitation_decline(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_get_for_invitee(user=request.user, pk=pk)
    organisation = invitation.organisation
    services.invitation_decline(invitation=invitation, user=request.user)
    messages.success(request, _("Du har tackat nej till inbjudan från %s.") % organisation)
    return redirect("accounts:profile")


@login_required
@require_POST
def token_regenerate(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    messages.success(request, _("Ny API-nyckel: %s (visas bara nu – spara den).") % token.key)
    return redirect("accounts:profile")
