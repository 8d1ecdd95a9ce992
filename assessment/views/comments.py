"""Leader comments (点评评议): the comments a user may read in a camp, and writing one (leaders
and the organization department; only the author edits)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from camp.access import allowed, get_camp_for, role_required
from camp.drafts import draft_key, draft_offer
from camp.roles import Role
from camp.services.drafts import draft_discard

from ..access import (
    can_write_comments,
    get_leader_comment_for,
    require_comment_writer,
    visible_leader_comments,
)
from ..activity_forms import LeaderCommentForm
from ..services.comments import leader_comment_create, leader_comment_update


@role_required(*Role.values)
def comment_list(request, code):
    camp = get_camp_for(request.user, code)
    context = {
        "camp": camp,
        "comments": visible_leader_comments(request.user, camp),
        "can_write": can_write_comments(request.user),
    }
    return render(request, "assessment/comment_list.html", context)


@allowed(can_write_comments)
def comment_new(request, code):
    camp = get_camp_for(request.user, code)
    require_comment_writer(request.user)
    initial = {"date": timezone.localdate(), "target": request.GET.get("target", "camp")}
    for key in ("group", "trainee"):
        if request.GET.get(key, "").isdigit():
            initial[key] = int(request.GET[key])
    key = draft_key("comment", camp.code)
    draft, initial = draft_offer(request, key, initial)
    form = LeaderCommentForm(request.POST or None, camp=camp, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            leader_comment_create(
                camp=camp,
                author=request.user,
                date=data["date"],
                occasion=data["occasion"],
                text=data["text"],
                target=data["target"],
                group=data.get("group"),
                trainee=data.get("trainee"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            draft_discard(user=request.user, key=key)
            messages.success(request, _("点评已保存。"))
            return redirect("assessment-comments", camp.code)
    context = {
        "camp": camp,
        "form": form,
        "draft_key": key,
        "draft": draft,
        "restored": draft is not None and request.GET.get("draft") == "restore",
    }
    return render(request, "assessment/comment_form.html", context)


@allowed(can_write_comments)
def comment_edit(request, pk):
    comment = get_leader_comment_for(request.user, pk, edit=True)
    form = LeaderCommentForm(
        request.POST or None,
        camp=comment.camp,
        initial={
            "date": comment.date,
            "occasion": comment.occasion,
            "text": comment.text,
            "target": comment.target,
            "group": comment.group_id,
            "trainee": comment.trainee_id,
        },
    )
    for name in ("target", "group", "trainee"):
        form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            leader_comment_update(
                comment=comment,
                by=request.user,
                date=data["date"],
                occasion=data["occasion"],
                text=data["text"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("点评已修改。"))
            return redirect("assessment-comments", comment.camp.code)
    return render(
        request,
        "assessment/comment_form.html",
        {"camp": comment.camp, "form": form, "comment": comment},
    )


urlpatterns = [
    path("camps/<str:code>/comments/", comment_list, name="assessment-comments"),
    path("camps/<str:code>/comments/new/", comment_new, name="assessment-comment-new"),
    path("comments/<int:pk>/edit/", comment_edit, name="assessment-comment-edit"),
]
