"""The home pages of trainees and counselors: panels that each app contributes."""

from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from camp.access import role_required
from camp.navigation import current_camp_for
from camp.panels import render_panels
from camp.roles import Role
from camp.todos import todos_for


def _home(request, title):
    camp = current_camp_for(request.user)
    if camp is None:
        return render(request, "camp/no_camp.html")
    # The to-dos first: what the person came to do, above the charts that explain it.
    todos = todos_for(request, camp)
    panels = render_panels(request, camp)
    context = {"camp": camp, "todos": todos, "panels": panels, "title": title}
    return render(request, "trainees/home.html", context)


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
