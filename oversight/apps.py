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

        # Registers the workbook kinds (record, shortlist, editions), the annual report's
        # document kind, the demo steps and the to-dos.
        from . import (  # noqa: F401
            after_camp_demo,
            demo,
            exports_annual_report,
            exports_editions,
            exports_record,
            exports_shortlist,
            todos,
        )
        from .views import dashboards

        dashboards.register()
        todos.register()
        # What this app holds about a person (camp.retention).
        from . import retention

        retention.register()
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
        if "editions" not in known:
            # Every edition at once: an entry outside any one camp.
            add_menu_item(gettext_noop("届次对比"), "editions", per_camp=False)
        # After the camp spans the editions: its pages take no camp code.
        for label, url_name in (
            (gettext_noop("训后跟踪"), "aftercamp-graduates"),
            (gettext_noop("各届提拔率"), "aftercamp-overview"),
        ):
            if url_name not in known:
                add_menu_item(label, url_name, per_camp=False)
