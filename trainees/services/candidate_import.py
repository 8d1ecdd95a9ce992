"""Import nominated candidates from the organization department's .xlsx: all or nothing.

Every row is checked before anything is written. A file with any problem writes nothing and
answers with every problem at once (row as the spreadsheet shows it, column, reason), so the
department fixes the file in one pass. A good file creates or updates people and their
candidacies in one transaction. A person already known (same ID number, else same name, birth
date and unit) is updated, never duplicated, and a decision already made about them stays.

Changing someone already known (an admitted trainee's name, unit, birth date...) is never
silent: `candidates_import_preview` lists each field it would change, and the import then needs
a reason, and on the page a confirmation of exactly that preview. Every import records its file.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from camp.models import Camp, User
from camp.pinyin import name_initials
from camp.workbooks import mask_id_number, mask_phone

from ..candidate_file import (
    ImportRejected,
    ParsedRow,
    RowError,
    parse_content,
    read_content,
)
from ..models import Candidate, CandidateImport, Person, Trainee, TraineeStatus
from .pending_imports import preview_confirm, preview_digest

__all__ = [
    "ImportPreview",
    "ImportRejected",
    "ImportResult",
    "RowError",
    "candidates_import",
    "candidates_import_apply",
    "candidates_import_preview",
]

# Shown masked in a preview, as everywhere else.
MASKS = {"id_number": mask_id_number, "phone": mask_phone}


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    record: CandidateImport | None = None


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class PersonChange:
    """What the file would change about someone already known, field by field."""

    row: int
    name: str
    is_trainee: bool  # admitted and still in a camp: the change reaches a live record
    fields: list[FieldChange]


@dataclass
class ImportPreview:
    """What a file would do, computed without writing: the people it adds, and each field it
    would change on people already known. `digest` names exactly this outcome, so that a
    confirmation applies to what was shown and nothing else."""

    file_name: str
    sha256: str
    rows: list[ParsedRow]
    people: list[Person]
    new: int
    changes: list[PersonChange] = field(default_factory=list)

    @property
    def digest(self) -> str:
        return preview_digest(
            self.sha256,
            self.new,
            [(c.row, [(f.label, f.old, f.new) for f in c.fields]) for c in self.changes],
        )


def _display(person: Person, name: str, value) -> str:
    if value in (None, ""):
        return ""
    if name in MASKS:
        return MASKS[name](value)
    model_field = Person._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _file_name(file) -> str:
    if isinstance(file, str | Path):
        return Path(file).name
    return Path(getattr(file, "name", "") or "").name or _("（未命名文件）")


def candidates_import_preview(*, camp: Camp, file, file_name: str = "") -> ImportPreview:
    """Read and check the file, match its people, and say what importing it would change.
    Writes nothing. Raises ImportRejected when the file has any problem."""
    content = read_content(file)
    rows = parse_content(content)
    people = _match_people(rows)
    known = [p for p in people if p.pk]
    in_camp = set(
        Trainee.objects.filter(person__in=known, status=TraineeStatus.ACTIVE).values_list(
            "person_id", flat=True
        )
    )
    existing = set(
        Candidate.objects.filter(camp=camp, person__in=known).values_list("person_id", flat=True)
    )
    changes = []
    for row, person in zip(rows, people, strict=True):
        if person.pk is None:
            continue
        fields = [
            FieldChange(
                str(Person._meta.get_field(name).verbose_name),
                _display(person, name, getattr(person, name)),
                _display(person, name, value),
            )
            for name, value in row.data.items()
            if getattr(person, name) != value
        ]
        if fields:
            changes.append(PersonChange(row.number, person.name, person.pk in in_camp, fields))
    return ImportPreview(
        file_name=file_name or _file_name(file),
        sha256=hashlib.sha256(content).hexdigest(),
        rows=rows,
        people=people,
        new=sum(1 for p in people if p.pk not in existing),
        changes=changes,
    )


def candidates_import(
    *,
    camp: Camp,
    file,
    by: User | None,
    reason: str = "",
    file_name: str = "",
    confirmed: str | None = None,
) -> ImportResult:
    """Import a candidates workbook into `camp`. `file` is a path or a binary file object.
    Raises ImportRejected, having written nothing, when anything is wrong.

    A file that changes people already known needs a reason; `confirmed`, the digest of the
    preview someone approved, must still match, or nothing is written. Every import keeps its
    file's name, hash and row count, and the reason, in a CandidateImport."""
    preview = candidates_import_preview(camp=camp, file=file, file_name=file_name)
    return candidates_import_apply(
        camp=camp, preview=preview, by=by, reason=reason, confirmed=confirmed
    )


def candidates_import_apply(
    *,
    camp: Camp,
    preview: ImportPreview,
    by: User | None,
    reason: str = "",
    confirmed: str | None = None,
) -> ImportResult:
    """Write what `preview` showed (made just before, in the same request): the rules of
    `candidates_import` without reading the file a second time."""
    reason = preview_confirm(
        changes=len(preview.changes),
        digest=preview.digest,
        reason=reason,
        confirmed=confirmed,
        need_reason=_("该名单会修改%(n)d名已有人员的信息，请核对变更后填写原因再确认导入。"),
    )
    return _write(camp=camp, preview=preview, by=by, reason=reason)


@transaction.atomic
def _write(*, camp: Camp, preview: ImportPreview, by: User | None, reason: str) -> ImportResult:
    rows, people = preview.rows, preview.people
    existing = set(
        Candidate.objects.filter(camp=camp, person__in=[p for p in people if p.pk]).values_list(
            "person_id", flat=True
        )
    )
    record = CandidateImport(
        camp=camp,
        file_name=preview.file_name[:255],
        sha256=preview.sha256,
        rows=len(rows),
        created=0,
        updated=0,
        reason=reason,
        by=by,
    )
    record.full_clean()
    record.save()
    # The history's reason field is short: it names the import, whose record holds the rest.
    change_reason = (_("候选人导入#%(n)d：%(reason)s") % {"n": record.pk, "reason": reason})[:100]
    errors = []
    for row, person in zip(rows, people, strict=True):
        changed = person.pk is None
        for name, value in row.data.items():
            if getattr(person, name) != value:
                setattr(person, name, value)
                changed = True
        if not changed:
            continue
        person.name_initials = name_initials(person.name)
        try:
            person.full_clean(exclude=["user"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                label = Person._meta.get_field(name).verbose_name if name != "__all__" else ""
                errors.extend(RowError(row.number, str(label), m) for m in messages)
            continue
        person._history_user = by  # the command line has no request to take it from
        person._change_reason = change_reason
        person.save()
    if errors:
        # Raising inside the atomic block rolls back what was saved before the bad row.
        raise ImportRejected(errors)
    new_candidates = [Candidate(camp=camp, person=p) for p in people if p.pk not in existing]
    bulk_create_with_history(
        new_candidates, Candidate, default_user=by, default_change_reason=change_reason
    )
    record.created = len(new_candidates)
    record.updated = len(people) - len(new_candidates)
    record.save(update_fields=["created", "updated"])
    return ImportResult(created=record.created, updated=record.updated, record=record)


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
