from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from camp.services.camps import camp_create
from tests.factories import PersonFactory, TraineeFactory, UserFactory
from trainees.grouping_rules import target_sizes, theme_matches
from trainees.models import GroupMove, Theme, Trainee, TraineeStatus
from trainees.services.admission import trainee_withdraw
from trainees.services.grouping import groups_place, trainee_move

# One work field per theme, as nominating units write them.
FIELD_OF = {
    Theme.PARTY_BUILDING: "组织人事",
    Theme.ECONOMIC_DEVELOPMENT: "招商引资",
    Theme.URBAN_CONSTRUCTION: "城乡规划",
    Theme.SOCIAL_WELFARE: "教育卫健",
    Theme.RURAL_REVITALIZATION: "农业农村",
    Theme.GRASSROOTS_GOVERNANCE: "社区治理",
}


@pytest.fixture
def camp(db):
    return camp_create(code="2031", name="2031届", year=2031)


@pytest.fixture
def placer(db):
    return UserFactory(username="placer", role="staff")


def make_trainees(camp, specs):
    """specs: (work_field, specialty, position, unit) tuples. No logins: hashing is slow."""
    return [
        TraineeFactory(
            camp=camp,
            person=PersonFactory(
                name=f"学员{i:03d}", work_field=wf, specialty=sp, position=pos, unit=unit
            ),
        )
        for i, (wf, sp, pos, unit) in enumerate(specs)
    ]


def skewed_cohort(camp):
    """150 trainees: 60 want 乡村振兴, 15 each want the other five, 15 match nothing; units
    of three people each, so mixing matters."""
    specs = [("农业农村", "", "科员", f"乡村单位{i // 3}") for i in range(60)]
    for theme in Theme.values:
        if theme == Theme.RURAL_REVITALIZATION:
            continue
        specs += [(FIELD_OF[theme], "", "科员", f"{theme}单位{i // 3}") for i in range(15)]
    specs += [("", "写作", "科员", f"综合单位{i // 3}") for i in range(15)]
    assert len(specs) == 150
    return make_trainees(camp, specs)


def sizes_of(camp):
    return Counter(
        Trainee.objects.filter(camp=camp, status=TraineeStatus.ACTIVE).values_list(
            "group__theme", flat=True
        )
    )


def test_it_matches_each_field_to_its_theme_with_the_strongest_first():
    person = PersonFactory.build(work_field="乡镇农业农村办", specialty="金融", position="副镇长")
    matches = theme_matches(person)
    # the longest keyword wins inside a field: 农业农村 beats 乡镇
    assert [(m.theme, m.keyword) for m in matches] == [
        (Theme.RURAL_REVITALIZATION, "农业农村"),
        (Theme.ECONOMIC_DEVELOPMENT, "金融"),
        (Theme.GRASSROOTS_GOVERNANCE, "镇长"),
    ]
    assert matches[0].reason() == "工作经历领域：乡镇农业农村办 → 乡村振兴"


def test_it_finds_no_match_in_empty_or_unrelated_fields():
    assert theme_matches(PersonFactory.build(work_field="", specialty="书法", position="")) == []


def test_target_sizes_stay_within_two_and_lean_towards_demand():
    groups = [1, 2, 3, 4, 5, 6]
    sizes = target_sizes(total=150, fixed={}, demand={5: 60}, group_ids=groups)
    assert sum(sizes.values()) == 150
    assert max(sizes.values()) - min(sizes.values()) <= 2
    assert sizes[5] == 26


def test_it_places_150_trainees_in_balanced_groups(camp, placer):
    skewed_cohort(camp)
    moves = groups_place(camp=camp, by=placer)
    assert len(moves) == 150
    sizes = sizes_of(camp)
    assert set(sizes) == set(Theme.values)
    assert sum(sizes.values()) == 150
    assert max(sizes.values()) - min(sizes.values()) <= 2


def test_it_gives_as_many_trainees_their_theme_as_balance_allows(camp, placer):
    trainees = skewed_cohort(camp)
    groups_place(camp=camp, by=placer)
    placed = Trainee.objects.filter(pk__in=[t.pk for t in trainees]).select_related(
        "group", "person"
    )
    in_theme = Counter(
        t.group.theme
        for t in placed
        if (matches := theme_matches(t.person)) and matches[0].theme == t.group.theme
    )
    # 乡村振兴 is oversubscribed: it fills to the band's top (26); every other theme's 15
    # all get their theme.
    assert in_theme[Theme.RURAL_REVITALIZATION] == 26
    for theme in Theme.values:
        if theme != Theme.RURAL_REVITALIZATION:
            assert in_theme[theme] == 15, theme


def test_it_spreads_a_units_trainees_across_groups(camp, placer):
    # Six colleagues who all want 乡村振兴, among 30 others who want it too.
    specs = [("农业农村", "", "科员", "市农业农村局")] * 6
    specs += [("农业农村", "", "科员", f"某镇{i}") for i in range(30)]
    specs += [("", "", "", f"单位{i}") for i in range(24)]
    make_trainees(camp, specs)
    groups_place(camp=camp, by=placer)
    colleagues = Trainee.objects.filter(camp=camp, person__unit="市农业农村局")
    assert len(set(colleagues.values_list("group_id", flat=True))) == 6


def test_colleagues_keep_their_theme_when_its_group_has_room(camp, placer):
    specs = [("农业农村", "", "科员", "市农业农村局")] * 2
    specs += [("", "", "", f"单位{i}") for i in range(28)]
    make_trainees(camp, specs)
    groups_place(camp=camp, by=placer)
    colleagues = Trainee.objects.filter(camp=camp, person__unit="市农业农村局")
    assert set(colleagues.values_list("group__theme", flat=True)) == {Theme.RURAL_REVITALIZATION}


def test_a_second_field_gives_a_theme_when_the_first_is_full(camp, placer):
    specs = [("农业农村", "", "科员", f"镇{i}") for i in range(10)]
    specs += [("农业农村", "金融", "科员", "银行")]
    specs += [("", "", "", f"单位{i}") for i in range(19)]
    make_trainees(camp, specs)
    groups_place(camp=camp, by=placer)
    banker = Trainee.objects.select_related("group").get(camp=camp, person__unit="银行")
    # 30 trainees: groups of 4 to 6, so 乡村振兴 cannot take all eleven
    assert banker.group.theme == Theme.ECONOMIC_DEVELOPMENT
    assert banker.placement_reason == "专业特长：金融 → 经济发展（乡村振兴组名额已满）"


def test_every_placement_says_why(camp, placer):
    make_trainees(
        camp,
        [
            ("农业农村", "", "科员", "甲"),
            ("", "金融", "科员", "乙"),
            ("", "", "信访办主任", "丙"),
            ("", "书法", "科员", "丁"),
        ],
    )
    groups_place(camp=camp, by=placer)
    placed = Trainee.objects.filter(camp=camp)
    reasons = dict(placed.values_list("person__unit", "placement_reason"))
    assert reasons["甲"] == "工作经历领域：农业农村 → 乡村振兴"
    assert reasons["乙"] == "专业特长：金融 → 经济发展"
    assert reasons["丙"] == "现任职务：信访办主任 → 基层治理"
    assert reasons["丁"] == "无明确匹配，按人数均衡分入"
    moves = GroupMove.objects.filter(trainee__camp=camp)
    assert moves.count() == 4
    assert all(m.automatic and m.by == placer and m.reason for m in moves)


def test_a_trainee_bumped_from_a_full_theme_is_told_why(camp, placer):
    skewed_cohort(camp)
    groups_place(camp=camp, by=placer)
    bumped = Trainee.objects.filter(camp=camp, person__work_field="农业农村").exclude(
        group__theme=Theme.RURAL_REVITALIZATION
    )
    assert bumped.count() == 34
    assert all("乡村振兴，但该组名额已满，按人数均衡分入" in t.placement_reason for t in bumped)


def test_placement_is_deterministic(camp, placer):
    twin = camp_create(code="2032", name="2032届", year=2032)
    for edition in (camp, twin):
        skewed_cohort(edition)
        groups_place(camp=edition, by=placer)

    def outcome(edition):
        placed = Trainee.objects.filter(camp=edition).order_by("pk")
        return list(placed.values_list("person__name", "group__number", "placement_reason"))

    assert outcome(camp) == outcome(twin)
    # and a full re-run changes nobody
    assert groups_place(camp=camp, by=placer, replace=True) == []


def test_rerunning_places_only_the_unplaced(camp, placer):
    trainees = skewed_cohort(camp)
    groups_place(camp=camp, by=placer)
    before = dict(Trainee.objects.filter(camp=camp).values_list("pk", "group_id"))
    newcomer = make_trainees(camp, [("社区工作", "", "科员", "新单位")])[0]
    moves = groups_place(camp=camp, by=placer)
    assert [m.trainee_id for m in moves] == [newcomer.pk]
    earlier = Trainee.objects.filter(pk__in=[t.pk for t in trainees])
    after = dict(earlier.values_list("pk", "group_id"))
    assert after == before


def test_replacing_keeps_trainees_moved_by_hand(camp, placer):
    trainees = skewed_cohort(camp)
    groups_place(camp=camp, by=placer)
    trainee = Trainee.objects.get(pk=trainees[0].pk)
    other = camp.groups.exclude(pk=trainee.group_id).order_by("number").first()
    trainee_move(trainee=trainee, to_group=other, by=placer, reason="便于参加本组调研课题")
    groups_place(camp=camp, by=placer, replace=True)
    trainee.refresh_from_db()
    assert trainee.group == other
    assert trainee.placement_reason == "人工调整：便于参加本组调研课题"


def test_withdrawn_trainees_are_not_placed(camp, placer):
    trainees = make_trainees(camp, [("农业农村", "", "", "甲"), ("金融", "", "", "乙")])
    trainee_withdraw(
        trainee=trainees[0], kind="promoted", reason="提拔", on=camp.start_date, by=placer
    )
    moves = groups_place(camp=camp, by=placer)
    assert [m.trainee_id for m in moves] == [trainees[1].pk]
    assert Trainee.objects.get(pk=trainees[0].pk).group is None


def test_it_refuses_a_camp_without_trainees(camp, placer):
    with pytest.raises(ValidationError, match="还没有在训学员"):
        groups_place(camp=camp, by=placer)


def test_placement_writes_history_for_every_trainee(camp, placer):
    make_trainees(camp, [("农业农村", "", "", "甲"), ("金融", "", "", "乙")])
    groups_place(camp=camp, by=placer)
    records = Trainee.history.filter(camp=camp, history_type="~")
    assert records.count() == 2
    assert {r.history_user_id for r in records} == {placer.pk}
    assert all(r.group_id for r in records)


def test_placement_runs_in_a_fixed_number_of_queries(camp, placer, django_assert_num_queries):
    # 40 trainees: SQLite splits an INSERT past 999 parameters (about 58 history rows), so a
    # larger cohort costs a few more batches there but never a query per trainee.
    make_trainees(
        camp, [(FIELD_OF[t], "", "", f"单位{i}") for i in range(7) for t in Theme.values][:40]
    )
    with django_assert_num_queries(8):
        # savepoint; groups; trainees with person and latest move; one bulk UPDATE;
        # one history INSERT; one GroupMove INSERT; the camp's figures version moved on
        # (camp_changed, camp/camp_cache.py); release savepoint
        groups_place(camp=camp, by=placer)


def test_placing_150_needs_no_query_per_trainee(camp, placer, django_assert_max_num_queries):
    skewed_cohort(camp)
    with django_assert_max_num_queries(12):
        groups_place(camp=camp, by=placer)


def test_a_staff_move_is_recorded_with_its_reason(camp, placer):
    trainee = make_trainees(camp, [("农业农村", "", "", "甲")])[0]
    groups_place(camp=camp, by=placer)
    trainee.refresh_from_db()
    old = trainee.group
    target = camp.groups.get(number=1)
    move = trainee_move(trainee=trainee, to_group=target, by=placer, reason="工作需要")
    trainee.refresh_from_db()
    assert trainee.group == target
    assert (move.from_group, move.to_group, move.automatic, move.by) == (old, target, False, placer)
    last = trainee.history.first()
    assert last.group_id == target.pk
    assert last.history_user_id == placer.pk


@pytest.mark.parametrize(
    ("reason", "message"), [("", "请填写调整原因"), ("  ", "请填写调整原因"), ("长" * 151, "150字")]
)
def test_a_move_needs_a_short_reason(camp, placer, reason, message):
    trainee = make_trainees(camp, [("农业农村", "", "", "甲")])[0]
    with pytest.raises(ValidationError, match=message):
        trainee_move(trainee=trainee, to_group=camp.groups.first(), by=placer, reason=reason)
    assert not GroupMove.objects.exists()


def test_a_move_stays_inside_the_camp(camp, placer):
    trainee = make_trainees(camp, [("农业农村", "", "", "甲")])[0]
    elsewhere = camp_create(code="2032", name="2032届", year=2032).groups.first()
    with pytest.raises(ValidationError, match="只能调入本期"):
        trainee_move(trainee=trainee, to_group=elsewhere, by=placer, reason="工作需要")


def test_a_move_into_the_same_group_is_refused(camp, placer):
    trainee = make_trainees(camp, [("农业农村", "", "", "甲")])[0]
    groups_place(camp=camp, by=placer)
    trainee.refresh_from_db()
    with pytest.raises(ValidationError, match="请选择其他小组"):
        trainee_move(trainee=trainee, to_group=trainee.group, by=placer, reason="工作需要")
