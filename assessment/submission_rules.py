"""What a submission may be and until when: the accepted file types, recognised by their bytes
whatever the file is called, the size limit, and the deadline of an item's period. Pure rules;
the writes are services/submissions.py's."""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.utils import timezone

from .models import AssessmentItem, Frequency

# (content type, extensions, description)
FILE_TYPES = {
    "pdf": ("application/pdf", (".pdf",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
    ),
    "jpeg": ("image/jpeg", (".jpg", ".jpeg")),
    "png": ("image/png", (".png",)),
}


def submission_max_bytes() -> int:
    return getattr(settings, "SUBMISSION_MAX_BYTES", settings.UPLOAD_MAX_BYTES)


def submission_deadline(
    item: AssessmentItem, period: datetime.date | None
) -> datetime.datetime | None:
    """The end of the last day to hand in: a monthly item's grace days after its month ends,
    a once-only item's due date (None when staff set none)."""
    if item.frequency == Frequency.MONTHLY and period is not None:
        last = period.replace(day=calendar.monthrange(period.year, period.month)[1])
        day = last + datetime.timedelta(days=item.submission_grace_days)
    elif item.submission_due_date is not None:
        day = item.submission_due_date
    else:
        return None
    end = datetime.datetime.combine(day, datetime.time(23, 59, 59))
    return timezone.make_aware(end)
