"""Backup → drop → restore → verify, on whichever database the suite runs on (SQLite or PostgreSQL)."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from pilar.audit.models import AuditEntry
from pilar.core.errors import DomainError
from pilar.identity.models import Person
from pilar.ops import backup
from pilar.ops import database as db
from pilar.ops.models import Backup
from tests.registry.makers import household_in, propose

PHOTO = b"\x89PNG\r\n\x1a\n" + os.urandom(3000)  # bytes no text transform could leave unchanged


@pytest.fixture
def filled(transactional_db, operator, psm_a):
    """Persons, a household, PPKS records and two uploaded files, committed (pg_dump sees only committed rows)."""
    for name in backup.media_files(default_storage):  # uploads other tests left in the in-memory storage
        default_storage.delete(name)
    household_in(actor=operator, size=3)
    propose(psm_a)
    default_storage.save("bukti/2026/foto.png", ContentFile(PHOTO))
    default_storage.save("kasus/surat.pdf", ContentFile(b"%PDF-1.4 surat"))
    yield
    for name in backup.media_files(default_storage):
        default_storage.delete(name)


@pytest.fixture
def scratch_target(tmp_path):
    """An empty database beside the test database: 'dropped', ready to restore into."""
    origin = db.Target.from_settings(settings.DATABASES["default"])
    name = str(tmp_path / "restored.sqlite3") if origin.engine == "sqlite" else f"pilar_restore_{os.getpid()}"
    target = db.create_scratch(origin, name)
    yield target
    db.drop_scratch(target, origin)


def test_backup_drop_restore_verify_keeps_every_row_and_file(filled, scratch_target, tmp_path):
    record = backup.create_backup(out_dir=tmp_path / "out", passphrase="kata sandi cadangan")
    archive = Path(record.path)
    assert archive.name.startswith("pilar-backup-") and archive.suffix == ".enc"
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    assert record.rows > 0 and record.media_files == 2
    assert AuditEntry.objects.filter(action="ops.backup.created", object_id=str(record.pk)).exists()

    media = FileSystemStorage(location=tmp_path / "media")
    report = backup.restore(archive, passphrase="kata sandi cadangan", target=scratch_target, storage=media)

    assert report.ok, report.problems
    assert report.media_files == 2
    assert media.open("bukti/2026/foto.png").read() == PHOTO
    restored = db.digests_of(scratch_target)
    live = db.digests_of(db.Target.from_settings(settings.DATABASES["default"]))
    # The archive's own record and audit entry (and so the audit chain's head) were written after the dump; every
    # other table is identical.
    assert {t: d for t, d in restored.items() if t not in ("ops_backup", "audit_auditentry", "audit_chainhead")} == {
        t: d for t, d in live.items() if t not in ("ops_backup", "audit_auditentry", "audit_chainhead")
    }
    assert restored["identity_person"]["rows"] == Person.objects.count()
    assert backup.verify(archive, passphrase="kata sandi cadangan").ok
    assert Backup.objects.get(pk=record.pk).verified_at is not None


def test_restore_refuses_a_database_that_is_not_empty(filled, tmp_path):
    archive = Path(backup.create_backup(out_dir=tmp_path).path)
    live = db.Target.from_settings(settings.DATABASES["default"])
    with pytest.raises(DomainError, match="tidak kosong"):
        backup.restore(archive, target=live, storage=FileSystemStorage(location=tmp_path / "m"))
    assert Person.objects.exists()


def test_restore_refuses_a_media_folder_that_is_not_empty(filled, scratch_target, tmp_path):
    archive = Path(backup.create_backup(out_dir=tmp_path).path)
    media = FileSystemStorage(location=tmp_path / "media")
    media.save("lain.txt", ContentFile(b"x"))
    with pytest.raises(DomainError, match="unggahan tidak kosong"):
        backup.restore(archive, target=scratch_target, storage=media)
    assert db.is_empty(scratch_target)


def test_a_wrong_passphrase_or_a_damaged_archive_restores_nothing(filled, scratch_target, tmp_path):
    archive = Path(backup.create_backup(out_dir=tmp_path, passphrase="benar sekali").path)
    media = FileSystemStorage(location=tmp_path / "media")
    with pytest.raises(DomainError, match="Frasa sandi salah"):
        backup.restore(archive, passphrase="salah", target=scratch_target, storage=media)
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    with pytest.raises(DomainError, match="rusak"):
        backup.restore(archive, passphrase="benar sekali", target=scratch_target, storage=media)
    assert db.is_empty(scratch_target) and not backup.media_files(media)


def test_an_unencrypted_archive_whose_file_changed_fails_its_checksum(filled, scratch_target, tmp_path):
    archive = Path(backup.create_backup(out_dir=tmp_path).path)
    data = archive.read_bytes()
    archive.write_bytes(data.replace(b"%PDF-1.4 surat", b"%PDF-1.4 SURAT"))
    with pytest.raises(DomainError, match="kasus/surat.pdf"):
        backup.restore(archive, target=scratch_target, storage=FileSystemStorage(location=tmp_path / "m"))


def test_rotation_keeps_the_newest_of_each_day_week_and_month(tmp_path):
    for stamp in (
        "20260101-010000",
        "20260115-010000",
        "20260301-010000",
        "20260302-010000",
        "20260302-020000",
        "20260303-010000",
    ):
        (tmp_path / f"pilar-backup-{stamp}.tar").write_bytes(b"")
    removed = backup.rotate(tmp_path, daily=2, weekly=1, monthly=2)
    assert sorted(p.name[13:28] for p in removed) == ["20260101-010000", "20260301-010000", "20260302-010000"]


def test_backup_command_without_a_readable_passphrase_file_says_so(db, tmp_path):
    with pytest.raises(CommandError, match="tidak dapat dibaca"):
        call_command("backup", "--out", str(tmp_path), "--passphrase-file", str(tmp_path / "tidak-ada"))
