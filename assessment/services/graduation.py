"""Graduation (结业): who graduates, the appraisal (结业鉴定), the outstanding-trainee award
(优秀学员) within the camp's quota, and certificate numbers.

Certificate numbers look like `NTH2026-001`. They are given in a fixed order (group number,
then admission order) to graduates who have none yet, continuing after the highest number the
camp already has, so a number once printed never changes or moves to someone else.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from camp.models import Camp
from trainees.models import Trainee, TraineeStatus

from ..graduation_selectors import hours_short_of_minimum
from ..models import Graduation, GraduationPolicy


def graduation_policy_of(camp: Camp) -> GraduationPolicy:
    policy, _created = GraduationPolicy.objects.get_or_create(camp=camp)
    return policy


def outstanding_quota(camp: Camp, policy: GraduationPolicy | None = None) -> int:
    """How many outstanding-trainee awards the camp may give: its share of the active
    trainees, rounded down (15% of 150 is 22)."""
    policy = policy or graduation_policy_of(camp)
    active = Trainee.objects.filter(camp=camp).active().count()
    return int((Decimal(active) * policy.outstanding_share / 100).to_integral_value(ROUND_DOWN))


@transaction.atomic
def graduation_policy_update(*, camp: Camp, by, outstanding_share: Decimal) -> GraduationPolicy:
    policy = GraduationPolicy.objects.select_for_update().get(pk=graduation_policy_of(camp).pk)
    policy.outstanding_share = outstanding_share
    policy.full_clean()
    awarded = Graduation.objects.filter(trainee__camp=camp, outstanding=True).count()
    quota = outstanding_quota(camp, policy)
    if awarded > quota:
        raise ValidationError(
            _("已评优秀学员%(awarded)d名，按新比例只有%(quota)d个名额。请先取消部分优秀学员。")
            % {"awarded": awarded, "quota": quota}
        )
    policy._history_user = by
    policy.save(update_fields=["outstanding_share"])
    return policy


@transaction.atomic
def graduation_save(
    *,
    trainee: Trainee,
    by,
    graduates: bool,
    appraisal: str,
    outstanding: bool,
    decline_reason: str = "",
) -> Graduation:
    """Write a trainee's graduation draft. Refuses an award beyond the quota, an award to
    someone who does not graduate, and declining without a reason."""
    # One policy row per camp, locked: two staff awarding the last place at once.
    policy = GraduationPolicy.objects.select_for_update().get(
        pk=graduation_policy_of(trainee.camp).pk
    )
    graduation = Graduation.objects.filter(trainee=trainee).first() or Graduation(
        trainee=trainee, updated_by=by
    )
    if not graduates and not decline_reason.strip():
        raise ValidationError(
            {"decline_reason": _("不予结业须写明原因（例如：请假超过全年半天数的1/7）。")}
        )
    if outstanding and not graduates:
        raise ValidationError({"outstanding": _("不予结业的学员不能评为优秀学员。")})
    short = hours_short_of_minimum(trainee) if graduates else None
    if short is not None:
        raise ValidationError(
            {
                "graduates": _(
                    "已修学时%(attended)s不足应修学时%(required)s的%(share)s%%，不能准予结业。"
                    "请核对考勤，或选择不予结业并写明原因。"
                )
                % {
                    "attended": short.attended,
                    "required": short.required,
                    "share": Decimal(trainee.camp.min_hours_share).quantize(Decimal("0.1")),
                }
            }
        )
    if not graduates and graduation.certificate_number:
        raise ValidationError(
            {
                "graduates": _("该学员已发结业证书（%(number)s），不能改为不予结业。")
                % {"number": graduation.certificate_number}
            }
        )
    if outstanding and not graduation.outstanding:
        quota = outstanding_quota(trainee.camp, policy)
        awarded = (
            Graduation.objects.filter(trainee__camp=trainee.camp, outstanding=True)
            .exclude(trainee=trainee)
            .count()
        )
        if awarded >= quota:
            raise ValidationError(
                {
                    "outstanding": _(
                        "优秀学员名额已满：本期按%(share)s%%共%(quota)d名，已评%(awarded)d名。"
                        "请先取消其他学员的优秀学员，或请党校管理员调整比例。"
                    )
                    % {"share": policy.outstanding_share, "quota": quota, "awarded": awarded}
                }
            )
    graduation.graduates = graduates
    graduation.decline_reason = decline_reason.strip() if not graduates else ""
    graduation.appraisal = appraisal.strip()
    graduation.outstanding = outstanding
    graduation.updated_by = by
    graduation.full_clean()
    graduation._history_user = by
    graduation.save()
    return graduation


CERTIFICATE_SUFFIX = re.compile(r"-(\d+)$")


@transaction.atomic
def graduation_certificates_assign(*, camp: Camp, by) -> list[Graduation]:
    """Give certificate numbers to graduates who have none, and mark their records final."""
    policy = GraduationPolicy.objects.select_for_update().get(pk=graduation_policy_of(camp).pk)
    prefix = f"{policy.certificate_prefix}{camp.year}-"
    existing = Graduation.objects.filter(trainee__camp=camp, certificate_number__isnull=False)
    highest = 0
    for number in existing.values_list("certificate_number", flat=True):
        match = CERTIFICATE_SUFFIX.search(number)
        if number.startswith(prefix) and match:
            highest = max(highest, int(match.group(1)))
    pending = list(
        # OF self: the ordering joins the nullable group, which PostgreSQL will not lock.
        Graduation.objects.select_for_update(of=("self",))
        .filter(
            trainee__camp=camp,
            trainee__status=TraineeStatus.ACTIVE,
            graduates=True,
            certificate_number__isnull=True,
        )
        .order_by("trainee__group__number", "trainee__admitted_on", "trainee__pk")
    )
    if not pending:
        raise ValidationError(_("没有待编号的结业学员：请先为学员填写结业鉴定并准予结业。"))
    now = timezone.now()
    for offset, graduation in enumerate(pending, start=1):
        graduation.certificate_number = f"{prefix}{highest + offset:03d}"
        graduation.finalized_at = now
        graduation.updated_by = by
    bulk_update_with_history(
        pending,
        Graduation,
        ["certificate_number", "finalized_at", "updated_by"],
        default_user=by,
    )
    return pending
