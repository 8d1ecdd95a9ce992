"""The end of the year (结业): `GraduationPolicy` (the outstanding-trainee quota and certificate
prefix of a camp) and `Graduation` (who graduates, the appraisal, the award, the certificate).
Staff write it, counselors and the trainee read it: the assessment's conclusion, not the
organization department's (which reads it)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from camp.models import Camp
from trainees.models import Trainee


class GraduationPolicy(models.Model):
    """A camp's graduation settings. 15% outstanding trainees is the usual share for a class
    of 150 (22 awards); staff change it per camp."""

    camp = models.OneToOneField(
        Camp, on_delete=models.CASCADE, related_name="graduation_policy", verbose_name=_("届次")
    )
    outstanding_share = models.DecimalField(
        _("优秀学员比例（%）"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("15.0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    certificate_prefix = models.CharField(_("结业证书编号前缀"), max_length=10, default="NTH")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("结业设置")
        verbose_name_plural = _("结业设置")

    def __str__(self) -> str:
        return str(self.camp)


class Graduation(models.Model):
    """结业: whether a trainee graduates (with the reason when not), the appraisal (结业鉴定),
    the outstanding-trainee award (优秀学员) and the certificate number. Drafts until
    `finalized_at` is set; numbers are given once and never change."""

    trainee = models.OneToOneField(
        Trainee, on_delete=models.CASCADE, related_name="graduation", verbose_name=_("学员")
    )
    graduates = models.BooleanField(_("准予结业"), default=True)
    decline_reason = models.CharField(_("不予结业原因"), max_length=300, blank=True)
    appraisal = models.TextField(_("结业鉴定"), max_length=5000, blank=True)
    outstanding = models.BooleanField(_("优秀学员"), default=False)
    certificate_number = models.CharField(
        _("结业证书编号"), max_length=20, unique=True, null=True, blank=True
    )
    finalized_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("填写人"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("结业鉴定")
        verbose_name_plural = _("结业鉴定")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(graduates=True) | models.Q(outstanding=False),
                name="outstanding_only_if_graduates",
            ),
        ]

    def __str__(self) -> str:
        return str(self.trainee)


class StatementKind(models.TextChoices):
    """The texts of the appraisal form (学员鉴定表) written by others than staff. The school's
    own opinion (党校鉴定意见) is `Graduation.appraisal`, which staff write."""

    SELF_SUMMARY = "self_summary", _("个人总结")
    GROUP_OPINION = "group_opinion", _("小组鉴定意见")


class AppraisalStatement(models.Model):
    """One text of a trainee's appraisal form: their own summary (个人总结), or their group's
    opinion (小组鉴定意见) written by the counselor. Apart from `Graduation` because the trainee
    and the counselor write them before staff have written anything. `version` counts the
    writes, so that a writer who did not see the latest text is refused, not overwritten."""

    trainee = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="appraisal_statements"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=StatementKind.choices)
    text = models.TextField(_("内容"), max_length=3000)
    version = models.PositiveIntegerField(_("版本"), default=1)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("填写人"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("鉴定表文字")
        verbose_name_plural = _("鉴定表文字")
        constraints = [
            models.UniqueConstraint(fields=["trainee", "kind"], name="one_statement_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} {self.get_kind_display()}"
