from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("考核评价")

    def ready(self) -> None:
        from camp.services.camps import CAMP_CREATED_HOOKS

        # Registers this app's workbook kinds with camp.workbooks.
        from . import exports, menu  # noqa: F401

        if _create_default_scheme not in CAMP_CREATED_HOOKS:
            CAMP_CREATED_HOOKS.append(_create_default_scheme)
        menu.register()


def _create_default_scheme(camp) -> None:
    from .services.scheme import scheme_create_default

    scheme_create_default(camp=camp)
