"""个人修养要则: each trainee writes the rules they hold themself to."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from camp.models import User
from trainees.access import is_self
from trainees.models import ConductCode, Trainee, TraineeStatus

CONDUCT_CODE_MAX_LENGTH = ConductCode._meta.get_field("text").max_length


@transaction.atomic
def conduct_code_save(*, trainee: Trainee, text: str, by: User) -> ConductCode:
    """Write or rewrite a trainee's conduct code. Only the trainee writes it: a counselor or
    staff member reads it but never speaks in the trainee's name."""
    if not is_self(by, trainee):
        raise PermissionDenied(_("个人修养要则只能由学员本人填写。"))
    if trainee.status != TraineeStatus.ACTIVE:
        raise ValidationError(_("您已退出本期培训，个人修养要则不能再修改。"))
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("请填写个人修养要则的内容。"))
    if len(text) > CONDUCT_CODE_MAX_LENGTH:
        raise ValidationError(
            _("个人修养要则请控制在%(limit)d字以内（现有%(length)d字）。"),
            params={"limit": CONDUCT_CODE_MAX_LENGTH, "length": len(text)},
        )
    code = ConductCode.objects.select_for_update().filter(trainee=trainee).first()
    if code is None:
        code = ConductCode(trainee=trainee)
    if code.text == text:
        return code
    code.text = text
    code._history_user = by
    code.full_clean()
    code.save()
    return code
