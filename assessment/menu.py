"""Menu entries of the assessment app's scheme, entry and submission screens (registered from
AssessmentConfig.ready; D2's screens add theirs the same way)."""

from django.utils.translation import gettext_noop

from camp.navigation import MENU, add_menu_item
from camp.roles import Role

# (label, url name, roles): labels are msgids, translated by camp.navigation.
ITEMS = [
    (gettext_noop("考核方案"), "assessment-scheme", {Role.STAFF, Role.ORGDEPT}),
    (gettext_noop("快速录入"), "assessment-grid-start", {Role.STAFF, Role.COUNSELOR}),
    (gettext_noop("材料评阅"), "assessment-inbox", {Role.STAFF, Role.COUNSELOR}),
    (gettext_noop("我的材料"), "assessment-my-submissions", {Role.TRAINEE}),
    # Reviews, summaries, scores, contests and comments.
    (gettext_noop("我的成绩"), "assessment-my-scores", {Role.TRAINEE}),
    (gettext_noop("小组成绩"), "assessment-my-group-scores", {Role.COUNSELOR}),
    (gettext_noop("成绩排名"), "assessment-ranking", {Role.STAFF, Role.ORGDEPT, Role.LEADER}),
    (gettext_noop("每月小结"), "assessment-summaries", {Role.STAFF, Role.ORGDEPT, Role.LEADER}),
    (gettext_noop("每周讲评"), "assessment-reviews", set(Role.values)),
    (gettext_noop("擂台比拼"), "assessment-contests", set(Role.values)),
    (gettext_noop("领导点评"), "assessment-comments", set(Role.values)),
]


def register() -> None:
    known = {entry[1] for entry in MENU}
    for label, url_name, roles in ITEMS:
        if url_name not in known:
            add_menu_item(label, url_name, roles)
