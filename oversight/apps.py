from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    """The organization department's side of the camp (市委组织部), above the assessment that it
    reads: tracking and inspection notes, interviews, the shortlist, the dashboards and the
    training record. Its tables kept the assessment app's names when it moved here."""

    name = "oversight"
    verbose_name = _("组织部考察")

    def ready(self) -> None:
        from django.utils.translation import gettext_noop

        from camp.navigation import MENU, add_menu_item

        # Registers the workbook kinds (record, shortlist), the annual report's document kind,
        # the demo step and the to-dos.
        from . import (  # noqa: F401
            demo,
            exports_annual_report,
            exports_record,
            exports_shortlist,
            todos,
        )
        from .views import dashboards

        dashboards.register()
        todos.register()
        # Who sees an entry is whoever its page lets in (camp.navigation asks the view).
        items = [
            (gettext_noop("数据看板"), "camp-dashboard"),
            (gettext_noop("跟踪关注"), "tracking-list"),
            (gettext_noop("分类面谈"), "interview-list"),
            (gettext_noop("综合比选"), "shortlist-list"),
            (gettext_noop("年度报告"), "annual-report"),
        ]
        known = {entry[1] for entry in MENU}
        for label, url_name in items:
            if url_name not in known:
                # Ahead of graduation, as when these pages were the assessment's.
                add_menu_item(label, url_name, per_camp=True, before="graduation-list")
