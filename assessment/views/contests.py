"""Contests (擂台比拼): the list, creating one, a judge's own marking page, the contest page
and closing it. A judge sees only their own marks until the contest is closed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from camp.access import allowed, get_camp_for, role_required
from camp.roles import Role

from ..access import (
    can_manage_contests,
    can_see_all_marks,
    get_contest_for,
    get_contest_judge_for,
)
from ..activity_forms import ContestForm
from ..models import Contest, ContestJudge
from ..score_selectors import contest_marks_table
from ..services.contests import contest_close, contest_create, contest_marks_save


@role_required(*Role.values)
def contest_list(request, code):
    camp = get_camp_for(request.user, code)
    contests = Contest.objects.filter(camp=camp).order_by("-date", "-pk")
    judging = set(
        ContestJudge.objects.filter(contest__camp=camp, user=request.user).values_list(
            "contest_id", flat=True
        )
    )
    context = {
        "camp": camp,
        "contests": contests,
        "judging": judging,
        "can_manage": can_manage_contests(request.user),
    }
    return render(request, "assessment/contest_list.html", context)


@allowed(can_manage_contests)
def contest_new(request, code):
    camp = get_camp_for(request.user, code, edit=True)
    form = ContestForm(request.POST or None, camp=camp)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contest = contest_create(
                camp=camp,
                title=data["title"],
                date=data["date"],
                kind=data["kind"],
                trainees=data["trainees"],
                groups=data["groups"],
                judges=form.judges(),
                weight_a=data["weight_a"],
                weight_b=data["weight_b"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已创建擂台比拼，评委可以开始打分。"))
            return redirect("assessment-contest", contest.pk)
    return render(request, "assessment/contest_form.html", {"camp": camp, "form": form})


def _participants(contest):
    return list(
        contest.participants.select_related("trainee__person", "group").order_by(
            "rank", "trainee__person__name", "group__number"
        )
    )


@role_required(*Role.values)
def contest_detail(request, pk):
    contest = get_contest_for(request.user, pk)
    participants = _participants(contest)
    judges = list(contest.judges.select_related("user").order_by("judge_class", "user__full_name"))
    marks = None
    if can_see_all_marks(request.user, contest):
        table = contest_marks_table(contest)
        marks = [
            {"participant": p, "marks": [table.get((j.pk, p.pk)) for j in judges]}
            for p in participants
        ]
    context = {
        "contest": contest,
        "participants": participants,
        "judges": judges,
        "marks": marks,
        "is_judge": any(j.user_id == request.user.pk for j in judges),
        "can_manage": can_manage_contests(request.user),
    }
    return render(request, "assessment/contest_detail.html", context)


@role_required(Role.LEADER, Role.ORGDEPT, Role.STAFF, Role.COUNSELOR)
def contest_judge(request, pk):
    """The judge's own page: one mark per participant, theirs only."""
    judge = get_contest_judge_for(request.user, pk, write=request.method == "POST")
    contest = judge.contest
    participants = _participants(contest)
    own = {m.participant_id: m.mark for m in judge.marks.all()}
    errors: dict = {}
    values = {p.pk: own.get(p.pk, "") for p in participants}
    if request.method == "POST":
        values = {p.pk: request.POST.get(f"mark_{p.pk}", "").strip() for p in participants}
        try:
            contest_marks_save(judge=judge, marks=values, by=request.user)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                errors = {int(k): v[0].messages[0] for k, v in error.error_dict.items()}
            else:
                messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("评分已保存。"))
            return redirect("assessment-contest-judge", contest.pk)
    rows = [
        {"participant": p, "value": values.get(p.pk, ""), "error": errors.get(p.pk)}
        for p in participants
    ]
    context = {"contest": contest, "judge": judge, "rows": rows, "errors": errors}
    return render(request, "assessment/contest_judge.html", context)


@require_POST
@allowed(can_manage_contests)
def contest_close_view(request, pk):
    contest = get_contest_for(request.user, pk, manage=True)
    try:
        contest_close(contest=contest, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已结束评分，成绩已计入第20项（擂台比拼）。"))
    return redirect("assessment-contest", contest.pk)


urlpatterns = [
    path("camps/<str:code>/contests/", contest_list, name="assessment-contests"),
    path("camps/<str:code>/contests/new/", contest_new, name="assessment-contest-new"),
    path("contests/<int:pk>/", contest_detail, name="assessment-contest"),
    path("contests/<int:pk>/judge/", contest_judge, name="assessment-contest-judge"),
    path("contests/<int:pk>/close/", contest_close_view, name="assessment-contest-close"),
]
