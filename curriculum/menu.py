"""Menu entries and home panels of the curriculum app (registered once from ready())."""

from django.utils import timezone
from django.utils.translation import gettext_noop

from camp.access import has_role
from camp.navigation import MENU, add_menu_item
from camp.panels import register_panel
from camp.roles import Role

# (label, url name, takes the camp code). Labels are msgids: camp.navigation translates them and
# shows an entry to whoever its page lets in.
ITEMS = [
    (gettext_noop("我的课表"), "curriculum-my-schedule", False),
    (gettext_noop("教学日历"), "curriculum-calendar", True),
    (gettext_noop("课程计划"), "curriculum-plan", True),
    (gettext_noop("考勤"), "curriculum-attendance", True),
    (gettext_noop("请假"), "curriculum-leave", True),
    (gettext_noop("考勤预警"), "curriculum-escalations", True),
    (gettext_noop("谈心谈话"), "curriculum-talks", True),
    (gettext_noop("调研课题"), "curriculum-research", True),
    (gettext_noop("首席项目"), "curriculum-chief-projects", True),
    (gettext_noop("突击队"), "curriculum-task-forces", True),
    (gettext_noop("评课"), "curriculum-evaluations", True),
]


def _next_day_panel(request, camp):
    from trainees.access import trainee_for_user

    from .selectors import next_training_day

    if camp is None:
        return None
    trainee = trainee_for_user(request.user, camp)
    return {"camp": camp, "day": next_training_day(camp, timezone.localdate(), trainee=trainee)}


def _absences_panel(request, camp):
    from .access import visible_attendance
    from .selectors import unexcused_absences

    if camp is None or not has_role(request.user, Role.STAFF):
        return None
    absences = unexcused_absences(visible_attendance(request.user, camp))
    return {"camp": camp, "absences": absences[:10], "count": absences.count()}


def register() -> None:
    known = {entry[1] for entry in MENU}
    for label, url_name, per_camp in ITEMS:
        if url_name not in known:
            add_menu_item(label, url_name, per_camp=per_camp)
    register_panel(
        roles={Role.TRAINEE, Role.STAFF},
        order=10,
        template="curriculum/panels/next_day.html",
        context=_next_day_panel,
    )
    register_panel(
        roles={Role.STAFF},
        order=11,
        template="curriculum/panels/absences.html",
        context=_absences_panel,
    )
