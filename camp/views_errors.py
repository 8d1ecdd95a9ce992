"""Error pages that Django's default handlers cannot give in the site's own terms.

The 403 and 404 pages need no view of their own: Django's default handlers render
templates/403.html and 404.html with the request, so in the layout with the user's menu. Its 500
handler renders templates/500.html with no context at all, so that it still shows when the
database is what failed. Two need a view here:
- a 400 can be raised before the session and the user are known (a foreign Host header), where
  the layout's menu would fail in turn: it gets the self-contained page, as the 500 does;
- Django's CSRF refusal renders its template without the request, so not in the layout.
"""

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string


def bad_request(request, exception=None):
    return HttpResponseBadRequest(render_to_string("400.html"))


def csrf_failure(request, reason=""):
    # The reason is for the log (the CSRF middleware records it), not for the user.
    return render(request, "403_csrf.html", status=403)
