"""A small year for the organization department's tests: for trainee 1 and trainee 2 of the
cast, one of everything the shortlist weighs (summary rows, a contest, attendance, a weekly
review remark, a leader comment, an interview, research and a chief project), plus a talk
record that must never show up next to a shortlist."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from assessment.models import (
    Contest,
    ContestParticipant,
    ContestStatus,
    LeaderComment,
    MonthlySummaryRow,
    WeeklyReview,
    WeeklyReviewRemark,
)
from curriculum.models import (
    Attendance,
    AttendanceStatus,
    ChiefProject,
    ResearchMember,
    ResearchTopic,
    Talk,
)
from oversight.models import (
    InspectionNote,
    Interview,
    InterviewCategory,
    ShortlistEntry,
    ShortlistRound,
    TrackedTrainee,
)
from oversight.services.shortlist import shortlist_round_create
from tests.assessment.conftest import item_of, raw_entry

from ..factories import SessionFactory, TrainingDayFactory


@dataclass
class OversightWorld:
    cast: object
    shortlist_round: ShortlistRound
    entry_1: ShortlistEntry
    entry_2: ShortlistEntry
    interview: Interview
    inspection_note: InspectionNote
    comment: LeaderComment
    review: WeeklyReview
    remark: WeeklyReviewRemark
    talk: Talk


def summary_row(trainee, month, total, rank, **extra) -> MonthlySummaryRow:
    total = Decimal(str(total))
    third = (total / 3).quantize(Decimal("0.1"))
    return MonthlySummaryRow.objects.create(
        camp=trainee.camp,
        month=month,
        trainee=trainee,
        group=trainee.group,
        theory=third,
        party_spirit=third,
        capability=total - 2 * third,
        item_scores={},
        total=total,
        assessed_points=Decimal("120.0"),
        class_rank=rank,
        group_rank=1,
        change=extra.pop("change", None),
        attendance_rate=extra.pop("attendance_rate", Decimal("95.0")),
        **extra,
    )


def build_world(cast) -> OversightWorld:
    camp = cast.camp
    t1, t2 = cast.trainee_in_group_1, cast.trainee_in_group_2
    for trainee, totals, ranks in ((t1, (100, 110), (2, 1)), (t2, (105, 104), (1, 2))):
        summary_row(trainee, datetime.date(2026, 3, 1), totals[0], ranks[0])
        summary_row(
            trainee,
            datetime.date(2026, 4, 1),
            totals[1],
            ranks[1],
            change=Decimal(totals[1] - totals[0]),
        )
    raw_entry(t1, 1, "2.0", reason='=HYPERLINK("http://evil")', recorded_by=cast.staff)
    day = TrainingDayFactory(camp=camp, slot_date=datetime.date(2026, 3, 14))
    session = SessionFactory(training_day=day)
    Attendance.objects.create(session=session, trainee=t1, status=AttendanceStatus.PRESENT)
    Attendance.objects.create(session=session, trainee=t2, status=AttendanceStatus.ABSENT)
    contest = Contest.objects.create(
        camp=camp,
        title="演讲擂台",
        date=datetime.date(2026, 4, 18),
        item=item_of(camp, 20),
        status=ContestStatus.CLOSED,
    )
    ContestParticipant.objects.create(contest=contest, trainee=t1, result=Decimal("13.5"), rank=1)
    raw_entry(
        t1, 20, "13.5", day=contest.date, source="contest", source_key=f"contest:{contest.pk}"
    )
    # Trainee 2 competed with their group: the group's result is every member's contest points.
    group_contest = Contest.objects.create(
        camp=camp,
        title="小组擂台",
        date=datetime.date(2026, 5, 16),
        item=item_of(camp, 20),
        status=ContestStatus.CLOSED,
    )
    ContestParticipant.objects.create(
        contest=group_contest, group=cast.group_2, result=Decimal("12.0"), rank=1
    )
    raw_entry(
        t2,
        20,
        "12.0",
        day=group_contest.date,
        source="contest",
        source_key=f"contest:{group_contest.pk}",
    )
    review = WeeklyReview.objects.create(
        group=cast.group_1,
        week_start=datetime.date(2026, 4, 6),
        highlights="学习积极",
        problems="+发言偏少",
        author=cast.counselor_1,
    )
    remark = WeeklyReviewRemark.objects.create(
        review=review, trainee=t1, remark="表现突出，带头发言"
    )
    comment = LeaderComment.objects.create(
        camp=camp,
        author=cast.leader,
        date=datetime.date(2026, 4, 20),
        occasion="成长汇报会",
        text="@视野开阔，务实肯干",
        target="trainee",
        trainee=t1,
    )
    interview = Interview.objects.create(
        trainee=t1,
        category=InterviewCategory.objects.get(name="成长规划"),
        date=datetime.date(2026, 5, 10),
        interviewers="组织部干部一处",
        notes="机密面谈内容：有意向到乡镇任职",
        author=cast.orgdept,
    )
    inspection_note = InspectionNote.objects.create(
        trainee=t1,
        date=datetime.date(2026, 5, 12),
        occasion="驻村调研现场",
        observation="组织协调能力强",
        author=cast.orgdept,
    )
    TrackedTrainee.objects.create(trainee=t1, marked_by=cast.orgdept, reason="表现突出")
    topic = ResearchTopic.objects.create(camp=camp, title="共同富裕调研")
    ResearchMember.objects.create(topic=topic, trainee=t1, is_leader=True)
    ChiefProject.objects.create(trainee=t1, title="数字乡村项目", goal="年底上线")
    talk = Talk.objects.create(
        trainee=t1,
        group=cast.group_1,
        counselor=cast.counselor_of_group_1,
        held_on=datetime.date(2026, 4, 2),
        topics="家庭困难",
        summary="谈话秘密内容",
    )
    shortlist_round = shortlist_round_create(
        camp=camp, by=cast.orgdept, title="第一轮比选", date=datetime.date(2026, 6, 1)
    )
    entry_1 = ShortlistEntry.objects.create(
        round=shortlist_round,
        trainee=t1,
        decision="recommended",
        reason="综合表现优秀",
        decided_by=cast.orgdept,
    )
    entry_2 = ShortlistEntry.objects.create(round=shortlist_round, trainee=t2)
    return OversightWorld(
        cast=cast,
        shortlist_round=shortlist_round,
        entry_1=entry_1,
        entry_2=entry_2,
        interview=interview,
        inspection_note=inspection_note,
        comment=comment,
        review=review,
        remark=remark,
        talk=talk,
    )


def matrix_objects(world) -> dict:
    """The organization department's objects for tests/test_access_matrix.py, made once per
    matrix world: an interview and a shortlist entry about trainee 1, and a finished
    background export that belongs to staff."""
    if "oversight" in world.objects:
        return world.objects["oversight"]
    from django.core.files.base import ContentFile

    from assessment.models import ExportJob
    from camp.jobs import JobState

    cast = world.cast
    shortlist_round = ShortlistRound.objects.create(
        camp=cast.camp, title="第一轮比选", date=datetime.date(2026, 6, 1), created_by=cast.orgdept
    )
    job = ExportJob.objects.create(
        user=cast.staff, camp=cast.camp, kind="roster", state=JobState.DONE, filename="a.xlsx"
    )
    job.file.save("a.xlsx", ContentFile(b"PK"), save=True)
    objects = {
        "interview": Interview.objects.create(
            trainee=cast.trainee_in_group_1,
            category=InterviewCategory.objects.get(name="成长规划"),
            date=datetime.date(2026, 3, 1),
            interviewers="组织部",
            notes="面谈",
            author=cast.orgdept,
        ),
        "round": shortlist_round,
        "entry": ShortlistEntry.objects.create(
            round=shortlist_round, trainee=cast.trainee_in_group_1
        ),
        "job": job,
    }
    world.objects["oversight"] = objects
    return objects
