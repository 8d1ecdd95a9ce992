"""Practice: chief projects with monthly progress notes, and task forces with their log."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from camp.models import Camp
from curriculum.models import ChiefProject, ProgressNote, TaskForce, TaskForceLogEntry
from trainees.models import Trainee


@transaction.atomic
def chief_project_save(*, trainee: Trainee, title: str, goal: str, milestones: str, by):
    project = ChiefProject.objects.filter(trainee=trainee).first() or ChiefProject(trainee=trainee)
    project.title = (title or "").strip()
    project.goal = (goal or "").strip()
    project.milestones = (milestones or "").strip()
    project.full_clean()
    project._history_user = by
    project.save()
    return project


@transaction.atomic
def progress_note_add(*, project: ChiefProject, month: datetime.date, text: str) -> ProgressNote:
    month = month.replace(day=1)
    if month > timezone.localdate():
        raise ValidationError(_("不能提前填写以后月份的进展。"))
    if ProgressNote.objects.filter(project=project, month=month).exists():
        raise ValidationError(_("本月进展已填写；如需补充请联系辅导员。"))
    note = ProgressNote(project=project, month=month, text=(text or "").strip())
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def progress_note_comment(*, note: ProgressNote, comment: str, by) -> ProgressNote:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("请填写点评内容。"))
    note.counselor_comment = comment
    note.commented_by = by
    note.commented_at = timezone.now()
    note.full_clean()
    note.save(update_fields=["counselor_comment", "commented_by", "commented_at"])
    return note


@transaction.atomic
def task_force_create(
    *, camp: Camp, name: str, place: str, task: str, members: list[Trainee] = ()
) -> TaskForce:
    task_force = TaskForce(camp=camp, name=name.strip(), place=place.strip(), task=task.strip())
    task_force.full_clean()
    task_force.save()
    if members:
        task_force_set_members(task_force=task_force, members=members)
    return task_force


@transaction.atomic
def task_force_set_members(*, task_force: TaskForce, members) -> None:
    members = list(members)
    if any(m.camp_id != task_force.camp_id for m in members):
        raise ValidationError(_("队员须为本届学员。"))
    task_force.members.set(members)


@transaction.atomic
def task_force_log_add(
    *, task_force: TaskForce, date: datetime.date, text: str, by
) -> TaskForceLogEntry:
    if date > timezone.localdate():
        raise ValidationError(_("日志日期不能晚于今天。"))
    entry = TaskForceLogEntry(task_force=task_force, date=date, text=(text or "").strip(), by=by)
    entry.full_clean()
    entry.save()
    return entry
