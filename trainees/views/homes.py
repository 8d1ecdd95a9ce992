"""The home pages of trainees and counselors: panels that each app contributes."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path
from django.utils.translation import gettext as _

from camp.access import role_required
from camp.navigation import current_camp_for
from camp.panels import panels_for
from camp.roles import Role


def _home(request, title):
    camp = current_camp_for(request.user)
    if camp is None:
        return render(request, "camp/no_camp.html")
    # Each panel is rendered with its own context, so one app's names never leak into another's.
    panels = [
        render_to_string(template, context, request=request)
        for template, context in panels_for(request, camp)
    ]
    return render(request, "trainees/home.html", {"camp": camp, "panels": panels, "title": title})


@role_required(Role.TRAINEE)
def trainee_home(request):
    return _home(request, _("学员首页"))


@role_required(Role.COUNSELOR)
def counselor_home(request):
    return _home(request, _("辅导员首页"))


urlpatterns = [
    path("home/trainee/", trainee_home, name="trainee-home"),
    path("home/counselor/", counselor_home, name="counselor-home"),
]
