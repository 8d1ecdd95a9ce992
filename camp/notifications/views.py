"""The 通知 inbox and a user's notification settings (on the account page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .access import get_notification_for, get_notification_settings_for
from .channels import channel_configured
from .models import Channel, Kind
from .selectors import inbox_for
from .services import (
    notification_mark_read,
    notification_settings_update,
    notifications_mark_all_read,
)

PAGE_SIZE = 20


@login_required
def inbox(request):
    page = Paginator(inbox_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@require_POST
@login_required
def notification_open(request, pk):
    """Mark it read and go where the work is done."""
    notification = notification_mark_read(notification=get_notification_for(request.user, pk))
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications")


@require_POST
@login_required
def notifications_read_all(request):
    notifications_mark_all_read(user=request.user)
    messages.success(request, _("已全部标为已读。"))
    return redirect("notifications")


@login_required
def notification_settings(request, user_pk=None):
    target = request.user if user_pk is None else get_object_or_404(get_user_model(), pk=user_pk)
    profile = get_notification_settings_for(request.user, target)
    kinds = [(kind.value, kind.label) for kind in Kind]
    channels = [(c.value, c.label, channel_configured(c.value)) for c in Channel]
    errors = []
    if request.method == "POST":
        chosen = {
            kind: [c for c, _label, _on in channels if request.POST.get(f"{kind}:{c}")]
            for kind, _label in kinds
        }
        try:
            notification_settings_update(
                user=target,
                by=request.user,
                email=request.POST.get("email", ""),
                messaging_id=request.POST.get("messaging_id", ""),
                channels={k: v for k, v in chosen.items() if v},
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("通知设置已保存。"))
            return redirect(request.path)
    rows = [
        (kind, label, [(c, (c in profile.channels_for(kind))) for c, _l, _on in channels])
        for kind, label in kinds
    ]
    return render(
        request,
        "notifications/settings.html",
        {
            "target": target,
            "profile": profile,
            "rows": rows,
            "channels": channels,
            "errors": errors,
            "email": request.POST.get("email", target.email) if errors else target.email,
        },
    )
