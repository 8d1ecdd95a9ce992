"""The editions side by side (届次对比): one `EditionFigures` per edition, read for all the
editions at once in a fixed number of queries, each figure aggregated by the database.

Public interface (other pages and documents reuse it; keep it stable):

    edition_figures(camps=None, *, on=None) -> list[EditionFigures]

`camps`: the editions to read (default: every edition, oldest first; a given list keeps its
order). `on`: the day the figures are read (default: today). Each edition is read as of
`min(on, camp.graduation_date)`: a graduated edition as of its graduation date, a running one
as of `on`. Nothing reads the clock but the default of `on`.

`EditionFigures` fields:
- `camp`, `as_of` (the day the figures are as of), `finished` (status 已结业);
- size: `capacity`, `admitted` (everyone ever admitted), `withdrawn` (withdrawn by `as_of`),
  `members` (those who belonged on `as_of`: Trainee.objects.members_on);
- composition of everyone admitted, each a list of `Share(key, label, count, percent)` in a
  fixed order, empty categories included so that editions line up: `cadre_types` (CadreType),
  `ranks` (Rank, the seven levels), `age_bands` (five-year bands of birth year, e.g. key 1985,
  label "1985—1989", the bands from the oldest to the youngest of all the editions read),
  `sectors` (工作经历领域 mapped onto the six group themes, trainees.grouping_rules
  `work_field_theme`, key "other" / 其他 otherwise); `township_chiefs` (a Share: 乡镇(街道)
  党政正职经历);
- `attendance_rate`: 出勤率 (累计) as of `as_of`, pooled over the members on that day
  (curriculum/rate_selectors: attended ÷ required, half-up to 0.1 %), None without records;
- scores as of `as_of` through the app's own standing (assessment.standing_selectors), of the
  trainees ranked on that day: `distribution` (Shares over the summary's 30-point bands,
  label "0–30"), `total_average`, `total_median`, `category_averages` ({"theory",
  "party_spirit", "capability": Decimal | None}; assessment.rates.mean of the rounded scores);
- graduation (结业) of the members on `as_of`, counted once the edition has final records
  (certificate numbers given; 0 and None before): `graduates`, `not_graduated` (with a
  reason), `outstanding` (优秀学员), `graduation_rate` (graduates ÷ members, percent),
  `outstanding_rate` (outstanding ÷ graduates, percent);
- after the camp: `promotion_rates`, the rates one, two and three years after graduation
  (oversight.after_camp_selectors.PromotionRate, "so far" while a period runs).

Percentages are half-up to 0.1 (camp.rounding). Queries: one for the editions when `camps` is
None, then twelve whatever the number of editions (see `edition_figures`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, F, IntegerField, Q, When
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import Category, Graduation
from assessment.models.summaries import DISTRIBUTION_BANDS, TOP_OF_BANDS
from assessment.rates import mean, median
from assessment.standing_selectors import scores_of_camps
from camp.models import Camp, CampStatus
from camp.rounding import round_points
from curriculum.models import Attendance
from curriculum.rate_selectors import ATTENDED, attendance_rate
from trainees.grouping_rules import work_field_theme
from trainees.models import CadreType, Rank, Theme, Trainee

from .after_camp_selectors import PromotionRate, promotion_rates

AGE_BAND_YEARS = 5
OTHER_SECTOR = "other"


@dataclass(frozen=True)
class Share:
    """One category of a composition: how many, and their share of the whole in percent."""

    key: str | int
    label: str
    count: int
    percent: Decimal | None


@dataclass
class EditionFigures:
    """One edition's figures (see the module's docstring for each field)."""

    camp: Camp
    as_of: datetime.date
    finished: bool
    capacity: int
    admitted: int = 0
    withdrawn: int = 0
    members: int = 0
    cadre_types: list[Share] = field(default_factory=list)
    ranks: list[Share] = field(default_factory=list)
    age_bands: list[Share] = field(default_factory=list)
    sectors: list[Share] = field(default_factory=list)
    township_chiefs: Share | None = None
    attendance_rate: Decimal | None = None
    distribution: list[Share] = field(default_factory=list)
    total_average: Decimal | None = None
    total_median: Decimal | None = None
    category_averages: dict[str, Decimal | None] = field(default_factory=dict)
    graduates: int = 0
    not_graduated: int = 0
    outstanding: int = 0
    graduation_rate: Decimal | None = None
    outstanding_rate: Decimal | None = None
    promotion_rates: list[PromotionRate] = field(default_factory=list)


def percent(part: int, whole: int) -> Decimal | None:
    """part ÷ whole in percent, half-up to 0.1; None when the whole is 0 (shown as "—")."""
    if not whole:
        return None
    return round_points(Decimal(part) * 100 / Decimal(whole))


def _shares(counts: dict, labels: list[tuple[object, str]], whole: int) -> list[Share]:
    return [
        Share(
            key=key,
            label=label,
            count=counts.get(key, 0),
            percent=percent(counts.get(key, 0), whole),
        )
        for key, label in labels
    ]


def _per_camp_day(days: dict[int, datetime.date], then) -> Case:
    """1 where `then(day)` holds for a row of the camp whose day it is, else 0."""
    return Case(
        *[When(Q(camp_id=pk) & then(day), then=1) for pk, day in days.items()],
        default=0,
        output_field=IntegerField(),
    )


def _grouped(trainees, field_name: str) -> dict[int, dict]:
    """{camp id: {value: count}} of one attribute, in one grouped query."""
    counts: dict[int, dict] = {}
    for camp_id, value, count in (
        trainees.values_list("camp_id", field_name).annotate(n=Count("pk")).order_by()
    ):
        counts.setdefault(camp_id, {})[value] = count
    return counts


def edition_figures(
    camps: list[Camp] | None = None, *, on: datetime.date | None = None
) -> list[EditionFigures]:
    """Every edition's figures (or the given ones'), each as of min(on, its graduation date).

    Queries, whatever the number of editions: [the editions, when not given], size (1), the
    cadre types, ranks, birth years and work fields (4 grouped), attendance (1), graduation
    (1), the standing's four (items, training days, trainees, entry aggregates) and the
    promotion rates (1)."""
    if camps is None:
        camps = list(Camp.objects.order_by("year", "start_month", "pk"))
    if not camps:
        return []
    on = on or timezone.localdate()
    as_of = {camp.pk: min(on, camp.graduation_date) for camp in camps}
    figures = {
        camp.pk: EditionFigures(
            camp=camp,
            as_of=as_of[camp.pk],
            finished=camp.status == CampStatus.FINISHED,
            capacity=camp.capacity,
        )
        for camp in camps
    }
    trainees = Trainee.objects.filter(camp_id__in=list(as_of))
    _size(figures, trainees, as_of)
    _composition(figures, trainees)
    _attendance(figures, as_of)
    _graduation(figures, as_of)
    _scores(figures, camps)
    for camp_id, rates in promotion_rates(camps, today=on).items():
        figures[camp_id].promotion_rates = rates
    return [figures[camp.pk] for camp in camps]


def _size(figures, trainees, as_of) -> None:
    # A member on the edition's day: admitted by then and not withdrawn before it.
    member = _per_camp_day(
        as_of,
        lambda day: (
            Q(admitted_on__lte=day) & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=day))
        ),
    )
    gone = _per_camp_day(as_of, lambda day: Q(withdrawn_on__lt=day))
    rows = (
        trainees.annotate(member=member, gone=gone)
        .values("camp_id")
        .annotate(
            admitted=Count("pk"),
            members=Count("pk", filter=Q(member=1)),
            withdrawn=Count("pk", filter=Q(gone=1)),
            chiefs=Count("pk", filter=Q(person__township_chief_experience=True)),
        )
        .order_by()
    )
    for row in rows:
        one = figures[row["camp_id"]]
        one.admitted, one.members, one.withdrawn = row["admitted"], row["members"], row["withdrawn"]
        one.township_chiefs = Share(
            key="township_chief",
            label=_("乡镇(街道)党政正职经历"),
            count=row["chiefs"],
            percent=percent(row["chiefs"], row["admitted"]),
        )
    for one in figures.values():
        if one.township_chiefs is None:
            one.township_chiefs = Share("township_chief", _("乡镇(街道)党政正职经历"), 0, None)


def _composition(figures, trainees) -> None:
    cadre = _grouped(trainees, "person__cadre_type")
    rank = _grouped(trainees, "person__rank")
    years = _grouped(trainees.annotate(born=ExtractYear("person__birth_date")), "born")
    fields = _grouped(trainees, "person__work_field")
    bands: dict[int, dict[int, int]] = {}
    for camp_id, counts in years.items():
        for year, count in counts.items():
            band = year - year % AGE_BAND_YEARS
            bands.setdefault(camp_id, {}).setdefault(band, 0)
            bands[camp_id][band] += count
    all_bands = sorted({band for counts in bands.values() for band in counts})
    band_labels = [
        (band, _("%(first)d—%(last)d年") % {"first": band, "last": band + AGE_BAND_YEARS - 1})
        for band in all_bands
    ]
    sector_labels = [*Theme.choices, (OTHER_SECTOR, _("其他"))]
    for camp_id, one in figures.items():
        whole = one.admitted
        one.cadre_types = _shares(cadre.get(camp_id, {}), CadreType.choices, whole)
        one.ranks = _shares(rank.get(camp_id, {}), Rank.choices, whole)
        one.age_bands = _shares(bands.get(camp_id, {}), band_labels, whole)
        # Mapped per distinct wording (a few dozen), counted by the database.
        sectors: dict[str, int] = {}
        for text, count in fields.get(camp_id, {}).items():
            theme = work_field_theme(text) or OTHER_SECTOR
            sectors[theme] = sectors.get(theme, 0) + count
        one.sectors = _shares(sectors, sector_labels, whole)


def _attendance(figures, as_of) -> None:
    """累计 as of each edition's day, pooled over those who belonged on it (one query)."""
    wanted = Q(pk__in=[])
    for camp_id, day in as_of.items():
        wanted |= Q(
            session__camp_id=camp_id,
            session__date__lte=day,
            trainee__admitted_on__lte=day,
        ) & (Q(trainee__withdrawn_on__isnull=True) | Q(trainee__withdrawn_on__gte=day))
    rows = (
        Attendance.objects.filter(wanted, session__attendance_required=True)
        .values("session__camp_id")
        .annotate(required=Count("pk"), attended=Count("pk", filter=Q(status__in=ATTENDED)))
        .order_by()
    )
    for row in rows:
        figures[row["session__camp_id"]].attendance_rate = attendance_rate(
            row["attended"], row["required"]
        )


def _graduation(figures, as_of) -> None:
    """Graduation of the members on each edition's day (one query). A graduate is one whose
    record is final (a certificate number: graduation_certificates_assign); those not
    graduated count once the edition has final records, drafts before that count for nothing."""
    wanted = Q(pk__in=[])
    for camp_id, day in as_of.items():
        wanted |= Q(trainee__camp_id=camp_id, trainee__admitted_on__lte=day) & (
            Q(trainee__withdrawn_on__isnull=True) | Q(trainee__withdrawn_on__gte=day)
        )
    final = Q(finalized_at__isnull=False)
    rows = (
        Graduation.objects.filter(wanted)
        .values(camp_id=F("trainee__camp_id"))
        .annotate(
            # Named apart from the model's own fields, which the filters read.
            n_graduates=Count("pk", filter=final & Q(graduates=True)),
            n_not_graduated=Count("pk", filter=Q(graduates=False)),
            n_outstanding=Count("pk", filter=final & Q(outstanding=True)),
        )
        .order_by()
    )
    for row in rows:
        if not row["n_graduates"]:
            continue
        one = figures[row["camp_id"]]
        one.graduates, one.not_graduated = row["n_graduates"], row["n_not_graduated"]
        one.outstanding = row["n_outstanding"]
        one.graduation_rate = percent(one.graduates, one.members)
        one.outstanding_rate = percent(one.outstanding, one.graduates)


def _scores(figures, camps) -> None:
    """The standing as of each edition's day (assessment's own arithmetic), of those ranked on
    it: the distribution over the summary's bands, the averages and the median."""
    standings = scores_of_camps({camp: figures[camp.pk].as_of for camp in camps})
    for camp in camps:
        one = figures[camp.pk]
        ranked = [score for score in standings.get(camp.pk, {}).values() if score.ranked]
        totals = [score.total for score in ranked]
        counts: dict[int, int] = {}
        for low, high in DISTRIBUTION_BANDS:
            # The summary's bands: [low, high), the top one closed (as score_distribution).
            top = high >= TOP_OF_BANDS
            counts[low] = sum(1 for t in totals if low <= t and (t < high or (top and t <= high)))
        one.distribution = _shares(
            counts, [(low, f"{low}–{high}") for low, high in DISTRIBUTION_BANDS], len(totals)
        )
        one.total_average, one.total_median = mean(totals), median(totals)
        one.category_averages = {
            name: mean(score.categories.get(name) for score in ranked) for name in Category.values
        }
