from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraineesConfig(AppConfig):
    name = "trainees"
    verbose_name = _("学员与选调")

    def ready(self) -> None:
        # Registers this app's workbook kinds with camp.workbooks.
        from camp.services.camps import CAMP_CREATED_HOOKS

        from . import exports  # noqa: F401
        from .services.groups import study_groups_create

        CAMP_CREATED_HOOKS.append(lambda camp: study_groups_create(camp=camp))
