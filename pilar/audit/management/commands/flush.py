"""Django's ``flush`` (empty every table), which must lift the audit tables' append-only triggers to do so."""

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from pilar.audit import guards


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        with guards.lifted(connection):
            return super().handle(**options)
