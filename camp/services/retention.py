"""The retention job (issue 18 §4): anonymize what has expired, as the apps registered it with
camp.retention, and keep an audit record of each real run.

- A person goes when every edition they belong to has expired (the rule: camp.retention and the
  people's owner, trainees.retention). Their registered fields are cleared or replaced in the
  live rows and in the history tables, their files deleted, their login disabled, and their
  name replaced by the pseudonym in the logs that mention it.
- An edition's own data (a research report, generated workbooks) goes with its periods.
- People are taken in batches in the order of their number: every batch costs the same fixed
  number of queries, whatever its size, and nothing loops over rows in Python but the renaming
  of mentions (which must read the text it rewrites).
- Idempotent: an anonymized person is marked and never taken again; cleared fields are no
  longer counted. A run that finds nothing leaves no record, so the daily task adds none.
- A dry run counts the same things the same way and writes nothing at all.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.functions import TruncYear
from django.utils import timezone

from .. import retention
from ..models import Camp, RetentionRun, User

BATCH_SIZE = 500
EXAMPLES = 3
# Names are searched in free text a hundred at a time (one query each).
MENTION_CHUNK = 100


@dataclass
class Category:
    key: str
    count: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return retention.category_label(self.key)


@dataclass
class RetentionReport:
    today: datetime.date
    dry_run: bool
    cutoffs: dict
    categories: dict[str, Category] = field(default_factory=dict)
    run: RetentionRun | None = None

    def add(self, key: str, count: int, examples=()) -> None:
        if not count:
            return
        category = self.categories.setdefault(key, Category(key))
        category.count += count
        room = EXAMPLES - len(category.examples)
        if room > 0:
            category.examples += list(examples)[:room]

    @property
    def counts(self) -> dict[str, int]:
        return {key: c.count for key, c in self.categories.items()}

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def edition_cutoffs(camps) -> dict:
    return {
        camp.code: {
            "graduation": camp.graduation_date.isoformat(),
            "candidates": retention.candidates_expire_on(camp).isoformat(),
            "trainees": retention.trainees_expire_on(camp).isoformat(),
        }
        for camp in camps
    }


@transaction.atomic
def retention_apply(
    *,
    today: datetime.date,
    by: User | None = None,
    process: str,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
) -> RetentionReport:
    """Anonymize or delete what has expired as of `today` (a dry run only counts it). A real
    run that changed anything leaves one RetentionRun."""
    camps = list(Camp.objects.order_by("year", "start_month"))
    report = RetentionReport(today=today, dry_run=dry_run, cutoffs=edition_cutoffs(camps))
    now = timezone.now()
    files: list[str] = []
    _people(report, today=today, now=now, write=not dry_run, files=files, batch_size=batch_size)
    _editions(report, camps=camps, today=today, write=not dry_run, files=files)
    for key, sweep in retention.sweeps.items():
        report.add(f"sweep:{key}", sweep.run(now=now, dry_run=dry_run))
    if dry_run or not report.total:
        return report
    # Files are not transactional: delete them once the rows that named them are committed.
    transaction.on_commit(lambda: [default_storage.delete(name) for name in files])
    run = RetentionRun(
        today=today, by=by, process=process, counts=report.counts, cutoffs=report.cutoffs
    )
    run.full_clean()
    run.save()
    report.run = run
    return report


# --- people ----------------------------------------------------------------------------------


def _people(report, *, today, now, write, files, batch_size) -> None:
    people = retention.people
    if people.model is None:
        return
    expired = people.expired(today).order_by("pk")
    last = 0
    while True:
        batch = list(expired.filter(pk__gt=last).values_list("pk", "name")[:batch_size])
        if not batch:
            return
        last = batch[-1][0]
        ids = [pk for pk, _name in batch]
        prefixes = people.prefix(ids)
        pseudonyms = {pk: retention.pseudonym(prefixes[pk], pk) for pk in ids}
        for prefix in sorted(set(prefixes.values())):
            mine = [name for pk, name in batch if prefixes[pk] == prefix]
            report.add(f"people:{prefix}", len(mine), mine)
        # Mentions first: they are found by the real names, which the next step removes.
        names = [(name, pseudonyms[pk]) for pk, name in batch if len(name) >= 2]
        for entry in retention.mentions.values():
            report.add(f"mentions:{entry.label}", _rename_mentions(entry, names, write=write))
        for entry in retention.personal_data.values():
            _personal(report, entry, ids, pseudonyms, write=write, files=files)
        logins = User.objects.filter(**{f"{_reverse(people)}__in": ids}, is_active=True)
        if write:
            report.add("logins", logins.update(is_active=False, password=make_password(None)))
            people.model._default_manager.filter(pk__in=ids).update(
                **{people.anonymized_field: now}
            )
        else:
            report.add("logins", logins.count())


def _reverse(people) -> str:
    """The path from a login back to its person ("person")."""
    return people.model._meta.get_field(people.login).remote_field.related_name


def _is_local(model, path: str) -> bool:
    """Whether `path` names a column of `model` itself, usable in an UPDATE's expressions."""
    if "__" in path:
        return False
    if path == "pk":
        return True
    found = model._meta.get_field(path)
    return found.concrete


def _column(model, path: str) -> str:
    return model._meta.pk.attname if path == "pk" else path


def _history_model(model):
    name = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, name).model if name else None


def _history_path(model, path: str) -> str:
    """The same path in the history table, where the live row's key is a plain column."""
    return model._meta.pk.attname if path == "pk" else path


def _nonempty(model, names) -> models.Q:
    q = models.Q()
    for name in names:
        model_field = model._meta.get_field(name)
        if model_field.null:
            q |= models.Q(**{f"{name}__isnull": False}) & ~models.Q(**{name: ""})
        else:
            q |= ~models.Q(**{name: ""})
    return q


def _empty(model, name):
    return None if model._meta.get_field(name).null else ""


def _personal(report, entry, ids, pseudonyms, *, write, files) -> None:
    model = entry.model
    rows = model._default_manager.filter(**{f"{entry.person}__in": ids})
    if entry.delete:
        deleted = rows.delete()[1].get(model._meta.label, 0) if write else rows.count()
        report.add(entry.label, deleted)
        return
    _rows(report, entry.label, model, rows, entry, entry.person, pseudonyms, write, files)
    history = _history_model(model)
    if history is not None:
        path = _history_path(model, entry.person)
        rows = history._default_manager.filter(**{f"{path}__in": ids})
        _rows(report, f"{entry.label}#history", history, rows, entry, path, pseudonyms, write, None)


def _rows(report, key, model, rows, entry, path, pseudonyms, write, files) -> None:
    """Clear, replace and delete the files of `entry`'s fields in `rows` of a live table, whose
    stored file names are added to `files`, or of a history table (`files` None), where a file
    is only its name as text, cleared like any text."""
    live_files = entry.files if files is not None else ()
    to_clear = (*entry.clear, *(f for f in entry.files if f not in live_files))
    for name in live_files:
        stored = list(rows.exclude(**{name: ""}).values_list(name, flat=True))
        report.add(f"{key}#files", len(stored), [s.rsplit("/", 1)[-1] for s in stored])
        files += stored
    # A replaced field (the name) is never empty: every row is touched.
    touched = rows if entry.replace else rows.filter(_nonempty(model, (*to_clear, *live_files)))
    if not write:
        report.add(key, touched.count())
        return
    values = {name: _empty(model, name) for name in (*to_clear, *live_files)}
    for name, transform in entry.replace.items():
        values[name] = _transform(model, rows, name, transform, path, pseudonyms)
    report.add(key, touched.update(**values))


def _transform(model, rows, name, transform, path, pseudonyms):
    if transform == retention.YEAR_START:
        return TruncYear(name)
    if transform != retention.PSEUDONYM:
        raise ValueError(f"unknown transform {transform!r}")
    if _is_local(model, path):
        column = _column(model, path)
        whens = [models.When(**{column: pk}, then=models.Value(p)) for pk, p in pseudonyms.items()]
    else:
        # An UPDATE cannot follow a join: map each row to its person first (one query).
        pairs = rows.values_list("pk", path)
        whens = [models.When(pk=pk, then=models.Value(pseudonyms[person])) for pk, person in pairs]
    return models.Case(*whens, default=models.F(name), output_field=model._meta.get_field(name))


def _rename_mentions(entry, names, *, write) -> int:
    """Replace each name by its pseudonym in the text of `entry`'s rows: one query per hundred
    names to find the rows, one bulk update to write them."""
    changed = 0
    longest_first = sorted(names, key=lambda pair: -len(pair[0]))
    for start in range(0, len(longest_first), MENTION_CHUNK):
        chunk = longest_first[start : start + MENTION_CHUNK]
        q = models.Q()
        for name, _pseudonym in chunk:
            for fname in entry.fields:
                q |= models.Q(**{f"{fname}__contains": name})
        if not write:
            changed += entry.model._default_manager.filter(q).count()
            continue
        rows = list(entry.model._default_manager.filter(q).only("pk", *entry.fields))
        for row in rows:
            for fname in entry.fields:
                text = getattr(row, fname)
                for name, pseudonym in chunk:
                    text = text.replace(name, pseudonym)
                setattr(row, fname, text)
        entry.model._default_manager.bulk_update(rows, entry.fields, batch_size=BATCH_SIZE)
        changed += len(rows)
    return changed


# --- editions --------------------------------------------------------------------------------


def _editions(report, *, camps, today, write, files) -> None:
    """What belongs to an edition: gone once its trainee period has expired. A row with a date
    of making (`made_at`, a generated workbook) goes if it was made before a period of its
    edition that has since ended: it may hold the people that period anonymized, whereas one
    made later holds their pseudonyms and is left to its own expiry."""
    trainees_gone = [c for c in camps if today >= retention.trainees_expire_on(c)]
    for entry in retention.edition_data.values():
        if entry.made_at:
            q = models.Q(pk__in=[])
            for camp in camps:
                ended = [
                    day
                    for day in (
                        retention.candidates_expire_on(camp),
                        retention.trainees_expire_on(camp),
                    )
                    if today >= day
                ]
                if ended:
                    made = {f"{entry.made_at}__lt": _start_of(max(ended))}
                    q |= models.Q(**{entry.camp: camp.pk}, **made)
        else:
            q = models.Q(**{f"{entry.camp}__in": [c.pk for c in trainees_gone]})
        rows = entry.model._default_manager.filter(q)
        _rows(report, f"edition:{entry.label}", entry.model, rows, entry, "", {}, write, files)
        history = _history_model(entry.model)
        if history is not None and not entry.made_at:
            rows = history._default_manager.filter(
                **{f"{entry.camp}__in": [c.pk for c in trainees_gone]}
            )
            key = f"edition:{entry.label}#history"
            _rows(report, key, history, rows, entry, "", {}, write, None)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
