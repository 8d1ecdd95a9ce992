"""Reading the audit trail: every change to an audited model, with who, when, before/after and
why, per object and per trainee.

The audited models are discovered, not listed: any model with `history = HistoricalRecords()`
is found through the app registry, so features that land later are browsable without edits
here. A record "concerns a trainee" when it is the trainee row itself, the trainee's own person
or candidacy, or a row of an audited model with a foreign key to the trainee (score entries,
attendance, conduct code, talks...). Group moves are their own log (who, when, from, to, why)
and are shown beside the history.

camp sits below the apps, so it reaches their models through the registry, never by import.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .workbooks import mask_id_number, mask_phone

# Personal data stays masked in the history too; it is unmasked only on the logged pages.
MASKED_FIELDS = {"id_number": mask_id_number, "phone": mask_phone}
# Fields of the trainee row that point at records belonging to that trainee alone. The trainee's
# group and camp are shared with others, so their history is not the trainee's.
TRAINEE_OWN_RELATIONS = ("person", "candidate")
ACTIONS = {"+": gettext_lazy("创建"), "~": gettext_lazy("修改"), "-": gettext_lazy("删除")}


def audited_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if getattr(model._meta, "simple_history_manager_attribute", None)
    ]


def audited_model(label: str) -> type[models.Model] | None:
    """The audited model for an `app_label.model_name` label, or None."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    return model if model in audited_models() else None


def history_manager(model):
    return getattr(model, model._meta.simple_history_manager_attribute)


def trainee_model():
    return apps.get_model("trainees", "Trainee")


def relations_to(model, target) -> list[str]:
    """The names of `model`'s foreign keys (and one-to-ones) that point at `target`."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation and (f.many_to_one or f.one_to_one) and f.related_model is target
    ]


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class Entry:
    """One line of the audit trail."""

    at: datetime
    who: object  # a User or None (a command, a migration)
    model_label: str
    model_name: str
    object_id: object
    action: str
    reason: str
    changes: list[Change] = field(default_factory=list)
    # Sorting ties (several rows in one bulk write) fall back to the record's own id.
    order: int = 0


def _display(model_field, value, related: dict) -> str:
    if value is None or value == "":
        return "—"
    if model_field is None:
        return str(value)
    if model_field.name in MASKED_FIELDS:
        return MASKED_FIELDS[model_field.name](str(value))
    if model_field.is_relation:
        obj = related.get((model_field.related_model, value))
        return f"{obj}" if obj is not None else f"#{value}"
    if model_field.flatchoices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _tracked_fields(record) -> list[models.Field]:
    return [f for f in record.tracked_fields if f.editable]


def _raw_changes(record, previous) -> list[tuple[models.Field, object, object]]:
    """(field, before, after) for what this record changed. A creation lists what it set."""
    model = record.instance_type
    if record.history_type == "-":
        return []
    if previous is None:
        return [
            (f, None, getattr(record, f.attname))
            for f in _tracked_fields(record)
            if getattr(record, f.attname) not in (None, "")
        ]
    delta = record.diff_against(previous)
    return [(model._meta.get_field(c.field), c.old, c.new) for c in delta.changes]


def _resolve_related(raw: list[tuple[models.Field, object, object]]) -> dict:
    """One query per related model, not per value."""
    wanted: dict[type, set] = defaultdict(set)
    for model_field, before, after in raw:
        if model_field.is_relation:
            wanted[model_field.related_model].update(v for v in (before, after) if v is not None)
    related = {}
    for model, pks in wanted.items():
        # Plain select_related() follows the non-null keys, which is what most __str__ use.
        for pk, obj in model._default_manager.select_related().in_bulk(pks).items():
            related[(model, pk)] = obj
    return related


def entries_from(records) -> list[Entry]:
    """Audit entries from historical records of one or more objects, each diffed against the
    same object's previous record. `records` must hold an object's whole history so that every
    record's predecessor is among them."""
    by_object = defaultdict(list)
    for record in records:
        by_object[(record.instance_type, record.pk_value)].append(record)

    pending = []
    for history in by_object.values():
        history.sort(key=lambda r: (r.history_date, r.history_id))
        previous = None
        for record in history:
            pending.append((record, _raw_changes(record, previous)))
            previous = record
    related = _resolve_related([change for _, raw in pending for change in raw])

    entries = []
    for record, raw in pending:
        model = record.instance_type
        entries.append(
            Entry(
                at=record.history_date,
                who=record.history_user,
                model_label=model._meta.label_lower,
                model_name=str(model._meta.verbose_name),
                object_id=record.pk_value,
                action=str(ACTIONS.get(record.history_type, record.history_type)),
                reason=record.history_change_reason or "",
                changes=[
                    Change(
                        field=str(f.verbose_name),
                        before=_display(f, before, related),
                        after=_display(f, after, related),
                    )
                    for f, before, after in raw
                ],
                order=record.history_id,
            )
        )
    return sorted(entries, key=lambda e: (e.at, e.order), reverse=True)


def _with_pk_value(records, model):
    pk_name = model._meta.pk.attname
    for record in records:
        record.pk_value = getattr(record, pk_name)
        yield record


def object_history(model, pk) -> list[Entry]:
    """The whole history of one object, newest first. Works for deleted objects too."""
    records = (
        history_manager(model).filter(**{model._meta.pk.attname: pk}).select_related("history_user")
    )
    return entries_from(_with_pk_value(records, model))


def trainee_history(trainee) -> list[Entry]:
    """Everything the audit trail holds about one trainee, newest first."""
    trainee_cls = type(trainee)
    records = []
    for model in audited_models():
        conditions = models.Q()
        if model is trainee_cls:
            conditions |= models.Q(**{model._meta.pk.attname: trainee.pk})
        for name in TRAINEE_OWN_RELATIONS:
            own_field = trainee_cls._meta.get_field(name)
            if own_field.related_model is model:
                conditions |= models.Q(
                    **{model._meta.pk.attname: getattr(trainee, own_field.attname)}
                )
        for name in relations_to(model, trainee_cls):
            conditions |= models.Q(**{f"{name}_id": trainee.pk})
        if not conditions:
            continue
        # An object's earlier records are needed for the diffs even where they no longer
        # pointed at this trainee, so fetch the whole history of every object that matches.
        manager = history_manager(model)
        pk_name = model._meta.pk.attname
        object_ids = manager.filter(conditions).values(pk_name)
        records += _with_pk_value(
            manager.filter(**{f"{pk_name}__in": object_ids}).select_related("history_user"),
            model,
        )
    return entries_from(records)


def group_moves_of(trainee):
    """The trainee's group moves: their own log, kept outside the historical tables."""
    group_move = apps.get_model("trainees", "GroupMove")
    return group_move.objects.filter(trainee=trainee).select_related("from_group", "to_group", "by")


def recent_changes(limit: int = 100) -> list[Entry]:
    """The latest changes across every audited model, without their diffs (each links to its
    object's page, which has them): one query per audited model."""
    records = []
    for model in audited_models():
        latest = (
            history_manager(model)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[:limit]
        )
        records += _with_pk_value(latest, model)
    records.sort(key=lambda r: (r.history_date, r.history_id), reverse=True)
    return [
        Entry(
            at=record.history_date,
            who=record.history_user,
            model_label=record.instance_type._meta.label_lower,
            model_name=str(record.instance_type._meta.verbose_name),
            object_id=record.pk_value,
            action=str(ACTIONS.get(record.history_type, record.history_type)),
            reason=record.history_change_reason or "",
            order=record.history_id,
        )
        for record in records[:limit]
    ]
