"""The annual report to the 市委 as a print-ready page (A4), beside its Word document (the
`annual-report` kind, downloaded through camp's export route)."""

from django.shortcuts import render
from django.urls import path, reverse

from camp.access import allowed, get_camp_for

from ..access import can_read_annual_report
from ..annual_report import annual_report


@allowed(can_read_annual_report)
def annual_report_page(request, code):
    camp = get_camp_for(request.user, code)
    return render(
        request,
        "oversight/annual_report.html",
        {
            "camp": camp,
            "report": annual_report(camp),
            "docx_url": reverse("export-download", args=[camp.code, "annual-report"]),
        },
    )


urlpatterns = [
    path("camps/<str:code>/annual-report/", annual_report_page, name="annual-report"),
]
