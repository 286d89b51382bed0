"""Resident identity card numbers (居民身份证号码, GB 11643): validation and masking."""

from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_id_number(value: str) -> str:
    """Return the compact number, or raise a translated ValidationError naming what is wrong."""
    number = ric.compact("".join((value or "").split()))
    if len(number) != 18:
        raise ValidationError(_("An ID number has 18 characters."), code="id_number_length")
    try:
        ric.validate(number)
    except StdnumError:
        if number[:-1].isdigit() and number[-1] != ric.calc_check_digit(number):
            raise ValidationError(_("The check character of this ID number is wrong."), code="id_number_check")
        raise ValidationError(_("This is not a valid ID number."), code="id_number_invalid")
    return number


def mask_id_number(value: str | None) -> str:
    """440305199001011234 → 4403**********1234: region and last four only, for public pages."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]
