"""The assessment app's to-dos (camp/todos.py).

- trainee: submissions due, and the current total, assessed points and rank (figures, not work:
  shown, never counted in the menu; the rank only where the camp shows ranks, by the same
  access rule as the score pages);
- counselor: the weekly reviews still to write (their main task), this month's grid cells of
  their own graded items still empty, submissions to grade;
- staff: months without a summary, and summary runs or background exports that failed;
- orgdept: a newly published month, shortlist rounds still in progress;
- leader: the latest published month, the dashboard, and their own recent comments.
"""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from camp.jobs import JobState
from camp.months import camp_months
from camp.roles import Role
from camp.todos import Todo, register_todos
from trainees.models import Trainee
from trainees.todos import request_trainee

from .access import may_see_rank
from .cells import item_cell_key
from .models import (
    ClassMonthlySummary,
    LeaderComment,
    ScoreEntry,
    Submission,
    SummaryRun,
    WeeklyReview,
)
from .models.exports import ExportJob
from .models.scheme import Frequency, Kind
from .review_selectors import review_weeks
from .score_selectors import trainee_standing
from .selectors import grading_inbox, recordable_items, scheme_items
from .submission_rules import submission_deadline

# How long a published month counts as news for the organization department and leaders.
NEWLY_PUBLISHED_DAYS = 14
# Failed background jobs older than this are history, not work.
FAILED_JOB_DAYS = 14


def _month(day: datetime.date) -> str:
    return day.strftime("%Y-%m")


# Trainee ------------------------------------------------------------------------------------


def _trainee_todos(request, camp) -> list[Todo]:
    trainee = request_trainee(request, camp)
    if trainee is None:
        return []
    return _submissions_due(trainee, camp)


def _trainee_figures(request, camp) -> list[Todo]:
    trainee = request_trainee(request, camp)
    score = trainee_standing(trainee) if trainee is not None else None
    todos = []
    if score is not None:
        figures = _("当前总分 %(total)s 分，已考核分值 %(assessed)s 分") % {
            "total": score.total,
            "assessed": score.assessed_points,
        }
        if may_see_rank(request.user, trainee) and score.class_rank:
            figures += _("，班级排名第 %(rank)d 名") % {"rank": score.class_rank}
        todos.append(
            Todo(
                label=_("我的成绩"),
                detail=figures,
                url=reverse("assessment-my-scores", args=[camp.code]),
                open=False,
            )
        )
    return todos


def _submissions_due(trainee: Trainee, camp) -> list[Todo]:
    """Each item that takes submissions, for its earliest period still open and not handed in:
    a monthly item's last month (within its grace days) or this month, a once-only item before
    its due date."""
    now = timezone.now()
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    items = list(scheme_items(camp).filter(accepts_submissions=True))
    handed_in = set(
        Submission.objects.filter(trainee=trainee, item__in=items).values_list("item_id", "period")
    )
    todos = []
    for item in items:
        periods = [last_month, this_month] if item.frequency == Frequency.MONTHLY else [None]
        for period in periods:
            deadline = submission_deadline(item, period)
            if deadline is None or deadline < now or (item.pk, period) in handed_in:
                continue
            if period is None and any(pk == item.pk for pk, _period in handed_in):
                continue
            todos.append(
                Todo(
                    label=_("提交：%(item)s") % {"item": item.name}
                    + (f"（{_month(period)}）" if period else ""),
                    detail=_("截止 %(when)s")
                    % {"when": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")},
                    url=reverse("assessment-my-submissions", args=[camp.code]),
                )
            )
            break
    return todos


# Counselor ----------------------------------------------------------------------------------


def _counselor_todos(request, camp) -> list[Todo]:
    from trainees.access import counseled_groups_in

    groups = list(counseled_groups_in(request.user, camp).select_related("camp").order_by("number"))
    if not groups:
        return []
    today = timezone.localdate()
    written = set(
        WeeklyReview.objects.filter(group__in=groups).values_list("group_id", "week_start")
    )
    todos = []
    for group in groups:
        missing = [w for w in review_weeks(group, today) if (group.pk, w) not in written]
        if missing:
            todos.append(
                Todo(
                    label=_("撰写第%(n)d组每周讲评") % {"n": group.number},
                    detail=_("未写：%(weeks)s")
                    % {"weeks": "、".join(f"{w:%m-%d}" for w in missing[-4:])},
                    url=reverse("assessment-review-group", args=[group.pk]),
                    count=len(missing),
                    main=True,
                )
            )
    todos.extend(_empty_cells(request.user, camp, groups, today))
    waiting = grading_inbox(request.user, camp).count()
    if waiting:
        todos.append(
            Todo(
                label=_("待评分的提交"),
                url=reverse("assessment-inbox", args=[camp.code]),
                count=waiting,
            )
        )
    return todos


def _month_days(item, camp, today: datetime.date) -> list[datetime.date]:
    """The days standing for this month's cells of a graded item, up to today."""
    first = today.replace(day=1)
    if item.frequency == Frequency.MONTHLY:
        return [first]
    if item.frequency == Frequency.WEEKLY:
        monday = first - datetime.timedelta(days=first.weekday())
        weeks = []
        while monday <= today:
            weeks.append(max(monday, first))
            monday += datetime.timedelta(days=7)
        return weeks
    if item.frequency == Frequency.PER_TRAINING_DAY:
        return list(
            camp.training_days.filter(date__gte=first, date__lte=today).values_list(
                "date", flat=True
            )
        )
    return []  # per event, once: no cell is due by the calendar


def _empty_cells(user, camp, groups, today) -> list[Todo]:
    """This month's cells of the counselor's graded items that no entry fills, per group and
    item. The filled cells are counted in one grouped query; members in one more."""
    items = [
        item
        for item in recordable_items(user, camp)
        if item.kind == Kind.GRADED and item.frequency != Frequency.ONCE
    ]
    cells = {item.pk: {} for item in items}  # item -> {cell key: the grid's day}
    for item in items:
        for day in _month_days(item, camp, today):
            cells[item.pk].setdefault(item_cell_key(item, day), day)
    if not any(cells.values()):
        return []
    members = dict(
        Trainee.objects.filter(group__in=groups)
        .members_on(today)
        .values("group_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "n")
    )
    filled = {
        (row["trainee__group_id"], row["item_id"], row["cell"]): row["n"]
        for row in ScoreEntry.objects.filter(
            item__in=items,
            trainee__group__in=groups,
            cell__in={key for keyed in cells.values() for key in keyed},
        )
        .values("trainee__group_id", "item_id", "cell")
        .annotate(n=Count("trainee", distinct=True))
    }
    todos = []
    for group in groups:
        for item in items:
            empty = {
                key: members.get(group.pk, 0) - filled.get((group.pk, item.pk, key), 0)
                for key in cells[item.pk]
            }
            total = sum(n for n in empty.values() if n > 0)
            if not total:
                continue
            first_key = next(key for key, n in empty.items() if n > 0)
            day = cells[item.pk][first_key]
            todos.append(
                Todo(
                    label=_("第%(n)d组「%(item)s」本月待录入")
                    % {"n": group.number, "item": item.name},
                    detail=_("空格 %(count)d 个") % {"count": total},
                    url=reverse(
                        "assessment-grid",
                        args=[camp.code, group.pk, item.number, day.isoformat()],
                    ),
                    count=total,
                )
            )
    return todos


# Staff, orgdept, leaders --------------------------------------------------------------------


def _staff_todos(request, camp) -> list[Todo]:
    today = timezone.localdate()
    done_months = set(ClassMonthlySummary.objects.filter(camp=camp).values_list("month", flat=True))
    # Months that have ended, up to last month.
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    missing = [m for m in camp_months(camp, up_to=last_month) if m not in done_months]
    if today.replace(day=1) <= camp.start_date:
        missing = []
    todos = []
    if missing:
        todos.append(
            Todo(
                label=_("尚未生成月度小结的月份"),
                detail="、".join(_month(m) for m in missing[-6:]),
                url=reverse("assessment-summaries", args=[camp.code]),
                count=len(missing),
            )
        )
    since = timezone.now() - datetime.timedelta(days=FAILED_JOB_DAYS)
    failed_runs = (
        SummaryRun.objects.filter(camp=camp, state=JobState.FAILED, queued_at__gte=since)
        .exclude(month__in=done_months)
        .count()
    )
    if failed_runs:
        todos.append(
            Todo(
                label=_("计算失败的月度小结"),
                detail=_("请查看失败原因后重新计算。"),
                url=reverse("assessment-summaries", args=[camp.code]),
                count=failed_runs,
            )
        )
    failed_exports = ExportJob.objects.filter(
        user=request.user, camp=camp, state=JobState.FAILED, created_at__gte=since
    ).count()
    if failed_exports:
        todos.append(
            Todo(
                label=_("失败的后台导出"),
                url=reverse("my-exports"),
                count=failed_exports,
            )
        )
    return todos


def _latest_month(camp):
    return ClassMonthlySummary.objects.filter(camp=camp).order_by("-month").first()


def _published_month_todo(camp, latest, *, main: bool) -> Todo | None:
    if latest is None:
        return None
    fresh = latest.computed_at >= timezone.now() - datetime.timedelta(days=NEWLY_PUBLISHED_DAYS)
    return Todo(
        label=(_("新发布：%(month)s 月度小结") if fresh else _("最新月度小结：%(month)s"))
        % {"month": _month(latest.month)},
        url=reverse("assessment-summary-month", args=[camp.code, _month(latest.month)]),
        main=main,
        open=fresh,
    )


def _orgdept_todos(request, camp) -> list[Todo]:
    todos = []
    month = _published_month_todo(camp, _latest_month(camp), main=True)
    if month is not None and month.open:
        todos.append(month)
    # The shortlist rounds still open follow (oversight/todos.py).
    return todos


def _leader_todos(request, camp) -> list[Todo]:
    month = _published_month_todo(camp, _latest_month(camp), main=True)
    return [month] if month is not None else []


def _leader_figures(request, camp) -> list[Todo]:
    todos = []
    todos.append(
        Todo(
            label=_("班级看板"),
            url=reverse("camp-dashboard", args=[camp.code]),
            open=False,
        )
    )
    recent = list(
        LeaderComment.objects.filter(camp=camp, author=request.user).order_by("-date", "-pk")[:3]
    )
    todos.extend(
        Todo(
            label=_("我的点评：%(occasion)s") % {"occasion": comment.occasion},
            detail=comment.date.strftime("%Y-%m-%d"),
            url=reverse("assessment-comment-edit", args=[comment.pk]),
            open=False,
        )
        for comment in recent
    )
    return todos


def register() -> None:
    register_todos(roles={Role.TRAINEE}, order=30, items=_trainee_todos, figures=_trainee_figures)
    register_todos(roles={Role.COUNSELOR}, order=10, items=_counselor_todos)
    register_todos(roles={Role.STAFF}, order=30, items=_staff_todos)
    register_todos(roles={Role.ORGDEPT}, order=10, items=_orgdept_todos)
    register_todos(roles={Role.LEADER}, order=10, items=_leader_todos, figures=_leader_figures)
