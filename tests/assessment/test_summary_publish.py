"""Publishing a month: the class figures from the rows being published (the whole job, and
the group figures against the database's own aggregates, are in test_summaries.py)."""

import datetime
from decimal import Decimal as D

from assessment.models import ClassMonthlySummary, MonthlySummaryRow
from assessment.services.summary_publish import _publish_class_figures

MARCH = datetime.date(2026, 3, 1)


def test_the_class_distribution_puts_a_bound_in_the_band_above_and_300_in_the_top_band(cast):
    rows = [
        MonthlySummaryRow(total=D(total), assessed_points=D("300"))
        for total in ("0", "29.9", "30", "269.9", "270", "300")
    ]
    _publish_class_figures(camp=cast.camp, month=MARCH, run=None, ranked=rows)
    klass = ClassMonthlySummary.objects.get(month=MARCH)
    counts = {band["from"]: band["count"] for band in klass.distribution}
    assert counts == {
        "0": 2, "30": 1, "60": 0, "90": 0, "120": 0, "150": 0, "180": 0, "210": 0, "240": 1,
        "270": 2,
    }  # fmt: skip
    assert klass.distribution[-1]["to"] == "300"
    assert (klass.median_total, klass.average_total) == (D("150.0"), D("150.0"))


def test_a_class_without_ranked_trainees_has_empty_figures(cast):
    _publish_class_figures(camp=cast.camp, month=MARCH, run=None, ranked=[])
    klass = ClassMonthlySummary.objects.get(month=MARCH)
    assert klass.trainee_count == 0
    assert klass.average_total is klass.median_total is klass.highest_total is None
    assert sum(band["count"] for band in klass.distribution) == 0
