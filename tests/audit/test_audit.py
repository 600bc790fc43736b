from datetime import date

import pytest
from django.db import transaction

from pilar import audit
from pilar.audit.models import AuditEntry
from pilar.workers import services
from pilar.workers.models import Worker
from tests.factories import WorkerFactory


def test_record_outside_a_transaction_is_refused(transactional_db, city):
    worker = WorkerFactory()
    with pytest.raises(RuntimeError):
        audit.record(None, "workers.worker.touched", worker)


def test_a_failed_change_leaves_no_audit_entry(operator, city):
    worker = WorkerFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.worker_update(worker=worker, actor=operator, data={"phone": "+6281200001111"})
        raise RuntimeError("listrik padam")  # the change and its entry go together
    assert not AuditEntry.objects.exists()
    worker.person.refresh_from_db()
    assert worker.person.phone == ""


def test_nik_and_account_numbers_never_appear_whole_in_the_trail(operator, city):
    worker = WorkerFactory()
    nik, account = worker.person.nik, worker.account_number
    services.worker_update(worker=worker, actor=operator, data={"account_number": "123456789012"})
    services.worker_set_status(worker=worker, actor=operator, status="nonaktif", on=date(2024, 1, 1), reason="Sakit")
    dump = str(list(AuditEntry.objects.values("changes", "data")))
    assert nik not in dump and account not in dump and "123456789012" not in dump


def test_history_lists_a_records_entries_newest_first(operator, city):
    worker = WorkerFactory()
    services.worker_update(worker=worker, actor=operator, data={"phone": "+6281200001111"})
    services.worker_set_status(worker=worker, actor=operator, status="nonaktif", on=date(2024, 1, 1), reason="Sakit")
    actions = [e.action for e in audit.history(Worker.objects.get(pk=worker.pk))]
    assert actions == ["workers.worker.status_changed", "workers.worker.updated"]
