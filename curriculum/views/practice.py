"""Chief projects with monthly notes, and task forces with their log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from camp.access import get_camp_for, role_required
from camp.listing import listing
from camp.roles import Role

from ..access import (
    can_comment_chief_project,
    can_edit_curriculum,
    can_see_task_force_members,
    can_write_chief_project,
    can_write_task_force_log,
    get_chief_project_owner_for,
    get_task_force_for,
    visible_chief_projects,
)
from ..filters import ChiefProjectFilter
from ..forms import (
    ChiefProjectForm,
    CommentForm,
    LogEntryForm,
    ProgressNoteForm,
    TaskForceForm,
)
from ..models import ChiefProject, ProgressNote
from ..services.practice import (
    chief_project_save,
    progress_note_add,
    progress_note_comment,
    task_force_create,
    task_force_log_add,
)
from .feedback import submit_and_tell


@role_required(*Role.values)
def chief_projects(request, code):
    camp = get_camp_for(request.user, code)
    projects = (
        visible_chief_projects(request.user, camp)
        .select_related("trainee__person", "trainee__group")
        .order_by("trainee__group__number", "trainee__person__name")
    )
    page = listing(request, ChiefProjectFilter(request.GET, projects, camp=camp))
    return render(request, "curriculum/chief_projects.html", {"camp": camp, "listing": page})


@role_required(*Role.values)
def chief_project(request, trainee_pk):
    trainee = get_chief_project_owner_for(request.user, trainee_pk)
    project = ChiefProject.objects.filter(trainee=trainee).first()
    own = can_write_chief_project(request.user, trainee)
    can_comment = can_comment_chief_project(request.user, trainee)
    form = ChiefProjectForm(request.POST or None, instance=project) if own else None
    if request.method == "POST":
        get_chief_project_owner_for(request.user, trainee_pk, write=True)
        if form.is_valid():
            try:
                chief_project_save(trainee=trainee, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("已保存首席项目。"))
                return redirect("curriculum-chief-project", trainee.pk)
    return render(
        request,
        "curriculum/chief_project.html",
        {
            "camp": trainee.camp,
            "trainee": trainee,
            "project": project,
            "notes": project.notes.select_related("commented_by") if project else [],
            "form": form,
            "note_form": ProgressNoteForm(initial={"month": timezone.localdate()})
            if own and project
            else None,
            "comment_form": CommentForm() if can_comment else None,
        },
    )


@require_POST
@role_required(Role.TRAINEE)
def progress_note(request, trainee_pk):
    trainee = get_chief_project_owner_for(request.user, trainee_pk, write=True)
    project = get_object_or_404(ChiefProject, trainee=trainee)
    submit_and_tell(
        request,
        ProgressNoteForm(request.POST),
        lambda data: progress_note_add(project=project, **data),
        done=_("已填写本月进展。"),
        invalid=_("请填写月份和进展。"),
    )
    return redirect("curriculum-chief-project", trainee.pk)


@require_POST
@role_required(Role.COUNSELOR)
def progress_comment(request, pk):
    note = get_object_or_404(ProgressNote.objects.select_related("project"), pk=pk)
    trainee = get_chief_project_owner_for(request.user, note.project.trainee_id, comment=True)
    submit_and_tell(
        request,
        CommentForm(request.POST),
        lambda data: progress_note_comment(note=note, comment=data["comment"], by=request.user),
        done=_("已点评。"),
        invalid=_("请填写点评内容。"),
    )
    return redirect("curriculum-chief-project", trainee.pk)


@role_required(*Role.values)
def task_forces(request, code):
    camp = get_camp_for(request.user, code)
    can_edit = can_edit_curriculum(request.user)
    trainees = camp.trainees.active().select_related("person").order_by("person__name")
    form = TaskForceForm(request.POST or None, trainees=trainees) if can_edit else None
    if request.method == "POST":
        get_camp_for(request.user, code, edit=True)
        if form.is_valid():
            try:
                task_force_create(camp=camp, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("已新建突击队。"))
                return redirect("curriculum-task-forces", camp.code)
    forces = camp.task_forces.all()
    return render(
        request, "curriculum/task_forces.html", {"camp": camp, "forces": forces, "form": form}
    )


@role_required(*Role.values)
def task_force(request, pk):
    force = get_task_force_for(request.user, pk)
    show_members = can_see_task_force_members(request.user, force)
    can_log = can_write_task_force_log(request.user, force)
    form = LogEntryForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST":
        get_task_force_for(request.user, pk, log=True)
        if form.is_valid():
            try:
                task_force_log_add(task_force=force, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("已记录工作日志。"))
                return redirect("curriculum-task-force", force.pk)
    return render(
        request,
        "curriculum/task_force.html",
        {
            "camp": force.camp,
            "force": force,
            "members": force.members.select_related("person", "group") if show_members else None,
            "log": force.log.select_related("by"),
            "form": form if can_log else None,
        },
    )


urlpatterns = [
    path("camps/<str:code>/chief-projects/", chief_projects, name="curriculum-chief-projects"),
    path(
        "curriculum/chief-projects/<int:trainee_pk>/",
        chief_project,
        name="curriculum-chief-project",
    ),
    path(
        "curriculum/chief-projects/<int:trainee_pk>/notes/",
        progress_note,
        name="curriculum-progress-note",
    ),
    path(
        "curriculum/progress-notes/<int:pk>/comment/",
        progress_comment,
        name="curriculum-progress-comment",
    ),
    path("camps/<str:code>/task-forces/", task_forces, name="curriculum-task-forces"),
    path("curriculum/task-forces/<int:pk>/", task_force, name="curriculum-task-force"),
]
