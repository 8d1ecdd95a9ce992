"""The assessment's notifications: a published month, an export ready."""

import datetime
from decimal import Decimal as D

from assessment.models import MonthlySummaryRow
from assessment.notices import summary_published_notify
from camp.models import RankVisibility
from camp.notifications.models import Kind, Notification

MARCH = datetime.date(2026, 3, 1)


def _rows(cast):
    return [
        MonthlySummaryRow(
            camp=cast.camp,
            month=MARCH,
            trainee=cast.trainee_in_group_1,
            total=D("88.5"),
            class_rank=1,
        ),
        MonthlySummaryRow(
            camp=cast.camp,
            month=MARCH,
            trainee=cast.trainee_in_group_2,
            total=D("80"),
            class_rank=2,
        ),
    ]


def test_each_trainee_sees_their_own_figures_and_rank(cast):
    summary_published_notify(camp=cast.camp, month=MARCH, rows=_rows(cast))
    mine = Notification.objects.get(user=cast.trainee_1, kind=Kind.SUMMARY_PUBLISHED)
    assert "2026-03" in mine.title
    assert "88.5" in mine.body
    assert "第 1 名" in mine.body
    assert "80" not in mine.body  # never another trainee's figures
    assert Notification.objects.filter(kind=Kind.SUMMARY_PUBLISHED).count() == 2


def test_a_camp_that_hides_ranks_sends_no_rank(cast):
    cast.camp.trainee_rank_visibility = RankVisibility.HIDDEN
    cast.camp.save()
    summary_published_notify(camp=cast.camp, month=MARCH, rows=_rows(cast))
    mine = Notification.objects.get(user=cast.trainee_1, kind=Kind.SUMMARY_PUBLISHED)
    assert "88.5" in mine.body
    assert "排名" not in mine.body
