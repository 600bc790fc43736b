import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from pilar.accounts.models import Role, RoleAssignment, User
from pilar.registry.demo import seed_registry
from pilar.workers.demo_seed import seed_demo

LOGINS = [
    ("admin", "Admin Dinsos (akses penuh, termasuk /admin/)"),
    ("operator", "Operator Dinsos"),
    ("pimpinan", "Pimpinan (hanya baca, seluruh kota)"),
    ("tksk.367101", "TKSK Kecamatan Tangerang"),
    ("psm.3671011001.1", "PSM Kelurahan Sukarasa"),
    ("opd.dinkes", "OPD Dinas Kesehatan"),
]


def _area_users(role: str) -> dict[int, User]:
    """The first user holding ``role`` in each area (region id), by user name."""
    chosen: dict[int, User] = {}
    for ra in RoleAssignment.objects.filter(role=role).select_related("user").order_by("user__username"):
        chosen.setdefault(ra.region_id, ra.user)
    return chosen


class Command(BaseCommand):
    help = "Muat data demo Kota Tangerang: wilayah, 13 TKSK, 987 PSM, pengurus IPSM, registri PPKS dan akun demo."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Kata sandi semua akun demo (tanpa ini: satu sandi acak dicetak).")

    @transaction.atomic
    def handle(self, *args, password=None, **options):
        if password is not None and not password.strip():
            raise CommandError("Kata sandi demo tidak boleh kosong.")
        started = time.perf_counter()
        result = seed_demo(password=password)
        registry = seed_registry(
            operator=User.objects.get(username="operator"),
            tksk_by_kecamatan=_area_users(Role.TKSK),
            psm_by_village=_area_users(Role.PSM),
            today=timezone.localdate(),
        )
        elapsed = time.perf_counter() - started
        made = ", ".join(f"{n} {what}" for what, n in (result.created | dict(registry)).items())
        self.stdout.write(f"Data demo siap dalam {elapsed:.1f} detik ({made} baru).")
        shown = result.password if result.password else "tidak berubah (sama dengan sebelumnya)"
        self.stdout.write("\nBuka http://127.0.0.1:8000 dan masuk sebagai:")
        for username, role in LOGINS:
            self.stdout.write(f"  {username:<20} {role}")
        self.stdout.write(f"Kata sandi semua akun: {shown}")
        self.stdout.write("Pengguna lain: tksk.<kode kecamatan>, psm.<kode kelurahan>.<n> (mis. psm.3671011001.1).")
