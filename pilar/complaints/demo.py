"""Demo complaints: about forty reports from residents across the city, some waiting, some made into cases,
some closed with a reason. Deterministic (one seed) and skipped when already there, so that
`pilar seed-demo` can run any number of times.
"""

import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pilar import audit
from pilar.accounts.models import User
from pilar.complaints import services
from pilar.complaints.models import Complaint
from pilar.regions.models import Region
from pilar.registry.models import Category

SEED = 20231112
COUNT = 40
TZ = ZoneInfo("Asia/Jakarta")
# (who, age, sex, PPKS number or None, what the resident wrote)
STORIES = [
    ("Mbah Sarinah", 78, "P", 8, "Nenek tinggal sendiri di rumah petak, sering tidak makan, atapnya bocor."),
    ("", 70, "L", 8, "Kakek sering terlihat tidur di pos ronda, tampak bingung dan tidak ada keluarga."),
    ("Pak Darsono", 55, "L", 9, "Bapak lumpuh sejak stroke, istrinya buruh cuci, anak-anak putus sekolah."),
    ("", 9, "L", 3, "Anak kecil mengamen di lampu merah sampai malam, tidak terlihat bersekolah."),
    ("Bu Rohimah", 40, "P", 24, "Janda dengan empat anak, tidak punya penghasilan tetap, belum dapat bantuan."),
    ("", 35, "P", 16, "Tetangga sering terdengar dipukul suaminya, anak-anaknya ketakutan."),
    ("Ujang", 30, "L", 10, "Pemuda dengan gangguan jiwa dipasung keluarganya di belakang rumah."),
    ("", None, "", None, "Ada orang tidur di emperan toko dekat pasar setiap malam, kondisinya lemah."),
    ("Keluarga Pak Rahmat", 50, "L", 24, "Rumah hampir roboh, dinding bambu lapuk, dihuni enam orang."),
    ("Nek Iyah", 82, "P", 8, "Nenek buta dan pikun, cucunya bekerja seharian, sering ditinggal sendiri."),
]
# How the demo's complaints end up: about half waiting, a third made into cases, the rest closed.
FATES = ["baru"] * 18 + ["kasus"] * 12 + ["ditutup"] * 10
CLOSE_REASONS = [
    ("tidak_ditemukan", ""),
    ("bukan_ppks", ""),
    ("sudah_ditangani", "Sudah dibantu pengurus RT."),
    ("duplikat", "Sama dengan pengaduan sebelumnya di alamat ini."),
]
STREETS = ["Jl. Merdeka", "Jl. Kisamaun", "Jl. Daan Mogot", "Gg. Masjid", "Jl. Perintis Kemerdekaan", "Gg. Haji Saiman"]


def _codes(rng: random.Random) -> list[str]:
    alphabet = services.CODE_ALPHABET
    return ["".join(rng.choice(alphabet) for _ in range(services.CODE_LENGTH)) for _ in range(COUNT)]


def seed_complaints(*, psm_by_village: dict[int, User], tksk_by_kecamatan: dict[int, User], today: date) -> Counter:
    """Write the demo complaints and triage some through the services; returns what was created."""
    rng = random.Random(SEED)
    codes = _codes(rng)
    if Complaint.objects.filter(tracking_code=codes[0]).exists():
        return Counter()
    villages = [v for v in Region.objects.within("36.71").villages().select_related("parent") if v.pk in psm_by_village]
    categories = {c.number: c for c in Category.objects.filter(kind=Category.Kind.PPKS)}
    complaints = []
    for i, code in enumerate(codes):
        name, age, sex, number, text = STORIES[i % len(STORIES)]
        # The first two are in the first kelurahan (Sukarasa), whose PSM is the demo's login.
        village = villages[0] if i < 2 else villages[(i * 7) % len(villages)]
        complaints.append(
            Complaint(
                tracking_code=code,
                subject_name=name,
                subject_age=age,
                subject_sex=sex,
                kelurahan=village,
                kecamatan=village.parent,
                address=f"{rng.choice(STREETS)} No. {rng.randint(1, 120)}",
                rt=f"{rng.randint(1, 12):03d}",
                rw=f"{rng.randint(1, 8):03d}",
                category=categories.get(number) if number and rng.random() < 0.6 else None,
                description=text,
                channel=Complaint.Channel.WEB if i % 5 else Complaint.Channel.API,
                reporter_name=rng.choice(["", "Budi", "Siti", "Ketua RT", "Warga"]),
                reporter_phone=f"+62812{rng.randint(10**7, 10**8 - 1)}" if rng.random() < 0.5 else "",
            )
        )
    Complaint.objects.bulk_create(complaints)
    created = Counter({"pengaduan": len(complaints)})
    audit.record_many(None, "complaints.complaint.submitted", complaints, data={"demo": True})
    fates = FATES[:]
    rng.shuffle(fates)
    # The demo PSM finds one complaint waiting and one already made into a case.
    for position, fate in enumerate(("baru", "kasus")):
        other = fates.index(fate, position)
        fates[position], fates[other] = fates[other], fates[position]
    for i, (complaint, fate) in enumerate(zip(complaints, fates, strict=True)):
        # Reports arrived over the last two months, so the queue has old and fresh ones.
        arrived = datetime.combine(today - timedelta(days=rng.randint(0, 60)), time(rng.randint(6, 21)), tzinfo=TZ)
        Complaint.objects.filter(pk=complaint.pk).update(created_at=arrived, updated_at=arrived)
        if fate == "kasus":
            category = complaint.category or categories[STORIES[i % len(STORIES)][3] or 24]
            services.complaint_convert(
                complaint=complaint,
                actor=psm_by_village[complaint.kelurahan_id],
                category=category,
                note="Sudah dikunjungi, benar perlu ditangani.",
            )
            created["pengaduan dijadikan kasus"] += 1
        elif fate == "ditutup":
            actor = tksk_by_kecamatan.get(complaint.kecamatan_id) or psm_by_village[complaint.kelurahan_id]
            reason, note = CLOSE_REASONS[i % len(CLOSE_REASONS)]
            services.complaint_close(complaint=complaint, actor=actor, reason=reason, note=note)
            created["pengaduan ditutup"] += 1
    return created


def complaint_totals() -> dict[str, int]:
    """What the demo holds now, for the command's summary."""
    counts = Counter(Complaint.objects.values_list("status", flat=True))
    return {
        "Pengaduan masyarakat": sum(counts.values()),
        "  menunggu ditinjau": counts[Complaint.Status.NEW],
        "  dijadikan kasus": counts[Complaint.Status.CONVERTED],
        "  ditutup": counts[Complaint.Status.CLOSED],
    }
