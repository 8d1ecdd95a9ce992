"""Submissions: the trainee hands in and reads grades; the grader's inbox and grading page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from camp.access import allowed, get_camp_for, role_required
from camp.drafts import draft_key, draft_offer
from camp.listing import listing
from camp.roles import Role
from camp.services.drafts import draft_discard
from trainees.access import trainee_for_user

from ..access import can_grade, can_grade_submissions, can_read_submissions, get_submission_for
from ..entry_forms import GradeForm, SubmissionForm
from ..entry_messages import StaleEntryError
from ..filters import SubmissionFilter
from ..selectors import grading_inbox, scheme_items, trainee_submissions
from ..services.submissions import submission_create, submission_grade


@role_required(Role.TRAINEE)
def my_submissions(request, code):
    camp = get_camp_for(request.user, code)
    trainee = trainee_for_user(request.user, camp)
    if trainee is None:
        raise Http404
    items = scheme_items(camp).filter(accepts_submissions=True)
    key = draft_key("submission", camp.code)
    draft, initial = draft_offer(request, key, None)
    form = SubmissionForm(request.POST or None, request.FILES or None, items=items, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submission = submission_create(
                trainee=trainee,
                item=data["item"],
                by=request.user,
                text=data["text"],
                upload=data["upload"],
                period=data["period"],
                title=data["title"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            draft_discard(user=request.user, key=key)
            if submission.is_late:
                messages.warning(request, _("已提交。已过截止时间，将标记为逾期提交。"))
            else:
                messages.success(request, _("已提交，等待评分。"))
            return redirect("assessment-my-submissions", camp.code)
    context = {
        "camp": camp,
        "trainee": trainee,
        "form": form,
        "submissions": trainee_submissions(trainee),
        "draft_key": key,
        "draft": draft,
        "restored": draft is not None and request.GET.get("draft") == "restore",
    }
    return render(request, "assessment/my_submissions.html", context)


@allowed(can_grade_submissions)
def inbox(request, code):
    camp = get_camp_for(request.user, code)
    context = {
        "camp": camp,
        "waiting": grading_inbox(request.user, camp),
        "listing": listing(
            request,
            SubmissionFilter(
                request.GET, grading_inbox(request.user, camp, waiting=False), camp=camp
            ),
        ),
    }
    return render(request, "assessment/inbox.html", context)


@allowed(can_read_submissions)
def submission_detail(request, pk):
    """Read the work; who grades the item grades it here, on the item, in one place."""
    posted = request.method == "POST"
    submission = get_submission_for(request.user, pk, grade=posted)  # 403 if not theirs to grade
    may_grade = posted or can_grade(request.user, submission.item, submission.trainee)
    entry = submission.score_entry
    initial = {"comment": submission.grader_comment}
    if entry is not None:
        initial.update(points=entry.points, version=entry.version)
    form = GradeForm(request.POST or None, initial=initial) if may_grade else None
    if posted and form.is_valid():
        try:
            submission_grade(
                submission=submission,
                points=form.cleaned_data["points"],
                comment=form.cleaned_data["comment"],
                by=request.user,
                entry_version=form.cleaned_data["version"],
            )
        except StaleEntryError as error:
            form.add_error(None, error)
            form.data = form.data.copy()
            form.data["version"] = error.current.version
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已评分。"))
            return redirect("assessment-inbox", submission.trainee.camp.code)
    context = {"submission": submission, "form": form}
    return render(request, "assessment/submission.html", context)


@allowed(can_read_submissions)
def submission_file(request, pk):
    submission = get_submission_for(request.user, pk)
    if not submission.file:
        raise Http404
    return FileResponse(
        submission.file.open("rb"),
        as_attachment=True,
        filename=submission.original_filename or "submission",
        content_type=submission.content_type or "application/octet-stream",
    )


urlpatterns = [
    path(
        "camps/<str:code>/assessment/my-submissions/",
        my_submissions,
        name="assessment-my-submissions",
    ),
    path("camps/<str:code>/assessment/inbox/", inbox, name="assessment-inbox"),
    path("assessment/submissions/<int:pk>/", submission_detail, name="assessment-submission"),
    path(
        "assessment/submissions/<int:pk>/file/",
        submission_file,
        name="assessment-submission-file",
    ),
]
