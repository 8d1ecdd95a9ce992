from decimal import Decimal

from django.db.models import Sum

from assessment.models import AssessmentItem, SchemeStatus


def test_a_new_camp_gets_an_active_copy_of_the_default_scheme(cast):
    scheme = cast.camp.assessment_scheme
    assert scheme.status == SchemeStatus.ACTIVE
    items = AssessmentItem.objects.filter(scheme=scheme)
    assert items.count() == 26
    assert items.aggregate(total=Sum("max_points"))["total"] == Decimal("300.0")
    assert items.get(number=4).name == "学习心得"
