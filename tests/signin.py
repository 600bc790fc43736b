"""Signing the test personas in past the second factor, as a person with the authenticator app would.

Staff roles (admin, operator, keuangan, pimpinan) must use a TOTP authenticator. The personas are enrolled
with ``TOTP_SECRET`` when they first sign in through these helpers, and the codes are computed from it:
``client.force_login`` (the ``client`` fixture is a ``PilarClient``) completes the second factor the way the
code page does, and ``tests.browser.fixtures.login`` types the code on the real page.
"""

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP

from pilar.accounts import mfa
from pilar.accounts.services import mfa_enrol_with_secret
from pilar.core.middleware import SessionRefreshMiddleware

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def enrol(user) -> list[str]:
    """Enrol ``user`` with ``TOTP_SECRET`` (if not yet); returns new recovery codes, or [] when enrolled."""
    if mfa.is_enrolled(user):
        return []
    return mfa_enrol_with_secret(user=user, secret=TOTP_SECRET, actor=None)


def totp_code(user) -> str:
    """A code the user's authenticator would show now and that the server has not accepted yet.

    A TOTP code is good once: a second sign-in in the same 30 seconds takes the next step's code (the server
    accepts one step ahead), and a third waits for the clock."""
    device = mfa.totp_device(user)
    assert device is not None, f"{user} has no authenticator"
    device.refresh_from_db()
    while True:
        now_step = int(time.time() - device.t0) // device.step
        step = max(now_step, device.last_t + 1)
        if step <= now_step + device.tolerance:
            break
        time.sleep(1)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = device.t0 + step * device.step
    return f"{totp.token():0{device.digits}d}"


def needs_second_factor(user) -> bool:
    return mfa.is_enrolled(user) or mfa.mfa_required(user)


class PilarClient(Client):
    """Django's test client whose ``force_login`` also passes the second factor for users who need one."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        session = self.session
        # As the sign-in page's answer leaves it (pilar.core.middleware.SessionRefreshMiddleware): just written.
        session[SessionRefreshMiddleware.KEY] = int(time.time())
        if needs_second_factor(user):
            enrol(user)
            session[DEVICE_ID_SESSION_KEY] = mfa.totp_device(user).persistent_id
        session.save()
