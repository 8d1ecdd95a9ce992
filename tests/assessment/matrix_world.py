"""The score-entry, fast-entry and submission objects the access matrix points its URLs at
(tests/test_access_matrix.py): trainee 1's and, as `other_*`, trainee 2's."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from assessment.models import AssessmentItem
from assessment.services.entries import score_entry_create
from assessment.services.submissions import submission_create

PDF = b"%PDF-1.4\n%%EOF\n"


def matrix_objects(world) -> dict:
    """Made once per world and kept on it."""
    if "scoring" in world.objects:
        return world.objects["scoring"]
    cast = world.cast
    notes = AssessmentItem.objects.get(scheme__camp=cast.camp, number=3)  # counselors record it
    reflection = AssessmentItem.objects.get(scheme__camp=cast.camp, number=4)
    made = {}
    for prefix, trainee, counselor in (
        ("", cast.trainee_in_group_1, cast.counselor_1),
        ("other_", cast.trainee_in_group_2, cast.counselor_2),
    ):
        made[f"{prefix}entry"] = score_entry_create(
            trainee=trainee,
            item=notes,
            points="8",
            date=datetime.date(2026, 3, 14),
            by=counselor,
            reason="学习笔记",
        )
        made[f"{prefix}submission"] = submission_create(
            trainee=trainee,
            item=reflection,
            by=trainee.person.user,
            text="学习心得",
            upload=SimpleUploadedFile("心得.pdf", PDF),
            period=datetime.date(2026, 3, 1),
        )
    world.objects["scoring"] = made
    return made
