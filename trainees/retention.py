"""What the trainees app holds about a person, registered with camp.retention, and the rule of
who has expired (issue 18 §4). Called from TraineesConfig.ready().

Not registered, and why:
- Counselor: a leader of the party's side, not a candidate or trainee of an edition;
- CounselorTerm: about counselors;
- CandidateImport: the file's name, checksum and counts, and the staff member's reason for the
  import: nothing about one person (the file itself is never kept once imported);
- RankAlias, StudyGroup: no person in them."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q

from camp import retention
from camp.models import Camp, User

from .models import Candidate, ConductCode, GroupMove, Person, Trainee

# The pseudonym's prefixes are stored data, not interface text: the same in every language.
TRAINEE_PREFIX = "学员"
CANDIDATE_PREFIX = "人选"


def expired_people(today: datetime.date):
    """The people not yet anonymized every candidacy of whom has expired as of `today`: a
    candidacy that ended in admission expires with the edition's trainees, any other with its
    candidates not admitted. Someone in two editions stays until the later one expires."""
    camps = list(
        Camp.objects.only(
            "pk", "year", "start_month", "graduated_on",
            "candidate_retention_years", "trainee_retention_years",
        )
    )  # fmt: skip
    candidates_gone, trainees_gone = retention.expired_camp_ids(camps, today)
    admitted = Exists(Trainee.objects.filter(candidate=OuterRef("pk")))
    kept = (
        Candidate.objects.filter(person=OuterRef("pk"))
        .annotate(admitted=admitted)
        .filter(
            (Q(admitted=True) & ~Q(camp_id__in=trainees_gone))
            | (Q(admitted=False) & ~Q(camp_id__in=candidates_gone))
        )
    )
    return (
        Person.objects.filter(anonymized_at__isnull=True)
        .filter(Exists(Candidate.objects.filter(person=OuterRef("pk"))))
        .exclude(Exists(kept))
    )


def pseudonym_prefixes(person_ids) -> dict[int, str]:
    """Each person's pseudonym prefix: 学员 for someone who was ever a trainee (one query)."""
    trainees = set(
        Trainee.objects.filter(person_id__in=person_ids).values_list("person_id", flat=True)
    )
    return {pk: TRAINEE_PREFIX if pk in trainees else CANDIDATE_PREFIX for pk in person_ids}


def register() -> None:
    retention.set_people(model=Person, expired=expired_people, prefix=pseudonym_prefixes)
    # The person: what names them goes; what the composition figures count (gender, birth
    # year, rank and its title, cadre type, recruitment year, township-chief experience, the
    # work field that maps onto a sector) stays. The unit and post would name them again.
    retention.register(
        Person,
        person="pk",
        clear=("name_initials", "id_number", "phone", "unit", "position", "specialty"),
        replace={"name": retention.PSEUDONYM, "birth_date": retention.YEAR_START},
    )
    # Their login: the name on it goes (the username is t<code><number>, which names nobody);
    # the service disables it.
    retention.register(
        User,
        person="person",
        clear=("email", "first_name", "last_name"),
        replace={"full_name": retention.PSEUDONYM},
    )
    # Why staff decided as they did about the candidate: a note about the person.
    retention.register(Candidate, person="person", clear=("decision_reason",))
    # Why they were placed in a group or left the camp; the kind of withdrawal (a count) stays.
    retention.register(Trainee, person="person", clear=("placement_reason", "withdrawal_reason"))
    retention.register(GroupMove, person="trainee__person", clear=("reason",))
    # The rules the trainee wrote for themself.
    retention.register(ConductCode, person="trainee__person", clear=("text",))
    # Candidate files waiting for a confirmation hold personal data and no row points at them.
    retention.register_sweep("trainees.pending_imports", _sweep_pending_imports)


def _sweep_pending_imports(*, now, dry_run: bool) -> int:
    # A service of this app: imported here, as the registry calls it only from the job.
    from .services.pending_imports import pending_imports_expire

    return pending_imports_expire(now=now, dry_run=dry_run)
