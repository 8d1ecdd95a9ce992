from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurriculumConfig(AppConfig):
    name = "curriculum"
    verbose_name = _("教学安排")

    def ready(self) -> None:
        from camp.services.camps import CAMP_CREATED_HOOKS
        from camp.services.logins import LOGIN_DISABLED_HOOKS
        from trainees.services.admission import TRAINEE_WITHDRAWN_HOOKS

        # Workbook kinds, the demo step, menu entries and home panels of this app.
        from . import (  # noqa: F401
            demo,
            demo_editions,
            demo_notices,
            demo_roll_call,
            exports,
            exports_hours,
            menu,
            reminders,
            todos,
        )
        from .services.feed import feed_tokens_revoke, feed_tokens_revoke_for_user
        from .services.plan import curriculum_targets_create_defaults

        CAMP_CREATED_HOOKS.append(lambda camp: curriculum_targets_create_defaults(camp=camp))
        menu.register()
        # What this app holds about a person (camp.retention).
        from . import retention

        retention.register()
        exports_hours.register_hours_columns()
        todos.register()
        reminders.register()
        # Every attendance change may raise or withdraw an escalation (预警).
        from curriculum.services.attendance import ATTENDANCE_CHANGED_HOOKS
        from curriculum.services.escalations import escalations_sync

        if escalations_sync not in ATTENDANCE_CHANGED_HOOKS:
            ATTENDANCE_CHANGED_HOOKS.append(escalations_sync)
        # A feed URL is a login of its own: it ends with the trainee's place and with the login.
        TRAINEE_WITHDRAWN_HOOKS.append(lambda trainee: feed_tokens_revoke(trainees=[trainee]))
        LOGIN_DISABLED_HOOKS.append(feed_tokens_revoke_for_user)
