"""Error pages speak the user's language, say what happened and lead back to their home page."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from curriculum.services.talks import talk_record

HOME = f'href="{reverse("home")}"'
DEBUG_PAGE_MARKS = ("Using the URLconf", "Traceback", "DEBUG = True", "Django")


def _assert_plain_error_page(response, status: int, *phrases: str) -> str:
    assert response.status_code == status
    text = response.content.decode()
    for phrase in phrases:
        assert phrase in text
    assert HOME in text
    assert 'data-testid="error-home"' in text
    for mark in DEBUG_PAGE_MARKS:
        assert mark not in text
    return text


@pytest.mark.django_db
def test_an_unknown_address_gets_the_chinese_404_page(client):
    response = client.get("/no-such-page/")
    _assert_plain_error_page(response, 404, "页面不存在", "请检查网址", "返回我的首页")


@pytest.mark.django_db
def test_the_404_page_is_in_english_when_the_user_chose_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/no-such-page/")
    text = _assert_plain_error_page(response, 404, "Page not found", "Back to my home page")
    assert "页面不存在" not in text


def test_a_counselor_opening_another_groups_talk_gets_the_404_page_in_the_layout(
    client, cast, monkeypatch
):
    monkeypatch.setattr(
        timezone, "now", lambda: timezone.make_aware(datetime.datetime(2026, 3, 10))
    )
    talk = talk_record(
        trainee=cast.trainee_in_group_1,
        by=cast.counselor_1,
        held_on=datetime.date(2026, 3, 5),
        topics="工作压力",
        summary="机密内容",
    )
    client.force_login(cast.counselor_2)
    response = client.get(reverse("curriculum-talk", args=[talk.pk]))
    text = _assert_plain_error_page(response, 404, "页面不存在")
    assert "退出登录" in text  # the site's header, with the user's own menu


def test_a_trainee_opening_the_ranking_gets_the_chinese_403_page(client, cast):
    client.force_login(cast.trainee_1)
    response = client.get(reverse("assessment-ranking", args=[cast.camp.code]))
    text = _assert_plain_error_page(response, 403, "没有访问权限", "请联系党校管理员")
    assert "退出登录" in text
    assert "403 Forbidden" not in text


def test_the_403_page_says_why_when_the_refusal_gives_a_reason(client, cast, rf):
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = rf.get("/")
    request.user = cast.trainee_1
    response = permission_denied(request, PermissionDenied("只有学员本人可以填写。"))
    assert "只有学员本人可以填写。" in response.content.decode()


@pytest.mark.django_db
def test_a_malformed_request_gets_the_chinese_400_page(client):
    # A Host header the site does not serve is Django's SuspiciousOperation: a 400.
    response = client.get("/", HTTP_HOST="attacker.example")
    _assert_plain_error_page(response, 400, "请求无法处理", "请联系党校管理员")


@pytest.mark.django_db
def test_a_form_with_a_stale_csrf_token_gets_the_chinese_expired_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "t001", "password": "x"})
    text = _assert_plain_error_page(response, 403, "页面已过期", "刷新后重新填写并提交")
    assert "CSRF" not in text
    # Django records the reason in the log; the user gets no technical details.
    assert "Referer" not in text


@pytest.mark.django_db
def test_a_server_error_gets_the_chinese_500_page(settings):
    settings.ROOT_URLCONF = "tests.camp.urls_failing"
    client = Client(raise_request_exception=False)
    response = client.get("/failing/")
    _assert_plain_error_page(response, 500, "系统出错了", "请稍后再试")


@pytest.mark.django_db
def test_the_500_page_needs_neither_the_database_nor_the_request(settings, rf):
    """The layout's menu reads the database; the database may be what failed."""
    from django.urls import get_resolver

    handler = get_resolver().resolve_error_handler(500)

    def refuse(*args, **kwargs):
        raise AssertionError("the 500 page touched the database")

    with connection.execute_wrapper(refuse):
        response = handler(rf.get("/"))
    _assert_plain_error_page(response, 500, "系统出错了")
