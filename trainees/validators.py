"""Checks on personal data that more than one entry path (import, hand entry) needs."""

from __future__ import annotations

import datetime
import re
import unicodedata

from django.utils.translation import gettext as _

from .models import Gender

# GB 11643-1999: weights of the first 17 digits, and the check character for the sum mod 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"

# A recruitment year outside these is a typo, whichever way the candidate was entered.
RECRUITMENT_YEARS = range(1950, 2101)


def recruitment_year_problem(year) -> str | None:
    if year is None or year in RECRUITMENT_YEARS:
        return None
    return _("“%(text)s”不是有效年份，请填写四位年份，如 2024。") % {"text": year}


def id_number_check_char(first_17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first_17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


ID_NUMBER_SHAPE = re.compile(r"[0-9]{17}[0-9X]")


def normalize_number_text(value: str | None) -> str:
    """An ID number, phone or number as typed, in one form: full-width digits, letters and
    separators (３３０５…０７１Ｘ, －) become their ASCII forms (NFKC). `isdigit()` and `int()`
    accept any Unicode digit, so without this one person could be entered twice."""
    return unicodedata.normalize("NFKC", value or "").strip()


def normalize_id_number(value: str | None) -> str:
    return normalize_number_text(value).upper()


def normalize_phone(value: str | None) -> str:
    return normalize_number_text(value)


def id_number_problem(
    id_number: str, *, birth_date: datetime.date | None, gender: str | None
) -> str | None:
    """What is wrong with an 18-character citizen ID number, or None when it is sound and agrees
    with the birth date and gender given beside it."""
    # ASCII digits only: other scripts' digits (٣, ३) survive NFKC and would pass isdigit().
    if not ID_NUMBER_SHAPE.fullmatch(id_number):
        return _("身份证号应为18位（前17位数字，末位为数字或X），请核对。")
    if id_number_check_char(id_number[:17]) != id_number[17]:
        return _("身份证号校验位不正确，请核对是否录错。")
    try:
        encoded_birth = datetime.date(
            int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14])
        )
    except ValueError:
        return _("身份证号中的出生日期无效，请核对。")
    if birth_date is not None and encoded_birth != birth_date:
        return _("身份证号中的出生日期（%(id_date)s）与出生日期（%(date)s）不一致。") % {
            "id_date": encoded_birth.isoformat(),
            "date": birth_date.isoformat(),
        }
    # The 17th digit is odd for men and even for women.
    encoded_gender = Gender.MALE if int(id_number[16]) % 2 else Gender.FEMALE
    if gender and encoded_gender != gender:
        return _("身份证号显示性别为%(id_gender)s，与性别列不一致。") % {
            "id_gender": Gender(encoded_gender).label
        }
    return None
