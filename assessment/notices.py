"""What the assessment tells people (通知): a monthly summary published, an export ready."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from camp.notifications.models import Kind
from camp.notifications.services import notify, notify_each
from trainees.models import Trainee

from .access import may_see_rank


def summary_published_notify(*, camp, month: datetime.date, rows) -> None:
    """Each trainee of the month gets their own figures; their rank only where the camp shows
    ranks to trainees (the pages' own rule, `may_see_rank`)."""
    by_trainee = {row.trainee_id: row for row in rows}
    trainees = Trainee.objects.filter(pk__in=by_trainee, person__user__isnull=False).select_related(
        "person__user", "camp"
    )
    title = _("%(month)s 月度考核汇总已发布") % {"month": f"{month:%Y-%m}"}
    url = reverse("assessment-my-scores", args=[camp.code])
    messages = []
    for trainee in trainees:
        row = by_trainee[trainee.pk]
        user = trainee.person.user
        body = _("本月总分：%(total)s") % {"total": row.total}
        if row.class_rank is not None and may_see_rank(user, trainee):
            body += "\n" + _("班级排名：第 %(rank)d 名") % {"rank": row.class_rank}
        messages.append((user, title, body, url))
    notify_each(kind=Kind.SUMMARY_PUBLISHED, messages=messages)


def export_ready_notify(*, job) -> None:
    notify(
        users=[job.user],
        kind=Kind.EXPORT_READY,
        title=_("导出文件已生成：%(name)s") % {"name": job.filename},
        url=reverse("export-job-download", args=[job.pk]),
    )
