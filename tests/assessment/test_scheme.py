import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from assessment.default_scheme import DEFAULT_ITEMS
from assessment.models import AssessmentItem, SchemeStatus, ScoreEntry
from assessment.services.scheme import (
    assessment_item_update,
    scheme_activate,
    scheme_deactivate,
)


def test_a_new_camp_gets_an_active_copy_of_the_default_scheme(cast):
    scheme = cast.camp.assessment_scheme
    assert scheme.status == SchemeStatus.ACTIVE
    items = AssessmentItem.objects.filter(scheme=scheme)
    assert items.count() == 26
    assert items.aggregate(total=Sum("max_points"))["total"] == Decimal("300.0")
    assert items.get(number=4).name == "学习心得"
    # The copy is audited like any other write.
    assert AssessmentItem.history.filter(scheme_id=scheme.pk, history_type="+").count() == 26


def test_the_default_scheme_has_26_items_worth_300_in_the_documents_categories():
    assert len(DEFAULT_ITEMS) == 26
    assert sum(item.max_points for item in DEFAULT_ITEMS) == Decimal("300")
    by_category = {}
    for item in DEFAULT_ITEMS:
        by_category[item.category] = by_category.get(item.category, 0) + item.max_points
    assert by_category == {"theory": 110, "party_spirit": 100, "capability": 90}


@pytest.fixture
def draft(cast):
    return scheme_deactivate(scheme=cast.camp.assessment_scheme, by=cast.staff)


def test_staff_edit_an_items_maximum_while_the_scheme_is_a_draft(cast, draft):
    item = draft.items.get(number=2)
    assessment_item_update(item=item, data={"max_points": Decimal("12.0")}, by=cast.staff)
    assert draft.items.get(number=2).max_points == Decimal("12.0")


def test_activation_refuses_a_total_other_than_300_and_says_by_how_much(cast, draft):
    item = draft.items.get(number=2)
    assessment_item_update(item=item, data={"max_points": Decimal("12.0")}, by=cast.staff)
    with pytest.raises(ValidationError) as error:
        scheme_activate(scheme=draft, by=cast.staff)
    assert "现为 302.0 分（超出 2.0 分）" in " ".join(error.value.messages)
    draft.refresh_from_db()
    assert not draft.is_active


def test_activation_refuses_a_count_other_than_26(cast, draft):
    draft.items.get(number=26).delete()
    with pytest.raises(ValidationError) as error:
        scheme_activate(scheme=draft, by=cast.staff)
    text = " ".join(error.value.messages)
    assert "应有 26 个项目，现有 25 个" in text
    assert "还差 15.0 分" in text


def test_activation_accepts_exactly_26_items_and_300_points(cast, draft):
    a, b = draft.items.get(number=2), draft.items.get(number=13)
    assessment_item_update(item=a, data={"max_points": Decimal("12.0")}, by=cast.staff)
    assessment_item_update(item=b, data={"max_points": Decimal("8.0")}, by=cast.staff)
    scheme = scheme_activate(scheme=draft, by=cast.staff)
    assert scheme.is_active
    assert scheme.activated_by == cast.staff


def test_an_active_schemes_maximum_is_not_changed_without_going_back_to_draft(cast):
    item = cast.camp.assessment_scheme.items.get(number=2)
    with pytest.raises(ValidationError) as error:
        assessment_item_update(item=item, data={"max_points": Decimal("12.0")}, by=cast.staff)
    assert "先将方案退回草稿" in " ".join(error.value.messages)


def test_once_an_item_has_entries_its_maximum_and_kind_are_frozen(cast):
    item = cast.camp.assessment_scheme.items.get(number=2)
    ScoreEntry.objects.create(
        trainee=cast.trainee_in_group_1, item=item, points=1, date=datetime.date(2026, 3, 1)
    )
    with pytest.raises(ValidationError) as error:
        scheme_deactivate(scheme=cast.camp.assessment_scheme, by=cast.staff)
    assert "考核已开始" in " ".join(error.value.messages)
    for change in ({"max_points": Decimal("12.0")}, {"kind": "graded"}):
        with pytest.raises(ValidationError) as error:
            assessment_item_update(item=item, data=change, by=cast.staff)
        assert "已有考核记录" in " ".join(error.value.messages)
    item.refresh_from_db()
    assert (item.max_points, item.kind) == (Decimal("10.0"), "deduction")


def test_names_stay_editable_after_scoring_starts(cast):
    item = cast.camp.assessment_scheme.items.get(number=2)
    ScoreEntry.objects.create(
        trainee=cast.trainee_in_group_1, item=item, points=1, date=datetime.date(2026, 3, 1)
    )
    assessment_item_update(item=item, data={"name": "课堂纪律与作风"}, by=cast.staff)
    item.refresh_from_db()
    assert item.name == "课堂纪律与作风"
    assert item.history.latest().history_change_reason == "修改考核项目"


def test_frequency_freezes_once_an_item_has_entries(cast):
    item = cast.camp.assessment_scheme.items.get(number=2)
    assessment_item_update(item=item, data={"frequency": "weekly"}, by=cast.staff)
    ScoreEntry.objects.create(
        trainee=cast.trainee_in_group_1, item=item, points=1, date=datetime.date(2026, 3, 1)
    )
    with pytest.raises(ValidationError) as error:
        assessment_item_update(item=item, data={"frequency": "per_training_day"}, by=cast.staff)
    assert "不能再修改满分、计分方式、类别或频次" in " ".join(error.value.messages)
    item.refresh_from_db()
    assert item.frequency == "weekly"


def test_once_only_is_the_frequency_once():
    assert AssessmentItem(frequency="once").once_only
    assert not AssessmentItem(frequency="monthly").once_only
    assert "once_only" not in {f.name for f in AssessmentItem._meta.get_fields()}


def test_recording_waits_for_an_active_scheme(cast, draft):
    from assessment.services.entries import score_entry_create

    with pytest.raises(ValidationError) as error:
        score_entry_create(
            trainee=cast.trainee_in_group_1,
            item=draft.items.get(number=2),
            points="1",
            date=datetime.date(2026, 3, 1),
            by=cast.staff,
            reason="测试",
        )
    assert "考核方案尚未启用" in " ".join(error.value.messages)
