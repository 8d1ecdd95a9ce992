"""Each views module keeps its own `urlpatterns`, so that screen families grow independently."""

from .views import (
    approval,
    attendance,
    calendar,
    escalations,
    leave_files,
    people,
    plan,
    practice,
    roll_call,
    sessions,
    trainee,
)

urlpatterns: list = [
    *calendar.urlpatterns,
    *sessions.urlpatterns,
    *roll_call.urlpatterns,
    *attendance.urlpatterns,
    *approval.urlpatterns,
    *escalations.urlpatterns,
    *leave_files.urlpatterns,
    *plan.urlpatterns,
    *people.urlpatterns,
    *practice.urlpatterns,
    *trainee.urlpatterns,
]
