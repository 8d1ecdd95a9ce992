from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("考核评价")

    def ready(self) -> None:
        from camp.services.camps import CAMP_CREATED_HOOKS

        # Registers this app's workbook kinds with camp.workbooks, and its Celery tasks, which
        # camp.jobs enqueues by name.
        from . import exports, menu, reminders, tasks  # noqa: F401
        from .services import export_jobs  # noqa: F401  (names the zip of records)

        if _create_default_scheme not in CAMP_CREATED_HOOKS:
            CAMP_CREATED_HOOKS.append(_create_default_scheme)
        menu.register()
        reminders.register()
        _follow_attendance_changes()
        # The demo modules register their steps on import.
        from . import demo, demo_documents, demo_editions, drafts, panels, todos  # noqa: F401

        drafts.register()
        panels.register()
        # What this app holds about a person (camp.retention).
        from . import retention

        retention.register()
        todos.register()
        _menu_ready()


def _create_default_scheme(camp) -> None:
    from .services.scheme import scheme_create_default

    scheme_create_default(camp=camp)


def _follow_attendance_changes() -> None:
    """A correction to an attendance or leave record corrects its deduction. curriculum cannot
    import this app, so it calls the hooks registered here (after its transaction commits);
    the daily `sync_attendance_deductions` task covers anything else."""
    try:
        from curriculum.services.attendance import ATTENDANCE_CHANGED_HOOKS
    except ImportError:
        return
    if _sync_after_attendance_change not in ATTENDANCE_CHANGED_HOOKS:
        ATTENDANCE_CHANGED_HOOKS.append(_sync_after_attendance_change)


def _sync_after_attendance_change(*, camp, trainee_ids=None, by=None) -> None:
    from .services.attendance import attendance_deductions_sync

    attendance_deductions_sync(camp=camp, trainee_ids=trainee_ids, by=by)


def _menu_ready() -> None:
    """Graduation and "my exports" in the menu (the organization department's entries are the
    oversight app's)."""
    from django.utils.translation import gettext_noop

    from camp.navigation import MENU, add_menu_item

    # Who sees an entry is whoever its page lets in (camp.navigation asks the view).
    items = [
        (gettext_noop("结业"), "graduation-list", True),
        (gettext_noop("我的导出"), "my-exports", False),
    ]
    known = {entry[1] for entry in MENU}
    for label, url_name, per_camp in items:
        if url_name not in known:
            add_menu_item(label, url_name, per_camp=per_camp)
