"""Data kept only as long as it should be: the registry of what personal data each model holds,
and the pure rules of when it expires (issue 18 §4).

camp sits below the apps, so it cannot know their models. Each app registers, from its
`AppConfig.ready()`, what its models hold about a person, one call per model:

    retention.register(Talk, person="trainee__person", clear=("topics", "summary"))

- `person` is the path from the model to the person (`trainees.Person`); "pk" on the person
  model itself. The same path is followed in the model's history table, so the copies kept by
  simple-history are cleared with the live rows.
- `clear` are fields set to their empty value ("" or None): free-text notes, ID numbers, phones.
- `replace` are fields given another value, named by one of the transforms below (a stable
  pseudonym for a name, the first of January for a birth date): what the anonymous figures still
  need survives in a form that names nobody.
- `files` are file fields whose files are deleted from storage (and the field emptied).
- `delete=True` deletes the rows themselves (secrets and messages of a login that ends).

Two more kinds of registration:
- `register_mentions(model, fields)`: logs that name a person in free text, written by someone
  else (the sensitive-access log): the name is replaced by the pseudonym, the row is kept.
- `register_edition_data(model, camp=..., files=..., made_at=...)`: what belongs to an edition
  rather than to one person (a research report, a generated workbook): it goes once the
  edition's trainee period has expired, or, for rows made before then (`made_at`), once its
  candidate period has.
- `register_sweep(label, fn)`: a callable that removes stored files no row points at (imports
  waiting for a confirmation); `fn(*, now, dry_run) -> int`.

The app that owns the person model says who has expired, with `set_people(...)`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _

# Transforms for `replace`. Names, not callables, so that the service can apply them in bulk.
PSEUDONYM = "pseudonym"  # the person's stable pseudonym (学员A3F2)
YEAR_START = "year_start"  # a date cut to the first of January of its year (age bands survive)
EMPTY_STRING = ""


@dataclass(frozen=True)
class PersonalData:
    model: type[models.Model]
    person: str
    clear: tuple[str, ...] = ()
    replace: dict[str, str] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    delete: bool = False

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def fields(self) -> tuple[str, ...]:
        return (*self.clear, *self.replace, *self.files)


@dataclass(frozen=True)
class Mentions:
    model: type[models.Model]
    fields: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


@dataclass(frozen=True)
class EditionData:
    model: type[models.Model]
    camp: str
    files: tuple[str, ...] = ()
    clear: tuple[str, ...] = ()
    made_at: str | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def replace(self) -> dict[str, str]:
        return {}


@dataclass(frozen=True)
class Sweep:
    label: str
    run: Callable[..., int]


@dataclass
class People:
    """Who the people are and who has expired: filled by the app that owns the person model."""

    model: type[models.Model] | None = None
    # expired(today) -> a queryset of the people every edition of whom has expired, not yet
    # anonymized.
    expired: Callable | None = None
    # The pseudonym's prefix for a person of that queryset (a trainee once, or only a candidate).
    prefix: Callable | None = None
    # The field that records when a person was anonymized.
    anonymized_field: str = "anonymized_at"
    # The path from the person to their login, whose name goes and which is disabled.
    login: str = "user"


personal_data: dict[str, PersonalData] = {}
mentions: dict[str, Mentions] = {}
edition_data: dict[str, EditionData] = {}
sweeps: dict[str, Sweep] = {}
people = People()


def register(
    model,
    *,
    person: str,
    clear=(),
    replace: dict[str, str] | None = None,
    files=(),
    delete: bool = False,
) -> None:
    """Register what `model` holds about a person (see the module's docstring). Idempotent: a
    second call for the same model replaces the first (ready() may run twice in tests)."""
    entry = PersonalData(
        model=model,
        person=person,
        clear=tuple(clear),
        replace=dict(replace or {}),
        files=tuple(files),
        delete=delete,
    )
    for name in entry.fields:
        model._meta.get_field(name)  # a typo fails at start-up, not in the yearly run
    personal_data[entry.label] = entry


def register_mentions(model, *, fields) -> None:
    entry = Mentions(model=model, fields=tuple(fields))
    for name in entry.fields:
        model._meta.get_field(name)
    mentions[entry.label] = entry


def register_edition_data(model, *, camp: str, files=(), clear=(), made_at=None) -> None:
    entry = EditionData(
        model=model, camp=camp, files=tuple(files), clear=tuple(clear), made_at=made_at
    )
    for name in (*entry.files, *entry.clear):
        model._meta.get_field(name)
    edition_data[entry.label] = entry


def register_sweep(label: str, run: Callable[..., int]) -> None:
    sweeps[label] = Sweep(label=label, run=run)


def set_people(*, model, expired: Callable, prefix: Callable, login: str = "user") -> None:
    people.model = model
    people.expired = expired
    people.prefix = prefix
    people.login = login


# --- the rules -----------------------------------------------------------------------------


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; the 29th of February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def expires_on(camp, years: int) -> datetime.date:
    """The first day on which data kept `years` after the edition's graduation is gone: it is
    kept through the anniversary of the graduation date, and goes the day after."""
    return add_years(camp.graduation_date, years) + datetime.timedelta(days=1)


def candidates_expire_on(camp) -> datetime.date:
    return expires_on(camp, camp.candidate_retention_years)


def trainees_expire_on(camp) -> datetime.date:
    return expires_on(camp, camp.trainee_retention_years)


def expired_camp_ids(camps, today: datetime.date) -> tuple[set[int], set[int]]:
    """(camps whose candidates not admitted have expired, camps whose trainees have) as of
    `today`. Editions are few, so the dates are computed here, not in the database."""
    candidates = {camp.pk for camp in camps if today >= candidates_expire_on(camp)}
    trainees = {camp.pk for camp in camps if today >= trainees_expire_on(camp)}
    return candidates, trainees


def pseudonym(prefix: str, pk: int) -> str:
    """A stable pseudonym: the same person gets the same one in every table and every run, and
    two people never share one (it is the person's number, which names nobody, in hex)."""
    return f"{prefix}{pk:04X}"


def upcoming_expiries(camps) -> list[dict]:
    """Each edition's graduation date and the first day each period's data is gone, soonest
    first, for the retention page."""
    rows = [
        {
            "camp": camp,
            "graduation": camp.graduation_date,
            "candidates": candidates_expire_on(camp),
            "trainees": trainees_expire_on(camp),
        }
        for camp in camps
    ]
    return sorted(rows, key=lambda row: (row["candidates"], row["camp"].code))


def category_label(key: str) -> str:
    """What a category of a run's counts is called: "people:学员", "logins", a registered
    model's label, with "#history" or "#files", "mentions:…", "edition:…" or "sweep:…"."""
    base, _sep, part = key.partition("#")
    kind, _sep, rest = base.partition(":")
    if kind == "people":
        label = _("匿名化人员（%(prefix)s）") % {"prefix": rest}
    elif kind == "logins":
        label = _("停用的登录账号")
    elif kind == "sweep":
        label = _("待确认的导入文件")
    elif kind in ("mentions", "edition"):
        label = _model_label(rest)
        label = _("%(model)s（提及姓名）") % {"model": label} if kind == "mentions" else label
    else:
        label = _model_label(base)
    suffix = {"history": _("历史记录"), "files": _("文件")}.get(part)
    return f"{label} · {suffix}" if suffix else label


def _model_label(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


def longest_retention_years(camps) -> int:
    """The longest period any edition keeps data: backups older than it must be gone too."""
    return max(
        (max(c.candidate_retention_years, c.trainee_retention_years) for c in camps), default=5
    )
