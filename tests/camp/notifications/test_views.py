"""The 通知 inbox, the header's unread count, and the settings on the account page."""

import re

from django.urls import reverse

from camp.notifications.models import Kind, Notification, NotificationSettings
from camp.notifications.services import notify


def _badge(html: str) -> str:
    return re.search(r"data-menu-notifications.*?data-unread-count>(\d+)<", html, re.S).group(1)


def test_the_header_links_to_the_inbox_and_counts_unread(client, cast):
    notify(users=[cast.trainee_1], kind=Kind.EXPORT_READY, title="导出完成", url="/")
    notify(users=[cast.trainee_1], kind=Kind.EXPORT_READY, title="又一个")
    client.force_login(cast.trainee_1)
    html = client.get(reverse("notifications")).content.decode()
    assert reverse("notifications") in html
    assert _badge(html) == "2"
    assert "导出完成" in html
    assert "又一个" in html


def test_opening_an_item_marks_it_read_and_goes_where_the_work_is(client, cast):
    [item] = notify(users=[cast.trainee_1], kind=Kind.EXPORT_READY, title="x", url="/camps/")
    client.force_login(cast.trainee_1)
    response = client.post(reverse("notification-open", args=[item.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/camps/"
    item.refresh_from_db()
    assert item.is_read
    assert _badge(client.get(reverse("notifications")).content.decode()) == "0"


def test_another_users_notification_is_404(client, cast):
    [item] = notify(users=[cast.trainee_1], kind=Kind.EXPORT_READY, title="x")
    client.force_login(cast.trainee_2)
    assert client.post(reverse("notification-open", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert not item.is_read


def test_mark_all_read(client, cast):
    notify(users=[cast.staff], kind=Kind.EXPORT_READY, title="x")
    client.force_login(cast.staff)
    client.post(reverse("notifications-read-all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_inbox_pages_in_a_fixed_number_of_queries(client, cast, django_assert_num_queries):
    for n in range(25):
        notify(users=[cast.staff], kind=Kind.EXPORT_READY, title=f"第{n}条")
    client.force_login(cast.staff)
    client.get(reverse("notifications"))  # warms the header's cached counts
    # session, user, count (pager), the header's current camp, the page's items; the unread
    # count comes from the cache
    with django_assert_num_queries(5):
        html = client.get(reverse("notifications") + "?page=2").content.decode()
    assert "第4条" in html
    assert "第5条" not in html


def test_a_user_and_staff_edit_the_addresses_and_choices(client, cast):
    client.force_login(cast.trainee_1)
    response = client.post(
        reverse("notification-settings"),
        {"email": "t1@example.cn", "messaging_id": "zzd-1", f"{Kind.LEAVE_DECIDED}:email": "1"},
    )
    assert response.status_code == 302
    settings = NotificationSettings.objects.get(user=cast.trainee_1)
    assert settings.channels == {Kind.LEAVE_DECIDED: ["email"]}
    client.force_login(cast.staff)
    url = reverse("notification-settings-for", args=[cast.trainee_1.pk])
    client.post(url, {"email": "new@example.cn", "messaging_id": "zzd-2"})
    cast.trainee_1.refresh_from_db()
    assert cast.trainee_1.email == "new@example.cn"
    assert NotificationSettings.objects.get(user=cast.trainee_1).channels == {}


def test_a_trainee_cannot_edit_another_users_settings(client, cast):
    client.force_login(cast.trainee_2)
    url = reverse("notification-settings-for", args=[cast.trainee_1.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"email": "x@example.cn"}).status_code == 403


def test_bad_input_shows_a_chinese_message_and_writes_nothing(client, cast):
    client.force_login(cast.trainee_1)
    response = client.post(
        reverse("notification-settings"),
        {"email": "", "messaging_id": "", f"{Kind.LEAVE_DECIDED}:webhook": "1"},
    )
    assert "请填写政务消息账号" in response.content.decode()
    assert (
        not NotificationSettings.objects.filter(user=cast.trainee_1, channels__isnull=False)
        .exclude(channels={})
        .exists()
    )
