"""A password rule Django's own validators miss: the user's own name inside the password.

UserAttributeSimilarityValidator measures how alike the whole password and the name are, so
`t015t015t015` or `Huzhou-t018` pass: the name is a small part of a long password, yet it is
the first thing anyone who knows the login would try."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Shorter values would refuse too much by chance (a 2-letter user name inside a random word);
# a Chinese name of two characters is already specific.
MIN_ASCII_LENGTH = 3
MIN_OTHER_LENGTH = 2


def _folded(value: str) -> str:
    # Full-width letters and digits are the same keys to a guesser.
    return unicodedata.normalize("NFKC", value).casefold()


def _long_enough(value: str) -> bool:
    return len(value) >= (MIN_ASCII_LENGTH if value.isascii() else MIN_OTHER_LENGTH)


class NameInPasswordValidator:
    """Refuses a password that contains the user name or the user's full name, in any case and
    in full-width or half-width characters."""

    def __init__(self, user_attributes=("username", "full_name")):
        self.user_attributes = user_attributes

    def validate(self, password, user=None):
        if user is None:
            return
        folded = _folded(password)
        for attribute in self.user_attributes:
            value = _folded(str(getattr(user, attribute, "") or "")).strip()
            if _long_enough(value) and value in folded:
                raise ValidationError(
                    _("密码不能包含您的用户名或姓名，请换一个与账号无关的密码。"),
                    code="password_contains_name",
                )

    def get_help_text(self):
        return _("密码不能包含您的用户名或姓名。")
