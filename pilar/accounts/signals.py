"""Sign-in events that Django does not send itself (audited by ``pilar.audit``'s receivers)."""

from django.dispatch import Signal

# A right password with a missing or wrong second-factor code: ``request``, ``user``.
otp_failed = Signal()
