"""Audit trail and personal-data access log. Imports no domain app.

``from pilar import audit; audit.record(actor, "app.thing.verb", obj, changes=...)``.
"""

from importlib import import_module
from typing import Any


def __getattr__(name: str) -> Any:
    # Lazy, so that ``import pilar.audit`` works before the app registry is ready.
    return getattr(import_module("pilar.audit.services"), name)
