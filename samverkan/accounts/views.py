from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from samverkan.accounts import selectors, services
from samverkan.accounts.authentication import token_expires_at
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
    expires_at = token_expires_at(token.created) if token else None
    return render(
        request,
        "accounts/profile.html",
        {
            "memberships": memberships,
            "invitations": selectors.invitation_list_for_user(user=user),
            "token": token,
            "token_expires_at": expires_at,
            "token_expired": expires_at is not None and expires_at <= timezone.now(),
            "api_token_days": settings.API_TOKEN_DAYS,
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
@never_cache
def token_regenerate(request: HttpRequest) -> HttpResponse:
    """Make a new API key and show it once, on this response only: not in a message (which
    would travel in the messages cookie) and never again afterwards."""
    user = cast(User, request.user)
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    return render(
        request,
        "accounts/token_created.html",
        {"key": token.key, "expires_at": token_expires_at(token.created)},
    )
