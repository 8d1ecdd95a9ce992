"""Import nominated candidates from the organization department's .xlsx: all or nothing.

Every row is checked before anything is written. A file with any problem writes nothing and
answers with every problem at once (row as the spreadsheet shows it, column, reason), so the
department fixes the file in one pass. A good file creates or updates people and their
candidacies in one transaction. A person already known (same ID number, else same name, birth
date and unit) is updated, never duplicated, and a decision already made about them stays.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from camp.models import Camp, User

from ..models import Candidate, Person
from .candidate_file import ImportRejected, ParsedRow, RowError, read_rows

__all__ = ["ImportRejected", "ImportResult", "RowError", "candidates_import"]


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def candidates_import(*, camp: Camp, file, by: User) -> ImportResult:
    """Import a candidates workbook into `camp`. `file` is a path or a binary file object.
    Raises ImportRejected, having written nothing, when anything is wrong."""
    return _write(camp=camp, rows=read_rows(file), by=by)


@transaction.atomic
def _write(*, camp: Camp, rows: list[ParsedRow], by: User) -> ImportResult:
    people = _match_people(rows)
    existing = set(
        Candidate.objects.filter(camp=camp, person__in=[p for p in people if p.pk]).values_list(
            "person_id", flat=True
        )
    )
    errors = []
    for row, person in zip(rows, people, strict=True):
        changed = person.pk is None
        for field, value in row.data.items():
            if getattr(person, field) != value:
                setattr(person, field, value)
                changed = True
        if not changed:
            continue
        try:
            person.full_clean(exclude=["user"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                label = Person._meta.get_field(field).verbose_name if field != "__all__" else ""
                errors.extend(RowError(row.number, str(label), m) for m in messages)
            continue
        person._history_user = by  # the command line has no request to take it from
        person.save()
    if errors:
        # Raising inside the atomic block rolls back what was saved before the bad row.
        raise ImportRejected(errors)
    new_candidates = [Candidate(camp=camp, person=p) for p in people if p.pk not in existing]
    bulk_create_with_history(new_candidates, Candidate, default_user=by)
    return ImportResult(created=len(new_candidates), updated=len(people) - len(new_candidates))


def _match_people(rows: list[ParsedRow]) -> list[Person]:
    """The Person each row is about: the one with its ID number, else the one with its name,
    birth date and unit (and no other ID number), else a new one."""
    ids = [row.data["id_number"] for row in rows if row.data["id_number"]]
    by_id = {p.id_number: p for p in Person.objects.filter(id_number__in=ids)}
    names = {row.data["name"] for row in rows}
    by_key: dict[tuple, Person] = {}
    for person in Person.objects.filter(name__in=names).order_by("pk"):
        by_key.setdefault((person.name, person.birth_date, person.unit), person)
    people: list[Person] = []
    taken: set[int] = set()
    for row in rows:
        data = row.data
        person = by_id.get(data["id_number"]) if data["id_number"] else None
        if person is None:
            candidate = by_key.get((data["name"], data["birth_date"], data["unit"]))
            if candidate is not None and candidate.id_number in (None, data["id_number"]):
                person = candidate
        if person is not None and person.pk in taken:
            person = None  # two rows cannot both be one existing person
        if person is not None:
            taken.add(person.pk)
        people.append(person or Person())
    return people
