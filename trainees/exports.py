"""Workbook kinds of this app, registered with camp.workbooks.registry."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from camp.access import can_export_group_workbooks
from camp.workbooks import (
    Column,
    ExportRequest,
    NoDataError,
    SheetWriter,
    export_filename,
    labels_by_pk,
    mask_id_number,
    mask_phone,
    new_workbook,
    register,
)

from .access import can_read_selection, visible_trainees
from .eligibility import eligibility_of
from .models import StudyGroup
from .roster_columns import roster_extra_cells, roster_extra_headers
from .selectors import candidates_for_camp, roster


def _id_and_phone(person, unmasked: bool) -> tuple[str, str]:
    if unmasked:
        return person.id_number or "", person.phone
    return mask_id_number(person.id_number), mask_phone(person.phone)


def _person_columns() -> list[Column]:
    """The personal details both lists open with, after the row number."""
    return [
        Column(_("姓名"), 10),
        Column(_("性别"), 6),
        Column(_("出生日期"), 12),
        Column(_("身份证号"), 20),
        Column(_("工作单位"), 24),
        Column(_("现任职务"), 16),
        Column(_("职级"), 10),
        Column(_("干部类别"), 10),
    ]


def _person_cells(person, id_number: str) -> list:
    return [
        person.name,
        person.get_gender_display(),
        person.birth_date,
        id_number,
        person.unit,
        person.position,
        person.get_rank_display(),
        person.get_cadre_type_display(),
    ]


@register("candidates", label=gettext_lazy("候选人名单"), allowed=can_read_selection)
def build_candidates(request: ExportRequest):
    camp = request.camp
    candidates = candidates_for_camp(camp)
    if not candidates.exists():
        raise NoDataError(_("%(camp)s 还没有候选人，请先导入。") % {"camp": camp.name})
    workbook = new_workbook()
    sheet = SheetWriter(
        workbook,
        _("%(camp)s 候选人名单") % {"camp": camp.name},
        _("候选人"),
        [
            Column(_("序号"), 6),
            *_person_columns(),
            Column(_("录用年份"), 10),
            Column(_("联系电话"), 14),
            Column(_("资格"), 8),
            Column(_("资格说明"), 40),
            Column(_("优先（乡镇党政正职经历）"), 12),
            Column(_("决定"), 8),
            Column(_("决定理由"), 30),
        ],
    )
    for number, candidate in enumerate(candidates.iterator(chunk_size=500), start=1):
        person = candidate.person
        eligibility = eligibility_of(person, camp)
        id_number, phone = _id_and_phone(person, request.unmasked)
        sheet.append(
            [
                number,
                *_person_cells(person, id_number),
                person.recruitment_year,
                phone,
                eligibility.verdict,
                eligibility.explanation,
                _("是") if person.township_chief_experience else _("否"),
                candidate.get_decision_display(),
                candidate.decision_reason,
            ]
        )
    return workbook, export_filename(camp, _("候选人名单"))


@register(
    "roster",
    label=gettext_lazy("学员名册"),
    allowed=can_export_group_workbooks,
)
def build_roster(request: ExportRequest):
    """All trainees for staff, orgdept and the command line; a counselor's own group."""
    camp = request.camp
    base = visible_trainees(request.user, camp) if request.user is not None else None
    group = request.group.pk if request.group is not None else None
    trainees = roster(camp, group=group, base=base)
    if not trainees.exists():
        raise NoDataError(_("%(camp)s 还没有学员。") % {"camp": camp.name})
    workbook = new_workbook()
    sheet = SheetWriter(
        workbook,
        _("%(camp)s 学员名册") % {"camp": camp.name},
        _("学员名册"),
        [
            Column(_("序号"), 6),
            *_person_columns(),
            Column(_("符合条件"), 14),
            Column(_("学习小组"), 16),
            Column(_("政治辅导员"), 10),
            Column(_("班级职务"), 8),
            Column(_("联系电话"), 14),
            Column(_("状态"), 8),
            Column(_("退出日期"), 12),
            Column(_("退出原因"), 24),
            *[Column(header, 10) for header in roster_extra_headers()],
        ],
    )
    group_labels = labels_by_pk(StudyGroup.objects.filter(camp=camp))
    # Columns other apps add (学时), as of the export's day, for the trainees exported.
    extra = roster_extra_cells(trainees, timezone.localdate())
    blank = [None] * len(roster_extra_headers())
    for number, trainee in enumerate(trainees.iterator(chunk_size=500), start=1):
        person = trainee.person
        eligibility = eligibility_of(person, camp)
        id_number, phone = _id_and_phone(person, request.unmasked)
        withdrawal = ""
        if not trainee.is_active:
            withdrawal = f"{trainee.get_withdrawal_kind_display()}：{trainee.withdrawal_reason}"
        sheet.append(
            [
                number,
                *_person_cells(person, id_number),
                eligibility.path_label or _("破格录取"),
                group_labels[trainee.group_id] if trainee.group_id else _("未分组"),
                trainee.group.counselor.name if trainee.group and trainee.group.counselor else "",
                trainee.get_post_display() if trainee.post else "",
                phone,
                trainee.get_status_display(),
                trainee.withdrawn_on,
                withdrawal,
                *extra.get(trainee.pk, blank),
            ]
        )
    return workbook, export_filename(camp, _("学员名册"))
