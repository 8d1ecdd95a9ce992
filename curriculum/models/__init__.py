"""The teaching year's models, split by concern. Import them from here: `curriculum.models`.

- calendar: Instructor, ActivityKind, CurriculumTarget, CalendarArrangement, TrainingDay,
  TrainingDayMove
- sessions: Session, SessionEvaluation, CalendarFeedToken
- attendance: LeaveRequest, Attendance (read by the assessment app: see their docstrings)
- roll_call: RollCall (a closed roll call locks a session's attendance)
- people: Talk, ResearchTopic, ResearchMember, ResearchMilestone, ChiefProject, ProgressNote,
  TaskForce, TaskForceLogEntry
"""

from .approval import ApproverRole, LeaveApprovalPolicy, LeaveApprovalStep, StepState
from .attendance import Attendance, AttendanceSource, AttendanceStatus, LeaveRequest, LeaveStatus
from .calendar import (
    ActivityKind,
    ArrangementKind,
    CalendarArrangement,
    ClassroomType,
    CurriculumTarget,
    DayVerification,
    Instructor,
    InstructorSource,
    MoveKind,
    TargetMeasure,
    TrainingDay,
    TrainingDayMove,
)
from .escalation import Escalation, EscalationReason, EscalationState
from .people import (
    ChiefProject,
    ProgressNote,
    ResearchMember,
    ResearchMilestone,
    ResearchTopic,
    Talk,
    TaskForce,
    TaskForceLogEntry,
)
from .roll_call import RollCall
from .sessions import CalendarFeedToken, HalfDay, Session, SessionEvaluation

__all__ = [
    "ActivityKind",
    "ApproverRole",
    "ArrangementKind",
    "Attendance",
    "AttendanceSource",
    "AttendanceStatus",
    "CalendarArrangement",
    "CalendarFeedToken",
    "ChiefProject",
    "ClassroomType",
    "CurriculumTarget",
    "DayVerification",
    "Escalation",
    "EscalationReason",
    "EscalationState",
    "HalfDay",
    "Instructor",
    "InstructorSource",
    "LeaveApprovalPolicy",
    "LeaveApprovalStep",
    "LeaveRequest",
    "LeaveStatus",
    "MoveKind",
    "ProgressNote",
    "ResearchMember",
    "ResearchMilestone",
    "ResearchTopic",
    "RollCall",
    "Session",
    "SessionEvaluation",
    "StepState",
    "Talk",
    "TargetMeasure",
    "TaskForce",
    "TaskForceLogEntry",
    "TrainingDay",
    "TrainingDayMove",
]
