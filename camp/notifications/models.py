"""The inbox copy of each message, its deliveries over other channels, the daily reminders'
keys, and each user's messaging id and channel choices."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a message is about; a user chooses channels per kind."""

    LEAVE_TO_APPROVE = "leave_to_approve", _("待审批的请假")
    LEAVE_DECIDED = "leave_decided", _("请假审批结果")
    LEAVE_TO_CLOSE = "leave_to_close", _("待销假的请假")
    SUMMARY_PUBLISHED = "summary_published", _("月度汇总发布")
    EXPORT_READY = "export_ready", _("导出文件已生成")
    ESCALATION = "escalation", _("考勤预警")
    TRAINING_DAY_TOMORROW = "training_day_tomorrow", _("明日培训提醒")
    REVIEW_DUE = "review_due", _("周评待写提醒")
    ROLL_CALL_OPEN = "roll_call_open", _("点名未关闭提醒")
    LEAVE_WAITING = "leave_waiting", _("请假待审批提醒")


class Channel(models.TextChoices):
    """Channels besides the inbox, which always keeps its copy."""

    EMAIL = "email", _("电子邮件")
    WEBHOOK = "webhook", _("政务消息（浙政钉等）")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("接收人"),
    )
    kind = models.CharField(_("类型"), max_length=40, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    # Where the work is done: a path inside the site.
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已送达")
    FAILED = "failed", _("发送失败")


def new_delivery_key() -> str:
    return uuid.uuid4().hex


class Delivery(models.Model):
    """One notification over one channel. Its key travels with every attempt (the e-mail's
    Message-ID, the webhook's Idempotency-Key), so a receiver drops a resend after an attempt
    whose outcome we never learnt."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    key = models.CharField(max_length=64, unique=True, default=new_delivery_key, editable=False)
    state = models.CharField(
        _("状态"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知投递")
        verbose_name_plural = _("通知投递")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="delivery_once_per_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.channel} {self.state}"


class Reminder(models.Model):
    """A daily reminder already made: a second run for the same day makes none."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    date = models.DateField()
    notification = models.ForeignKey(
        Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("每日提醒")
        verbose_name_plural = _("每日提醒")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "date"], name="reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.date}"


class NotificationSettings(models.Model):
    """A user's messaging id (the e-mail address is the user's own) and, per kind, the
    channels besides the inbox. A kind missing from `channels` uses no other channel."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    messaging_id = models.CharField(
        _("政务消息账号"),
        max_length=100,
        blank=True,
        help_text=_("如浙政钉账号，由消息网关识别"),
    )
    channels = models.JSONField(_("各类通知的渠道"), default=dict, blank=True)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self) -> str:
        return str(self.user)

    def channels_for(self, kind: str) -> list[str]:
        chosen = self.channels.get(kind) or []
        return [c for c in chosen if c in Channel.values]
