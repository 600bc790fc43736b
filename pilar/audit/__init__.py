"""Audit trail and personal-data access log. Imports no domain app.

``from pilar import audit; audit.record(actor, "app.thing.verb", obj, changes=...)``.
"""


def __getattr__(name):
    # Lazy, so that ``import pilar.audit`` works before the app registry is ready.
    from pilar.audit import services

    return getattr(services, name)
