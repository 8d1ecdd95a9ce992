"""The assessment app's models, one module per concept; import them from here."""

from .comments import CommentTarget, LeaderComment
from .contests import (
    MAX_MARK,
    Contest,
    ContestJudge,
    ContestKind,
    ContestMark,
    ContestParticipant,
    ContestStatus,
    JudgeClass,
)
from .entries import ScoreEntry, Source
from .exports import ExportJob
from .graduation import AppraisalStatement, Graduation, GraduationPolicy, StatementKind
from .reviews import WeeklyReview, WeeklyReviewRemark
from .scheme import (
    ITEM_COUNT,
    TOTAL_POINTS,
    AssessmentItem,
    Category,
    Frequency,
    Kind,
    Recorder,
    Scheme,
    SchemeStatus,
)
from .submissions import Submission
from .summaries import (
    ClassMonthlySummary,
    GroupMonthlySummary,
    MonthlyClassText,
    MonthlySummaryRow,
    SummaryRun,
)

__all__ = [
    "ITEM_COUNT",
    "MAX_MARK",
    "TOTAL_POINTS",
    "AppraisalStatement",
    "AssessmentItem",
    "Category",
    "ClassMonthlySummary",
    "CommentTarget",
    "Contest",
    "ContestJudge",
    "ContestKind",
    "ContestMark",
    "ContestParticipant",
    "ContestStatus",
    "ExportJob",
    "Frequency",
    "Graduation",
    "GraduationPolicy",
    "GroupMonthlySummary",
    "JudgeClass",
    "Kind",
    "LeaderComment",
    "MonthlyClassText",
    "MonthlySummaryRow",
    "Recorder",
    "Scheme",
    "SchemeStatus",
    "ScoreEntry",
    "Source",
    "StatementKind",
    "Submission",
    "SummaryRun",
    "WeeklyReview",
    "WeeklyReviewRemark",
]
