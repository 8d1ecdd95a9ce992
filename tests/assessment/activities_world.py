"""The weekly review, contest, comment and summary-run objects the access matrix points its
URLs at (tests/test_access_matrix.py): group 1's / trainee 1's and, as `other_*`, group 2's /
trainee 2's."""

import datetime

from assessment.models import ContestKind, JudgeClass, SummaryRun
from assessment.services.comments import leader_comment_create
from assessment.services.contests import contest_create
from assessment.services.reviews import weekly_review_save

WEEK = datetime.date(2026, 3, 2)


def matrix_objects(world) -> dict:
    """Made once per world and kept on it."""
    if "activities" in world.objects:
        return world.objects["activities"]
    cast = world.cast
    made = {}
    for prefix, group, counselor, trainee in (
        ("", cast.group_1, cast.counselor_1, cast.trainee_in_group_1),
        ("other_", cast.group_2, cast.counselor_2, cast.trainee_in_group_2),
    ):
        made[f"{prefix}review"] = weekly_review_save(
            group=group,
            week_start=WEEK,
            highlights="亮点",
            problems="",
            remarks={trainee.pk: "个人点评"},
            by=counselor,
        )
        made[f"{prefix}comment"] = leader_comment_create(
            camp=cast.camp,
            author=cast.leader,
            date=WEEK,
            occasion="汇报会",
            text="点评",
            target="trainee",
            trainee=trainee,
        )
    made["contest"] = contest_create(
        camp=cast.camp,
        title="擂台赛",
        date=WEEK,
        kind=ContestKind.TRAINEES,
        trainees=[cast.trainee_in_group_1, cast.trainee_in_group_2],
        judges=[(cast.leader, JudgeClass.A)],
        by=cast.staff,
    )
    made["run"] = SummaryRun.objects.create(camp=cast.camp, month=datetime.date(2026, 3, 1))
    world.objects["activities"] = made
    return made
