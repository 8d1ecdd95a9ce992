from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class CampConfig(AppConfig):
    name = "camp"
    verbose_name = _("培训营")

    def ready(self) -> None:
        from .navigation import add_menu_item

        # Who sees an entry is whoever its page lets in (camp.navigation asks the view).
        add_menu_item(gettext_noop("变更历史"), "history-index", per_camp=False)
        add_menu_item(gettext_noop("敏感信息访问记录"), "sensitive-log", per_camp=False)
