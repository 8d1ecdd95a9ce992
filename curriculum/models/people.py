"""Talks, research topics, chief projects and task forces: the mentoring, research and practice
classrooms' records about people."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from camp.models import Camp
from trainees.models import Counselor, StudyGroup, Trainee

from .calendar import Instructor


class Talk(models.Model):
    """谈心谈话. Confidential: it belongs to the `group`, so its current counselor (a successor
    inherits) and staff read it; nobody else (see `curriculum.access.get_talk_for`)."""

    trainee = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="talks", verbose_name=_("学员")
    )
    group = models.ForeignKey(
        StudyGroup, on_delete=models.CASCADE, related_name="talks", verbose_name=_("学习小组")
    )
    counselor = models.ForeignKey(
        Counselor, on_delete=models.PROTECT, related_name="talks", verbose_name=_("谈话人")
    )
    held_on = models.DateField(_("谈话日期"))
    topics = models.CharField(_("谈话主题"), max_length=200)
    summary = models.TextField(_("谈话摘要"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("谈心谈话")
        verbose_name_plural = _("谈心谈话")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["group", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on} {self.trainee}"


def research_report_path(instance: ResearchTopic, filename: str) -> str:
    # The stored name is ours, never the uploader's: it cannot escape the folder, and nobody can
    # guess it should the media folder ever be served by mistake.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"research/{instance.camp_id}/{uuid.uuid4().hex}.{ext}"


class ResearchTopic(models.Model):
    """调研课题: a subject a team of trainees studies, with an adviser, milestones and a final
    report. The report is served only through a permission-checked view."""

    camp = models.ForeignKey(
        Camp, on_delete=models.CASCADE, related_name="research_topics", verbose_name=_("届次")
    )
    title = models.CharField(_("课题名称"), max_length=100)
    description = models.TextField(_("课题说明"), blank=True)
    adviser = models.ForeignKey(
        Instructor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="advised_topics",
        verbose_name=_("指导老师"),
    )
    report = models.FileField(_("调研报告"), upload_to=research_report_path, blank=True)
    report_name = models.CharField(_("报告文件名"), max_length=200, blank=True)
    report_uploaded_at = models.DateTimeField(_("上传时间"), null=True, blank=True)
    report_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("调研课题")
        verbose_name_plural = _("调研课题")
        ordering = ["camp", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["camp", "title"], name="research_title_per_camp")
        ]

    def __str__(self) -> str:
        return self.title


class ResearchMember(models.Model):
    topic = models.ForeignKey(ResearchTopic, on_delete=models.CASCADE, related_name="members")
    trainee = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="research_memberships"
    )
    is_leader = models.BooleanField(_("课题组长"), default=False)

    class Meta:
        verbose_name = _("课题组成员")
        verbose_name_plural = _("课题组成员")
        ordering = ["-is_leader", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "trainee"], name="research_member_once"),
            models.UniqueConstraint(
                fields=["topic"],
                condition=models.Q(is_leader=True),
                name="research_one_leader",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} · {self.trainee}"


class ResearchMilestone(models.Model):
    topic = models.ForeignKey(ResearchTopic, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=100)
    due_on = models.DateField(_("计划完成"))
    done_on = models.DateField(_("实际完成"), null=True, blank=True)

    class Meta:
        verbose_name = _("课题节点")
        verbose_name_plural = _("课题节点")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class ChiefProject(models.Model):
    """项目首席负责制: the key task a trainee leads in their own unit."""

    trainee = models.OneToOneField(
        Trainee, on_delete=models.CASCADE, related_name="chief_project", verbose_name=_("学员")
    )
    title = models.CharField(_("项目名称"), max_length=100)
    goal = models.TextField(_("目标"), max_length=2000)
    milestones = models.TextField(_("节点安排"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("首席项目")
        verbose_name_plural = _("首席项目")

    def __str__(self) -> str:
        return self.title


class ProgressNote(models.Model):
    """A chief project's monthly progress (`month` is the 1st of the month), with the counselor's
    comment."""

    project = models.ForeignKey(ChiefProject, on_delete=models.CASCADE, related_name="notes")
    month = models.DateField(_("月份"))
    text = models.TextField(_("进展"), max_length=3000)
    counselor_comment = models.TextField(_("辅导员点评"), max_length=2000, blank=True)
    commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    commented_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("项目月度进展")
        verbose_name_plural = _("项目月度进展")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="progress_note_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.month:%Y-%m}"


class TaskForce(models.Model):
    """突击队: a team of 选调生/选聘生 sent to a key township or platform."""

    camp = models.ForeignKey(
        Camp, on_delete=models.CASCADE, related_name="task_forces", verbose_name=_("届次")
    )
    name = models.CharField(_("名称"), max_length=100)
    place = models.CharField(_("派驻地点"), max_length=100)
    task = models.TextField(_("任务"), max_length=2000)
    members = models.ManyToManyField(
        Trainee, blank=True, related_name="task_forces", verbose_name=_("队员")
    )

    class Meta:
        verbose_name = _("突击队")
        verbose_name_plural = _("突击队")
        ordering = ["camp", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["camp", "name"], name="task_force_name_per_camp")
        ]

    def __str__(self) -> str:
        return self.name


class TaskForceLogEntry(models.Model):
    task_force = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="log")
    date = models.DateField(_("日期"))
    text = models.TextField(_("工作记录"), max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("突击队工作日志")
        verbose_name_plural = _("突击队工作日志")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.task_force} {self.date}"
