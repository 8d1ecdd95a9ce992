"""Reads for the trainees app, with their joins made. Views and exports list through these."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import Replace
from django.utils.translation import gettext as _

from camp.models import Camp
from camp.pinyin import is_initials, name_q
from camp.workbooks import mask_phone

from .eligibility import eligible_q
from .models import (
    Candidate,
    Decision,
    Person,
    Post,
    Rank,
    RankAlias,
    StudyGroup,
    Theme,
    Trainee,
    TraineeStatus,
    WithdrawalKind,
)
from .validators import (
    normalize_id_number,
)


def candidates_for_camp(
    camp: Camp,
    *,
    verdict: str | None = None,
    decision: str | None = None,
    search: str | None = None,
) -> QuerySet[Candidate]:
    """A camp's candidates in priority order: township chief experience first, then those who
    meet the rules, then by name. Each carries `eligible` (computed by the database) and
    `trainee_id` when admitted.

    verdict: "met" or "unmet"; decision: a Decision value; search: name, unit or position."""
    qs = (
        Candidate.objects.filter(camp=camp)
        .select_related("person", "camp", "decided_by")
        .annotate(
            eligible=Case(
                When(eligible_q(camp, "person__"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-person__township_chief_experience", "-eligible", "person__name", "pk")
    )
    if verdict == "met":
        qs = qs.filter(eligible=True)
    elif verdict == "unmet":
        qs = qs.filter(eligible=False)
    if decision in Decision.values:
        qs = qs.filter(decision=decision)
    if search:
        qs = qs.filter(
            name_q(search, name="person__name", initials="person__name_initials")
            | Q(person__unit__icontains=search)
            | Q(person__position__icontains=search)
        )
    return qs


def waitlist(camp: Camp) -> QuerySet[Candidate]:
    """Waitlisted candidates not yet admitted, the next one to fill a place first."""
    return candidates_for_camp(camp, decision=Decision.WAITLISTED).filter(trainee__isnull=True)


def waitlist_next(camp: Camp) -> Candidate | None:
    return waitlist(camp).first()


def roster(
    camp: Camp,
    *,
    group: int | str | None = None,
    status: str | None = None,
    base: QuerySet[Trainee] | None = None,
) -> QuerySet[Trainee]:
    """A camp's trainees by group and name. `base` narrows to what a user may see (pass
    `visible_trainees(user, camp)`); group may be a group pk or "none" for the unplaced."""
    qs = base if base is not None else Trainee.objects.filter(camp=camp)
    qs = qs.filter(camp=camp).select_related(
        "person", "person__user", "group", "group__counselor", "candidate", "camp"
    )
    if group == "none":
        qs = qs.filter(group__isnull=True)
    elif group not in (None, ""):
        qs = qs.filter(group_id=group)
    if status in TraineeStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("status", "group__number", "person__name", "pk")


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def roster_rows(trainees: QuerySet[Trainee]) -> list[dict]:
    """The roster page's rows (pass `roster(...)`): only the columns it shows, each choice's
    label translated once and the phone masked. Built as model objects with six related ones,
    each label translated per row, a page of 150 trainees cost ten times its rows."""
    themes, posts = _labels(Theme.choices), _labels(Post.choices)
    statuses, kinds = _labels(TraineeStatus.choices), _labels(WithdrawalKind.choices)
    rows = []
    for row in trainees.values(
        "pk",
        "person__name",
        "person__unit",
        "person__position",
        "person__phone",
        "group__number",
        "group__theme",
        "post",
        "status",
        "withdrawn_on",
        "withdrawal_kind",
    ):
        number = row["group__number"]
        rows.append(
            {
                "pk": row["pk"],
                "name": row["person__name"],
                "unit": row["person__unit"],
                "position": row["person__position"],
                "phone": mask_phone(row["person__phone"]),
                "group": None if number is None else _("第%(n)s组") % {"n": number},
                "theme": themes.get(row["group__theme"], ""),
                # Post.NONE is "" labelled 无: the roster leaves the cell empty instead.
                "post": posts[row["post"]] if row["post"] else "",
                "status": statuses.get(row["status"], row["status"]),
                "withdrawn_on": row["withdrawn_on"],
                "withdrawal_kind": kinds.get(row["withdrawal_kind"], ""),
            }
        )
    return rows


@dataclass(frozen=True)
class Headcount:
    active: int
    withdrawn: int
    capacity: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.active, 0)

    @property
    def full(self) -> bool:
        return self.active >= self.capacity

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.active / self.capacity)) if self.capacity else 0


def camp_headcount(camp: Camp) -> Headcount:
    """Active trainees against capacity, counted by the database in one query."""
    counts = Trainee.objects.filter(camp=camp).aggregate(
        active=Count("pk", filter=Q(status=TraineeStatus.ACTIVE)),
        withdrawn=Count("pk", filter=Q(status=TraineeStatus.WITHDRAWN)),
    )
    return Headcount(active=counts["active"], withdrawn=counts["withdrawn"], capacity=camp.capacity)


def candidate_counts(camp: Camp) -> dict[str, int]:
    """How many candidates per decision, and how many meet the rules (one query)."""
    return Candidate.objects.filter(camp=camp).aggregate(
        total=Count("pk"),
        eligible=Count("pk", filter=eligible_q(camp, "person__")),
        pending=Count("pk", filter=Q(decision=Decision.PENDING)),
        admitted=Count("pk", filter=Q(decision=Decision.ADMITTED)),
        waitlisted=Count("pk", filter=Q(decision=Decision.WAITLISTED)),
        rejected=Count("pk", filter=Q(decision=Decision.REJECTED)),
    )


def camp_groups(camp: Camp) -> QuerySet[StudyGroup]:
    """The camp's six groups in number order, for pickers and filters."""
    return StudyGroup.objects.filter(camp=camp).order_by("number")


def rank_aliases() -> QuerySet[RankAlias]:
    return RankAlias.objects.order_by("rank", "title")


def groups_with_sizes(camp: Camp) -> QuerySet[StudyGroup]:
    """The camp's study groups with their counselor and `size` (active members)."""
    return (
        StudyGroup.objects.filter(camp=camp)
        .select_related("counselor")
        .annotate(size=Count("trainees", filter=Q(trainees__status=TraineeStatus.ACTIVE)))
        .order_by("number")
    )


# The cross-camp trainee search (学员查询) -------------------------------------------------------

# What a result row shows, and nothing more: the search runs over every camp of the province.
SEARCH_FIELDS = (
    "status",
    "withdrawn_on",
    "withdrawal_kind",
    "person",
    "person__name",
    "person__unit",
    "person__position",
    "person__phone",
    "camp",
    "camp__code",
    "camp__name",
    "camp__year",
    "group",
    "group__number",
    "group__theme",
)


def trainee_search(
    *,
    terms: Sequence[str] = (),
    phone: str | None = None,
    camp_code: str | None = None,
    group_number: int | None = None,
    status: str | None = None,
    rank: str | None = None,
) -> QuerySet[Trainee]:
    """Trainees of every camp, by name then pk, one row per traineeship (a person in two
    editions is two rows, side by side). Each of `terms` must appear in the name, the unit or
    the position; `phone` matches the whole stored number only. The filters narrow to a camp
    (its code), a group number (1-6, the same theme in every camp), a status or a rank.

    Person, camp and group come joined, and only the columns a result row shows are read."""
    qs = Trainee.objects.select_related("person", "camp", "group").only(*SEARCH_FIELDS)
    for term in terms:
        # Latin letters (a unit's "IT科") match in either case, as SQLite's LIKE does; Chinese has
        # no case, and PostgreSQL's UPPER() on every row made a search by name a third slower.
        lookup = "icontains" if any(c.isascii() and c.isalpha() for c in term) else "contains"
        initials = Q(person__name_initials__contains=term.lower()) if is_initials(term) else Q()
        qs = qs.filter(
            Q(**{f"person__name__{lookup}": term})
            | initials
            | Q(**{f"person__unit__{lookup}": term})
            | Q(**{f"person__position__{lookup}": term})
        )
    if phone:
        # Stored numbers keep the separators they were imported with (138-0000-1111, +86 …).
        qs = qs.annotate(phone_digits=_digits_only(F("person__phone"))).filter(
            Q(phone_digits=phone) | Q(phone_digits=f"86{phone}")
        )
    if camp_code:
        qs = qs.filter(camp__code=camp_code)
    if group_number is not None:
        qs = qs.filter(group__number=group_number)
    if status in TraineeStatus.values:
        qs = qs.filter(status=status)
    if rank in Rank.values:
        qs = qs.filter(person__rank=rank)
    return qs.order_by("person__name", "pk")


def _digits_only(expression):
    """The expression without the separators the candidate import accepts in a phone number
    (spaces, hyphens, brackets and a leading +), in SQL that SQLite and PostgreSQL share."""
    for separator in (" ", "-", "(", ")", "+"):
        expression = Replace(expression, Value(separator), Value(""))
    return expression


def search_camps() -> QuerySet[Camp]:
    """Every edition, newest first, for the search's camp filter."""
    return Camp.objects.order_by("-year", "-start_month", "code").only("code", "name")


def rank_lookup() -> dict[str, str]:
    """Every title the app understands, mapped to a rank: the labels first, then the aliases
    (one query, so an import of thousands of rows asks once)."""
    table = {str(label): value for value, label in Rank.choices}
    table.update(dict(RankAlias.objects.values_list("title", "rank")))
    return table


def rank_for_title(title: str, lookup: dict[str, str] | None = None) -> str | None:
    lookup = rank_lookup() if lookup is None else lookup
    return lookup.get(title.strip())


def person_match(data: dict) -> Person | None:
    """The person these details describe, if already known: same ID number, else same name,
    birth date and unit (and no other ID number)."""
    if data.get("id_number"):
        person = Person.objects.filter(id_number=data["id_number"]).first()
        if person is not None:
            return person
    person = (
        Person.objects.filter(name=data["name"], birth_date=data["birth_date"], unit=data["unit"])
        .order_by("pk")
        .first()
    )
    if person is not None and person.id_number in (None, data.get("id_number")):
        return person
    return None


@dataclass(frozen=True)
class DuplicateGroup:
    id_number: str  # the normalized form
    keep: Person
    duplicates: list[Person]


def persons_sharing_id_number() -> list[DuplicateGroup]:
    """Every set of people whose ID numbers are one number once normalized. The one kept is the
    one already stored in normalized form, else the oldest."""
    by_number: dict[str, list[Person]] = defaultdict(list)
    people = Person.objects.exclude(id_number=None).exclude(id_number="").order_by("pk")
    for person in people.select_related("user"):
        by_number[normalize_id_number(person.id_number)].append(person)
    groups = []
    for number, persons in sorted(by_number.items()):
        if len(persons) < 2:
            continue
        keep = next((p for p in persons if p.id_number == number), persons[0])
        groups.append(DuplicateGroup(number, keep, [p for p in persons if p is not keep]))
    return groups
