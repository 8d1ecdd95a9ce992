"""Menu entries of the assessment app's scheme, entry and submission screens (registered from
AssessmentConfig.ready; D2's screens add theirs the same way)."""

from django.utils.translation import gettext_noop

from camp.navigation import MENU, add_menu_item

# (label, url name): labels are msgids, translated by camp.navigation, which shows an entry to
# whoever its page lets in.
ITEMS = [
    (gettext_noop("考核方案"), "assessment-scheme"),
    (gettext_noop("快速录入"), "assessment-grid-start"),
    (gettext_noop("材料评阅"), "assessment-inbox"),
    (gettext_noop("我的材料"), "assessment-my-submissions"),
    # Reviews, summaries, scores, contests and comments.
    (gettext_noop("我的成绩"), "assessment-my-scores"),
    (gettext_noop("小组成绩"), "assessment-my-group-scores"),
    (gettext_noop("成绩排名"), "assessment-ranking"),
    (gettext_noop("每月小结"), "assessment-summaries"),
    (gettext_noop("每周讲评"), "assessment-reviews"),
    (gettext_noop("擂台比拼"), "assessment-contests"),
    (gettext_noop("领导点评"), "assessment-comments"),
]


def register() -> None:
    known = {entry[1] for entry in MENU}
    for label, url_name in ITEMS:
        if url_name not in known:
            add_menu_item(label, url_name)
