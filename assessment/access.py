"""Access helpers for the assessment app: the backbone's access table, said once.

| object        | staff | counselor                         | trainee | orgdept | leader |
|---------------|-------|-----------------------------------|---------|---------|--------|
| scheme        | edit  | read                              | read    | read    | read   |
| score entries | edit  | own group; writes counselor items | own     | read    | read   |
| submissions   | grade | own group; grades counselor items | own     | read    | -      |

An object the user may not see is a 404; one they may see but not change is a 403.
(D2 adds reviews, summaries, contests and comments below, in the same shape.)
Graduation's and background exports' helpers are in access_graduation.py and re-exported here:
import them from this module. The organization department's are the oversight app's.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from camp.access import has_role
from camp.models import RankVisibility
from camp.roles import Role
from trainees.access import counselor_group_ids, get_trainee_for, is_self
from trainees.models import Trainee

from .access_graduation import (  # noqa: F401  (re-exported: callers import them from here)
    GRADUATION_READERS,
    can_open_graduation_list,
    can_read_graduation,
    can_take_edition_documents,
    can_take_graduation_documents,
    can_take_trainee_document,
    can_write_graduation,
    can_write_statement,
    can_write_statements,
    document_day,
    document_trainees_for,
    get_export_job_for,
    get_graduation_for,
    get_statement_trainee_for,
)
from .models import (
    AssessmentItem,
    Recorder,
    Scheme,
    ScoreEntry,
    Source,
    Submission,
)

ENTRY_READERS = (Role.STAFF, Role.ORGDEPT, Role.LEADER)
SUBMISSION_READERS = (Role.STAFF, Role.ORGDEPT)
# Entries these sources write are kept in step with their origin; edit the origin instead.
AUTOMATIC_SOURCES = (Source.ATTENDANCE, Source.CONTEST, Source.SUBMISSION)


def can_record(user, item: AssessmentItem, trainee: Trainee) -> bool:
    """May this user record `item` for `trainee` by hand? The item must allow the user's role
    (judges-only items never), and a counselor records only for their own group."""
    if has_role(user, Role.STAFF):
        return item.recordable_by(Recorder.STAFF)
    if has_role(user, Role.COUNSELOR):
        return item.recordable_by(Recorder.COUNSELOR) and trainee.group_id in counselor_group_ids(
            user
        )
    return False


def can_read_trainee_scores(user, trainee: Trainee) -> bool:
    if has_role(user, *ENTRY_READERS):
        return True
    if has_role(user, Role.COUNSELOR):
        return trainee.group_id is not None and trainee.group_id in counselor_group_ids(user)
    return is_self(user, trainee)


def may_see_rank(user, trainee: Trainee) -> bool:
    """Whether this user may see the trainee's class and group rank: everyone who may read the
    scores, except a trainee whose camp hides ranks from trainees. Pages and workbooks both ask
    here, so a hidden rank never leaks through a download."""
    if has_role(user, Role.TRAINEE):
        return trainee.camp.trainee_rank_visibility == RankVisibility.OWN_RANK
    return True


def can_record_scores(user) -> bool:
    """Who records scores by hand at all (which items and trainees is `can_record`)."""
    return has_role(user, Role.STAFF, Role.COUNSELOR)


def can_grade_submissions(user) -> bool:
    """Who grades submitted materials at all (which ones is `can_grade`)."""
    return has_role(user, Role.STAFF, Role.COUNSELOR)


def can_read_submissions(user) -> bool:
    """Who opens submission pages: graders, orgdept, and a trainee for their own."""
    return has_role(user, Role.STAFF, Role.COUNSELOR, Role.TRAINEE, Role.ORGDEPT)


def can_read_group_scores(user) -> bool:
    """A group's scores: overseers for any group, a counselor for their own."""
    return has_role(user, *OVERSEERS, Role.COUNSELOR)


def can_edit_scheme(user) -> bool:
    return has_role(user, Role.STAFF)


def can_edit_every_entry(user) -> bool:
    """Staff change any hand-made entry, whoever recorded it and on whatever item."""
    return has_role(user, Role.STAFF)


def get_scheme_for(user, camp, *, edit: bool = False) -> Scheme:
    """Every role reads the scheme (trainees see what they are measured on); staff edit."""
    if not has_role(user, *Role.values):
        raise Http404
    scheme = get_object_or_404(Scheme.objects.select_related("camp"), camp=camp)
    if edit and not can_edit_scheme(user):
        raise PermissionDenied
    return scheme


def get_score_entry_for(user, pk: int, *, edit: bool = False) -> ScoreEntry:
    """An entry, if the user may see it: staff, orgdept and leaders all, a counselor their
    group's, a trainee their own. Staff edit any hand-made entry; a counselor edits entries of
    their group on counselor items. Automatic entries are changed through their origin."""
    entry = get_object_or_404(
        ScoreEntry.objects.select_related(
            "item", "item__scheme", "trainee", "trainee__person", "trainee__camp", "recorded_by"
        ),
        pk=pk,
    )
    if not can_read_trainee_scores(user, entry.trainee):
        raise Http404
    if edit:
        if entry.source in AUTOMATIC_SOURCES:
            raise PermissionDenied
        if not (can_edit_every_entry(user) or can_record(user, entry.item, entry.trainee)):
            raise PermissionDenied
    return entry


def can_grade(user, item: AssessmentItem, trainee: Trainee) -> bool:
    return can_record(user, item, trainee)


def get_submission_for(user, pk: int, *, grade: bool = False) -> Submission:
    """A submission: its trainee, staff and orgdept, and the trainee's counselor read it; who
    records the item grades it."""
    submission = get_object_or_404(
        Submission.objects.select_related(
            "item", "trainee", "trainee__person", "trainee__camp", "trainee__group", "score_entry"
        ),
        pk=pk,
    )
    trainee = submission.trainee
    readable = (
        has_role(user, *SUBMISSION_READERS)
        or is_self(user, trainee)
        or (has_role(user, Role.COUNSELOR) and trainee.group_id in counselor_group_ids(user))
    )
    if not readable:
        raise Http404
    if grade and not can_grade(user, submission.item, trainee):
        raise PermissionDenied
    return submission


# Weekly reviews, summaries, contests and leader comments ---------------------------------------
#
# | object            | staff     | counselor          | trainee                | orgdept | leader |
# |-------------------|-----------|--------------------|------------------------|---------|--------|
# | weekly reviews    | read      | own group, write   | own group's, own remark| read    | read   |
# | monthly summaries | edit, run | own group          | own (rank per setting) | read    | read   |
# | contests          | manage    | read; judge if asked | read results         | read    | read   |
# | leader comments   | read      | own group, members | on self and the camp   | write   | write  |

OVERSEERS = (Role.STAFF, Role.ORGDEPT, Role.LEADER)
COMMENT_WRITERS = (Role.LEADER, Role.ORGDEPT)


def reads_every_group_review(user) -> bool:
    """Overseers pick any group's weekly reviews; the others see only their own group's."""
    return has_role(user, *OVERSEERS)


def is_group_counselor(user, group_id: int | None) -> bool:
    return group_id is not None and group_id in counselor_group_ids(user)


def get_review_group_for(user, group_pk: int, *, write: bool = False):
    """The group whose weekly reviews are asked for: overseers read every group, a counselor
    and a trainee only their own (404 otherwise); only the group's current counselor writes."""
    from trainees.models import StudyGroup

    group = get_object_or_404(StudyGroup.objects.select_related("camp", "counselor"), pk=group_pk)
    own_counselor = has_role(user, Role.COUNSELOR) and is_group_counselor(user, group.pk)
    member = (
        has_role(user, Role.TRAINEE)
        and Trainee.objects.filter(group=group, person__user=user).exists()
    )
    if not (reads_every_group_review(user) or own_counselor or member):
        raise Http404
    if write and not own_counselor:
        raise PermissionDenied
    return group


def get_weekly_review_for(user, pk: int, *, write: bool = False):
    """A weekly review, by the same rule as its group (see `get_review_group_for`). Which
    remarks a trainee may read is `visible_remarks`."""
    from .models import WeeklyReview

    review = get_object_or_404(
        WeeklyReview.objects.select_related("group", "group__camp", "author"), pk=pk
    )
    get_review_group_for(user, review.group_id, write=write)
    return review


def own_remarks_only(user, remarks):
    """A trainee reads only the weekly-review remarks about themself; everyone who may read a
    review reads all of its remarks."""
    if has_role(user, Role.TRAINEE):
        return remarks.filter(trainee__person__user=user)
    return remarks


def visible_remarks(user, review):
    remarks = review.remarks.select_related("trainee__person").order_by("trainee__person__name")
    return own_remarks_only(user, remarks)


def can_read_summaries(user) -> bool:
    """Class-wide summaries and rankings: staff, orgdept and leaders read them."""
    return has_role(user, *OVERSEERS)


def can_run_summaries(user) -> bool:
    """Staff compute the monthly summaries and write the class text."""
    return has_role(user, Role.STAFF)


def export_group_scope(user) -> set[int] | None:
    """The groups whose rows a class-wide workbook may carry for this user: a counselor's own
    groups, every group (None) for staff, orgdept, a superuser and the command line (no user),
    and none for anyone else."""
    if user is None or user.is_superuser or has_role(user, Role.STAFF, Role.ORGDEPT):
        return None
    return counselor_group_ids(user)


def require_summary_access(user, *, run: bool = False) -> None:
    """Class-wide summaries and rankings: staff run them, orgdept and leaders read them."""
    if not can_read_summaries(user):
        raise Http404
    if run and not can_run_summaries(user):
        raise PermissionDenied


def get_summary_run_for(user, pk: int):
    from .models import SummaryRun

    if not can_run_summaries(user):
        raise Http404
    return get_object_or_404(SummaryRun.objects.select_related("camp"), pk=pk)


def get_monthly_class_text_for(user, camp, month, *, edit: bool = False):
    """The written class summary of a month (None if not written yet): overseers read, staff
    write."""
    from .models import MonthlyClassText

    require_summary_access(user, run=edit)
    return MonthlyClassText.objects.filter(camp=camp, month=month).first()


def get_trainee_scores_for(user, trainee_pk: int) -> Trainee:
    """A trainee's scores and training record: overseers, the trainee's current counselor and
    the trainee themself; anyone else gets 404 (never a hint of another trainee's scores)."""
    trainee = get_object_or_404(
        Trainee.objects.select_related("camp", "group", "group__counselor", "person"),
        pk=trainee_pk,
    )
    if not can_read_trainee_scores(user, trainee):
        raise Http404
    return trainee


def get_trainee_entries_for(user, trainee_pk: int) -> Trainee:
    """A trainee whose score entries this user may list (or record for, with `can_record`):
    404 for a trainee they may not see at all, 403 for one they see but whose scores are not
    theirs to read."""
    trainee = get_trainee_for(user, trainee_pk)
    if not can_read_trainee_scores(user, trainee):
        raise PermissionDenied
    return trainee


def get_dashboard_group_for(user, group_pk: int):
    """A group's score dashboard: overseers and the group's current counselor."""
    from trainees.models import StudyGroup

    group = get_object_or_404(StudyGroup.objects.select_related("camp", "counselor"), pk=group_pk)
    if not (has_role(user, *OVERSEERS) or is_group_counselor(user, group.pk)):
        raise Http404
    return group


JUDGE_ROLES = (Role.LEADER, Role.ORGDEPT, Role.STAFF, Role.COUNSELOR)


def can_judge_contests(user) -> bool:
    """Who may be invited to judge a contest: leaders, orgdept, staff and counselors."""
    return has_role(user, *JUDGE_ROLES)


def possible_judges():
    """The users a contest may invite as judges (as `can_judge_contests`), by role and name."""
    from camp.models import User

    return User.objects.filter(is_active=True, role__in=JUDGE_ROLES).order_by("role", "full_name")


def can_manage_contests(user) -> bool:
    return has_role(user, Role.STAFF)


def get_contest_for(user, pk: int, *, manage: bool = False):
    """Every role reads a contest (its results once closed); staff create, change and close."""
    from .models import Contest

    if not has_role(user, *Role.values):
        raise Http404
    contest = get_object_or_404(Contest.objects.select_related("camp", "item"), pk=pk)
    if manage and not can_manage_contests(user):
        raise PermissionDenied
    return contest


def get_contest_judge_for(user, contest_pk: int, *, write: bool = False):
    """The user's own judging of a contest: only an invited judge (404 for anyone else); marks
    can be changed only while the contest is open (403 after)."""
    from .models import ContestJudge

    judge = get_object_or_404(
        ContestJudge.objects.select_related("contest", "contest__camp", "contest__item"),
        contest_id=contest_pk,
        user_id=getattr(user, "pk", None),
    )
    if write and judge.contest.is_closed:
        raise PermissionDenied
    return judge


def can_see_all_marks(user, contest) -> bool:
    """Nobody sees other judges' marks until the contest is closed; then overseers do."""
    return contest.is_closed and has_role(user, *OVERSEERS)


def visible_leader_comments(user, camp):
    """Leader comments this user may read in a camp (see the table above)."""
    from django.db.models import Q

    from .models import CommentTarget, LeaderComment

    qs = LeaderComment.objects.filter(camp=camp).select_related(
        "author", "group", "trainee__person"
    )
    if has_role(user, Role.STAFF, *COMMENT_WRITERS):
        return qs
    if has_role(user, Role.COUNSELOR):
        groups = counselor_group_ids(user)
        return qs.filter(Q(group_id__in=groups) | Q(trainee__group_id__in=groups))
    if has_role(user, Role.TRAINEE):
        return qs.filter(Q(target=CommentTarget.CAMP) | Q(trainee__person__user=user))
    return qs.none()


def get_leader_comment_for(user, pk: int, *, edit: bool = False):
    """One comment, if the user may read it; only its author changes it."""
    from .models import LeaderComment

    comment = get_object_or_404(LeaderComment.objects.select_related("camp"), pk=pk)
    if not visible_leader_comments(user, comment.camp).filter(pk=pk).exists():
        raise Http404
    if edit and comment.author_id != user.pk:
        raise PermissionDenied
    return comment


def can_write_comments(user) -> bool:
    return has_role(user, *COMMENT_WRITERS)


def require_comment_writer(user) -> None:
    if not can_write_comments(user):
        raise PermissionDenied
