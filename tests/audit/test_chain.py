"""The audit trail is tamper-evident: append-only in the database, and each row hash-chained to the one before."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from pilar import audit
from pilar.audit import guards
from pilar.audit.chain import verify
from pilar.audit.models import AuditEntry, ChainHead, PersonalDataAccess


def three_entries(user) -> list[AuditEntry]:
    with transaction.atomic():
        return [audit.record(user, f"tests.thing.{verb}", user, data={"n": i}) for i, verb in enumerate("abc")]


def test_the_database_refuses_to_edit_an_audit_row(operator):
    entry = three_entries(operator)[1]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'x' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.action == "tests.thing.b"


def test_the_database_refuses_to_delete_audit_and_access_rows(rf, operator):
    three_entries(operator)
    request = rf.get("/registri/")
    request.user = operator
    audit.log_personal_access(request, channel=PersonalDataAccess.Channel.PAGE, obj=operator)
    for table in ("audit_auditentry", "audit_personaldataaccess"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608  (a constant table name)
    assert AuditEntry.objects.count() >= 3


def test_the_orm_cannot_delete_the_trail_either(operator):
    three_entries(operator)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.all().delete()


def test_rows_are_numbered_and_linked_in_order(operator):
    entries = three_entries(operator)
    seqs = [e.seq for e in entries]
    assert seqs == list(range(seqs[0], seqs[0] + 3))
    assert entries[1].prev_hash == entries[0].row_hash and entries[2].prev_hash == entries[1].row_hash
    assert ChainHead.objects.get(name="audit").last_hash == entries[2].row_hash


def test_audit_verify_passes_on_an_intact_chain(operator, capsys):
    three_entries(operator)
    call_command("audit_verify")
    assert "Rantai audit utuh." in capsys.readouterr().out


def test_audit_verify_reports_the_first_broken_link_after_a_row_is_edited(operator):
    entries = three_entries(operator)
    with guards.lifted(connection), connection.cursor() as cursor:  # someone who owns the tables
        cursor.execute("UPDATE audit_auditentry SET data = %s WHERE id = %s", ['{"n": 99}', entries[1].pk])
    report = verify()
    assert report.broken is not None and report.broken.seq == entries[1].seq
    assert "isi baris berubah" in report.broken.reason
    with pytest.raises(CommandError, match=f"#{entries[1].seq}"):
        call_command("audit_verify")


def test_audit_verify_notices_a_removed_last_row(operator):
    entries = three_entries(operator)
    with guards.lifted(connection), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk])
    broken = verify().broken
    assert broken is not None and "kepala rantai" in broken.reason


def test_audit_verify_notices_a_forged_row_inserted_by_sql(operator):
    entries = three_entries(operator)
    forged = AuditEntry(action="tests.forged", content_type=entries[0].content_type, object_id="1", object_repr="x")
    forged.seq, forged.prev_hash, forged.row_hash = entries[2].seq + 1, entries[2].row_hash, "0" * 64
    forged.save(force_insert=True)  # INSERT is allowed: the chain, not the trigger, catches this one
    assert verify().broken.seq == forged.seq


def test_personal_data_access_rows_form_their_own_chain(rf, operator):
    request = rf.get("/registri/1/")
    request.user = operator
    for _ in range(2):
        audit.log_personal_access(request, channel=PersonalDataAccess.Channel.PAGE, obj=operator)
    first, second = PersonalDataAccess.objects.order_by("seq")
    assert second.prev_hash == first.row_hash
    assert verify().broken is None
