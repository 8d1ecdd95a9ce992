"""Each views module keeps its own `urlpatterns`, so that screen families grow independently."""

from .views import conduct, groups, homes, overview, roster, search, selection

urlpatterns: list = [
    *overview.urlpatterns,
    *selection.urlpatterns,
    *roster.urlpatterns,
    *search.urlpatterns,
    *groups.urlpatterns,
    *conduct.urlpatterns,
    *homes.urlpatterns,
]
