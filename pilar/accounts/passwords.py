"""Password strength: zxcvbn's estimate (django-zxcvbn-password-validator) with the office's own words.

zxcvbn already knows common passwords, names and keyboard patterns; what it cannot know is what people in
this office would reach for: the city and its kecamatan/kelurahan, the office, the application, the user's
own name. Those go in as its dictionary of context words, so "Tangerang1" or "Dinsos2026!" score as weak.
"""

from typing import Any

from django.conf import settings
from django_zxcvbn_password_validator import ZxcvbnPasswordValidator

OFFICE_WORDS = ("pilar", "dinsos", "dinas sosial", "dinassosial", "pemkot", "kota", "psm", "tksk", "ipsm")


_REGION_WORDS: dict[str, tuple[str, ...]] = {}


def _region_words(region_code: str) -> tuple[str, ...]:
    """The names of the configured kota and its regions, split into words (kept once found)."""
    if region_code in _REGION_WORDS:
        return _REGION_WORDS[region_code]
    from pilar.regions.models import Region  # noqa: PLC0415  (validators load before the app registry)

    # The kota itself first: zxcvbn ranks a context word by its position, the first ones cheapest to guess.
    names = Region.objects.filter(code__startswith=region_code).order_by("code").values_list("name", flat=True)
    words: dict[str, None] = {}
    for name in names:
        words[name.lower()] = None
        words.update((part, None) for part in name.lower().replace("-", " ").split() if len(part) > 3)
    if words:  # an install whose regions are not loaded yet asks again next time
        _REGION_WORDS[region_code] = tuple(words)
    return tuple(words)


class PilarZxcvbnValidator(ZxcvbnPasswordValidator):
    def _get_user_inputs(self, user: Any) -> list[str]:
        region = _region_words(settings.PILAR_REGION)
        office = getattr(settings, "PILAR_OFFICE_NAME", "").lower().split()
        return [*region[:3], *OFFICE_WORDS, *office, *super()._get_user_inputs(user), *region[3:]]
