"""Trainees' submissions (学习心得, 学习笔记, 党性分析材料, 调研报告) and their grading.

A trainee hands in text or a file. A file is size-limited and its type is checked by its
content (a renamed .exe is not a PDF): PDF, Word .docx, JPEG or PNG. A submission after its
deadline is accepted and marked late. The grader grades it in one place: the grade becomes a
ScoreEntry (source `submission`) on the item, dated the month it belongs to (or the day it was
handed in for a once-only item), and the comment is kept for the trainee to read.
"""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from camp.months import first_of_month
from camp.uploads import sniff_file_type  # the one home of what bytes are
from trainees.models import Trainee, TraineeStatus

from ..access import can_grade
from ..cells import period_key
from ..entry_messages import StaleEntryError
from ..entry_rules import parse_points
from ..models import AssessmentItem, Frequency, ScoreEntry, Source, Submission
from ..submission_rules import FILE_TYPES, submission_deadline, submission_max_bytes
from .entries import _apply_update, score_entry_create

TEXT_MAX_CHARS = 20000
COMMENT_MAX_CHARS = 2000


def _check_file(upload) -> tuple[bytes, str, str]:
    limit = submission_max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("文件超过 %(mb)d MB，请压缩或拆分后再提交。") % {"mb": limit // (1024 * 1024)}
        )
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(
            _("文件超过 %(mb)d MB，请压缩或拆分后再提交。") % {"mb": limit // (1024 * 1024)}
        )
    if not content:
        raise ValidationError(_("文件是空的，请重新选择。"))
    kind = sniff_file_type(content)
    name = (upload.name or "").rsplit("/", 1)[-1][:200]
    if kind is None:
        raise ValidationError(
            _("只接受 PDF、Word（.docx）、JPG 或 PNG 文件，请另存为这些格式后再提交。")
        )
    content_type, extensions = FILE_TYPES[kind]
    if not name.lower().endswith(extensions):
        raise ValidationError(
            _("文件名后缀与内容不符（内容是 %(kind)s），请检查文件后再提交。")
            % {"kind": kind.upper()}
        )
    return content, content_type, name


@transaction.atomic
def submission_create(
    *,
    trainee: Trainee,
    item: AssessmentItem,
    by,
    text: str = "",
    upload=None,
    period: datetime.date | None = None,
    title: str = "",
) -> Submission:
    """Hand in work for an item: text, a file, or both. Late work is accepted, marked late."""
    if trainee.person.user_id != getattr(by, "pk", None):
        raise PermissionDenied
    if not item.accepts_submissions or item.scheme.camp_id != trainee.camp_id:
        raise ValidationError(_("该项目不需要在系统中提交材料。"))
    if trainee.status == TraineeStatus.WITHDRAWN:
        raise ValidationError(_("您已退出本期培训，不能再提交材料。"))
    text = (text or "").strip()
    if len(text) > TEXT_MAX_CHARS:
        raise ValidationError(
            _("正文不能超过 %(n)d 字，较长的材料请以文件提交。") % {"n": TEXT_MAX_CHARS}
        )
    if not text and upload is None:
        raise ValidationError(_("请填写正文或上传文件。"))
    if item.frequency == Frequency.MONTHLY:
        if period is None:
            raise ValidationError(_("请选择材料所属的月份。"))
        period = first_of_month(period)
    else:
        period = None
    now = timezone.now()
    cell = period_key(item.frequency, period or timezone.localdate(now))
    # One submission of a kind per period: two hand-ins at once queue on the trainee's row.
    Trainee.objects.select_for_update(no_key=True).filter(pk=trainee.pk).first()
    submission = Submission.objects.filter(trainee=trainee, item=item, cell=cell).first()
    if submission is not None and submission.is_graded:
        raise ValidationError(
            _("本期“%(item)s”已提交并已评分，不能再次提交；如需更正，请联系评分人。")
            % {"item": item.name}
        )
    if submission is None:
        submission = Submission(trainee=trainee, item=item, period=period, cell=cell)
    # An ungraded hand-in is replaced by the new one; the history keeps the earlier text.
    deadline = submission_deadline(item, period)
    submission.title = (title or "").strip()[:100]
    submission.text = text
    submission.submitted_at = now
    submission.deadline = deadline
    submission.is_late = deadline is not None and now > deadline
    submission.token = secrets.token_hex(16)
    if upload is None:
        submission.file = ""
        submission.original_filename = submission.content_type = ""
    else:
        content, content_type, name = _check_file(upload)
        submission.content_type = content_type
        submission.original_filename = name
        submission.file.save(submission.token, ContentFile(content), save=False)
    submission.full_clean()
    submission._history_user = by
    submission.save()
    return submission


def _entry_date(submission: Submission) -> datetime.date:
    if submission.period is not None:
        return submission.period
    return timezone.localdate(submission.submitted_at)


@transaction.atomic
def submission_grade(
    *,
    submission: Submission,
    points,
    comment: str,
    by,
    entry_version: int | None = None,
) -> Submission:
    """Grade a submission on its item. A re-grade edits the same entry, refused if the grade
    changed since the grader opened it (`entry_version`)."""
    submission = (
        # of=self: PostgreSQL cannot lock the nullable side of an outer join (score_entry).
        Submission.objects.select_for_update(of=("self",))
        .select_related("item", "item__scheme", "trainee", "trainee__person", "score_entry")
        .get(pk=submission.pk)
    )
    if not can_grade(by, submission.item, submission.trainee):
        raise PermissionDenied
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_CHARS:
        raise ValidationError(_("评语不能超过 %(n)d 字。") % {"n": COMMENT_MAX_CHARS})
    points = parse_points(points)
    reason = _("%(item)s材料评分") % {"item": submission.item.name}
    entry = submission.score_entry
    if entry is not None:
        current = ScoreEntry.objects.select_for_update().get(pk=entry.pk)
        if entry_version is not None and current.version != entry_version:
            raise StaleEntryError(current)
        entry = _apply_update(current, points=points, date=current.date, reason=reason, by=by)
    else:
        # The grade is the period's cell: a grade already there (from the grid, say) is
        # edited and becomes this submission's, kept in the history.
        entry = score_entry_create(
            trainee=submission.trainee,
            item=submission.item,
            points=points,
            date=_entry_date(submission),
            by=by,
            reason=reason,
            source=Source.SUBMISSION,
            source_key=f"submission:{submission.pk}",
            seen_version=None,
        )
        # A once-only item's new grade replaced an earlier submission's: unlink that one.
        for earlier in Submission.objects.filter(score_entry=entry).exclude(pk=submission.pk):
            earlier.score_entry = None
            earlier._history_user = by
            earlier.save(update_fields=["score_entry"])
    submission.score_entry = entry
    submission.grader_comment = comment
    submission.graded_by = by
    submission.graded_at = timezone.now()
    submission._history_user = by
    submission.save(update_fields=["score_entry", "grader_comment", "graded_by", "graded_at"])
    return submission
