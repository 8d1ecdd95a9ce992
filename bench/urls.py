"""The app's URLs plus the page floors (bench/pages.py), for the in-process page measurements
only; gunicorn under load serves the app's own URLconf."""

from camp.urls import urlpatterns as app_urlpatterns

from .pages import floor_urlpatterns

urlpatterns = [*floor_urlpatterns, *app_urlpatterns]
