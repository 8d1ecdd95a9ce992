"""The trainee's own pages: my schedule, and the private calendar feed."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from camp.access import role_required
from camp.roles import Role
from trainees.access import trainee_for_user

from ..ical import trainee_calendar
from ..models import CalendarFeedToken
from ..selectors import my_schedule
from ..services.feed import feed_token_get_or_create, feed_token_revoke


def _own_trainee(request):
    trainee = trainee_for_user(request.user)
    if trainee is None:
        raise Http404
    return trainee


@role_required(Role.TRAINEE)
def schedule(request):
    trainee = _own_trainee(request)
    token = feed_token_get_or_create(trainee=trainee)
    return render(
        request,
        "curriculum/my_schedule.html",
        {
            "camp": trainee.camp,
            "trainee": trainee,
            **my_schedule(trainee),
            "feed_url": request.build_absolute_uri(reverse("curriculum-feed", args=[token.token])),
        },
    )


@require_POST
@role_required(Role.TRAINEE)
def feed_revoke(request):
    feed_token_revoke(trainee=_own_trainee(request))
    messages.success(request, _("已重置订阅地址，旧地址立即失效，请在日历应用中重新订阅。"))
    return redirect("curriculum-my-schedule")


def feed(request, token):
    """The private feed: the secret in the URL is the only key (calendar apps cannot log in).
    A revoked or unknown token is a 404, and so is the token of a trainee who has left or whose
    login is disabled, should a revocation ever have been missed."""
    feed_token = get_object_or_404(
        CalendarFeedToken.objects.select_related(
            "trainee__camp", "trainee__person", "trainee__person__user"
        ),
        token=token,
    )
    user = feed_token.trainee.person.user
    if not feed_token.trainee.is_active or user is None or not user.is_active:
        raise Http404
    body = trainee_calendar(feed_token.trainee, host=request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="schedule.ics"'
    return response


urlpatterns = [
    path("my/schedule/", schedule, name="curriculum-my-schedule"),
    path("my/schedule/feed/revoke/", feed_revoke, name="curriculum-feed-revoke"),
    path("feeds/<str:token>.ics", feed, name="curriculum-feed"),
]
