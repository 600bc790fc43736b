"""Indonesian phone numbers, stored as ``+62…`` so that one number is written one way."""

import re
import unicodedata

from django.utils.translation import gettext as _

# What people type around the digits: "0812-3456-7890", "(021) 5512345", "(+62) 812.3456.7890".
# A "+" may only open the number.
_ALLOWED = re.compile(r"\(?\+?[0-9\s().\-]+")
_NATIONAL_DIGITS = (8, 12)  # after +62, e.g. 21 5512345 (landline) up to 812 3456 78901 (mobile)
_MOBILE_MIN_DIGITS = 9  # mobile numbers are 10–13 digits with the leading 0


class PhoneError(ValueError):
    """An invalid phone number; ``message`` is ready to show to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def normalize_phone(value: str) -> str:
    """``"0812-3456-7890"`` → ``"+6281234567890"``; ``""`` stays ``""`` (the field is optional)."""
    # NFKC turns full-width digits from some phone keyboards into ASCII ones.
    raw = unicodedata.normalize("NFKC", value or "").strip()
    if not raw:
        return ""
    if not _ALLOWED.fullmatch(raw):
        raise _invalid()
    national = _national_part(raw)
    if not _is_valid_national(national):
        raise _invalid()
    return "+62" + national


def _national_part(raw: str) -> str:
    digits = re.sub(r"[^0-9]", "", raw)
    if "+" in raw:
        # An explicit country code must be Indonesia's.
        if not digits.startswith("62"):
            raise _invalid()
        return digits[2:]
    if digits.startswith("62"):
        return digits[2:]
    if digits.startswith("0"):
        return digits[1:]
    # Without 0 or 62 only a mobile number ("812…") is unambiguous; "55123456" could be a local
    # landline number missing its area code, and guessing would store a wrong number.
    if digits.startswith("8"):
        return digits
    raise _invalid()


def _is_valid_national(national: str) -> bool:
    low, high = _NATIONAL_DIGITS
    if not low <= len(national) <= high or national.startswith("0"):
        return False
    return not national.startswith("8") or len(national) >= _MOBILE_MIN_DIGITS


def _invalid() -> PhoneError:
    return PhoneError(_("Nomor telepon tidak valid. Contoh: 0812-3456-7890."))
