"""Access helpers for the curriculum's models: the project's access table, said once.

| object                     | staff     | counselor        | trainee        | orgdept | leader |
|----------------------------|-----------|------------------|----------------|---------|--------|
| calendar, days, sessions   | edit      | read             | read           | read    | read   |
| official arrangements      | edit      | -                | -              | -       | -      |
| attendance, leave          | edit      | own group        | own, request   | read    | -      |
| talks (谈心谈话)           | read      | own group, write | -              | -       | -      |
| session evaluations        | averages  | -                | rate once      | -       | -      |
| research, task forces      | edit      | read             | read (1)       | read    | read   |
| chief projects             | read      | own group, note  | write own      | read    | read   |

(1) trainees see classmates' names only in a team they belong to.

"Own group" is the group a counselor counsels now: a successor inherits its records, a
predecessor loses them. Not allowed to know: 404; may see but not do: 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from camp.access import has_role
from camp.models import Camp
from camp.roles import Role
from trainees.access import (
    can_view_trainee,
    counseled_groups_in,
    counselor_group_ids,
    is_self,
    trainee_for_user,
)
from trainees.models import StudyGroup, Trainee

from .models import (
    Attendance,
    CalendarArrangement,
    ChiefProject,
    LeaveRequest,
    ResearchTopic,
    Session,
    Talk,
    TaskForce,
    TrainingDay,
)

ATTENDANCE_READERS = (Role.STAFF, Role.ORGDEPT)
OVERSEERS = (Role.STAFF, Role.ORGDEPT, Role.LEADER)


def can_edit_curriculum(user) -> bool:
    """Staff change the calendar, sessions, plan, research topics and task forces, record
    attendance and decide leave."""
    return has_role(user, Role.STAFF)


def _require_any_role(user) -> None:
    if not has_role(user, *Role.values):
        raise Http404


def _require_staff_to_edit(user, edit: bool) -> None:
    if edit and not has_role(user, Role.STAFF):
        raise PermissionDenied


def get_training_day_for(user, pk: int, *, edit: bool = False) -> TrainingDay:
    """The calendar: everyone reads, staff change."""
    _require_any_role(user)
    day = get_object_or_404(TrainingDay.objects.select_related("camp"), pk=pk)
    _require_staff_to_edit(user, edit)
    return day


def get_session_for(user, pk: int, *, edit: bool = False) -> Session:
    """Sessions: everyone reads, staff change."""
    _require_any_role(user)
    session = get_object_or_404(
        Session.objects.select_related("camp", "training_day", "activity_kind", "group"), pk=pk
    )
    _require_staff_to_edit(user, edit)
    return session


def get_calendar_arrangement_for(user, pk: int) -> CalendarArrangement:
    """The official arrangements staff enter: national, and a staff tool only."""
    if not has_role(user, Role.STAFF):
        raise Http404
    return get_object_or_404(CalendarArrangement, pk=pk)


# Attendance and leave -------------------------------------------------------------------------


def can_read_attendance(user) -> bool:
    return has_role(user, Role.STAFF, Role.ORGDEPT, Role.COUNSELOR, Role.TRAINEE)


def require_attendance_access(user, *, edit: bool = False, sheet: bool = False) -> None:
    """For pages about a camp's attendance as a whole. Leaders do not see attendance; a
    session's whole sheet (`sheet`) is not for trainees either."""
    if not can_read_attendance(user) or (sheet and has_role(user, Role.TRAINEE)):
        raise Http404
    _require_staff_to_edit(user, edit)


def visible_attendance_trainees(user, camp: Camp) -> QuerySet[Trainee]:
    """Whose attendance and leave this user may see: all for staff and orgdept, the own group
    for a counselor, themself for a trainee, nobody for anyone else."""
    qs = Trainee.objects.filter(camp=camp)
    if has_role(user, *ATTENDANCE_READERS):
        return qs
    if has_role(user, Role.COUNSELOR):
        return qs.filter(group_id__in=counselor_group_ids(user))
    if has_role(user, Role.TRAINEE):
        return qs.filter(person__user=user)
    return qs.none()


def sees_whole_camp_attendance(user) -> bool:
    """Whether this user's attendance figures are the whole class's (a 全班 figure means it)."""
    return has_role(user, *ATTENDANCE_READERS)


def visible_attendance(user, camp: Camp) -> QuerySet[Attendance]:
    return Attendance.objects.filter(
        session__camp=camp, trainee__in=visible_attendance_trainees(user, camp)
    )


def can_manage_leave(user) -> bool:
    """Staff enter leave on a trainee's behalf, approve it at once, and decide requests."""
    return has_role(user, Role.STAFF)


def get_leave_for(user, pk: int, *, decide: bool = False, own: bool = False) -> LeaveRequest:
    """A leave request: staff read and decide; the counselor of the trainee's group and orgdept
    read, and (`decide`) may act on the approval steps they hold; the trainee reads their own
    and (`own`) closes or withdraws it."""
    leave = get_object_or_404(
        LeaveRequest.objects.select_related(
            "trainee__person", "trainee__group", "trainee__camp", "training_day"
        ),
        pk=pk,
    )
    trainee = leave.trainee
    readable = (
        has_role(user, *ATTENDANCE_READERS)
        or is_self(user, trainee)
        or (has_role(user, Role.COUNSELOR) and trainee.group_id in counselor_group_ids(user))
    )
    if not readable:
        raise Http404
    # Who holds a step is the approval service's to say (curriculum/services/leave_approval.py).
    if decide and not (can_manage_leave(user) or can_approve_leave_steps(user)):
        raise PermissionDenied
    if own and not is_self(user, trainee):
        raise PermissionDenied
    return leave


# Talks ----------------------------------------------------------------------------------------


def can_read_talk(user, talk: Talk) -> bool:
    if has_role(user, Role.STAFF):
        return True
    return has_role(user, Role.COUNSELOR) and talk.group_id in counselor_group_ids(user)


def get_talk_for(user, pk: int, *, write: bool = False) -> Talk:
    """Confidential: the group's current counselor reads and writes, staff read. Everyone else
    (trainees, other counselors, orgdept, leaders) gets 404."""
    if not has_role(user, Role.STAFF, Role.COUNSELOR):
        raise Http404
    talk = get_object_or_404(
        Talk.objects.select_related("trainee__person", "group", "counselor"), pk=pk
    )
    if not can_read_talk(user, talk):
        raise Http404
    if write and not has_role(user, Role.COUNSELOR):
        raise PermissionDenied
    return talk


def visible_talks(user, camp: Camp) -> QuerySet[Talk]:
    qs = Talk.objects.filter(group__camp=camp)
    if has_role(user, Role.STAFF):
        return qs
    if has_role(user, Role.COUNSELOR):
        return qs.filter(group_id__in=counselor_group_ids(user))
    return qs.none()


def can_read_talks(user) -> bool:
    """Talks are between a counselor and a trainee; staff read them all, nobody else does."""
    return has_role(user, Role.STAFF, Role.COUNSELOR)


def require_talk_access(user) -> None:
    if not can_read_talks(user):
        raise Http404


def talk_groups_for(user, camp: Camp) -> QuerySet[StudyGroup]:
    """The groups whose talks this user records: a counselor's current groups, nobody else's."""
    return counseled_groups_in(user, camp)


# Research topics and task forces ---------------------------------------------------------------


def _is_member_of_topic(user, topic: ResearchTopic) -> bool:
    return (
        has_role(user, Role.TRAINEE) and topic.members.filter(trainee__person__user=user).exists()
    )


def get_research_topic_for(
    user, pk: int, *, edit: bool = False, report: bool = False
) -> ResearchTopic:
    """Every role reads a topic (title, adviser, milestones). Staff change it; the team leader
    may also upload the report (`report`)."""
    _require_any_role(user)
    topic = get_object_or_404(ResearchTopic.objects.select_related("camp", "adviser"), pk=pk)
    if report:
        if not can_upload_report(user, topic):
            raise PermissionDenied
    else:
        _require_staff_to_edit(user, edit)
    return topic


def can_upload_report(user, topic: ResearchTopic) -> bool:
    """Staff, and the team's leader."""
    if has_role(user, Role.STAFF):
        return True
    return (
        has_role(user, Role.TRAINEE)
        and topic.members.filter(trainee__person__user=user, is_leader=True).exists()
    )


def can_see_topic_members(user, topic: ResearchTopic) -> bool:
    """Trainees see classmates' names only in a team they belong to."""
    if has_role(user, Role.TRAINEE):
        return _is_member_of_topic(user, topic)
    return has_role(user, *Role.values)


def can_download_report(user, topic: ResearchTopic) -> bool:
    if has_role(user, Role.STAFF, Role.ORGDEPT, Role.LEADER, Role.COUNSELOR):
        return True
    return _is_member_of_topic(user, topic)


def get_task_force_for(user, pk: int, *, edit: bool = False, log: bool = False) -> TaskForce:
    """Every role reads a task force's place and task; staff change it; staff and members write
    its log (`log`)."""
    _require_any_role(user)
    task_force = get_object_or_404(TaskForce.objects.select_related("camp"), pk=pk)
    if log and not can_write_task_force_log(user, task_force):
        raise PermissionDenied
    if not log:
        _require_staff_to_edit(user, edit)
    return task_force


def can_write_task_force_log(user, task_force: TaskForce) -> bool:
    if has_role(user, Role.STAFF):
        return True
    return has_role(user, Role.TRAINEE) and task_force.members.filter(person__user=user).exists()


def can_see_task_force_members(user, task_force: TaskForce) -> bool:
    if has_role(user, Role.TRAINEE):
        return task_force.members.filter(person__user=user).exists()
    return has_role(user, *Role.values)


# Chief projects ----------------------------------------------------------------------------------


def get_chief_project_owner_for(
    user, trainee_pk: int, *, write: bool = False, comment: bool = False
) -> Trainee:
    """Chief projects: the trainee writes their own; their current counselor reads and comments;
    staff, orgdept and leaders read. Returns the trainee (the project may not exist yet)."""
    trainee = get_object_or_404(
        Trainee.objects.select_related("camp", "group", "person"), pk=trainee_pk
    )
    own_counselor = has_role(user, Role.COUNSELOR) and trainee.group_id in counselor_group_ids(user)
    if not (has_role(user, *OVERSEERS) or own_counselor or is_self(user, trainee)):
        raise Http404
    if write and not is_self(user, trainee):
        raise PermissionDenied
    if comment and not own_counselor:
        raise PermissionDenied
    return trainee


def can_write_chief_project(user, trainee: Trainee) -> bool:
    return is_self(user, trainee)


def can_comment_chief_project(user, trainee: Trainee) -> bool:
    return has_role(user, Role.COUNSELOR) and trainee.group_id in counselor_group_ids(user)


def visible_chief_projects(user, camp: Camp) -> QuerySet[ChiefProject]:
    qs = ChiefProject.objects.filter(trainee__camp=camp)
    if has_role(user, *OVERSEERS):
        return qs
    if has_role(user, Role.COUNSELOR):
        return qs.filter(trainee__group_id__in=counselor_group_ids(user))
    if has_role(user, Role.TRAINEE):
        return qs.filter(trainee__person__user=user)
    return qs.none()


# Evaluations -------------------------------------------------------------------------------------


def require_evaluation_results_access(user) -> None:
    """Averages of session evaluations: staff only. Anonymous to instructors and counselors."""
    if not has_role(user, Role.STAFF):
        raise Http404


def get_evaluating_trainee(user, session: Session) -> Trainee:
    """The trainee rating a session: a trainee of the session's camp (and group, if it has one)."""
    trainee = trainee_for_user(user, session.camp)
    if trainee is None:
        raise PermissionDenied
    if session.group_id is not None and trainee.group_id != session.group_id:
        raise PermissionDenied
    return trainee


# Escalations (预警) -------------------------------------------------------------------------------


def get_escalation_for(user, pk: int):
    """An escalation, for those who may see the trainee's record; anyone else gets 404."""
    from .models import Escalation

    escalation = get_object_or_404(
        Escalation.objects.select_related("trainee__person", "trainee__group", "trainee__camp"),
        pk=pk,
    )
    if not can_view_trainee(user, escalation.trainee):
        raise Http404
    return escalation


def may_close_escalation(user, escalation, *, group_ids: set[int] | None = None) -> bool:
    """Staff, and the counselor of the trainee's group, record the talk that closes it.
    `group_ids`: the counselor's groups, read once for a whole list."""
    if has_role(user, Role.STAFF):
        return True
    if not has_role(user, Role.COUNSELOR):
        return False
    if group_ids is None:
        group_ids = counselor_group_ids(user)
    return escalation.trainee.group_id in group_ids


def may_read_handling(user, escalation, *, group_ids: set[int] | None = None) -> bool:
    """The organization department sees that a talk was held, never the talk itself."""
    return can_view_trainee(user, escalation.trainee, group_ids=group_ids) and not has_role(
        user, Role.ORGDEPT
    )


def can_approve_leave_steps(user) -> bool:
    """Counselors and orgdept decide the approval steps they hold (the service says which)."""
    return has_role(user, Role.COUNSELOR, Role.ORGDEPT)
