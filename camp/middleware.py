from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
