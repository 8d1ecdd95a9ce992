"""After the camp (训后跟踪): the organization department writes a graduate's post changes,
appraisal grades, awards and notes, from the graduate's page or from a workbook
(after_camp_import.py), through these services.

Every write names what its writer saw (the record's `version`): if someone saved in between, it
is refused, naming who and when, never silently overwritten (as the assessment's cells are). The
history (simple-history) keeps who changed what, and why when a reason is given.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trainees.models import Trainee

from ..after_camp_selectors import is_graduate
from ..models import AfterCampNote, Appraisal, Award, PostChange

TEXT_FIELDS = ("post", "name", "body", "text")


def _duplicate_message(record) -> str | None:
    """The refusal for a second record where there may be one (per day, year or award)."""
    others = type(record).objects.filter(graduate_id=record.graduate_id).exclude(pk=record.pk)
    if isinstance(record, PostChange) and record.date and others.filter(date=record.date).exists():
        return _("%(date)s 已有一条任职变动，请修改那一条。") % {"date": record.date.isoformat()}
    if isinstance(record, Appraisal) and record.year:
        existing = others.filter(year=record.year).first()
        if existing is not None:
            return _("%(year)d年度的考核等次已记录（%(grade)s），请修改那一条。") % {
                "year": record.year,
                "grade": existing.get_grade_display(),
            }
    if (
        isinstance(record, Award)
        and record.date
        and record.name
        and others.filter(date=record.date, name=record.name).exists()
    ):
        return _("%(date)s 的“%(name)s”已记录，请勿重复录入。") % {
            "date": record.date.isoformat(),
            "name": record.name,
        }
    return None


def _check_not_future(record, today: datetime.date | None) -> None:
    # `today` is the day the record is entered: the clock's, but the demo's own "today" when
    # the demo writes (it tells the same story whatever the real day).
    today = today or timezone.localdate()
    day = getattr(record, "date", None)
    if isinstance(day, datetime.date) and day > today:
        raise ValidationError({"date": _("日期不能晚于今天，请在发生后再记录。")})
    year = getattr(record, "year", None)
    if isinstance(year, int) and year > today.year:
        raise ValidationError({"year": _("考核年度不能晚于今年。")})


def after_camp_record_check(record, *, today: datetime.date | None = None) -> None:
    """Every rule a record must meet before it is saved, without saving it: the import asks
    here for each row before it writes anything."""
    for name in TEXT_FIELDS:
        if isinstance(getattr(record, name, None), str):
            setattr(record, name, getattr(record, name).strip())
    _check_not_future(record, today)
    duplicate = _duplicate_message(record)
    if duplicate:
        raise ValidationError(duplicate)
    record.full_clean(exclude=["updated_by"])


def _write(record, *, by, reason: str, today: datetime.date | None = None) -> None:
    record.updated_by = by
    after_camp_record_check(record, today=today)
    record._history_user = by  # services also run from the import and the demo
    record._change_reason = reason[:100]
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:  # another writer took the same day or year meanwhile
        raise ValidationError(
            _duplicate_message(record) or _("该记录与已有记录冲突，请刷新后核对。")
        ) from None


class StaleRecordError(ValidationError):
    """The writer did not see the record as it is now: someone saved or deleted it since."""


def stale_message(current) -> str:
    """What changed behind the writer's back, naming who and when."""
    if current is None:
        return _("该记录已被他人删除，您的修改未保存，请刷新后核对。")
    return _("该记录已被 %(who)s 于 %(when)s 修改，您的修改未保存，请核对当前内容后重新提交。") % {
        "who": current.updated_by.display_name,
        "when": timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M"),
    }


def _locked(record, version: int):
    current = (
        type(record)
        .objects.select_for_update(of=("self",))
        .select_related("graduate__camp", "updated_by")
        .filter(pk=record.pk)
        .first()
    )
    if current is None or current.version != version:
        raise StaleRecordError(stale_message(current))
    return current


@transaction.atomic
def _create(model, *, graduate: Trainee, by, reason: str = "", today=None, **fields):
    if not is_graduate(graduate):
        raise ValidationError(_("只能为已结业的学员记录训后情况（退出或未结业的学员不记录）。"))
    record = model(graduate=graduate, **fields)
    _write(record, by=by, reason=reason, today=today)
    return record


@transaction.atomic
def _update(record, *, by, version: int, reason: str = "", **fields):
    current = _locked(record, version)
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    _write(current, by=by, reason=reason)
    return current


@transaction.atomic
def _delete(record, *, by, version: int, reason: str = "") -> None:
    current = _locked(record, version)
    current._history_user = by
    current._change_reason = reason[:100]
    current.delete()


def post_change_create(
    *, graduate, by, date, post: str, rank: str, promotion: bool, reason: str = "", today=None
) -> PostChange:
    return _create(
        PostChange,
        graduate=graduate,
        by=by,
        reason=reason,
        today=today,
        date=date,
        post=post,
        rank=rank,
        promotion=promotion,
    )


def post_change_update(
    *, post_change, by, version, date, post, rank, promotion, reason: str = ""
) -> PostChange:
    return _update(
        post_change,
        by=by,
        version=version,
        reason=reason,
        date=date,
        post=post,
        rank=rank,
        promotion=promotion,
    )


def post_change_delete(*, post_change, by, version, reason: str = "") -> None:
    _delete(post_change, by=by, version=version, reason=reason)


def appraisal_create(
    *, graduate, by, year: int, grade: str, reason: str = "", today=None
) -> Appraisal:
    return _create(
        Appraisal, graduate=graduate, by=by, reason=reason, today=today, year=year, grade=grade
    )


def appraisal_update(*, appraisal, by, version, year, grade, reason: str = "") -> Appraisal:
    return _update(appraisal, by=by, version=version, reason=reason, year=year, grade=grade)


def appraisal_delete(*, appraisal, by, version, reason: str = "") -> None:
    _delete(appraisal, by=by, version=version, reason=reason)


def award_create(
    *, graduate, by, date, name: str, body: str, reason: str = "", today=None
) -> Award:
    return _create(
        Award, graduate=graduate, by=by, reason=reason, today=today, date=date, name=name, body=body
    )


def award_update(*, award, by, version, date, name, body, reason: str = "") -> Award:
    return _update(award, by=by, version=version, reason=reason, date=date, name=name, body=body)


def award_delete(*, award, by, version, reason: str = "") -> None:
    _delete(award, by=by, version=version, reason=reason)


def after_camp_note_create(
    *, graduate, by, date, text: str, reason: str = "", today=None
) -> AfterCampNote:
    return _create(
        AfterCampNote, graduate=graduate, by=by, reason=reason, today=today, date=date, text=text
    )


def after_camp_note_update(*, note, by, version, date, text, reason: str = "") -> AfterCampNote:
    return _update(note, by=by, version=version, reason=reason, date=date, text=text)


def after_camp_note_delete(*, note, by, version, reason: str = "") -> None:
    _delete(note, by=by, version=version, reason=reason)


# Each kind's writers by its name (AFTER_CAMP_MODELS): the record pages and the import call
# the same services through these.
CREATE = {
    "post": post_change_create,
    "appraisal": appraisal_create,
    "award": award_create,
    "note": after_camp_note_create,
}
UPDATE = {
    "post": lambda record, **kw: post_change_update(post_change=record, **kw),
    "appraisal": lambda record, **kw: appraisal_update(appraisal=record, **kw),
    "award": lambda record, **kw: award_update(award=record, **kw),
    "note": lambda record, **kw: after_camp_note_update(note=record, **kw),
}
DELETE = {
    "post": lambda record, **kw: post_change_delete(post_change=record, **kw),
    "appraisal": lambda record, **kw: appraisal_delete(appraisal=record, **kw),
    "award": lambda record, **kw: award_delete(award=record, **kw),
    "note": lambda record, **kw: after_camp_note_delete(note=record, **kw),
}
