"""Each views module keeps its own `urlpatterns`, so that screen families grow independently."""

from .views import attendance, calendar, people, plan, practice, roll_call, sessions, trainee

urlpatterns: list = [
    *calendar.urlpatterns,
    *sessions.urlpatterns,
    *roll_call.urlpatterns,
    *attendance.urlpatterns,
    *plan.urlpatterns,
    *people.urlpatterns,
    *practice.urlpatterns,
    *trainee.urlpatterns,
]
