"""What an import into a live registry holds while it commits: nothing that other changes wait for long."""

import csv

import pytest
from django.db import IntegrityError, connection

from pilar.registry.importer import import_file, run
from pilar.registry.importer.writer import ImportWriter
from tests.registry.test_exports import HEADER
from tests.registry.test_import import FAMILY

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL defers its key checks")


def test_an_imports_key_checks_run_before_its_audit_entry_locks_the_chain(city, operator, tmp_path, monkeypatch):
    # A key that points nowhere, queued inside the import's transaction: PostgreSQL checks it when the checks run,
    # which must be before the audit entry is written (the audit chain's head stays locked from then until the commit).
    path = tmp_path / "data.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *FAMILY])
    finish = ImportWriter.finish

    def finish_with_a_dangling_key(writer):
        finish(writer)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE registry_householdmember SET person_id = 2147483000 "
                "WHERE id = (SELECT MAX(id) FROM registry_householdmember)"
            )

    audited = []
    monkeypatch.setattr(ImportWriter, "finish", finish_with_a_dangling_key)
    monkeypatch.setattr(run.audit, "record", lambda actor, action, *args, **kwargs: audited.append(action))
    with pytest.raises(IntegrityError):
        import_file(path, user=operator)
    assert "registry.import.completed" not in audited
