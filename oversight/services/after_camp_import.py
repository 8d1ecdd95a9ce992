"""Import the after-camp record from the department's workbook: all or nothing, as the
candidate list is imported (trainees/services/candidate_import.py), with the same rule.

Every row is checked first: its cells (after_camp_file.py), its graduate (the edition's
graduate of that name, told apart by ID number when two share it), and the rules of the record
it would write (services/after_camp.py `after_camp_record_check`). A file with any problem
writes nothing and answers with every problem, row by row.

A row about a record already there (the same day's post change, the same year's appraisal, the
same award) that would change it is never silent: `after_camp_import_preview` lists each field
it would change, and the import then needs a reason and the confirmation of exactly that
preview (trainees/services/pending_imports.py `preview_confirm`). A row equal to what is there
changes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from camp.models import Camp
from trainees.candidate_file import ImportRejected, RowError, read_content
from trainees.services.pending_imports import preview_confirm, preview_digest

from ..after_camp_file import AfterCampRow, read_after_camp_rows
from ..after_camp_selectors import graduates
from ..models import AFTER_CAMP_MODELS
from . import after_camp as services

MODELS = AFTER_CAMP_MODELS
# The fields that name a record: a row with the same ones is about that record.
KEYS = {"post": ("date",), "appraisal": ("year",), "award": ("date", "name"), "note": None}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class RecordChange:
    """What a row would change in a record already there, field by field."""

    row: int
    name: str
    kind: str
    fields: list[FieldChange]


@dataclass
class PlannedRow:
    row: AfterCampRow
    graduate: object
    existing: object | None  # the record the row is about, or None for a new one
    changed: bool


@dataclass
class AfterCampImportPreview:
    file_name: str
    sha256: str
    planned: list[PlannedRow]
    changes: list[RecordChange] = field(default_factory=list)

    @property
    def new(self) -> int:
        return sum(1 for plan in self.planned if plan.existing is None)

    @property
    def unchanged(self) -> int:
        return sum(1 for plan in self.planned if plan.existing is not None and not plan.changed)

    @property
    def rows(self) -> int:
        return len(self.planned)

    @property
    def digest(self) -> str:
        return preview_digest(
            self.sha256,
            [(p.row.number, p.existing.pk, p.existing.version) for p in self.planned if p.existing],
            [(c.row, [(f.label, f.old, f.new) for f in c.fields]) for c in self.changes],
        )


@dataclass(frozen=True)
class AfterCampImportResult:
    created: int
    updated: int
    unchanged: int


def _shown(record, name: str, value) -> str:
    model_field = type(record)._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return "" if value is None else str(value)


def _graduates_by_name(rows: list[AfterCampRow]) -> tuple[set, dict]:
    codes = {row.camp_code for row in rows}
    known_codes = set(Camp.objects.filter(code__in=codes).values_list("code", flat=True))
    found: dict[tuple[str, str], list] = {}
    for graduate in (
        graduates()
        .filter(camp__code__in=codes, person__name__in={row.name for row in rows})
        .select_related("camp", "person")
    ):
        found.setdefault((graduate.camp.code, graduate.person.name), []).append(graduate)
    return known_codes, found


def _graduate_of(row: AfterCampRow, known_codes: set, found: dict, problem):
    if row.camp_code not in known_codes:
        return problem(
            "届次", _("没有届次“%(code)s”，请填写届次代码（如 2024）。") % {"code": row.camp_code}
        )
    matches = found.get((row.camp_code, row.name), [])
    if row.id_number:
        matches = [g for g in matches if g.person.id_number == row.id_number]
    if not matches:
        return problem(
            "姓名",
            _("%(code)s届没有名为“%(name)s”的结业学员（退出或未结业的学员不记录）。")
            % {"code": row.camp_code, "name": row.name},
        )
    if len(matches) > 1:
        return problem("身份证号", _("该届有同名结业学员，请填写身份证号区分。"))
    return matches[0]


def _existing(row: AfterCampRow, graduate):
    model, keys = MODELS[row.kind], KEYS[row.kind]
    if keys is None:  # a note is new unless the same text is there on the same day
        return model.objects.filter(graduate=graduate, **row.fields).first()
    return model.objects.filter(graduate=graduate, **{k: row.fields[k] for k in keys}).first()


def after_camp_import_preview(*, file, file_name: str = "") -> AfterCampImportPreview:
    """Read and check the file, find each row's graduate and record, and say what importing it
    would change. Writes nothing. Raises ImportRejected when any row has a problem."""
    content = read_content(file)
    rows, errors = read_after_camp_rows(content)
    known_codes, found = _graduates_by_name(rows)
    planned: list[PlannedRow] = []
    changes: list[RecordChange] = []
    seen: dict[tuple, int] = {}
    for row in rows:
        row_errors: list[RowError] = []

        def problem(column, message, row=row, row_errors=row_errors):
            row_errors.append(RowError(row.number, column, message))

        graduate = _graduate_of(row, known_codes, found, problem)
        if row_errors:
            errors.extend(row_errors)
            continue
        keys = KEYS[row.kind] or tuple(row.fields)
        key = (graduate.pk, row.kind, *(row.fields[k] for k in keys))
        if key in seen:
            errors.append(
                RowError(
                    row.number,
                    "类型",
                    _("与第%(row)d行是同一条记录，请合并。") % {"row": seen[key]},
                )
            )
            continue
        seen[key] = row.number
        existing = _existing(row, graduate)
        record = existing or MODELS[row.kind](graduate=graduate)
        before = {name: getattr(record, name) for name in row.fields}
        for name, value in row.fields.items():
            setattr(record, name, value)
        try:
            services.after_camp_record_check(record)
        except ValidationError as error:
            errors.extend(RowError(row.number, "", message) for message in error.messages)
            continue
        fields = [
            FieldChange(
                str(type(record)._meta.get_field(name).verbose_name),
                _shown(record, name, before[name]),
                _shown(record, name, value),
            )
            for name, value in row.fields.items()
            if existing is not None and before[name] != value
        ]
        if existing is not None:
            for name, value in before.items():
                setattr(existing, name, value)  # as it is in the database, for the write
        if fields:
            kind_label = str(MODELS[row.kind]._meta.verbose_name)
            changes.append(RecordChange(row.number, row.name, kind_label, fields))
        planned.append(PlannedRow(row, graduate, existing, bool(fields)))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda error: error.row or 0))
    return AfterCampImportPreview(
        file_name=file_name or getattr(file, "name", "") or _("（未命名文件）"),
        sha256=hashlib.sha256(content).hexdigest(),
        planned=planned,
        changes=changes,
    )


def after_camp_import_apply(
    *, preview: AfterCampImportPreview, by, reason: str = "", confirmed: str | None = None
) -> AfterCampImportResult:
    """Write what `preview` showed: the rule of the candidate import (a reason for changes,
    and the digest of the preview that was approved). All or nothing."""
    reason = preview_confirm(
        changes=len(preview.changes),
        digest=preview.digest,
        reason=reason,
        confirmed=confirmed,
        need_reason=_("该文件会修改%(n)d条已有记录，请核对变更后填写原因再确认导入。"),
    )
    return _write(preview=preview, by=by, reason=reason)


@transaction.atomic
def _write(*, preview: AfterCampImportPreview, by, reason: str) -> AfterCampImportResult:
    history_reason = (
        _("训后跟踪导入：%(file)s %(reason)s")
        % {
            "file": preview.file_name,
            "reason": reason,
        }
    ).strip()
    errors: list[RowError] = []
    created = updated = 0
    for plan in preview.planned:
        fields = dict(plan.row.fields)
        try:
            if plan.existing is None:
                services.CREATE[plan.row.kind](
                    graduate=plan.graduate, by=by, reason=history_reason, **fields
                )
                created += 1
            elif plan.changed:
                services.UPDATE[plan.row.kind](
                    plan.existing,
                    by=by,
                    version=plan.existing.version,  # what the preview saw
                    reason=history_reason,
                    **fields,
                )
                updated += 1
        except ValidationError as error:
            errors.extend(RowError(plan.row.number, "", message) for message in error.messages)
    if errors:
        raise ImportRejected(errors)  # inside the atomic block: what was saved rolls back
    return AfterCampImportResult(created=created, updated=updated, unchanged=preview.unchanged)


def after_camp_import(*, file, by, reason: str = "", file_name: str = "", confirmed=None):
    """Preview and apply in one call (the command line and the tests)."""
    preview = after_camp_import_preview(file=file, file_name=file_name)
    return after_camp_import_apply(preview=preview, by=by, reason=reason, confirmed=confirmed)
