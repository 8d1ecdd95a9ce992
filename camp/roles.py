from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The app's roles. `staff` is the party school's class management, not Django's `is_staff`
    flag (which only opens the admin, and only superusers get it)."""

    STAFF = "staff", _("党校管理员")
    COUNSELOR = "counselor", _("政治辅导员")
    TRAINEE = "trainee", _("学员")
    ORGDEPT = "orgdept", _("组织部")
    LEADER = "leader", _("领导")
