"""The appraisal form's texts written outside the staff's graduation record: the trainee's own
summary (个人总结) and the counselor's group opinion (小组鉴定意见). Who may write which is
`access.can_write_statement`; the views ask it before calling here.

A write says what it saw (STYLE.md): the form carries the version its writer read (0 for none),
and a text changed since is refused with who changed it, never overwritten. Once staff finalize
the graduation (certificate numbers), the form is filed and its texts no longer change.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trainees.models import Trainee

from ..models import AppraisalStatement, Graduation, StatementKind


def _refuse_if_filed(trainee: Trainee) -> None:
    graduation = Graduation.objects.filter(trainee=trainee).only("finalized_at").first()
    if graduation is not None and graduation.finalized_at is not None:
        raise ValidationError(
            _("结业鉴定已定稿，鉴定表的文字不能再修改。如需更正，请联系党校管理员。")
        )
    if not trainee.is_active:
        raise ValidationError(_("该学员已退出，不参加结业鉴定。"))


def _stale(statement: AppraisalStatement) -> ValidationError:
    who = str(statement.written_by)  # the user's name as the app shows it
    return ValidationError(
        _(
            "%(who)s已于%(at)s修改了这段文字，您看到的不是最新内容。"
            "请复制您的修改，刷新页面后在最新内容上再改。"
        )
        % {"who": who, "at": timezone.localtime(statement.updated_at).strftime("%Y-%m-%d %H:%M")}
    )


@transaction.atomic
def appraisal_statement_save(
    *, trainee: Trainee, kind: str, text: str, by, seen_version: int
) -> AppraisalStatement:
    """Write `kind` for `trainee` over the version the writer saw (0: there was none)."""
    if kind not in StatementKind.values:
        raise ValidationError(_("未知的鉴定表栏目。"))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("请填写内容。")})
    _refuse_if_filed(trainee)
    # No join in the locking read: PostgreSQL rechecks a row changed while we waited against
    # the joined row it had read before, and a new writer would make the row vanish.
    statement = (
        AppraisalStatement.objects.select_for_update().filter(trainee=trainee, kind=kind).first()
    )
    if statement is not None and statement.version != seen_version:
        raise _stale(statement)
    if statement is None and seen_version != 0:
        raise ValidationError(_("这段文字已被删除或不存在，请刷新页面后再填写。"))
    if statement is None:
        statement = AppraisalStatement(trainee=trainee, kind=kind, version=0)
    statement.text = text
    statement.version += 1
    statement.written_by = by
    statement.full_clean(validate_constraints=False)
    statement._history_user = by
    if statement.pk is None:
        try:
            # Two first writes at once: the unique constraint lets one in; the other is stale.
            with transaction.atomic():
                statement.save()
        except IntegrityError:
            raise _stale(
                AppraisalStatement.objects.select_related("written_by").get(
                    trainee=trainee, kind=kind
                )
            ) from None
    else:
        statement.save(update_fields=["text", "version", "written_by", "updated_at"])
    return statement
