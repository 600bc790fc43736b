"""No. KK (family card number): 16 digits, the first six the issuing region."""

import re

from django.utils.translation import gettext as _

from pilar.identity.regions_index import kabkota_codes, province_codes


class KkError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def validate_kk(value: str) -> str:
    kk = re.sub(r"[\s.\-]", "", str(value or ""))
    if not re.fullmatch(r"\d{16}", kk):
        raise KkError(_("Nomor KK harus 16 digit angka."))
    if len(set(kk)) == 1:
        raise KkError(_("Nomor KK tidak valid."))
    if kk[:2] not in province_codes() or kk[:4] not in kabkota_codes() or kk[4:6] == "00":
        raise KkError(_("Kode wilayah pada nomor KK (%(code)s) tidak dikenal.") % {"code": kk[:6]})
    return kk


def mask_kk(value: str | None) -> str:
    if not value:
        return ""
    return value[:4] + "*" * 8 + value[-4:]


def mask_account(number: str | None) -> str:
    """Bank account numbers: only the last four digits stay visible."""
    if not number:
        return ""
    return "*" * max(len(number) - 4, 0) + number[-4:]
