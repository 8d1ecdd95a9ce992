from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurriculumConfig(AppConfig):
    name = "curriculum"
    verbose_name = _("教学安排")

    def ready(self) -> None:
        # Registers this app's workbook kinds with camp.workbooks.
        from . import exports  # noqa: F401
