"""What the assessment app holds about a person, registered with camp.retention (issue 18 §4).
Called from AssessmentConfig.ready().

Not registered, and why:
- ScoreEntry and its history: every score row survives whole, with its 事由, so that the totals
  and every workbook of the edition still add up; most reasons are the rule's own wording
  (the attendance sync rewrites any it finds changed), and the row names a pseudonym;
- MonthlySummaryRow, ShortlistFigures, ContestParticipant, ContestMark: figures;
- WeeklyReview, MonthlyClassText: a group's or the class's text, not one person's;
- Graduation.certificate_number: a certificate's number, which the figures count.
"""

from __future__ import annotations

from camp import retention

from .models import ExportJob, Graduation, LeaderComment, Submission, WeeklyReviewRemark


def register() -> None:
    # A leader's comment on a trainee (a comment on the camp has no trainee and stays).
    retention.register(LeaderComment, person="trainee__person", clear=("text",))
    # The graduation appraisal (鉴定) and why a trainee did not graduate; the outcome stays.
    retention.register(Graduation, person="trainee__person", clear=("appraisal", "decline_reason"))
    # The counselor's weekly remark on one trainee.
    retention.register(WeeklyReviewRemark, person="trainee__person", clear=("remark",))
    # What the trainee handed in (a reflection, a file) and the grader's comment; the grade
    # (a score entry) stays.
    retention.register(
        Submission,
        person="trainee__person",
        clear=("text", "original_filename", "grader_comment"),
        files=("file",),
    )
    # A generated workbook of the edition holds its people as they were: one made before the
    # edition's period ended goes (those made later show the pseudonyms).
    retention.register_edition_data(
        ExportJob, camp="camp", files=("file",), clear=("filename",), made_at="created_at"
    )
