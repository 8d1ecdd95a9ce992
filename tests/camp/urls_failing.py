"""The site's urls plus one page that fails, to see the 500 page a server error gets."""

from django.urls import path

from camp.urls import handler400  # noqa: F401
from camp.urls import urlpatterns as site_patterns


def failing_view(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("failing/", failing_view, name="failing"), *site_patterns]
