"""Indonesian phone numbers normalised to +62."""

import re

from django.utils.translation import gettext as _


class PhoneError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def normalize_phone(value: str) -> str:
    raw = (value or "").strip()
    if not raw:
        return ""
    if re.search(r"[^\d\s()+.\-]", raw):
        raise PhoneError(_("Nomor telepon tidak valid. Contoh: 0812-3456-7890."))
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        national = digits
    if not (8 <= len(national) <= 12) or national.startswith("0"):
        raise PhoneError(_("Nomor telepon tidak valid. Contoh: 0812-3456-7890."))
    return "+62" + national
