"""Two processes' worth of writers on PostgreSQL at once: the audit chain stays one unbroken line.

Each writer holds its transaction open after linking its row (as a long service would), so that the other
must wait for the chain head; one transaction of each writer is rolled back, which must leave no gap.
"""

import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from pilar import audit
from pilar.audit.models import AuditEntry, PersonalDataAccess

ROUNDS = 15


class Rollback(Exception):
    pass


@pytest.mark.skipif("sqlite" in connection.vendor, reason="SQLite serialises writers; the race needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_writers_leave_one_chain_that_audit_verify_accepts(operator, capsys):
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    before = AuditEntry.objects.count()

    def write(name: str) -> None:
        try:
            barrier.wait()
            for number in range(ROUNDS):
                try:
                    with transaction.atomic():
                        audit.record(operator, f"tests.writer.{name}", operator, data={"n": number})
                        time.sleep(0.01)  # still holding the head: the other writer waits here
                        if number == 7:
                            raise Rollback
                except Rollback:
                    pass
        except BaseException as exc:  # noqa: BLE001  (reported by the assertion below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    written = AuditEntry.objects.filter(action__startswith="tests.writer.")
    assert written.filter(action="tests.writer.a").count() == ROUNDS - 1
    assert written.filter(action="tests.writer.b").count() == ROUNDS - 1
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert len(seqs) == before + 2 * (ROUNDS - 1) and seqs == list(range(seqs[0], seqs[0] + len(seqs)))  # no gap
    capsys.readouterr()
    call_command("audit_verify")
    assert "Rantai audit utuh." in capsys.readouterr().out


@pytest.mark.skipif("sqlite" in connection.vendor, reason="SQLite serialises writers; the race needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_read_of_personal_data_is_logged_while_a_long_transaction_holds_audit_entries(rf, operator, capsys):
    # An import writes its audit entry and then commits a million rows: the pages and API reads that log a view of
    # personal data meanwhile must not wait for that commit (they did, for seconds, when every writer locked both
    # chain heads).
    holding, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def long_transaction() -> None:
        try:
            with transaction.atomic():
                audit.record(operator, "tests.long.started", operator)
                holding.set()
                release.wait(timeout=20)
                audit.log_personal_access(request, channel=PersonalDataAccess.Channel.PAGE, obj=operator)
        except BaseException as exc:  # noqa: BLE001  (reported by the assertion below)
            errors.append(exc)
        finally:
            connections.close_all()

    def read() -> None:
        try:
            audit.log_personal_access(request, channel=PersonalDataAccess.Channel.PAGE, obj=operator)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    request = rf.get("/registri/")
    request.user = operator
    writer = threading.Thread(target=long_transaction)
    writer.start()
    assert holding.wait(timeout=10)
    reader = threading.Thread(target=read)
    reader.start()
    reader.join(timeout=5)
    logged_while_held = not reader.is_alive()
    release.set()
    writer.join()
    reader.join()

    assert not errors, errors
    assert logged_while_held, "the read waited for the transaction holding the audit head"
    assert PersonalDataAccess.objects.filter(user=operator).count() == 2  # the read's and the long transaction's
    capsys.readouterr()
    call_command("audit_verify")
    assert "Rantai audit utuh." in capsys.readouterr().out
