from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurriculumConfig(AppConfig):
    name = "curriculum"
    verbose_name = _("教学安排")

    def ready(self) -> None:
        from camp.services.camps import CAMP_CREATED_HOOKS

        # Workbook kinds, the demo step, menu entries and home panels of this app.
        from . import demo, exports, menu, todos  # noqa: F401
        from .services.plan import curriculum_targets_create_defaults

        CAMP_CREATED_HOOKS.append(lambda camp: curriculum_targets_create_defaults(camp=camp))
        menu.register()
        todos.register()
