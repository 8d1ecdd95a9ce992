"""The trail of full personal data (身份证号, phone) shown or exported unmasked: the issue asks
that staff and orgdept see it only when they ask, and that each time is logged."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from camp.models import Camp, SensitiveAccessLog, User
from camp.workbooks import registry


@transaction.atomic
def sensitive_access_log(*, user: User | None, action: str, target: str, detail: str = ""):
    # Cut rather than refuse: the data was already shown, the trail must not be lost.
    entry = SensitiveAccessLog(
        user=user,
        action=action,
        target=target[: SensitiveAccessLog._meta.get_field("target").max_length],
        detail=detail[: SensitiveAccessLog._meta.get_field("detail").max_length],
    )
    entry.full_clean()
    entry.save()
    return entry


def unmasked_export_log(*, user: User | None, camp: Camp, kind: str, filename: str):
    """An unmasked workbook left the app (browser, background job or command line)."""
    return sensitive_access_log(
        user=user,
        action=SensitiveAccessLog.Action.EXPORT,
        target=_("%(code)s届 %(label)s") % {"code": camp.code, "label": registry[kind].label},
        detail=filename,
    )
