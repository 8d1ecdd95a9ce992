"""The cross-camp trainee search (学员查询), tried by every persona: names across camps, pages,
masked phones, the phone lookup and its trail, and input that must not break the page."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse

from camp.models import SensitiveAccessLog
from camp.services.camps import camp_create
from trainees.models import TraineeStatus

from ..factories import PersonFactory, TraineeFactory

URL = "trainee-search"
SEARCHERS = ("staff", "orgdept", "leader")
REFUSED = ("counselor_1", "counselor_2", "trainee_1", "trainee_2")
ROW = re.compile(r'data-testid="search-row"')


@pytest.fixture
def camp_2025(db):
    return camp_create(code="2025", name="2025届南太湖新锐特训营", year=2025)


def search(client, user, **params):
    client.force_login(user)
    return client.get(reverse(URL), params)


def rows(response) -> int:
    return len(ROW.findall(response.content.decode()))


def results(response) -> str:
    """The results table alone (the search box repeats what was typed)."""
    found = re.search(r"<tbody>.*</tbody>", response.content.decode(), re.S)
    return found.group(0) if found else ""


def add_wangs(cast, camp_2025, count: int) -> None:
    """`count` trainees surnamed 王, alternately in the 2026 and 2025 camps and groups 1 and 2."""
    camps = [(cast.camp, [cast.group_1, cast.group_2]), (camp_2025, list(camp_2025.groups.all()))]
    for index in range(count):
        camp, groups = camps[index % 2]
        TraineeFactory(
            camp=camp,
            group=groups[(index // 2) % 2],
            person=PersonFactory(name=f"王{index:03d}"),
        )


# --- who ------------------------------------------------------------------------------------


def test_staff_orgdept_and_leaders_search_counselors_and_trainees_are_refused(client, cast):
    url = reverse(URL)
    got = {}
    for persona, user in cast.everyone().items():
        client.logout()
        if user is not None:
            client.force_login(user)
        got[persona] = client.get(url, {"q": "张"}).status_code
    assert got == {
        "anonymous": 302,
        **dict.fromkeys(SEARCHERS, 200),
        **dict.fromkeys(REFUSED, 403),
    }


def test_an_anonymous_visitor_is_sent_to_log_in(client, cast):
    response = client.get(reverse(URL), {"q": "张"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_menu_offers_the_search_to_searchers_only(client, cast):
    url = reverse(URL)
    offered = {}
    for persona in ("staff", "orgdept", "leader", "counselor_1", "trainee_1"):
        client.force_login(getattr(cast, persona))
        offered[persona] = f'href="{url}"' in client.get(reverse("camp-list")).content.decode()
    assert offered == {
        "staff": True,
        "orgdept": True,
        "leader": True,
        "counselor_1": False,
        "trainee_1": False,
    }


# --- what it finds --------------------------------------------------------------------------


def test_it_finds_a_name_across_two_camps(client, cast, camp_2025):
    wang = PersonFactory(name="王强", unit="吴兴区织里镇", position="党委副书记")
    earlier = TraineeFactory(camp=camp_2025, person=wang, group=camp_2025.groups.get(number=3))
    later = TraineeFactory(camp=cast.camp, person=wang, group=cast.group_1)

    response = search(client, cast.orgdept, q="王")

    body = response.content.decode()
    assert rows(response) == 2
    for trainee in (earlier, later):
        # The row links to the profile, which orgdept may open.
        assert reverse("trainee-detail", args=[trainee.pk]) in body
    assert "2025届南太湖新锐特训营" in body
    assert "2026届南太湖新锐特训营" in body
    assert "吴兴区织里镇" in body
    assert "党委副书记" in body
    assert "第3组" in body
    assert "张三" not in body
    assert client.get(reverse("trainee-detail", args=[earlier.pk])).status_code == 200


def test_it_finds_by_unit_and_by_several_terms(client, cast, camp_2025):
    TraineeFactory(camp=camp_2025, person=PersonFactory(name="王强", unit="吴兴区织里镇"))
    TraineeFactory(camp=cast.camp, person=PersonFactory(name="王芳", unit="南浔区练市镇"))

    assert rows(search(client, cast.orgdept, q="织里")) == 1
    assert rows(search(client, cast.orgdept, q="王  南浔")) == 1
    assert rows(search(client, cast.orgdept, q="王")) == 2


def test_the_filters_narrow_the_results(client, cast, camp_2025):
    add_wangs(cast, camp_2025, 8)
    last = TraineeFactory(
        camp=camp_2025, status=TraineeStatus.WITHDRAWN, person=PersonFactory(name="王退出")
    )
    last.withdrawal_kind = "promoted"
    last.withdrawn_on = datetime.date(2025, 9, 1)
    last.save(update_fields=["withdrawal_kind", "withdrawn_on"])

    assert rows(search(client, cast.orgdept, q="王", camp="2025")) == 5
    assert rows(search(client, cast.orgdept, q="王", group="1")) == 4
    assert rows(search(client, cast.orgdept, camp="2026", group="2")) == 2 + 1  # and 李四
    response = search(client, cast.orgdept, q="王", status=TraineeStatus.WITHDRAWN)
    assert rows(response) == 1
    assert "提拔" in response.content.decode()


def test_it_says_when_nothing_matches(client, cast):
    response = search(client, cast.orgdept, q="欧阳")

    assert response.status_code == 200
    assert rows(response) == 0
    assert 'data-testid="search-none"' in response.content.decode()


def test_before_a_search_it_shows_how_to_search_and_no_rows(client, cast):
    for params in ({}, {"page": "2"}, {"q": "   "}):
        response = search(client, cast.orgdept, **params)
        assert response.status_code == 200
        assert rows(response) == 0
        assert 'data-testid="search-empty"' in response.content.decode()


# --- pages ----------------------------------------------------------------------------------


def test_it_pages_twenty_at_a_time_in_name_order(client, cast, camp_2025):
    add_wangs(cast, camp_2025, 45)

    first, second, third = (search(client, cast.orgdept, q="王", page=n) for n in (1, 2, 3))

    assert [rows(first), rows(second), rows(third)] == [20, 20, 5]
    body = second.content.decode()
    assert "王020" in body
    assert "王039" in body
    assert "王019" not in body
    assert "王040" not in body
    assert "共 45 条，第 2 / 3 页" in body
    # The links to other pages keep the search.
    assert "?q=%E7%8E%8B&amp;page=3" in body


@pytest.mark.parametrize(
    ("page", "shown"),
    [("abc", 1), ("0", 1), ("-3", 1), ("99", 3), ("2.5", 1), ("9" * 5000, 1)],
)
def test_a_page_that_does_not_exist_shows_the_nearest_with_a_note(
    client, cast, camp_2025, page, shown
):
    add_wangs(cast, camp_2025, 45)

    response = search(client, cast.orgdept, q="王", page=page)

    assert response.status_code == 200
    body = response.content.decode()
    assert f"第 {shown} / 3 页" in body
    assert 'data-testid="search-page-moved"' in body


# --- input that must not break it -----------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"q": "王" * 51},
        {"q": "a b c d e f"},
        {"q": "王", "status": "promoted"},
        {"q": "王", "camp": "1999"},
        {"q": "王", "group": "7"},
        {"q": "王", "rank": "emperor"},
        {"q": "王\x00"},
    ],
)
def test_bad_input_gets_a_message_not_an_error(client, cast, params):
    response = search(client, cast.orgdept, **params)

    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="search-errors"' in body
    assert rows(response) == 0


def test_a_long_search_says_how_long_it_may_be(client, cast):
    body = search(client, cast.orgdept, q="王" * 51).content.decode()
    assert "搜索词不能超过50个字" in body


def test_odd_characters_are_searched_as_text(client, cast):
    for q in ("%", "_", "'; drop table", "王%", "\\"):
        response = search(client, cast.orgdept, q=q)
        assert response.status_code == 200, q
        assert rows(response) == 0, q


# --- personal data --------------------------------------------------------------------------


def test_phones_are_masked_and_id_numbers_never_shown(client, cast):
    for persona in SEARCHERS:
        body = search(client, getattr(cast, persona), q="张三").content.decode()
        assert "138****1111" in body, persona
        assert "13800001111" not in body, persona
        assert "330502199001011234" not in body, persona
        assert "3305" not in body, persona


def test_orgdept_looks_up_a_whole_phone_number_and_it_is_logged(client, cast):
    for q in ("13800001111", "138 0000 1111", "+86 138-0000-1111"):
        response = search(client, cast.orgdept, q=q)
        assert rows(response) == 1, q
        assert "张三" in results(response)
        assert "138****1111" in results(response)  # still masked

    entries = SensitiveAccessLog.objects.filter(user=cast.orgdept)
    assert entries.count() == 3
    assert all(e.action == SensitiveAccessLog.Action.VIEW for e in entries)
    assert all("138****1111" in e.detail and "13800001111" not in e.detail for e in entries)


def test_a_phone_typed_with_full_width_digits_finds_the_same_number(client, cast):
    response = search(client, cast.orgdept, q="１３８－００００－１１１１")
    assert rows(response) == 1
    assert "张三" in results(response)


def test_part_of_a_phone_number_finds_nobody(client, cast):
    # Matching digit by digit would undo the mask.
    for q in ("1380000", "0001111", "3800001111"):
        assert rows(search(client, cast.orgdept, q=q)) == 0, q


def test_a_leader_cannot_look_up_a_phone_and_is_told_so(client, cast):
    response = search(client, cast.leader, q="13800001111")

    assert rows(response) == 0
    assert "按联系电话查找仅限党校管理员和组织部" in response.content.decode()
    assert not SensitiveAccessLog.objects.exists()


def test_a_name_search_leaves_no_trail(client, cast):
    search(client, cast.orgdept, q="张三")
    assert not SensitiveAccessLog.objects.exists()


# What the test data writes in Chinese; everything else on the page is the page's own words.
DATA = re.compile(
    r'赵组织|钱领导|张三|20\d\d届南太湖新锐特训营|王\d{3}|湖州市第\d+单位|副科长|value="[^"]*"'
)
LANGUAGE_MENU = re.compile(r"<select[^>]*name=\"language\".*?</select>", re.S)
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


@pytest.mark.parametrize(
    "params", [{}, {"q": "王", "page": "9"}, {"q": "欧阳"}, {"q": "王" * 51}, {"q": "13800001111"}]
)
def test_the_page_speaks_english_once_chosen(client, cast, camp_2025, params):
    add_wangs(cast, camp_2025, 25)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    for user in (cast.orgdept, cast.leader):
        body = search(client, user, **params).content.decode()

        assert "Trainee search" in body
        assert CJK.findall(DATA.sub("", LANGUAGE_MENU.sub("", body))) == [], params


# --- queries --------------------------------------------------------------------------------

# The same at any size: session, user; the camps of the filter; the count; the page's trainees
# with person, camp and group; the navigation's current camp; and the session's stamp, written
# on the first request after logging in (savepoint, update, release); and 2 for the menu's
# to-do count on a cold cache (camp/todos.py, kept a minute): the latest published month, the
# undecided shortlist entries by round.
SEARCH_QUERIES = 2 + 4 + 3 + 2


@pytest.mark.parametrize("size", [6, 30])
def test_a_page_of_results_runs_the_same_queries_at_any_size(
    client, cast, camp_2025, django_assert_num_queries, size
):
    add_wangs(cast, camp_2025, size)
    client.force_login(cast.orgdept)

    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.get(reverse(URL), {"q": "王", "page": 2})

    assert response.status_code == 200
    assert rows(response) == (6 if size == 6 else 10)
