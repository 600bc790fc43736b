"""``pilar seed-demo [--password P]``: Kota Tangerang's demo workforce, users, IPSM board and registry (idempotent)."""

import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from pilar.accounts.mfa import MFA_REQUIRED_ROLES, key_from_b32, totp_device
from pilar.accounts.models import Role, RoleAssignment, User
from pilar.accounts.services import mfa_enrol_with_secret
from pilar.activities.demo import activity_totals, seed_activities
from pilar.cases.demo import case_totals, seed_case_history, seed_cases
from pilar.complaints.demo import complaint_totals, seed_complaints
from pilar.core.formatting import thousands
from pilar.incentives.demo import incentive_totals, seed_incentives
from pilar.programs.demo import programs_totals, seed_program_history, seed_programs
from pilar.referrals.demo import referral_totals, seed_referrals
from pilar.regional.loader import load_shipped_pack
from pilar.regions.loader import normalize_code
from pilar.registry.demo import registry_totals, seed_registry
from pilar.reports.demo import report_totals, seed_reports
from pilar.trainings.demo import seed_trainings, training_totals
from pilar.workers.demo import DEMO_CITY
from pilar.workers.demo_seed import SeedResult, demo_totals, seed_demo

URL = "http://127.0.0.1:8000"
LOGINS = ["admin", "operator", "pimpinan", "keuangan", "tksk.367101", "psm.3671011001.1", "opd.dinkes"]


class Command(BaseCommand):
    help = "Muat data demo Kota Tangerang: wilayah, 13 TKSK, 987 PSM, pengurus IPSM, OPD, registri PPKS dan akun demo."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--password",
            default=None,
            help="Kata sandi semua akun demo. Tanpa ini: satu sandi acak dibuat dan dicetak pada run pertama, "
            "dan sandi yang ada dipertahankan pada run berikutnya.",
        )
        parser.add_argument(
            "--mfa-secret",
            default=None,
            metavar="BASE32",
            help="Daftarkan autentikator TOTP dengan rahasia Base32 ini untuk semua akun staf demo (admin, operator, "
            "pimpinan, keuangan), untuk demo dan pemeriksaan berskrip. Tanpa ini: staf mendaftar saat pertama masuk.",
        )

    def handle(self, *args: Any, password: str | None, mfa_secret: str | None = None, **options: Any) -> None:
        # Password validators are deliberately not applied: this is a demo password, typed at a demo.
        if password is not None and not password.strip():
            raise CommandError("Kata sandi demo tidak boleh kosong.")
        if normalize_code(settings.PILAR_REGION) != DEMO_CITY:
            # The demo's users and workers belong to Kota Tangerang; elsewhere they would sit outside the city.
            raise CommandError(
                f"Data demo hanya untuk Kota Tangerang ({DEMO_CITY}), sedangkan PILAR_REGION = {settings.PILAR_REGION}."
            )
        started = time.perf_counter()
        with transaction.atomic():
            # Tangerang's agencies, programs and incentive rates: its region data pack (missing rows only).
            load_shipped_pack(DEMO_CITY)
            result = seed_demo(password=password)
            result.created |= seed_registry(
                operator=User.objects.get(username="operator"),
                tksk_by_kecamatan=_area_users(Role.TKSK),
                psm_by_village=_area_users(Role.PSM),
                today=timezone.localdate(),
            )
            result.created |= seed_trainings(operator=User.objects.get(username="operator"))
            # Cases before the complaints: the referrals below go to the first open cases, which should be these.
            result.created |= seed_cases(
                psm_by_village=_area_users(Role.PSM),
                tksk_by_kecamatan=_area_users(Role.TKSK),
                operator=User.objects.get(username="operator"),
            )
            result.created |= seed_complaints(
                psm_by_village=_area_users(Role.PSM),
                tksk_by_kecamatan=_area_users(Role.TKSK),
                today=timezone.localdate(),
            )
            # After the cases and the complaints: the referrals go to the open cases seeded above.
            result.created |= seed_referrals(operator=User.objects.get(username="operator"))
            # Activity reports before the payroll, whose runs may require an accepted report.
            result.created |= seed_activities(tksk_by_kecamatan=_area_users(Role.TKSK), today=timezone.localdate())
            # Payroll after the workforce: approved runs for the last three months, a draft for this one.
            result.created |= seed_incentives(today=timezone.localdate())
            # Programs: enrollments proposed from the registry's validated records, by the area's PSM/TKSK.
            result.created |= seed_programs(
                operator=User.objects.get(username="operator"),
                tksk_by_kecamatan=_area_users(Role.TKSK),
                psm_by_village=_area_users(Role.PSM),
                today=timezone.localdate(),
            )
            # Three years of closed cases and program deliveries behind today's, for the trends and reports.
            result.created |= seed_case_history(
                psm_by_village=_area_users(Role.PSM), operator=User.objects.get(username="operator")
            )
            result.created |= seed_program_history(
                operator=User.objects.get(username="operator"), today=timezone.localdate()
            )
            # Last: the archived monthly reports read every figure seeded above.
            result.created |= seed_reports(today=timezone.localdate())
            if mfa_secret:
                self._enrol_staff(mfa_secret)
        elapsed = time.perf_counter() - started
        self._summary(result, elapsed)
        self._logins(result)
        if mfa_secret:
            self.stdout.write("Staf demo memakai autentikator TOTP dengan rahasia yang diberikan (--mfa-secret).")

    def _enrol_staff(self, secret: str) -> None:
        try:
            key = key_from_b32(secret)
        except ValueError as exc:
            raise CommandError("--mfa-secret harus teks Base32 (A-Z, 2-7), minimal 16 karakter.") from exc
        staff = User.objects.filter(
            pk__in=RoleAssignment.objects.current().filter(role__in=MFA_REQUIRED_ROLES).values("user")
        )
        for user in staff:
            device = totp_device(user)
            if device is None or device.key != key:
                mfa_enrol_with_secret(user=user, secret=secret, actor=None)

    def _summary(self, result: SeedResult, elapsed: float) -> None:
        self.stdout.write(f"Data demo Kota Tangerang siap dalam {elapsed:.1f} detik.".replace(".", ",", 1))
        made = [f"{thousands(n)} {what}" for what, n in result.created.items() if n]
        if result.passwords_set:
            made.append(f"kata sandi {thousands(result.passwords_set)} pengguna diganti")
        self.stdout.write(
            "Baru pada run ini: " + ", ".join(made) if made else "Tidak ada perubahan: data demo sudah lengkap."
        )
        self.stdout.write("\nRingkasan:")
        for label, count in (demo_totals() | registry_totals() | complaint_totals()).items():
            self.stdout.write(f"  {label:<30} {thousands(count):>6}")
        for label, count in referral_totals().items():
            self.stdout.write(f"  {label:<30} {thousands(count):>6}")
        for label, count in case_totals().items():
            self.stdout.write(f"  {label:<30} {thousands(count):>6}")
        for label, count in training_totals().items():
            self.stdout.write(f"  {label:<30} {thousands(count):>6}")
        for label, count in activity_totals().items():
            self.stdout.write(f"  {label:<30} {thousands(count):>6}")
        for label, count in incentive_totals().items():
            self.stdout.write(f"  {label:<30} {thousands(count):>6}")
        for label, count in (programs_totals() | report_totals()).items():
            self.stdout.write(f"  {label:<30} {thousands(count):>6}")

    def _logins(self, result: SeedResult) -> None:
        shown = result.password or "tidak berubah"
        roles = _role_labels()
        self.stdout.write(f"\nMasuk di {URL} sebagai:")
        self.stdout.write(f"  {'Pengguna':<18} {'Peran':<30} Kata sandi")
        for username in LOGINS:
            self.stdout.write(f"  {username:<18} {roles.get(username, '-'):<30} {shown}")
        self.stdout.write("  (dan tksk.<kode kecamatan>, psm.<kode kelurahan>.<n>, mis. tksk.367103, psm.3671011001.2)")
        if result.password is None:
            self.stdout.write("Kata sandi semua akun demo dipertahankan dari run pertama.")


def _area_users(role: str) -> dict[int, User]:
    """The first user holding ``role`` in each area (region id), by user name: the demo's reporters and verifiers."""
    chosen: dict[int, User] = {}
    grants = RoleAssignment.objects.filter(role=role, region__isnull=False).select_related("user")
    for grant in grants.order_by("user__username"):
        if grant.region_id is not None:  # always, by the filter; narrows the type for the checker
            chosen.setdefault(grant.region_id, grant.user)
    return chosen


def _role_labels() -> dict[str, str]:
    """'TKSK Kecamatan Tangerang', 'PSM Kelurahan Sukarasa', ...: read back, so the table tells the truth."""
    labels: dict[str, str] = {}
    grants = (
        RoleAssignment.objects.current().filter(user__username__in=LOGINS).select_related("user", "region", "agency")
    )
    for grant in grants:
        label = str(Role(grant.role).label)
        if grant.region:
            label += f" {grant.region.get_level_display()} {grant.region.name}"
        elif grant.agency:
            label += f" {grant.agency.name}"
        labels[grant.user.username] = label + (" (juga /admin/)" if grant.user.is_superuser else "")
    return labels
