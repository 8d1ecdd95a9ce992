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
        add_menu_item(gettext_noop("数据保留"), "retention", per_camp=False)
        _register_retention()


def _register_retention() -> None:
    """What camp's own tables hold about a person (camp.retention). Not registered:
    PasswordReset (who reset a login, and when: no text) and the background jobs' records."""
    from . import retention
    from .models import Draft, SensitiveAccessLog

    # A half-typed form of the person's login: personal, and of no use once the login ends.
    retention.register(Draft, person="user__person", delete=True)
    # The log names whom staff looked at ("学员 张三（2026届）"): the row is the trail and stays,
    # the name in it becomes the pseudonym.
    retention.register_mentions(SensitiveAccessLog, fields=("target", "detail"))
