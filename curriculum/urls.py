"""Each views module keeps its own `urlpatterns`, so that screen families grow independently."""

from .views import (
    attendance,
    calendar,
    escalations,
    leave_files,
    people,
    plan,
    practice,
    sessions,
    trainee,
)

urlpatterns: list = [
    *calendar.urlpatterns,
    *sessions.urlpatterns,
    *attendance.urlpatterns,
    *escalations.urlpatterns,
    *leave_files.urlpatterns,
    *plan.urlpatterns,
    *people.urlpatterns,
    *practice.urlpatterns,
    *trainee.urlpatterns,
]
