"""``pilar backup`` / ``restore`` / ``backup --verify``: one archive holding the database and the uploaded files.

Archive (a tar, optionally passphrase-encrypted, see ``crypto``): ``database.dump`` (PostgreSQL custom format)
or ``database.sqlite3``, ``media/<name>`` for every uploaded file, and ``manifest.json`` last, with the row
count and checksum of every table and the size and SHA-256 of every file. Restoring stages and checks the
whole archive before it touches the target, and checks the restored database against the manifest after.
"""

import hashlib
import io
import json
import os
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from pilar.audit import services as audit
from pilar.core.errors import DomainError
from pilar.ops import crypto
from pilar.ops import database as db
from pilar.ops.models import Backup

if TYPE_CHECKING:
    from _typeshed import SupportsRead

PREFIX = "pilar-backup-"
MANIFEST = "manifest.json"
MEDIA = "media/"
FORMAT = 1


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def media_files(storage: Storage, path: str = "") -> list[str]:
    """Every file name in the storage (file system or S3), recursively."""
    try:
        folders, files = storage.listdir(path)
    except FileNotFoundError:
        return []
    names = [f"{path}{name}" for name in files]
    for folder in folders:
        names += media_files(storage, f"{path}{folder}/")
    return sorted(names)


class _HashingReader:
    """Reads a storage file into the tar while hashing it, so that each upload is read once."""

    def __init__(self, fh: "SupportsRead[bytes]") -> None:
        self.fh, self.digest = fh, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.digest.update(data)
        return data


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
    tar.addfile(info, fileobj=io.BytesIO(data))


def _add_media(tar: tarfile.TarFile, storage: Storage) -> dict[str, dict[str, Any]]:
    listed = {}
    for name in media_files(storage):
        info = tarfile.TarInfo(MEDIA + name)
        info.size, info.mode = storage.size(name), 0o600
        with storage.open(name, "rb") as fh:
            reader = _HashingReader(fh)
            tar.addfile(info, fileobj=reader)
        listed[name] = {"size": info.size, "sha256": reader.digest.hexdigest()}
    return listed


def _migrations(alias: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[alias]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def create_backup(
    *, out_dir: Path, passphrase: str | None = None, alias: str = "default", storage: Storage | None = None
) -> Backup:
    """Write one timestamped archive into ``out_dir`` and record it; returns the record."""
    storage = storage or default_storage
    target = db.Target.from_settings(settings.DATABASES[alias])
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    final = out_dir / f"{PREFIX}{stamp}.tar{'.enc' if passphrase else ''}"
    partial = final.with_name(final.name + ".partial")
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".staging-") as staging:
        dump_name = "database.dump" if target.engine == "postgresql" else "database.sqlite3"
        dump_path = Path(staging) / dump_name
        tables = db.dump(target, alias, dump_path)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": target.engine,
            "region": settings.PILAR_REGION,
            "migrations": _migrations(alias),
            "database": {"file": dump_name, "sha256": _sha256_file(dump_path), "tables": tables},
        }
        # Owner-only from the first byte: the archive holds every person's data.
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as raw:
            sink: Any = crypto.EncryptingWriter(raw, passphrase) if passphrase else raw
            with tarfile.open(fileobj=sink, mode="w|") as tar:
                tar.add(dump_path, arcname=dump_name)
                manifest["media"] = _add_media(tar, storage)
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
            if passphrase:
                sink.close()
            raw.flush()
            os.fsync(raw.fileno())
    os.replace(partial, final)  # a crash mid-way leaves a .partial file, never a plausible-looking archive
    return _record(final, manifest, encrypted=bool(passphrase))


@transaction.atomic
def _record(path: Path, manifest: dict[str, Any], *, encrypted: bool) -> Backup:
    tables = manifest["database"]["tables"]
    backup = Backup.objects.create(
        path=str(path.resolve()),
        size=path.stat().st_size,
        encrypted=encrypted,
        tables=len(tables),
        rows=sum(t["rows"] for t in tables.values()),
        media_files=len(manifest["media"]),
    )
    audit.record(None, "ops.backup.created", backup, data={"size": backup.size, "encrypted": encrypted})
    return backup


@dataclass
class Staged:
    """An archive unpacked into a temporary folder and checked against its own manifest."""

    folder: Path
    manifest: dict[str, Any]
    problems: list[str] = field(default_factory=list)

    @property
    def dump(self) -> Path:
        return self.folder / self.manifest["database"]["file"]

    def media_path(self, name: str) -> Path:
        return self.folder / MEDIA / name


def _open(archive: Path, passphrase: str | None) -> Any:
    raw = archive.open("rb")
    if crypto.is_encrypted(raw.read(len(crypto.MAGIC))):
        raw.seek(0)
        if not passphrase:
            raise DomainError(
                "Arsip ini terenkripsi: berikan frasa sandinya (PILAR_BACKUP_PASSPHRASE atau --passphrase-file)."
            )
        return crypto.DecryptingReader(raw, passphrase)
    raw.seek(0)
    return raw


def stage(archive: Path, passphrase: str | None, folder: Path) -> Staged:
    """Unpack ``archive`` into ``folder`` and compare every file with the manifest."""
    if not archive.is_file():
        raise DomainError(f"Arsip {archive} tidak ditemukan.")
    source = _open(archive, passphrase)
    try:
        with tarfile.open(fileobj=source, mode="r|") as tar:
            for member in tar:
                if not member.isfile():
                    continue
                target = (folder / member.name).resolve()
                if not target.is_relative_to(folder.resolve()):
                    raise DomainError(f"Arsip berisi nama berkas yang tidak sah: {member.name}")
                extracted = tar.extractfile(member)
                if extracted is None:  # only for members that are not regular files, skipped above
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("wb") as out:
                    while block := extracted.read(1 << 20):
                        out.write(block)
    except tarfile.TarError as exc:
        raise DomainError(f"Arsip {archive.name} rusak atau bukan arsip cadangan Pilar: {exc}") from exc
    finally:
        getattr(source, "close", lambda: None)()
    if not (folder / MANIFEST).exists():
        raise DomainError(f"Arsip {archive.name} tidak lengkap: manifest.json tidak ada (terpotong?).")
    staged = Staged(folder, json.loads((folder / MANIFEST).read_text()))
    if _sha256_file(staged.dump) != staged.manifest["database"]["sha256"]:
        staged.problems.append("checksum berkas basis data tidak cocok")
    for name, meta in staged.manifest["media"].items():
        path = staged.media_path(name)
        if not path.exists() or _sha256_file(path) != meta["sha256"]:
            staged.problems.append(f"berkas unggahan {name}: tidak ada atau checksum tidak cocok")
    return staged


def compare_tables(expected: dict[str, dict[str, Any]], found: dict[str, dict[str, Any]]) -> list[str]:
    problems = []
    for table, meta in expected.items():
        got = found.get(table)
        if got is None:
            problems.append(f"tabel {table} tidak ada")
        elif got["rows"] != meta["rows"]:
            problems.append(f"tabel {table}: {got['rows']} baris, seharusnya {meta['rows']}")
        elif got["sha256"] != meta["sha256"]:
            problems.append(f"tabel {table}: isi berbeda (checksum)")
    return problems


@dataclass
class Report:
    tables: int
    rows: int
    media_files: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def _raise_if(problems: list[str], what: str) -> None:
    if problems:
        raise DomainError(f"{what}: " + "; ".join(problems[:10]) + (" …" if len(problems) > 10 else ""))


def restore(
    archive: Path,
    *,
    passphrase: str | None = None,
    force: bool = False,
    target: db.Target | None = None,
    storage: Storage | None = None,
    staging_dir: Path | None = None,
) -> Report:
    """Restore into an empty database and media storage; refuses non-empty ones unless ``force``."""
    target = target or db.Target.from_settings(settings.DATABASES["default"])
    storage = storage or default_storage
    with tempfile.TemporaryDirectory(dir=staging_dir) as folder:
        staged = stage(archive, passphrase, Path(folder))
        _raise_if(staged.problems, "Arsip tidak utuh, tidak ada yang dipulihkan")
        if staged.manifest["engine"] != target.engine:
            raise DomainError(f"Arsip ini dari {staged.manifest['engine']}, basis data tujuan {target.engine}.")
        present = media_files(storage)
        if not force and not db.is_empty(target):
            raise DomainError("Basis data tujuan tidak kosong: pulihkan ke basis data baru, atau pakai --force.")
        if not force and present:
            raise DomainError(
                f"Folder berkas unggahan tidak kosong ({len(present)} berkas): kosongkan, atau pakai --force."
            )
        connections.close_all()  # the SQLite file is replaced underneath; no connection may hold the old one
        if force:
            db.drop_all(target)
            for name in present:
                storage.delete(name)
        db.load(target, staged.dump)
        problems = compare_tables(staged.manifest["database"]["tables"], db.digests_of(target))
        problems += _put_media(staged, storage)
    return _report(staged.manifest, problems)


def _put_media(staged: Staged, storage: Storage) -> list[str]:
    problems = []
    for name, meta in staged.manifest["media"].items():
        with staged.media_path(name).open("rb") as fh:
            saved = storage.save(name, File(fh, name=name))
        with storage.open(saved, "rb") as fh:
            if saved != name or hashlib.sha256(fh.read()).hexdigest() != meta["sha256"]:
                problems.append(f"berkas unggahan {name} tidak terpulihkan utuh")
    return problems


def _report(manifest: dict[str, Any], problems: list[str]) -> Report:
    tables = manifest["database"]["tables"]
    return Report(len(tables), sum(t["rows"] for t in tables.values()), len(manifest["media"]), problems)


def verify(archive: Path, *, passphrase: str | None = None, staging_dir: Path | None = None) -> Report:
    """Restore into a scratch database and compare every table and file with the manifest; nothing live changes."""
    origin = db.Target.from_settings(settings.DATABASES["default"])
    with tempfile.TemporaryDirectory(dir=staging_dir) as folder:
        staged = stage(archive, passphrase, Path(folder))
        problems = list(staged.problems)
        if staged.manifest["engine"] != origin.engine:
            raise DomainError(f"Arsip ini dari {staged.manifest['engine']}; verifikasi memakai {origin.engine}.")
        scratch_name = (
            str(Path(folder) / "verify.sqlite3")
            if origin.engine == "sqlite"
            else f"pilar_verify_{datetime.now():%Y%m%d%H%M%S}_{os.getpid()}"
        )
        scratch = db.create_scratch(origin, scratch_name)
        try:
            db.load(scratch, staged.dump)
            problems += compare_tables(staged.manifest["database"]["tables"], db.digests_of(scratch))
        finally:
            db.drop_scratch(scratch, origin)
    report = _report(staged.manifest, problems)
    if report.ok:
        Backup.objects.filter(path=str(archive.resolve())).update(verified_at=timezone.now())
    return report


def rotate(out_dir: Path, *, daily: int = 7, weekly: int = 4, monthly: int = 12) -> list[Path]:
    """Keep the newest archive of each of the last ``daily`` days, ``weekly`` ISO weeks and ``monthly`` months."""
    archives = sorted(out_dir.glob(f"{PREFIX}*.tar*"), reverse=True)
    archives = [a for a in archives if not a.name.endswith(".partial")]
    keep: set[Path] = set()
    for width, key in ((daily, "%Y%m%d"), (weekly, "%G%V"), (monthly, "%Y%m")):
        seen: list[str] = []
        for archive in archives:
            stamp = datetime.strptime(archive.name[len(PREFIX) : len(PREFIX) + 15], "%Y%m%d-%H%M%S")
            bucket = stamp.strftime(key)
            if bucket not in seen and len(seen) < width:
                seen.append(bucket)
                keep.add(archive)
    removed = [a for a in archives if a not in keep]
    for archive in removed:
        archive.unlink()
    return removed
