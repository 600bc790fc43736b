"""The programs Pilar ships with, and the agencies that own them: loaded by a data migration, editable afterwards.

Tangerang Cerdas, Bedah Rumah and Tangerang Terang are the city's own programs named by the office; PKH, BPNT
(Program Sembako) and PBI-JK are the national ones whose beneficiaries Dinsos proposes from its data.
"""

from datetime import date
from typing import Any

AGENCIES = {
    "dinsos": "Dinas Sosial",
    "dinkes": "Dinas Kesehatan",
    "disnaker": "Dinas Ketenagakerjaan",
    "dp3ap2kb": "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana",
    "disdik": "Dinas Pendidikan",
    "disperkimtan": "Dinas Perumahan, Permukiman dan Pertanahan",
    "bpjs": "BPJS Kesehatan",  # the code the workforce and referral data already use
    "kemensos": "Kementerian Sosial",
}

FAKIR_MISKIN = "PPKS-24"
RTLH = "RTLH"  # the registry's record of an uninhabitable house
CHILDREN = ["PPKS-02", "PPKS-04", "PPKS-05", "PPKS-06", "PPKS-07"]
VULNERABLE_PERSONS = ["PPKS-01", "PPKS-02", "PPKS-05", "PPKS-08", "PPKS-09", "PPKS-11", "PPKS-16", "PPKS-23"]

HOW_TO_APPLY_VIA_PSM = (
    "1. Warga menghubungi PSM kelurahan atau datang ke kantor kelurahan dengan KTP dan KK.\n"
    "2. PSM memastikan warga sudah tercatat dan ditetapkan dalam data PPKS Dinas Sosial; bila belum, PSM "
    "mengusulkannya lebih dulu.\n"
    "3. PSM atau TKSK mengusulkan warga ke program ini di Pilar; Pilar langsung menjelaskan syarat yang belum "
    "terpenuhi.\n"
    "4. Dinas Sosial memeriksa dan memutuskan usulan sesuai kuota periode; PSM menyampaikan hasilnya kepada warga."
)

PROGRAMS: list[dict[str, Any]] = [
    {
        "code": "tangerang-cerdas",
        "name": "Tangerang Cerdas",
        "agency": "disdik",
        "kind": "tunai",
        "summary": "Bantuan biaya pendidikan agar anak dari keluarga rentan tetap bersekolah.",
        "who_qualifies": "Anak usia 6–18 tahun yang tercatat dan ditetapkan sebagai PPKS anak (anak telantar, anak "
        "jalanan, anak dengan disabilitas, anak korban kekerasan, anak yang memerlukan perlindungan khusus).",
        "how_to_apply": HOW_TO_APPLY_VIA_PSM + "\n5. Siapkan juga surat keterangan aktif sekolah.",
        "benefit": "Bantuan biaya sekolah Rp1.500.000 per tahun",
        "default_amount": 1500000,
        "period_kind": "tahun",
        "quota": 300,
        "active_from": date(2014, 1, 1),
        "subject": "person",
        "categories": CHILDREN,
        "min_age": 6,
        "max_age": 18,
    },
    {
        "code": "bedah-rumah",
        "name": "Bedah Rumah (RTLH)",
        "agency": "disperkimtan",
        "kind": "bedah_rumah",
        "summary": "Perbaikan rumah tidak layak huni (RTLH) milik keluarga miskin, menuju Kota Tangerang tanpa RTLH.",
        "who_qualifies": "Keluarga yang rumahnya tercatat dan ditetapkan sebagai rumah tidak layak huni (RTLH) di "
        "registri, menempati rumah milik sendiri yang dinilai tidak layak huni: struktur, atap, dinding atau lantai "
        "rusak berat, sanitasi dan air bersih tidak memadai, atau luas kurang dari 7,2 m² per penghuni. Setelah "
        "rumah selesai direnovasi, data RTLH keluarga itu keluar dari registri.",
        "how_to_apply": HOW_TO_APPLY_VIA_PSM
        + "\n5. TKSK atau petugas Dinas Sosial menilai kondisi rumah di lapangan dan memotretnya; hanya rumah yang "
        "dinilai tidak layak huni yang dapat disetujui.",
        "benefit": "Renovasi rumah (atap, dinding, lantai, jamban) hingga layak huni",
        "default_amount": 20000000,
        "period_kind": "tahun",
        "quota": 150,
        "active_from": date(2014, 1, 1),
        "subject": "family",
        "categories": [RTLH],
        "exit_category": RTLH,
    },
    {
        "code": "tangerang-terang",
        "name": "Tangerang Terang",
        "agency": "disperkimtan",
        "kind": "layanan",
        "summary": "Pemasangan listrik gratis bagi rumah keluarga miskin yang belum teraliri listrik.",
        "who_qualifies": "Keluarga fakir miskin yang ditetapkan dalam data PPKS dan rumahnya belum memiliki sambungan "
        "listrik sendiri.",
        "how_to_apply": HOW_TO_APPLY_VIA_PSM,
        "benefit": "Instalasi listrik rumah dan sambungan baru PLN",
        "period_kind": "tahun",
        "quota": 250,
        "active_from": date(2016, 1, 1),
        "subject": "family",
        "categories": [FAKIR_MISKIN],
    },
    {
        "code": "pkh",
        "name": "Program Keluarga Harapan (PKH)",
        "agency": "kemensos",
        "kind": "tunai",
        "summary": "Bantuan tunai bersyarat dari Kementerian Sosial bagi keluarga miskin.",
        "who_qualifies": "Keluarga fakir miskin yang ditetapkan dalam data PPKS dan memiliki komponen PKH: ibu hamil, "
        "anak usia dini, anak sekolah, lanjut usia atau penyandang disabilitas berat. Kepala keluarga wajib ber-NIK.",
        "how_to_apply": HOW_TO_APPLY_VIA_PSM
        + "\n5. Dinas Sosial meneruskan usulan ke Kementerian Sosial; bantuan disalurkan bertahap ke rekening KKS.",
        "benefit": "Bantuan tunai per komponen keluarga, disalurkan bertahap",
        "period_kind": "tahun",
        "quota": 2000,
        "active_from": date(2007, 1, 1),
        "subject": "family",
        "categories": [FAKIR_MISKIN],
        "requires_nik": True,
    },
    {
        "code": "bpnt",
        "name": "Bantuan Pangan Non Tunai (BPNT)",
        "agency": "kemensos",
        "kind": "barang",
        "summary": "Program Sembako: bahan pangan bulanan melalui Kartu Keluarga Sejahtera (KKS).",
        "who_qualifies": "Keluarga fakir miskin yang ditetapkan dalam data PPKS; kepala keluarga wajib ber-NIK.",
        "how_to_apply": HOW_TO_APPLY_VIA_PSM,
        "benefit": "Bahan pangan (beras, telur, lauk) senilai Rp200.000 per bulan",
        "default_amount": 200000,
        "period_kind": "bulan",
        "quota": 3000,
        "active_from": date(2017, 1, 1),
        "subject": "family",
        "categories": [FAKIR_MISKIN],
        "requires_nik": True,
    },
    {
        "code": "pbi-jk",
        "name": "PBI Jaminan Kesehatan (PBI-JK)",
        "agency": "bpjs",
        "kind": "layanan",
        "summary": "Iuran BPJS Kesehatan kelas III dibayar pemerintah bagi warga miskin dan rentan.",
        "who_qualifies": "Warga ber-NIK yang ditetapkan dalam data PPKS sebagai fakir miskin, lanjut usia telantar, "
        "penyandang disabilitas, anak telantar, gelandangan, ODHA, perempuan rawan sosial ekonomi, dan sejenisnya.",
        "how_to_apply": HOW_TO_APPLY_VIA_PSM + "\n5. Warga tanpa NIK didaftarkan ke Dukcapil terlebih dahulu.",
        "benefit": "Kepesertaan BPJS Kesehatan kelas III tanpa iuran",
        "period_kind": "tahun",
        "quota": None,
        "active_from": date(2014, 1, 1),
        "subject": "any",
        "categories": [*VULNERABLE_PERSONS, FAKIR_MISKIN],
        "requires_nik": True,
    },
]


def load_programs(program_model, agency_model, category_model) -> int:
    """Create or refresh the shipped programs (models passed in, so that a migration can give its historical ones)."""
    agencies = {}
    for code, name in AGENCIES.items():
        agencies[code], _created = agency_model.objects.get_or_create(code=code, defaults={"name": name})
    for spec in PROGRAMS:
        fields = {k: v for k, v in spec.items() if k not in ("code", "categories", "agency", "exit_category")}
        # None until the registry holds the category (an older migration state), then the category itself.
        fields["exit_category"] = category_model.objects.filter(code=spec.get("exit_category") or "").first()
        program, _created = program_model.objects.update_or_create(
            code=spec["code"], defaults={**fields, "agency": agencies[spec["agency"]]}
        )
        program.categories.set(category_model.objects.filter(code__in=spec["categories"]))
    return len(PROGRAMS)
