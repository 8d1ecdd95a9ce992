"""Research topics: teams, milestones and the final report."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from camp.models import Camp
from curriculum.models import Instructor, ResearchMember, ResearchMilestone, ResearchTopic
from trainees.models import Trainee

from ..research_reports import report_kind


@transaction.atomic
def research_topic_create(
    *, camp: Camp, title: str, description: str = "", adviser: Instructor | None = None
) -> ResearchTopic:
    title = (title or "").strip()
    if ResearchTopic.objects.filter(camp=camp, title=title).exists():
        raise ValidationError(_("本届已有同名课题。"))
    topic = ResearchTopic(camp=camp, title=title, description=description, adviser=adviser)
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def research_member_add(*, topic: ResearchTopic, trainee: Trainee, leader: bool = False):
    if trainee.camp_id != topic.camp_id:
        raise ValidationError(_("该学员不属于本届次。"))
    if leader:
        ResearchMember.objects.filter(topic=topic, is_leader=True).update(is_leader=False)
    member = ResearchMember.objects.filter(topic=topic, trainee=trainee).first()
    member = member or ResearchMember(topic=topic, trainee=trainee)
    member.is_leader = leader
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def research_milestone_add(
    *, topic: ResearchTopic, title: str, due_on: datetime.date
) -> ResearchMilestone:
    milestone = ResearchMilestone(topic=topic, title=(title or "").strip(), due_on=due_on)
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def research_milestone_done(*, milestone: ResearchMilestone, done_on: datetime.date | None = None):
    milestone.done_on = done_on or timezone.localdate()
    milestone.full_clean()
    milestone.save(update_fields=["done_on"])
    return milestone


@transaction.atomic
def research_report_upload(*, topic: ResearchTopic, upload, by) -> ResearchTopic:
    """Store a topic's final report through the storage API, replacing an earlier one. Too big,
    or not really a PDF/Word/Excel file: refused, nothing stored."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("文件过大（%(size)s），上限为 %(limit)s，请压缩后重新上传。")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    if upload.size == 0:
        raise ValidationError(_("文件是空的，请选择报告文件。"))
    ext = report_kind(upload)
    topic = ResearchTopic.objects.select_for_update().get(pk=topic.pk)
    old = topic.report.name if topic.report else ""
    topic.report.save(f"report.{ext}", upload, save=False)
    if old and old != topic.report.name:
        topic.report.storage.delete(old)
    topic.report_name = (upload.name or f"report.{ext}")[:200]
    topic.report_uploaded_at = timezone.now()
    topic.report_uploaded_by = by
    topic._history_user = by
    topic.save()
    return topic
