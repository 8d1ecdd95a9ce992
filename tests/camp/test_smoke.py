import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_the_login_page_speaks_chinese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_header_names_who_is_logged_in(client, cast):
    client.force_login(cast.staff)
    response = client.get(reverse("camp-list"))
    body = response.content.decode()
    assert "王管理 · 党校管理员" in body
