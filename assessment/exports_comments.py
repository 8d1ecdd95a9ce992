"""Workbook kind `comments`: leader comments and weekly reviews. Registered with camp.workbooks
through assessment/exports.py; `build_export` asks `allowed` first."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from camp.access import can_export_group_workbooks
from camp.months import next_month
from camp.workbooks import (
    Column,
    ExportRequest,
    NoDataError,
    SheetWriter,
    export_filename,
    labels_by_pk,
    new_workbook,
    register,
)
from trainees.models import StudyGroup

from .access import export_group_scope
from .models import LeaderComment, WeeklyReview, WeeklyReviewRemark


@register(
    "comments",
    label=gettext_lazy("领导点评与每周讲评"),
    allowed=can_export_group_workbooks,
)
def build_comments(request: ExportRequest):
    """Leader comments and weekly reviews for `--month`, or the whole year so far. A counselor
    gets their own group's reviews and the comments on their group and its trainees."""
    camp = request.camp
    comments = LeaderComment.objects.filter(camp=camp).select_related("author", "trainee__person")
    reviews = WeeklyReview.objects.filter(group__camp=camp).select_related("author")
    remarks = WeeklyReviewRemark.objects.filter(review__group__camp=camp).select_related(
        "review", "trainee__person"
    )
    if request.month is not None:
        month = request.month
        following = next_month(month)
        comments = comments.filter(date__gte=month, date__lt=following)
        reviews = reviews.filter(week_start__gte=month, week_start__lt=following)
        remarks = remarks.filter(review__week_start__gte=month, review__week_start__lt=following)
    groups = export_group_scope(request.user)
    if groups is not None:
        comments = comments.filter(Q(group_id__in=groups) | Q(trainee__group_id__in=groups))
        reviews = reviews.filter(group_id__in=groups)
        remarks = remarks.filter(review__group_id__in=groups)
    if request.group is not None:
        comments = comments.filter(Q(group=request.group) | Q(trainee__group=request.group))
        reviews = reviews.filter(group=request.group)
        remarks = remarks.filter(review__group=request.group)
    if not comments.exists() and not reviews.exists():
        raise NoDataError(_("所选期间没有领导点评或每周讲评。"))

    group_labels = labels_by_pk(StudyGroup.objects.filter(camp=camp))
    workbook = new_workbook()
    comment_sheet = SheetWriter(
        workbook,
        _("%(camp)s 领导点评") % {"camp": camp.name},
        _("领导点评"),
        [
            Column(_("日期"), 12),
            Column(_("场合"), 20),
            Column(_("点评人"), 10),
            Column(_("点评对象"), 8),
            Column(_("小组/学员"), 16),
            Column(_("点评内容"), 60),
        ],
    )
    for comment in comments.order_by("date", "pk").iterator(chunk_size=500):
        if comment.trainee:
            about = comment.trainee.person.name
        else:
            about = group_labels.get(comment.group_id, "")
        comment_sheet.append(
            [
                comment.date,
                comment.occasion,
                str(comment.author),
                comment.get_target_display(),
                about,
                comment.text,
            ]
        )
    review_sheet = SheetWriter(
        workbook,
        _("%(camp)s 每周讲评") % {"camp": camp.name},
        _("每周讲评"),
        [
            Column(_("周一日期"), 12),
            Column(_("小组"), 14),
            Column(_("撰写人"), 10),
            Column(_("亮点"), 50),
            Column(_("问题与不足"), 50),
        ],
    )
    for review in reviews.order_by("week_start", "group__number").iterator(chunk_size=500):
        review_sheet.append(
            [
                review.week_start,
                group_labels[review.group_id],
                str(review.author),
                review.highlights,
                review.problems,
            ]
        )
    remark_sheet = SheetWriter(
        workbook,
        _("%(camp)s 个人点评") % {"camp": camp.name},
        _("个人点评"),
        [
            Column(_("周一日期"), 12),
            Column(_("小组"), 14),
            Column(_("学员"), 10),
            Column(_("点评"), 60),
        ],
    )
    for remark in remarks.order_by("review__week_start", "review__group__number", "pk"):
        remark_sheet.append(
            [
                remark.review.week_start,
                group_labels[remark.review.group_id],
                remark.trainee.person.name,
                remark.remark,
            ]
        )
    what = _("领导点评与讲评")
    if request.month is not None:
        what = _("%(y)d年%(m)d月领导点评与讲评") % {
            "y": request.month.year,
            "m": request.month.month,
        }
    return workbook, export_filename(camp, what)
