"""notify, mark read, and a user's channel settings."""

import pytest
from django.core.exceptions import ValidationError

from camp.notifications.models import Delivery, Kind, Notification, NotificationSettings
from camp.notifications.services import (
    notification_mark_read,
    notification_settings_update,
    notifications_mark_all_read,
    notify,
)


def test_notify_puts_one_copy_in_each_inbox_and_skips_repeats_and_inactive(cast):
    cast.trainee_2.is_active = False
    cast.trainee_2.save()
    made = notify(
        users=[cast.staff, cast.staff, cast.trainee_1, cast.trainee_2],
        kind=Kind.EXPORT_READY,
        title="导出完成",
        url="/x/",
    )
    assert [n.user for n in made] == [cast.staff, cast.trainee_1]
    assert Notification.objects.count() == 2
    assert not Delivery.objects.exists()  # no channel chosen: the inbox alone


def test_notify_refuses_an_unknown_kind(cast):
    with pytest.raises(ValueError, match="unknown"):
        notify(users=[cast.staff], kind="nonsense", title="x")


def test_a_chosen_channel_gets_one_delivery_only_when_configured_and_addressed(cast, settings):
    settings.EMAIL_HOST = ""
    settings.NOTIFY_WEBHOOK_URL = "http://127.0.0.1:9/hook"
    notification_settings_update(
        user=cast.trainee_1,
        by=cast.trainee_1,
        email="t1@example.cn",
        messaging_id="zzd-001",
        channels={Kind.LEAVE_DECIDED: ["email", "webhook"]},
    )
    settings.CELERY_TASK_ALWAYS_EAGER = False  # leave the delivery queued
    [notification] = notify(users=[cast.trainee_1], kind=Kind.LEAVE_DECIDED, title="已批准")
    # E-mail is not configured, so only the webhook delivery is recorded.
    assert list(notification.deliveries.values_list("channel", flat=True)) == ["webhook"]
    # Another kind: no channel chosen.
    [other] = notify(users=[cast.trainee_1], kind=Kind.EXPORT_READY, title="x")
    assert not other.deliveries.exists()


def test_mark_read_and_mark_all_read(cast):
    first, *_ = notify(users=[cast.staff], kind=Kind.EXPORT_READY, title="一")
    notify(users=[cast.staff], kind=Kind.EXPORT_READY, title="二")
    notification_mark_read(notification=first)
    first.refresh_from_db()
    assert first.is_read
    assert Notification.objects.filter(user=cast.staff, read_at__isnull=True).count() == 1
    assert notifications_mark_all_read(user=cast.staff) == 1


def test_settings_refuse_a_channel_without_its_address_and_write_nothing(cast):
    with pytest.raises(ValidationError, match="政务消息账号"):
        notification_settings_update(
            user=cast.trainee_1,
            by=cast.trainee_1,
            email="",
            messaging_id="",
            channels={Kind.LEAVE_DECIDED: ["webhook"]},
        )
    with pytest.raises(ValidationError, match="电子邮件"):
        notification_settings_update(
            user=cast.trainee_1,
            by=cast.trainee_1,
            email="not-an-address",
            messaging_id="",
            channels={},
        )
    assert not NotificationSettings.objects.exists()
    cast.trainee_1.refresh_from_db()
    assert cast.trainee_1.email != "not-an-address"
