"""Each views module keeps its own `urlpatterns`, so that screen families grow independently."""

from .views import conduct, groups, homes, overview, roster, selection

urlpatterns: list = [
    *overview.urlpatterns,
    *selection.urlpatterns,
    *roster.urlpatterns,
    *groups.urlpatterns,
    *conduct.urlpatterns,
    *homes.urlpatterns,
]
