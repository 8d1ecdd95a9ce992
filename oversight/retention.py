"""What the oversight app holds about a person, registered with camp.retention (issue 18 §4).
Called from OversightConfig.ready().

Not registered, and why:
- ShortlistRound.notes: the round's, not one person's; ShortlistFigures: figures;
- Interview.interviewers, InterviewCategory: who asked (the department's side) and the kind;
- InspectionNote.occasion: where and when, not what was observed;
- after the camp: a post change's date, rank and promotion flag and an appraisal's grade are
  what the promotion rates and the editions' figures are made of, and name nobody once the
  post's title is gone.
"""

from __future__ import annotations

from camp import retention

from .models import (
    AfterCampNote,
    Award,
    InspectionNote,
    Interview,
    PostChange,
    ShortlistEntry,
    TrackedTrainee,
)


def register() -> None:
    # Why the department follows a trainee, what it observed, what an interview found, and why
    # a trainee was or was not shortlisted: notes about the person.
    retention.register(TrackedTrainee, person="trainee__person", clear=("reason",))
    retention.register(InspectionNote, person="trainee__person", clear=("observation",))
    retention.register(Interview, person="trainee__person", clear=("notes",))
    retention.register(ShortlistEntry, person="trainee__person", clear=("reason",))
    # After the camp: the post a graduate took, the award's name and who gave it, and the
    # department's notes say who the person is; dates, ranks and the promotion flag stay.
    retention.register(PostChange, person="graduate__person", clear=("post",))
    retention.register(Award, person="graduate__person", clear=("name", "body"))
    retention.register(AfterCampNote, person="graduate__person", clear=("text",))
