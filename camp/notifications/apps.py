from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "camp.notifications"
    label = "notifications"
    verbose_name = _("通知")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the tasks, which services enqueue by name.
        from . import tasks  # noqa: F401

        _register_retention()


def _register_retention() -> None:
    """What notifications hold about a person (camp.retention)."""
    from camp import retention

    from .models import Notification, NotificationSettings, Reminder

    # The person's own messages and reminders end with their login (deliveries go with them).
    retention.register(Notification, person="user__person", delete=True)
    retention.register(Reminder, person="user__person", delete=True)
    # Their messaging account (WeChat ID or phone).
    retention.register(NotificationSettings, person="user__person", clear=("messaging_id",))
    # Messages to others name them ("张三 申请请假"): the name becomes the pseudonym.
    retention.register_mentions(Notification, fields=("title", "body"))
