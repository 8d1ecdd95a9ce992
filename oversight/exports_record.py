"""Workbook kinds for the organization department: `record` (one trainee's training record).
`shortlist` is in exports_shortlist.py; `comments` and `graduation` are the assessment's
(exports_comments.py, exports_graduation.py).

Registered with camp.workbooks through assessment/exports.py. Each builder checks the object
the requester asks for (a trainee's own record, a counselor's own group); `build_export`
checks the role first.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.access import may_see_rank
from assessment.models import (
    Graduation,
    LeaderComment,
    MonthlySummaryRow,
    ScoreEntry,
    WeeklyReviewRemark,
)
from assessment.score_selectors import trainee_contests
from camp.workbooks import (
    Column,
    ExportRequest,
    NoDataError,
    SheetWriter,
    export_filename,
    mask_id_number,
    mask_phone,
    new_workbook,
    register,
)
from curriculum.models import Attendance, ResearchMember
from trainees.access import can_view_trainee, trainee_for_user

from .access import can_export_training_record

MONTH_FORMAT = "yyyy-mm"


def _record_trainee(request: ExportRequest):
    trainee = request.trainee
    user = request.user
    if trainee is None and user is not None:
        trainee = trainee_for_user(user, request.camp)  # a trainee's own; None for the others
    if trainee is None:
        raise NoDataError(_("请指定学员（命令行用 --trainee 用户名）。"))
    if user is not None and not user.is_superuser and not can_view_trainee(user, trainee):
        # A trainee asking for someone else's record, a counselor for another group's.
        raise PermissionDenied(_("您只能导出本人或本组学员的培训档案。"))
    return trainee


@register(
    "record",
    label=gettext_lazy("培训档案"),
    allowed=can_export_training_record,
    needs={"trainee"},
)
def build_record(request: ExportRequest):
    """One trainee's year (培训档案): profile, attendance, score entries, monthly summaries,
    review remarks, contests, comments, research and chief project, graduation. Talk records
    stay out: a trainee may download this and must not read them."""
    trainee = _record_trainee(request)
    person = trainee.person
    name = person.name
    workbook = new_workbook()
    camp = request.camp

    profile = SheetWriter(
        workbook,
        _("%(name)s 培训档案 · %(camp)s") % {"name": name, "camp": camp.name},
        _("基本信息"),
        [Column(_("项目"), 16), Column(_("内容"), 50)],
    )
    id_number = person.id_number if request.unmasked else mask_id_number(person.id_number)
    phone = person.phone if request.unmasked else mask_phone(person.phone)
    group = trainee.group
    profile.extend(
        [
            [_("姓名"), name],
            [_("性别"), person.get_gender_display()],
            [_("出生日期"), person.birth_date],
            [_("身份证号"), id_number],
            [_("联系电话"), phone],
            [_("工作单位"), person.unit],
            [_("现任职务"), person.position],
            [_("职级"), person.get_rank_display()],
            [_("学习小组"), str(group) if group else _("未分组")],
            [_("政治辅导员"), group.counselor.name if group and group.counselor else ""],
            [_("班级职务"), trainee.get_post_display() if trainee.post else ""],
            [_("入营日期"), trainee.admitted_on],
            [_("状态"), trainee.get_status_display()],
        ]
    )

    attendance = SheetWriter(
        workbook,
        _("%(name)s 考勤") % {"name": name},
        _("考勤"),
        [
            Column(_("日期"), 12),
            Column(_("时段"), 8),
            Column(_("课程"), 40),
            Column(_("考勤"), 10),
            Column(_("备注"), 30),
        ],
    )
    for row in (
        Attendance.objects.filter(trainee=trainee)
        .select_related("session")
        .order_by("session__date", "session__start_time")
        .iterator(chunk_size=500)
    ):
        attendance.append(
            [
                row.session.date,
                row.session.get_half_day_display(),
                row.session.topic,
                row.get_status_display(),
                row.note,
            ]
        )

    entries = SheetWriter(
        workbook,
        _("%(name)s 考核记录") % {"name": name},
        _("考核记录"),
        [
            Column(_("日期"), 12),
            Column(_("序号"), 6),
            Column(_("考核项目"), 24),
            Column(_("类别"), 10),
            Column(_("分值"), 8),
            Column(_("事由"), 40),
            Column(_("记录人"), 10),
        ],
    )
    for entry in (
        ScoreEntry.objects.filter(trainee=trainee)
        .select_related("item", "recorded_by")
        .order_by("date", "item__number", "pk")
        .iterator(chunk_size=500)
    ):
        entries.append(
            [
                entry.date,
                entry.item.number,
                entry.item.name,
                entry.item.get_category_display(),
                entry.points,
                entry.reason,
                str(entry.recorded_by) if entry.recorded_by else "",
            ]
        )

    # A camp that hides ranks from trainees hides them in the trainee's own download too; the
    # command line (no user) and the overseers get them.
    show_rank = request.user is None or may_see_rank(request.user, trainee)
    ranks = [Column(_("班级排名"), 10), Column(_("小组排名"), 10)] if show_rank else []
    summaries = SheetWriter(
        workbook,
        _("%(name)s 月度小结") % {"name": name},
        _("月度小结"),
        [
            Column(_("月份"), 10, MONTH_FORMAT),
            Column(_("理论教育"), 10),
            Column(_("党性锻炼"), 10),
            Column(_("能力提升"), 10),
            Column(_("总分"), 10),
            Column(_("已考核分值"), 10),
            *ranks,
            Column(_("较上月变化"), 10),
            Column(_("累计出勤率（%）"), 10),
        ],
    )
    for row in MonthlySummaryRow.objects.filter(trainee=trainee).order_by("month"):
        summaries.append(
            [
                row.month,
                row.theory,
                row.party_spirit,
                row.capability,
                row.total,
                row.assessed_points,
                *([row.class_rank, row.group_rank] if ranks else []),
                row.change,
                row.attendance_rate,
            ]
        )

    remarks = SheetWriter(
        workbook,
        _("%(name)s 每周讲评中的个人点评") % {"name": name},
        _("讲评点评"),
        [Column(_("周一日期"), 12), Column(_("点评"), 60), Column(_("撰写人"), 10)],
    )
    for remark in (
        WeeklyReviewRemark.objects.filter(trainee=trainee)
        .select_related("review__author")
        .order_by("review__week_start")
    ):
        remarks.append([remark.review.week_start, remark.remark, str(remark.review.author)])

    contests = SheetWriter(
        workbook,
        _("%(name)s 擂台比拼") % {"name": name},
        _("擂台比拼"),
        [Column(_("日期"), 12), Column(_("比拼"), 30), Column(_("成绩"), 8), Column(_("名次"), 8)],
    )
    # Their own contests and their group's: the same ones the page lists and item 20 counts.
    for participant in trainee_contests(trainee).order_by("contest__date", "contest__pk"):
        contests.append(
            [
                participant.contest.date,
                participant.contest.title,
                participant.result,
                participant.rank,
            ]
        )

    comments = SheetWriter(
        workbook,
        _("%(name)s 领导点评") % {"name": name},
        _("领导点评"),
        [
            Column(_("日期"), 12),
            Column(_("场合"), 20),
            Column(_("点评人"), 10),
            Column(_("点评内容"), 60),
        ],
    )
    for comment in (
        LeaderComment.objects.filter(trainee=trainee).select_related("author").order_by("date")
    ):
        comments.append([comment.date, comment.occasion, str(comment.author), comment.text])

    work = SheetWriter(
        workbook,
        _("%(name)s 调研与首席项目") % {"name": name},
        _("调研与项目"),
        [Column(_("类型"), 10), Column(_("名称"), 30), Column(_("角色/目标"), 40)],
    )
    for membership in ResearchMember.objects.filter(trainee=trainee).select_related("topic"):
        role = _("课题组长") if membership.is_leader else _("课题组成员")
        work.append([_("调研课题"), membership.topic.title, role])
    project = getattr(trainee, "chief_project", None)
    if project is not None:
        work.append([_("首席项目"), project.title, project.goal])

    graduation = Graduation.objects.filter(trainee=trainee).first()
    if graduation is not None:
        closing = SheetWriter(
            workbook,
            _("%(name)s 结业鉴定") % {"name": name},
            _("结业"),
            [Column(_("项目"), 16), Column(_("内容"), 60)],
        )
        closing.extend(
            [
                [_("准予结业"), _("是") if graduation.graduates else _("否")],
                [_("不予结业原因"), graduation.decline_reason],
                [_("优秀学员"), _("是") if graduation.outstanding else _("否")],
                [_("结业证书编号"), graduation.certificate_number or ""],
                [_("结业鉴定"), graduation.appraisal],
            ]
        )
    return workbook, export_filename(camp, _("%(name)s培训档案") % {"name": name})
