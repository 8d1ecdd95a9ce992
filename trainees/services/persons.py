"""One person, one record: merging two Person rows that are the same cadre.

Before ID numbers were normalized (NFKC), an ID number typed with full-width digits made a
second Person for someone already known. `persons_sharing_id_number` (trainees/selectors.py)
finds them; merging moves the candidacies, traineeships and login of the duplicate onto the
one kept."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from camp.models import User

from ..models import Candidate, Person, Trainee
from ..validators import normalize_id_number, normalize_phone

MERGE_REASON = "合并身份证号相同的重复人员"


def _clash(duplicate: Person, keep: Person) -> str | None:
    for model, label in ((Candidate, _("候选人")), (Trainee, _("学员"))):
        theirs = set(model.objects.filter(person=duplicate).values_list("camp__code", flat=True))
        ours = set(model.objects.filter(person=keep).values_list("camp__code", flat=True))
        if theirs & ours:
            return _("二者都是%(camp)s届的%(what)s，请先在系统中核对处理。") % {
                "camp": "、".join(sorted(theirs & ours)),
                "what": label,
            }
    if duplicate.user_id and keep.user_id:
        return _("二者各有登录账号（%(a)s、%(b)s），请先停用其中一个。") % {
            "a": keep.user.username,
            "b": duplicate.user.username,
        }
    return None


@transaction.atomic
def person_merge(*, keep: Person, duplicate: Person, by: User | None = None) -> Person:
    """Move the duplicate's candidacies, traineeships and login onto `keep`, delete the
    duplicate and store `keep`'s ID number and phone normalized. Refuses, writing nothing, when
    both were in the same camp or both have a login: a person must decide which is right."""
    # Only the people's rows: PostgreSQL cannot lock the nullable side of the join to a login.
    locked = Person.objects.select_for_update(of=("self",)).select_related("user")
    keep = locked.get(pk=keep.pk)
    duplicate = locked.get(pk=duplicate.pk)
    if normalize_id_number(keep.id_number) != normalize_id_number(duplicate.id_number):
        raise ValidationError(_("二者的身份证号不同，不能合并。"))
    if problem := _clash(duplicate, keep):
        raise ValidationError(problem)
    Candidate.objects.filter(person=duplicate).update(person=keep)
    Trainee.objects.filter(person=duplicate).update(person=keep)
    login = duplicate.user
    if login is not None:
        duplicate.user = None
        duplicate.save(update_fields=["user"])
    duplicate._history_user = by
    duplicate._change_reason = MERGE_REASON
    duplicate.delete()
    keep.id_number = normalize_id_number(keep.id_number)
    keep.phone = normalize_phone(keep.phone or duplicate.phone)
    if login is not None:
        keep.user = login
    keep.full_clean(exclude=["user"])
    keep._history_user = by
    keep._change_reason = MERGE_REASON
    keep.save()
    return keep
