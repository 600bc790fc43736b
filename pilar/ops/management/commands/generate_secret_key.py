"""``pilar generate-secret-key``: a SECRET_KEY of URL-safe characters only (nothing any file format mangles)."""

import secrets
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Cetak SECRET_KEY acak (huruf, angka, - dan _) untuk /etc/pilar.env."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(secrets.token_urlsafe(50))
