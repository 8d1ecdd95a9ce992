"""Leader comments (点评评议): a leader's or the organization department's comment on the camp,
a group or a trainee, e.g. after a progress report (听汇报作点评).

Staff see every comment; a trainee sees comments on themselves and on the camp.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from camp.models import Camp
from trainees.models import StudyGroup, Trainee


class CommentTarget(models.TextChoices):
    CAMP = "camp", _("全班")
    GROUP = "group", _("小组")
    TRAINEE = "trainee", _("学员")


class LeaderComment(models.Model):
    camp = models.ForeignKey(
        Camp, on_delete=models.CASCADE, related_name="leader_comments", verbose_name=_("届次")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("点评人"),
    )
    date = models.DateField(_("日期"))
    occasion = models.CharField(_("场合"), max_length=100, help_text=_("例如：学员成长汇报会"))
    text = models.TextField(_("点评内容"), max_length=5000)
    target = models.CharField(_("点评对象"), max_length=10, choices=CommentTarget.choices)
    group = models.ForeignKey(
        StudyGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="leader_comments",
        verbose_name=_("小组"),
    )
    trainee = models.ForeignKey(
        Trainee,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="leader_comments",
        verbose_name=_("学员"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("领导点评")
        verbose_name_plural = _("领导点评")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(target="camp", group__isnull=True, trainee__isnull=True)
                    | models.Q(target="group", group__isnull=False, trainee__isnull=True)
                    | models.Q(target="trainee", group__isnull=True, trainee__isnull=False)
                ),
                name="comment_target_consistent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.author} {self.date:%Y-%m-%d} {self.occasion}"
