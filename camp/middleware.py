import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from .todos import todos_touched


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user chose otherwise with the language switch.

    The party school works in Chinese, but many of its machines run browsers set to English;
    Django's own middleware would follow the browser's Accept-Language and greet them in English.
    Only the language cookie that the switch sets may change the language."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SlidingSessionMiddleware:
    """The idle timeout: each request moves the session's expiry on, but writes it at most
    once every SESSION_REFRESH_SECONDS.

    Django's SESSION_SAVE_EVERY_REQUEST writes the session row, and commits, on every request;
    a counselor paging through a group is then mostly session writes, and parallel requests of
    one user queue on that row's lock. A user who is active keeps at least SESSION_COOKIE_AGE
    minus the refresh interval before they are logged out."""

    STAMP = "_refreshed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty() or session.modified:
            return response
        if SESSION_KEY not in session:
            # Anonymous, or a stale cookie whose session is gone: nothing to keep alive, and
            # stamping it would create a session row for nobody.
            return response
        now = int(time.time())
        if now - session.get(self.STAMP, 0) >= settings.SESSION_REFRESH_SECONDS:
            session[self.STAMP] = now  # marks it modified: SessionMiddleware saves it
        return response


class NoStoreMiddleware:
    """Nothing a signed-in user sees, and no download, may be kept by a browser or proxy cache.

    Nearly every page behind the login shows scores or personal data, and a shared office
    machine's cache would hand them to the next user; marking each page by hand would miss
    one. Downloads are marked too, signed in or not: the calendar feed carries its own token."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or response.has_header("Content-Disposition"):
            add_never_cache_headers(response)
        return response


class TodoCountMiddleware:
    """A write drops the writer's kept to-do count (camp/todos.py): the work they have just done
    leaves the menu's badge on their next page, without the badge being computed afresh on
    every page. A POST that failed (4xx, 5xx) changed nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            request.method == "POST"
            and response.status_code < 400
            and user is not None
            and user.is_authenticated
        ):
            todos_touched(user)
        return response
