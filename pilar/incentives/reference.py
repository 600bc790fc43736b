"""The incentive schedule the office started with, for the data migration's twin in tests and set-ups.

The data migration ``0002_rates`` writes the same rows. A test database emptied by ``flush`` (the
browser and other transactional tests) loses them; :func:`ensure_default_rates` puts them back.
"""

from datetime import date
from decimal import Decimal

DEFAULT_RATES = [
    (date(2017, 1, 1), Decimal(350000), "Perwal Kota Tangerang 48/2017"),
    (date(2020, 1, 1), Decimal(500000), ""),
]


def ensure_default_rates(model=None) -> int:
    """Create the missing default rates (``model``: a migration's historical model); returns how many."""
    if model is None:
        from pilar.incentives.models import IncentiveRate as model
    created = 0
    for effective_from, amount, basis in DEFAULT_RATES:
        created += model.objects.get_or_create(
            effective_from=effective_from, defaults={"amount": amount, "legal_basis": basis}
        )[1]
    return created
