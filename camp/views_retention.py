"""The retention page (数据保留): the real runs of the retention job, each edition's expiry
dates, and a dry run as of a chosen day (nothing written, nothing logged)."""

from __future__ import annotations

import datetime

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import retention
from .access import allowed, can_read_retention
from .models import Camp, RetentionRun
from .services.retention import retention_apply

RUNS_SHOWN = 50


@allowed(can_read_retention)
def retention_page(request):
    today = timezone.localdate()
    as_of, error = today, ""
    if request.GET.get("as_of"):
        try:
            as_of = datetime.date.fromisoformat(request.GET["as_of"])
        except ValueError:
            error = _("日期格式应为 年-月-日，例如 2031-01-01。")
        else:
            if as_of < today:
                as_of, error = today, _("只能预览今天或以后的执行结果。")
    camps = list(Camp.objects.order_by("year", "start_month"))
    preview = retention_apply(today=as_of, process=RetentionRun.Process.BEAT, dry_run=True)
    context = {
        "as_of": as_of,
        "error": error,
        "preview": list(preview.categories.values()),
        "expiries": retention.upcoming_expiries(camps),
        "longest_years": retention.longest_retention_years(camps),
        "runs": RetentionRun.objects.select_related("by")[:RUNS_SHOWN],
    }
    return render(request, "camp/retention.html", context)
