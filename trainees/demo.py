"""The demo camp's backbone: the 2026 edition, its accounts, candidates, trainees and groups.

Two steps: `demo_reset` (order 0) removes the previous demo's editions (2026 and the earlier
ones of trainees/demo_editions.py) with their people and accounts, so that a second run rebuilds
them from scratch; `build_backbone` (order 10) goes through the same
services as staff would (candidate entry, admission, placement, counselor terms, conduct codes).
Later steps find what they need in `ctx.shared`: "camp", "staff", "orgdept", "leader", "admin",
"counselors" and "groups" (by group number), "trainees" (active, t001 first),
"password_hash" (for accounts they add) and "accounts" (what the command prints).
"""

from __future__ import annotations

import datetime
import re

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.test.utils import override_settings

from camp.demo import DemoContext, demo_step
from camp.models import Camp, CampStatus, User
from camp.roles import Role
from camp.services.camps import camp_create

from . import demo_data as data
from .demo_people import candidate_profiles, conduct_text
from .models import (
    Candidate,
    Counselor,
    Decision,
    GroupMove,
    Person,
    Post,
    Trainee,
    WithdrawalKind,
)
from .selectors import candidates_for_camp
from .services.admission import candidate_decide, trainee_admit, trainee_set_post, trainee_withdraw
from .services.candidates import candidate_create
from .services.conduct import conduct_code_save
from .services.counselors import counselor_create, group_counselor_replace
from .services.grouping import groups_place

DEMO_CAMP_CODE = "2026"
STAFF_ACCOUNTS = (
    ("staff", "王晓燕", Role.STAFF, "党校班主任"),
    ("orgdept", "朱卫国", Role.ORGDEPT, "市委组织部干部一处"),
    ("leader", "费志远", Role.LEADER, "市领导"),
)
TRAINEE_USERNAME = re.compile(r"^t\d{3}$")
ADMITTED_ON = datetime.date(2026, 1, 5)
TRAINEES = 150
# (date, kind, reason): mid-year departures, each place filled from the waitlist a week later.
WITHDRAWALS = (
    (datetime.date(2026, 6, 15), WithdrawalKind.PROMOTED, "提拔任县直部门副局长，工作调整后退出"),
    (datetime.date(2026, 9, 10), WithdrawalKind.TRANSFERRED, "调任省直单位工作"),
)


def _demo_usernames() -> Q:
    fixed = ["admin", *(u for u, *_rest in STAFF_ACCOUNTS)]
    fixed += [f"counselor{n}" for n in range(1, 7)]
    return Q(username__in=fixed) | Q(username__regex=TRAINEE_USERNAME.pattern)


def _delete_with_dependents(queryset, depth: int = 0) -> None:
    """Delete these rows, first deleting whatever PROTECTs them. Used only on the demo camp:
    anything that protects a row hanging off it (another app's scores, reviews...) hangs off
    the demo camp too."""
    while True:
        try:
            queryset.delete()
            return
        except (ProtectedError, RestrictedError) as error:
            if depth > 10:
                raise
            blockers = getattr(error, "protected_objects", None) or error.restricted_objects
            by_model: dict = {}
            for obj in blockers:
                by_model.setdefault(type(obj), []).append(obj.pk)
            for model, pks in by_model.items():
                _delete_with_dependents(model._default_manager.filter(pk__in=pks), depth + 1)


def _stored_files(camps: list[Camp], user_ids: list[int]) -> list[tuple]:
    """(storage, name) of every file kept by a row that hangs directly off a demo camp or a
    demo account (a background export's workbook...). Deleting the rows leaves the files in
    storage; found by introspection because the apps that own such rows sit above this one."""
    found = []
    for model in apps.get_models():
        file_fields = [f.name for f in model._meta.fields if isinstance(f, models.FileField)]
        owners = Q()
        for field in model._meta.fields:
            if not field.many_to_one:
                continue
            if field.related_model is Camp and camps:
                owners |= Q(**{f"{field.name}__in": camps})
            elif field.related_model is User and user_ids:
                owners |= Q(**{f"{field.name}__in": user_ids})
        if not file_fields or not owners:
            continue
        for row in model._default_manager.filter(owners).only(*file_fields):
            for name in file_fields:
                stored = getattr(row, name)
                if stored:
                    found.append((stored.storage, stored.name))
    return found


def _delete_files_on_commit(files: list[tuple]) -> None:
    # Only once the reset is committed: a failed seed_demo keeps the old demo, files included.
    def delete():
        for storage, name in files:
            storage.delete(name)

    if files:
        transaction.on_commit(delete)


@demo_step(order=0, label="清除上一次的演示数据")
def demo_reset(ctx: DemoContext) -> None:
    """Delete the demo's editions (2026 and the earlier ones) with everything of them, then
    their people (unless an edition outside the demo has them too) and the demo accounts."""
    from .demo_editions import PAST_CODES, past_demo_usernames

    camps = list(Camp.objects.filter(code__in=[DEMO_CAMP_CODE, *PAST_CODES]))
    person_ids = list(
        Candidate.objects.filter(camp__in=camps).values_list("person_id", flat=True).distinct()
    )
    user_ids = list(
        Person.objects.filter(pk__in=person_ids, user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    users = User.objects.filter(_demo_usernames() | past_demo_usernames() | Q(pk__in=user_ids))
    user_pks = list(users.values_list("pk", flat=True))
    _delete_files_on_commit(_stored_files(camps, user_pks))
    if camps:
        # A demo being wiped needs no audit trail, and recording every deleted row would
        # cost ten times the deletion itself (simple_history reads this setting per row).
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            # PROTECT keeps a trainee's group and candidacy from vanishing under them, so
            # the demo camps are taken apart from the leaves up.
            _delete_with_dependents(GroupMove.objects.filter(trainee__camp__in=camps))
            _delete_with_dependents(Trainee.objects.filter(camp__in=camps))
            _delete_with_dependents(Camp.objects.filter(pk__in=[camp.pk for camp in camps]))
    Person.objects.filter(pk__in=person_ids, candidacies__isnull=True).delete()
    Counselor.objects.filter(user__in=users, terms__isnull=True, groups__isnull=True).delete()
    try:
        users.delete()
    except ProtectedError as error:
        raise ValidationError(
            "演示账号（admin、staff、t001…）已被演示届次以外的数据使用，"
            "为免误删，请在单独的数据库中运行 seed_demo。"
        ) from error


@demo_step(order=10, label="届次、账号、推荐人选、录取与学习小组")
def build_backbone(ctx: DemoContext) -> None:
    rng = ctx.rng
    # One hash for every demo account: PBKDF2 costs a third of a second each, by design.
    password_hash = make_password(ctx.password)
    ctx.shared["password_hash"] = password_hash
    camp = camp_create(
        code=DEMO_CAMP_CODE,
        name="2026届南太湖新锐特训营",
        year=2026,
        start_month=1,
        status=CampStatus.RUNNING,
    )
    ctx.camp = camp
    ctx.shared["camp"] = camp
    accounts = ctx.shared.setdefault("accounts", [])

    admin = User.objects.create(
        username="admin",
        full_name="系统管理员",
        is_superuser=True,
        is_staff=True,
        password=password_hash,
    )
    ctx.shared["admin"] = admin
    accounts.append(("admin", "超级管理员（Django 后台）"))
    for username, name, role, note in STAFF_ACCOUNTS:
        user = User.objects.create(
            username=username, full_name=name, role=role, password=password_hash
        )
        ctx.shared[username] = user
        accounts.append((username, f"{Role(role).label} · {name}（{note}）"))
    staff = ctx.shared["staff"]

    groups = list(camp.groups.order_by("number"))
    counselors = []
    for number, (name, unit, position, rank) in enumerate(data.COUNSELORS, start=1):
        counselor = counselor_create(
            username=f"counselor{number}", name=name, unit=unit, position=position, rank=rank
        )
        group_counselor_replace(
            group=groups[number - 1], counselor=counselor, on=camp.start_date, by=staff
        )
        counselors.append(counselor)
        accounts.append(
            (f"counselor{number}", f"政治辅导员 · {name}（{unit}{position}，第{number}组）")
        )
    ctx.shared["counselors"] = counselors
    ctx.shared["groups"] = groups

    for profile in candidate_profiles(rng):
        profile = {k: v for k, v in profile.items() if not k.startswith("_")}
        candidate_create(camp=camp, data=profile, by=staff)
    ctx.log(f"  推荐人选 {camp.candidates.count()} 人")

    _admit(ctx, camp, staff)
    groups_place(camp=camp, by=staff)
    _posts_and_conduct(ctx, camp, staff)
    _withdrawals(ctx, camp, staff)
    _date_decisions(ctx, camp)

    trainees = list(
        Trainee.objects.active()
        .filter(camp=camp)
        .select_related("person__user", "group")
        .order_by("person__user__username")
    )
    ctx.shared["trainees"] = trainees
    names = sorted(t.person.user.username for t in trainees)
    accounts.append((f"{names[0]}…{names[-1]}", f"学员（{len(trainees)} 名在训）"))
    User.objects.filter(_demo_usernames()).update(password=password_hash)


def _admit(ctx: DemoContext, camp: Camp, staff: User) -> None:
    """The first 150 by priority who meet the rules, save two township chiefs who miss them
    by a year and are admitted by exception; the next ones wait, the rest are declined."""
    ranked = list(candidates_for_camp(camp))
    eligible = [c for c in ranked if c.eligible]
    exceptions = [c for c in ranked if not c.eligible and c.person.township_chief_experience][:2]
    admitted = eligible[: TRAINEES - len(exceptions)] + exceptions
    leavers = {c.pk for c in ctx.rng.sample(admitted[20:], len(WITHDRAWALS))}
    stayers = [c for c in admitted if c.pk not in leavers]
    usernames = {c.pk: f"t{i:03d}" for i, c in enumerate(stayers, start=1)}
    usernames.update({pk: f"t{TRAINEES + i:03d}" for i, pk in enumerate(sorted(leavers), start=1)})
    for candidate in admitted:
        reason = ""
        if not candidate.eligible:
            reason = "现任乡镇党政正职，实绩突出，经市委组织部研究同意破格选调"
        trainee_admit(
            candidate=candidate,
            by=staff,
            reason=reason,
            username=usernames[candidate.pk],
            admitted_on=ADMITTED_ON,
        )
    rest = [c for c in eligible if c not in admitted]
    for candidate in rest[:6]:
        candidate_decide(
            candidate=candidate, decision=Decision.WAITLISTED, by=staff, reason="名额已满，列入候补"
        )
    for candidate in [c for c in ranked if not c.eligible and c not in exceptions][:-2]:
        candidate_decide(
            candidate=candidate, decision=Decision.REJECTED, by=staff, reason="不符合选调条件"
        )
    ctx.shared["leaver_candidate_ids"] = sorted(leavers)


def _date_decisions(ctx: DemoContext, camp: Camp) -> None:
    """The services stamp a decision with the clock; the demo dates each one on its own
    calendar: a few days before the admission it led to, or before the class's admission."""
    admitted = dict(Trainee.objects.filter(camp=camp).values_list("candidate_id", "admitted_on"))
    candidates = list(Candidate.objects.filter(camp=camp, decided_at__isnull=False))
    for candidate in candidates:
        day = admitted.get(candidate.pk, ADMITTED_ON) - datetime.timedelta(days=3)
        candidate.decided_at = ctx.at(day, 10)
    Candidate.objects.bulk_update(candidates, ["decided_at"], batch_size=500)


def _posts_and_conduct(ctx: DemoContext, camp: Camp, staff: User) -> None:
    rng = ctx.rng
    trainees = list(
        Trainee.objects.filter(camp=camp)
        .select_related("person__user")
        .order_by("person__user__username")
    )
    leavers = set(ctx.shared["leaver_candidate_ids"])
    staying = [t for t in trainees if t.candidate_id not in leavers]
    leaders = set()
    for group in ctx.shared["groups"]:
        members = [t for t in staying if t.group_id == group.pk]
        leader = next((t for t in members if t.person.township_chief_experience), members[0])
        trainee_set_post(trainee=leader, post=Post.GROUP_LEADER, by=staff)
        leaders.add(leader.pk)
    others = [t for t in staying if t.pk not in leaders]
    for trainee in rng.sample(others, 5):
        trainee_set_post(trainee=trainee, post=Post.CLASS_OFFICER, by=staff)
    for trainee in trainees:
        if rng.random() < 0.85:
            conduct_code_save(trainee=trainee, text=conduct_text(rng), by=trainee.person.user)


def _withdrawals(ctx: DemoContext, camp: Camp, staff: User) -> None:
    """Mid-year departures up to `today`, each place filled from the waitlist."""
    leavers = Trainee.objects.filter(candidate_id__in=ctx.shared["leaver_candidate_ids"]).order_by(
        "pk"
    )
    replacement_number = TRAINEES - len(WITHDRAWALS)
    for trainee, (on, kind, reason) in zip(leavers, WITHDRAWALS, strict=True):
        if on > ctx.today:
            continue
        trainee_withdraw(trainee=trainee, kind=kind, reason=reason, on=on, by=staff)
        candidate = (
            Candidate.objects.filter(camp=camp, decision=Decision.WAITLISTED)
            .order_by("-person__township_chief_experience", "person__name", "pk")
            .first()
        )
        replacement_number += 1
        newcomer = trainee_admit(
            candidate=candidate,
            by=staff,
            username=f"t{replacement_number:03d}",
            admitted_on=on + datetime.timedelta(days=7),
        )
        groups_place(camp=camp, by=staff)
        newcomer.refresh_from_db()
        conduct_code_save(trainee=newcomer, text=conduct_text(ctx.rng), by=newcomer.person.user)
