"""The counselor's weekly group review (每周讲评): write it (the reads, the weeks due and
missing, are assessment/review_selectors.py's).

Only the group's current counselor writes (a successor takes over the group's reviews). A
week is the Monday-to-Sunday week; the review of a week may be written from its Monday on.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trainees.access import counselor_group_ids
from trainees.models import StudyGroup

from ..models import WeeklyReview, WeeklyReviewRemark
from ..review_selectors import review_members, week_start_of


@transaction.atomic
def weekly_review_save(
    *,
    group: StudyGroup,
    week_start: datetime.date,
    highlights: str,
    problems: str,
    remarks: dict[int, str],
    by,
) -> WeeklyReview:
    """Create or update the group's review of a week, with a remark per trainee where given
    (an emptied remark is removed). Refused, with nothing written, if `by` is not the group's
    current counselor, the week is not a Monday of the camp's year, or a remark names someone
    outside the group."""
    if group.pk not in counselor_group_ids(by):
        raise ValidationError(_("只有本组现任政治辅导员可以撰写每周讲评。"))
    if week_start.weekday() != 0:
        raise ValidationError(_("请选择一周的周一作为讲评周。"))
    camp = group.camp
    if not week_start_of(camp.start_date) <= week_start <= camp.end_date:
        raise ValidationError(_("该周不在本期培训时间内，请重新选择。"))
    if week_start > week_start_of(timezone.localdate()):
        raise ValidationError(_("还不能撰写未来周次的讲评。"))
    highlights, problems = (highlights or "").strip(), (problems or "").strip()
    if not highlights and not problems:
        raise ValidationError(_("请至少填写亮点或问题与不足中的一项。"))
    members = set(review_members(group, week_start).values_list("pk", flat=True))
    strangers = set(remarks) - members
    if strangers:
        raise ValidationError(_("个人点评只能写给本组学员，请刷新页面后重试。"))

    review = (
        WeeklyReview.objects.select_for_update().filter(group=group, week_start=week_start).first()
    ) or WeeklyReview(group=group, week_start=week_start)
    review.highlights, review.problems, review.author = highlights, problems, by
    review.full_clean()
    review._history_user = by
    review.save()

    existing = {r.trainee_id: r for r in review.remarks.all()}
    for trainee_id, text in remarks.items():
        text = (text or "").strip()
        remark = existing.get(trainee_id)
        if not text:
            if remark is not None:
                remark._history_user = by
                remark.delete()
            continue
        if remark is None:
            remark = WeeklyReviewRemark(review=review, trainee_id=trainee_id)
        elif remark.remark == text:
            continue
        remark.remark = text
        remark.full_clean()
        remark._history_user = by
        remark.save()
    return review
