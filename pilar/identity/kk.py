"""No. KK (family card number) and bank account numbers.

A KK number is 16 digits, the first six the issuing region. Unlike the NIK it changes when a
family splits or moves, so it is validated for typing mistakes only, never used as a family key.
"""

import re

from django.utils.translation import gettext as _

from pilar.identity.nik import clean_nik, mask_identifier
from pilar.identity.regions_index import kabkota_codes, province_codes

_SIXTEEN_DIGITS = re.compile(r"[0-9]{16}")  # ASCII digits only, as for the NIK


class KkError(ValueError):
    """An invalid KK number; ``message`` is ready to show to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def validate_kk(value: str) -> str:
    """The KK number as 16 digits without separators; raises :class:`KkError` with an Indonesian message."""
    kk = clean_nik(value)  # the same separators as on a NIK
    if not _SIXTEEN_DIGITS.fullmatch(kk):
        raise KkError(_("Nomor KK harus 16 digit angka."))
    if not _region_is_known(kk):
        raise KkError(_("Kode wilayah pada nomor KK (%(code)s) tidak dikenal.") % {"code": kk[:6]})
    # "1111111111111111" has a real region prefix (11.11 is Aceh Utara) but is a placeholder, not a KK.
    if len(set(kk)) == 1:
        raise KkError(_("Nomor KK tidak valid: semua digitnya sama."))
    return kk


def _region_is_known(kk: str) -> bool:
    # KKs are reissued on every change, so unlike a NIK their kab/kota must be a current one.
    return kk[:2] in province_codes() and kk[:4] in kabkota_codes() and kk[4:6] != "00"


def mask_kk(value: str | None) -> str:
    """``"3671********0001"``, the same masking as the NIK."""
    return mask_identifier(value)


def mask_account(number: str | None) -> str:
    """Bank account numbers: only the last four digits stay visible (``"******7890"``)."""
    digits = re.sub(r"[\s.\-]", "", number or "")
    if len(digits) <= 4:
        # A number this short would be shown whole; hide it instead.
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]
