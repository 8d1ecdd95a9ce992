import datetime

from django.db import transaction

from camp.camp_cache import camp_changed
from camp.models import Camp, CampStatus

# Other apps add what a new edition needs (its six groups, its assessment scheme...).
# Each hook takes the new camp; registered from the owning app's AppConfig.ready().
CAMP_CREATED_HOOKS: list = []


def default_camp_fields(*, year: int, start_month: int = 1) -> dict:
    """The defaults the article implies: 150 places, graduates recruited in the three calendar
    years before the camp's year."""
    return {
        "year": year,
        "start_month": start_month,
        "capacity": 150,
        "selection_reference_date": datetime.date(year, start_month, 1),
        "recruitment_window_start": year - 3,
        "recruitment_window_end": year - 1,
    }


@transaction.atomic
def camp_create(
    *,
    code: str,
    name: str,
    year: int,
    start_month: int = 1,
    capacity: int = 150,
    selection_reference_date: datetime.date | None = None,
    recruitment_window_start: int | None = None,
    recruitment_window_end: int | None = None,
    status: str = CampStatus.PLANNING,
    **extra,
) -> Camp:
    defaults = default_camp_fields(year=year, start_month=start_month)
    camp = Camp(
        code=code,
        name=name,
        year=year,
        start_month=start_month,
        capacity=capacity,
        selection_reference_date=selection_reference_date or defaults["selection_reference_date"],
        recruitment_window_start=recruitment_window_start or defaults["recruitment_window_start"],
        recruitment_window_end=recruitment_window_end or defaults["recruitment_window_end"],
        status=status,
        **extra,
    )
    camp.full_clean()
    camp.save()
    for hook in CAMP_CREATED_HOOKS:
        hook(camp)
    return camp


@transaction.atomic
def camp_update(*, camp: Camp, data: dict) -> Camp:
    for name, value in data.items():
        setattr(camp, name, value)
    camp.full_clean()
    camp.save()
    camp_changed(camp_id=camp.pk)  # without training days, deductions count from its start
    return camp


@transaction.atomic
def camp_leave_deadline_set(*, camp: Camp, days: int, by) -> Camp:
    """Set the camp's one leave deadline. The leave pages read it at once; whoever turns it into
    deductions (the assessment's attendance rules) recomputes them in the same transaction."""
    camp = Camp.objects.select_for_update().get(pk=camp.pk)
    camp.leave_close_days = days
    camp.full_clean()
    camp._history_user = by
    camp.save(update_fields=["leave_close_days"])
    camp_changed(camp_id=camp.pk)
    return camp
