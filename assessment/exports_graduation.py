"""Workbook kind `graduation` (who graduates, appraisals, awards, certificate numbers): orgdept
and staff only. Registered with camp.workbooks through assessment/exports.py."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from camp.access import can_export_class_workbooks
from camp.workbooks import (
    Column,
    ExportRequest,
    NoDataError,
    SheetWriter,
    export_filename,
    new_workbook,
    register,
)

from .graduation_selectors import graduations
from .models import Graduation
from .services.graduation import graduation_policy_of, outstanding_quota


@register("graduation", label=gettext_lazy("结业情况"), allowed=can_export_class_workbooks)
def build_graduation(request: ExportRequest):
    """Who graduates, appraisals, awards and certificate numbers."""
    camp = request.camp
    trainees = graduations(camp)
    if not Graduation.objects.filter(trainee__camp=camp).exists():
        raise NoDataError(_("%(camp)s 还没有结业鉴定。") % {"camp": camp.name})
    policy = graduation_policy_of(camp)
    workbook = new_workbook()
    sheet = SheetWriter(
        workbook,
        _("%(camp)s 结业情况（优秀学员比例%(share)s%%，名额%(quota)d名）")
        % {"camp": camp.name, "share": policy.outstanding_share, "quota": outstanding_quota(camp)},
        _("结业情况"),
        [
            Column(_("序号"), 6),
            Column(_("姓名"), 10),
            Column(_("小组"), 8),
            Column(_("工作单位"), 24),
            Column(_("准予结业"), 8),
            Column(_("不予结业原因"), 24),
            Column(_("优秀学员"), 8),
            Column(_("结业证书编号"), 16),
            Column(_("结业鉴定"), 60),
            Column(_("定稿时间"), 16),
        ],
    )
    for number, trainee in enumerate(trainees.iterator(chunk_size=500), start=1):
        graduation = getattr(trainee, "graduation", None)
        person = [number, trainee.person.name, _group_number(trainee), trainee.person.unit]
        if graduation is None:
            sheet.append([*person, _("未填写"), "", "", "", "", None])
            continue
        sheet.append(
            [
                *person,
                _("是") if graduation.graduates else _("否"),
                graduation.decline_reason,
                _("是") if graduation.outstanding else _("否"),
                graduation.certificate_number or "",
                graduation.appraisal,
                graduation.finalized_at,
            ]
        )
    return workbook, export_filename(camp, _("结业情况"))


def _group_number(trainee):
    return trainee.group.number if trainee.group else None
