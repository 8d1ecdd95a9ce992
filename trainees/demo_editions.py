"""The demo's earlier editions, 2023 to 2025, graduated: their camps, candidates, trainees,
groups and counselors, so that the editions can be set side by side.

Runs after every step of the 2026 edition that the older ones must not disturb (order 31, after
the assessment's 30), with a generator of its own per edition: the seeded `ctx.rng` the 2026
steps share is never drawn from, so the 2026 edition is the same with or without these.

Written in bulk where the services would take seconds (persons, candidates, decisions,
trainees, logins), with the values the services write; the history tables stay empty for this
generated past. The placement (`groups_place`), counselor terms (`group_counselor_replace`) and
the end of each login (`user_disable`) go through the services themselves. Each edition:
- about 140 to 150 trainees `y<year>t001…`, their logins disabled (the edition is over);
- a composition of its own (fewer 选调生 in 2023, more 选聘生 in 2024, more township chiefs in
  2025, birth years earlier for earlier editions, a few work fields that fit no theme);
- a few withdrawals during the year;
- candidates not admitted, some of whom come back and are admitted the next year (the same
  Person in two editions).
Later steps find `ctx.shared["past_editions"]`: [(camp, trainees)] oldest first.
"""

from __future__ import annotations

import datetime
import random
import re

from django.contrib.auth.hashers import make_password
from django.db.models import Q

from camp.demo import DemoContext, demo_step
from camp.models import Camp, CampStatus, User
from camp.pinyin import name_initials
from camp.roles import Role
from camp.services.camps import camp_create
from camp.services.logins import user_disable

from .demo_people import candidate_profiles
from .eligibility import BORN_85, BORN_90
from .models import (
    CadreType,
    Candidate,
    Decision,
    Person,
    Rank,
    Trainee,
    TraineeStatus,
    WithdrawalKind,
)
from .selectors import candidates_for_camp
from .services.counselors import counselor_create, group_counselor_replace
from .services.grouping import groups_place

PAST_TRAINEE_USERNAME = re.compile(r"^y20\d\dt\d{3}$")
PAST_COUNSELOR_USERNAME = re.compile(r"^ycounselor\d$")
# year: (graduation day, trainees admitted, withdrawals, knobs of its composition)
PAST_EDITIONS = {
    2023: (datetime.date(2023, 12, 29), 138, 3, {"graduates": 0.5, "chiefs": 0.6}),
    2024: (datetime.date(2024, 12, 27), 146, 2, {"recruited": 0.5, "chiefs": 0.9}),
    2025: (datetime.date(2025, 12, 26), 150, 4, {"chiefs": 1.4}),
}
PAST_CODES = tuple(str(year) for year in PAST_EDITIONS)
RETURNING = 5  # candidates not admitted one year who are admitted the next
# Work fields that fit none of the six themes (其他 on the editions page).
OTHER_FIELDS = ("办公室综合文字", "机要保密", "外事侨务", "档案管理")
PAST_COUNSELORS = (
    ("沈国强", "湖州市委组织部", "副部长"),
    ("胡建华", "湖州市发展和改革委员会", "副主任"),
    ("钱卫东", "湖州市住房和城乡建设局", "局长"),
    ("蒋文斌", "湖州市民政局", "局长"),
    ("潘志刚", "湖州市农业农村局", "局长"),
    ("汤立新", "湖州市委政法委", "副书记"),
    ("许明华", "湖州市经济和信息化局", "局长"),
    ("金晓峰", "湖州市自然资源和规划局", "副局长"),
    ("严秀英", "湖州市卫生健康委员会", "主任"),
)
WITHDRAWALS = (
    (WithdrawalKind.PROMOTED, "提拔任乡镇党委副书记，工作调整后退出"),
    (WithdrawalKind.TRANSFERRED, "调任省直单位工作"),
    (WithdrawalKind.LEFT, "因病长期休养，本人申请退出"),
    (WithdrawalKind.PROMOTED, "提拔任县直部门副局长"),
)


def past_demo_usernames() -> Q:
    """The accounts of the earlier editions, for the demo's reset."""
    return Q(username__regex=PAST_TRAINEE_USERNAME.pattern) | Q(
        username__regex=PAST_COUNSELOR_USERNAME.pattern
    )


def _years_earlier(day: datetime.date, years: int) -> datetime.date:
    return day.replace(year=day.year - years, day=min(day.day, 28))


def _profiles(rng: random.Random, year: int, knobs: dict, taken_ids: set[str]) -> list[dict]:
    """The 2026 generator's nominations, moved to `year`: recruited earlier, born earlier
    (within the rules), and varied by the edition's knobs."""
    shift = 2026 - year
    profiles = []
    for profile in candidate_profiles(rng):
        profile = {k: v for k, v in profile.items() if not k.startswith("_")}
        graduate = profile["cadre_type"] in (
            CadreType.SELECTED_GRADUATE,
            CadreType.RECRUITED_GRADUATE,
        )
        if graduate:
            if rng.random() > knobs.get("graduates", 1.0):
                continue
            profile["recruitment_year"] -= shift
            profile["birth_date"] = _years_earlier(profile["birth_date"], shift)
            if rng.random() < knobs.get("recruited", 0.0):
                profile["cadre_type"] = CadreType.RECRUITED_GRADUATE
        elif profile["rank"] in (Rank.SECTION_CHIEF, Rank.DEPUTY_SECTION_CHIEF):
            floor = BORN_85 if profile["rank"] == Rank.SECTION_CHIEF else BORN_90
            born = _years_earlier(profile["birth_date"], shift)
            # An eligible person stays eligible; a near miss stays a near miss.
            if profile["birth_date"] >= floor:
                born = max(born, floor)
            profile["birth_date"] = born
        chiefs = knobs.get("chiefs", 1.0)
        if profile["township_chief_experience"] and chiefs < 1 and rng.random() > chiefs:
            profile["township_chief_experience"] = False
        elif not profile["township_chief_experience"] and chiefs > 1 and rng.random() < 0.1:
            profile["township_chief_experience"] = profile["rank"] == Rank.SECTION_CHIEF
        if rng.random() < 0.07:
            profile["work_field"] = rng.choice(OTHER_FIELDS)
        if profile["id_number"] in taken_ids:
            profile["id_number"] = None
        taken_ids.add(profile["id_number"])
        profiles.append(profile)
    return profiles


@demo_step(order=31, label="往届（2023—2025届）：推荐人选、学员、学习小组与政治辅导员")
def build_past_editions(ctx: DemoContext) -> None:
    staff = ctx.shared.get("staff") or User.objects.filter(role=Role.STAFF).order_by("pk").first()
    counselors = _counselors()
    taken_ids = set(Person.objects.exclude(id_number=None).values_list("id_number", flat=True))
    returning: list[Person] = []
    editions = []
    for year, (graduated_on, size, leaving, knobs) in PAST_EDITIONS.items():
        rng = random.Random(f"demo-edition-{year}")
        camp = camp_create(
            code=str(year),
            name=f"{year}届南太湖新锐特训营",
            year=year,
            status=CampStatus.FINISHED,
            graduated_on=graduated_on,
        )
        _nominate(ctx, camp, _profiles(rng, year, knobs, taken_ids), returning)
        trainees, returning = _admit(ctx, rng, camp, {p.pk for p in returning}, size, staff)
        groups_place(camp=camp, by=staff)
        _counselor_terms(rng, camp, counselors, staff)
        _withdraw(ctx, rng, camp, trainees, leaving)
        trainees = list(
            Trainee.objects.filter(camp=camp)
            .select_related("person__user", "group")
            .order_by("person__user__username")
        )
        for trainee in trainees:
            user_disable(user=trainee.person.user)
        editions.append((camp, trainees))
        ctx.log(f"  {camp.name}：学员 {len(trainees)} 人（账号已停用）")
    ctx.shared["past_editions"] = editions
    accounts = ctx.shared.setdefault("accounts", [])
    accounts.append(("y2023t001…", "往届学员（2023—2025届，账号已停用）"))


def _counselors() -> list:
    """Nine counselors of the earlier editions; their logins wait for a password from staff."""
    return [
        counselor_create(
            username=f"ycounselor{number}",
            name=name,
            unit=unit,
            position=position,
            rank=Rank.DIVISION_CHIEF,
        )
        for number, (name, unit, position) in enumerate(PAST_COUNSELORS, start=1)
    ]


def _nominate(ctx, camp: Camp, profiles: list[dict], returning: list[Person]) -> None:
    """Persons and their candidacies, in bulk, as candidate_create writes them; the returning
    ones (not admitted the year before) are nominated again."""
    persons = Person.objects.bulk_create(
        [Person(**profile, name_initials=name_initials(profile["name"])) for profile in profiles]
    )
    persons += returning
    Candidate.objects.bulk_create([Candidate(camp=camp, person=person) for person in persons])
    nominated = ctx.at(datetime.date(camp.year - 1, 11, 20), 10)
    Candidate.objects.filter(camp=camp).update(nominated_at=nominated)


def _admit(
    ctx, rng, camp: Camp, returning: set[int], size: int, staff
) -> tuple[list[Trainee], list[Person]]:
    """As the 2026 demo admits (trainees.demo._admit): by the camp's priority order, the
    returning candidates first; the next eligible wait, the ineligible are declined. Returns
    the trainees and the waiting persons who come back next year."""
    ranked = list(candidates_for_camp(camp))
    eligible = [c for c in ranked if c.eligible]
    back = [c for c in eligible if c.person_id in returning]
    admitted = back + [c for c in eligible if c not in back][: size - len(back)]
    waiting = [c for c in eligible if c not in admitted][:12]
    declined = [c for c in ranked if not c.eligible and c not in admitted]
    decided_at = ctx.at(datetime.date(camp.year, 1, 2), 10)
    users = User.objects.bulk_create(
        [
            User(
                username=f"y{camp.year}t{number:03d}",
                full_name=candidate.person.name,
                role=Role.TRAINEE,
                password=make_password(None),
            )
            for number, candidate in enumerate(admitted, start=1)
        ]
    )
    users = {u.username: u for u in User.objects.filter(username__in=[u.username for u in users])}
    trainees = []
    for number, candidate in enumerate(admitted, start=1):
        candidate.person.user = users[f"y{camp.year}t{number:03d}"]
        trainees.append(
            Trainee(
                camp=camp,
                person=candidate.person,
                candidate=candidate,
                admitted_on=datetime.date(camp.year, 1, 5),
            )
        )
    Person.objects.bulk_update([c.person for c in admitted], ["user"])
    # One UPDATE per decision: bulk_update's CASE per row costs ten times as much.
    for group, decision, reason in (
        (admitted, Decision.ADMITTED, ""),
        (waiting, Decision.WAITLISTED, "名额已满，列入候补"),
        (declined, Decision.REJECTED, "不符合选调条件"),
    ):
        Candidate.objects.filter(pk__in=[c.pk for c in group]).update(
            decision=decision, decision_reason=reason, decided_by=staff, decided_at=decided_at
        )
    trainees = Trainee.objects.bulk_create(trainees)
    coming_back = [c.person for c in rng.sample(waiting, min(RETURNING, len(waiting)))]
    return trainees, coming_back


def _counselor_terms(rng, camp: Camp, counselors: list, staff) -> None:
    """Six of the nine counselors, one per group from the camp's start; in one group the
    counselor changed in the summer (a dated replacement)."""
    chosen = rng.sample(counselors, 7)
    groups = list(camp.groups.order_by("number"))
    for group, counselor in zip(groups, chosen, strict=False):
        group_counselor_replace(group=group, counselor=counselor, on=camp.start_date, by=staff)
    group_counselor_replace(
        group=rng.choice(groups),
        counselor=chosen[6],
        on=datetime.date(camp.year, 7, 1),
        by=staff,
        reason="原政治辅导员工作调整",
    )


def _withdraw(ctx, rng, camp: Camp, trainees: list[Trainee], leaving: int) -> None:
    """Departures during the year, as trainee_withdraw records them (its login ends below
    with everyone's)."""
    leavers = rng.sample(trainees[20:], leaving)
    for index, (trainee, (kind, reason)) in enumerate(zip(leavers, WITHDRAWALS, strict=False)):
        trainee.status = TraineeStatus.WITHDRAWN
        trainee.withdrawal_kind, trainee.withdrawal_reason = kind, reason
        trainee.withdrawn_on = datetime.date(camp.year, 4 + 2 * index, 15)
    Trainee.objects.bulk_update(
        leavers, ["status", "withdrawal_kind", "withdrawal_reason", "withdrawn_on"]
    )
