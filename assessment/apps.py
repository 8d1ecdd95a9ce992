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
        from . import demo, panels, todos  # noqa: F401  (demo registers its step on import)

        panels.register()
        todos.register()
        # Last, so that a trainee trend panel registered above is reused, not duplicated.
        _oversight_ready()


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


def _oversight_ready() -> None:
    """The organization department's side (issue 5): menu entries, dashboards as home
    panels, and its demo step."""
    from django.utils.translation import gettext_noop

    from camp.navigation import MENU, add_menu_item
    from camp.roles import Role

    from . import demo_oversight  # noqa: F401  (registers its demo step on import)
    from .views import dashboards

    dashboards.register()
    overseers = {Role.STAFF, Role.ORGDEPT, Role.LEADER}
    items = [
        (gettext_noop("数据看板"), "camp-dashboard", overseers, True),
        (gettext_noop("跟踪关注"), "tracking-list", overseers, True),
        (gettext_noop("分类面谈"), "interview-list", {Role.STAFF, Role.ORGDEPT}, True),
        (gettext_noop("综合比选"), "shortlist-list", overseers, True),
        (gettext_noop("结业"), "graduation-list", overseers | {Role.COUNSELOR}, True),
        (
            gettext_noop("我的导出"),
            "my-exports",
            {Role.STAFF, Role.ORGDEPT, Role.COUNSELOR, Role.TRAINEE},
            False,
        ),
    ]
    known = {entry[1] for entry in MENU}
    for label, url_name, roles, per_camp in items:
        if url_name not in known:
            add_menu_item(label, url_name, roles, per_camp=per_camp)
