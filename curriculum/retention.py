"""What the curriculum app holds about a person, registered with camp.retention (issue 18 §4).
Called from CurriculumConfig.ready().

Not registered, and why:
- SessionEvaluation.comment: what a trainee thought of a session and its instructor; it is about
  the session, and after anonymization its author is a pseudonym;
- ChiefProject (title, goal, milestones) and ProgressNote.text: the key task of the trainee's
  unit and its progress, work rather than the person; the annual report names notable projects;
- TaskForce and its log: the team's work at a township, not one person;
- ResearchMember, ResearchMilestone: who was in a team and its dates (figures);
- Instructor: teachers are not candidates or trainees of an edition;
- Escalation.reason: a rule's code (absence, leave limit), a count."""

from __future__ import annotations

from camp import retention

from .models import (
    Attendance,
    CalendarFeedToken,
    Escalation,
    LeaveApprovalStep,
    LeaveRequest,
    ProgressNote,
    ResearchTopic,
    Talk,
)


def register() -> None:
    # A leave's reason, the decision's note and the attachment (a doctor's note, an order):
    # about the person. The dates and the status stay, so the attendance figures do.
    retention.register(
        LeaveRequest,
        person="trainee__person",
        clear=("reason", "decision_note", "attachment_name"),
        files=("attachment",),
    )
    retention.register(LeaveApprovalStep, person="leave__trainee__person", clear=("comment",))
    # The status of every attendance row stays (累计 attendance); a note on it goes.
    retention.register(Attendance, person="trainee__person", clear=("note",))
    # How an escalation was handled: a note about the person's absences.
    retention.register(Escalation, person="trainee__person", clear=("note",))
    # A heart-to-heart talk: its topics and summary are the most personal notes the camp keeps.
    retention.register(Talk, person="trainee__person", clear=("topics", "summary"))
    # The counselor's comment judges the trainee; the progress itself is the unit's work.
    retention.register(
        ProgressNote, person="project__trainee__person", clear=("counselor_comment",)
    )
    # A calendar feed URL is a login of its own: it ends with the login.
    retention.register(CalendarFeedToken, person="trainee__person", delete=True)
    # A research report names its team and is the edition's, not one person's: it goes with
    # the edition's trainee period. The topic, its title and team (figures) stay.
    retention.register_edition_data(
        ResearchTopic, camp="camp", files=("report",), clear=("report_name",)
    )
