"""The training record (培训档案): everything about one trainee's year on one page.

Talks are confidential: they appear only for staff and the trainee's current counselor
(curriculum's `visible_talks`). Comments follow `visible_leader_comments`."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from assessment.access import own_remarks_only, visible_leader_comments
from assessment.models import CommentTarget
from assessment.score_selectors import (
    category_rows,
    item_rows,
    trainee_contests,
    trainee_reviews,
    trainee_standing,
)
from assessment.selectors import scheme_items
from curriculum.access import can_read_talks, visible_talks
from curriculum.hours_selectors import trainee_study_hours
from curriculum.models import Attendance, AttendanceStatus, ChiefProject, ResearchMember
from curriculum.rate_selectors import attendance_by_trainee


def training_record(user, trainee) -> dict:
    items = list(scheme_items(trainee.camp))
    score = trainee_standing(trainee)
    attendance = Attendance.objects.filter(trainee=trainee)
    summary = next(iter(attendance_by_trainee(attendance)), None)
    remarks = trainee_reviews(trainee)
    remarks = own_remarks_only(user, remarks)
    return {
        "trainee": trainee,
        "score": score,
        "categories": category_rows(score, items) if score else [],
        "items": item_rows(score, items),
        "attendance": summary,
        "study_hours": trainee_study_hours(
            trainee, day=min(timezone.localdate(), trainee.camp.end_date)
        ),
        "absences": attendance.filter(
            status__in=[AttendanceStatus.ABSENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY]
        )
        .select_related("session")
        .order_by("-session__date"),
        "remarks": remarks,
        "talks": visible_talks(user, trainee.camp)
        .filter(trainee=trainee)
        .select_related("counselor")
        .order_by("-held_on"),
        "can_see_talks": can_read_talks(user),
        "research": ResearchMember.objects.filter(trainee=trainee).select_related("topic"),
        "chief_project": ChiefProject.objects.filter(trainee=trainee).first(),
        "contests": trainee_contests(trainee),
        "comments": visible_leader_comments(user, trainee.camp).filter(
            Q(trainee=trainee)
            | Q(target=CommentTarget.GROUP, group_id=trainee.group_id)
            | Q(target=CommentTarget.CAMP)
        ),
    }
