"""One module per screen family, each with its own `urlpatterns` (see assessment/urls.py)."""
