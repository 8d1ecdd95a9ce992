from django.db import transaction

from camp.models import Camp
from trainees.models import StudyGroup, Theme


@transaction.atomic
def study_groups_create(*, camp: Camp) -> list[StudyGroup]:
    """Give a camp its six study groups, one per theme, numbered as the article lists them.
    Safe to call again: existing groups are kept."""
    groups = []
    for number, theme in enumerate(Theme.values, start=1):
        group, _created = StudyGroup.objects.get_or_create(
            camp=camp, number=number, defaults={"theme": theme}
        )
        groups.append(group)
    return groups
