"""Logging in and the account page, each telling the user when someone else last set their
password: a staff reset or a printed initial password must never go unnoticed by its owner."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import PasswordReset
from .selectors import latest_password_reset


def _reset_notice(reset: PasswordReset) -> str:
    params = {
        "when": timezone.localtime(reset.at).strftime("%Y-%m-%d %H:%M"),
        "role": reset.by_role_label,
    }
    if reset.kind == PasswordReset.Kind.INITIAL:
        return _("您的初始密码由%(role)s于 %(when)s 发放，请尽快改为只有您知道的密码。") % params
    return (
        _("您的密码已于 %(when)s 被%(role)s重置。如您事先不知情，请立即修改密码并告知党校。")
        % params
    )


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        # Logging in moves last_login on: read it before, to find resets since the last visit.
        previous_login = user.last_login
        response = super().form_valid(form)
        reset = latest_password_reset(user, after=previous_login)
        if reset is not None:
            messages.warning(self.request, _reset_notice(reset))
        return response


class AccountPasswordView(auth_views.PasswordChangeView):
    """The account page: change one's password, and see when someone else last set it."""

    success_url = "/"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["last_reset"] = latest_password_reset(self.request.user)
        return context
