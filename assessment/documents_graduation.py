"""Document kinds `appraisal-form` (学员鉴定表) and `certificate` (结业证书): Word documents as
they are filed in a cadre's personnel file, for one trainee (`request.trainee`) or the whole
edition in one document, a page per trainee. Registered with camp.workbooks through
assessment/exports.py; the same sheets feed the print pages (views/documents.py).

Who gets whose document is the access helpers' (`can_take_trainee_document`,
`document_trainees_for`); the rank appears only where `may_see_rank` lets this reader see it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from camp.documents import (
    DISPLAY_SIZE,
    add_page_break,
    add_paragraph,
    add_table,
    add_title,
    chinese_date,
    merge_across,
    new_document,
    set_min_height,
)
from camp.workbooks import ExportRequest, NoDataError, export_filename, register
from trainees.access import trainee_for_user
from trainees.models import Trainee

from .access import (
    can_take_edition_documents,
    can_take_graduation_documents,
    can_take_trainee_document,
    document_day,
    document_trainees_for,
    may_see_rank,
)
from .document_selectors import (
    AppraisalSheet,
    appraisal_sheets,
    certificate_holders,
    graduating_trainees,
)

ISSUER = gettext_lazy("中共湖州市委党校")
SIGNATURE_LINE = gettext_lazy("签名：　　　　　　　　年　　月　　日")
COUNSELOR_SIGNATURE = gettext_lazy("政治辅导员签名：　　　　　　　　年　　月　　日")
SEAL_LINE = gettext_lazy("（盖章）　　　　　　　　年　　月　　日")


def requested_trainees(request: ExportRequest) -> QuerySet[Trainee]:
    """The trainees a document request covers for its requester (None: the command line):
    the one asked for, if they may have it; else the edition as the requester may have it,
    which for a trainee is themself."""
    user, camp = request.user, request.camp
    if request.trainee is not None:
        if not can_take_trainee_document(user, request.trainee):
            raise PermissionDenied(_("您只能获取本人或本组学员的文书。"))
        return Trainee.objects.filter(pk=request.trainee.pk)
    if user is None or can_take_edition_documents(user):
        return document_trainees_for(user, camp)
    own = trainee_for_user(user, camp)
    return Trainee.objects.filter(pk=own.pk) if own else Trainee.objects.none()


def rank_label(sheet: AppraisalSheet) -> str:
    if sheet.class_rank is None:
        return _("不参加排名")
    return _("第%(rank)d名（共%(size)d人）") % {"rank": sheet.class_rank, "size": sheet.class_size}


def points(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def attendance_label(sheet: AppraisalSheet) -> str:
    return "—" if sheet.attendance_rate is None else f"{sheet.attendance_rate:.1f}%"


def hours_label(sheet: AppraisalSheet) -> str:
    if sheet.hours is None or not sheet.hours.required:
        return "—"
    return _("%(attended)s / %(required)s 学时") % {
        "attended": sheet.hours.attended,
        "required": sheet.hours.required,
    }


def conclusion_label(sheet: AppraisalSheet) -> str:
    """What the school concludes besides its text: graduates or not, outstanding, the number."""
    graduation = sheet.graduation
    if graduation is None:
        return ""
    if not graduation.graduates:
        return _("不予结业：%(reason)s") % {"reason": graduation.decline_reason}
    parts = [_("准予结业")]
    if graduation.outstanding:
        parts.append(_("评为优秀学员"))
    if graduation.certificate_number:
        parts.append(_("结业证书编号：%(number)s") % {"number": graduation.certificate_number})
    return "；".join(parts)


def appraisal_fields(sheet: AppraisalSheet, *, show_rank: bool) -> list[tuple[str, str]]:
    """The form's short fields in order, as (label, value): one list for Word and HTML."""
    trainee, person = sheet.trainee, sheet.trainee.person
    fields = [
        (_("姓名"), person.name),
        (_("性别"), person.get_gender_display()),
        (_("出生年月"), f"{person.birth_date.year}年{person.birth_date.month}月"),
        (_("工作单位及职务"), f"{person.unit} {person.position}".strip()),
        (_("职级"), person.rank_title or person.get_rank_display()),
        (_("届次"), trainee.camp.name),
        (_("学习小组"), sheet.group or "—"),
        (_("入营日期"), chinese_date(trainee.admitted_on)),
        (_("结业日期"), chinese_date(trainee.camp.graduation_date)),
        (_("出勤率（累计）"), attendance_label(sheet)),
        (_("学时"), hours_label(sheet)),
        (_("总分"), points(sheet.total)),
        *[(label, points(value)) for label, value in sheet.categories],
    ]
    if show_rank:
        fields.append((_("班级排名"), rank_label(sheet)))
    return fields


def _appraisal_page(document, sheet: AppraisalSheet, *, show_rank: bool) -> None:
    fields = dict(appraisal_fields(sheet, show_rank=show_rank))
    add_title(document, _("南太湖新锐特训营学员鉴定表"))
    add_paragraph(
        document,
        _("截至%(day)s　　　　填表日期：%(day)s") % {"day": chinese_date(sheet.day)},
        align="right",
    )
    labels = list(fields)
    # Six columns: label, value, label, value, label, value; wide values span three.
    rows = [
        [labels[0], fields[labels[0]], labels[1], fields[labels[1]], labels[2], fields[labels[2]]],
        [labels[3], fields[labels[3]], "", "", labels[4], fields[labels[4]]],
        [labels[5], fields[labels[5]], "", "", labels[6], fields[labels[6]]],
        [labels[7], fields[labels[7]], labels[8], fields[labels[8]], labels[9], fields[labels[9]]],
        [labels[10], fields[labels[10]], "", "", labels[11], fields[labels[11]]],
        [
            labels[12],
            fields[labels[12]],
            labels[13],
            fields[labels[13]],
            labels[14],
            fields[labels[14]],
        ],
    ]
    if show_rank:
        rows.append([_("班级排名"), fields[_("班级排名")]])
    graduation = sheet.graduation
    school = "\n".join(
        part
        for part in (graduation.appraisal if graduation else "", conclusion_label(sheet))
        if part
    )
    long_rows = [
        (_("个人总结"), sheet.self_summary + "\n\n" + str(SIGNATURE_LINE), 7),
        (_("小组鉴定意见"), sheet.group_opinion + "\n\n" + str(COUNSELOR_SIGNATURE), 4),
        (_("党校鉴定意见"), school + "\n\n" + str(ISSUER) + str(SEAL_LINE), 4),
        (_("组织部意见"), "\n\n\n" + str(SEAL_LINE), 3),
    ]
    first_long = len(rows)
    rows.extend([label, text] for label, text, _height in long_rows)
    table = add_table(document, rows, widths_cm=[2.6, 3.0, 1.8, 3.0, 2.0, 3.2])
    for index in (1, 2, 4):
        merge_across(table, index, 1, 3, rows[index][1])
    for index in range(6, len(rows)):
        merge_across(table, index, 1, 5, rows[index][1])
    for offset, (_label, _text, height) in enumerate(long_rows):
        set_min_height(table, first_long + offset, height)


@register(
    "appraisal-form",
    label=gettext_lazy("学员鉴定表"),
    allowed=can_take_graduation_documents,
    media="docx",
)
def build_appraisal_form(request: ExportRequest):
    camp = request.camp
    trainees = graduating_trainees(camp, requested_trainees(request))
    user = request.user
    if user is not None and not user.is_superuser:
        # A trainee's own form is theirs once filed; the draft is the staff's work in progress.
        trainees = trainees.exclude(person__user=user, graduation__finalized_at__isnull=True)
    sheets = appraisal_sheets(camp, trainees, day=document_day(camp))
    if not sheets:
        raise NoDataError(
            _("%(camp)s 没有可生成鉴定表的学员（学员本人须待结业鉴定定稿后下载）。")
            % {"camp": camp.name}
        )
    document = new_document(title=_("%(camp)s 学员鉴定表") % {"camp": camp.name})
    for done, sheet in enumerate(sheets, start=1):
        if done > 1:
            add_page_break(document)
        show_rank = user is None or may_see_rank(user, sheet.trainee)
        _appraisal_page(document, sheet, show_rank=show_rank)
        request.report_progress(done, len(sheets))
    return document, export_filename(camp, _document_what(_("学员鉴定表"), request), media="docx")


def certificate_lines(trainee: Trainee) -> dict[str, str]:
    """The certificate's words, for Word and HTML alike."""
    camp, graduation = trainee.camp, trainee.graduation
    return {
        "title": _("结业证书"),
        "name": trainee.person.name,
        "body": _(
            "%(name)s同志于%(start)s至%(end)s参加%(camp)s学习，完成规定的培训课程，"
            "经考核合格，准予结业。"
        )
        % {
            "name": trainee.person.name,
            "start": f"{camp.start_date.year}年{camp.start_date.month}月",
            "end": chinese_date(camp.graduation_date),
            "camp": camp.name,
        },
        "closing": _("特发此证。"),
        "number": _("证书编号：%(number)s") % {"number": graduation.certificate_number},
        "issuer": str(ISSUER),
        "seal": _("（印章）"),
        "date": chinese_date(camp.graduation_date),
    }


@register(
    "certificate",
    label=gettext_lazy("结业证书"),
    allowed=can_take_graduation_documents,
    media="docx",
)
def build_certificate(request: ExportRequest):
    camp = request.camp
    holders = list(certificate_holders(camp, requested_trainees(request)))
    if not holders:
        if request.trainee is not None:
            raise NoDataError(
                _("%(name)s 没有结业证书：须准予结业并由党校定稿编号后才能生成。")
                % {"name": request.trainee.person.name}
            )
        raise NoDataError(
            _("%(camp)s 还没有编号的结业证书：请党校管理员在结业页定稿并编发证书号。")
            % {"camp": camp.name}
        )
    document = new_document(title=_("%(camp)s 结业证书") % {"camp": camp.name})
    for done, trainee in enumerate(holders, start=1):
        if done > 1:
            add_page_break(document)
        lines = certificate_lines(trainee)
        for _blank in range(3):
            add_paragraph(document)
        add_title(document, lines["title"], size=DISPLAY_SIZE)
        add_paragraph(document)
        add_paragraph(document, lines["body"], indent=True)
        add_paragraph(document, lines["closing"], indent=True)
        for _blank in range(3):
            add_paragraph(document)
        add_paragraph(document, lines["seal"], align="right")
        add_paragraph(document, lines["issuer"], align="right")
        add_paragraph(document, lines["date"], align="right")
        add_paragraph(document)
        add_paragraph(document, lines["number"])
        request.report_progress(done, len(holders))
    return document, export_filename(camp, _document_what(_("结业证书"), request), media="docx")


def _document_what(what: str, request: ExportRequest) -> str:
    """The file says whose it is when it is one trainee's."""
    if request.trainee is not None:
        return f"{what}_{request.trainee.person.name}"
    return what
