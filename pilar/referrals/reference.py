"""The agencies (OPD) that receive referrals in Kota Tangerang, shipped as data; the office adds more in the admin.

Codes are stable identifiers (the API shows them, e.g. "dinkes"; the demo's users use them). "bpjs" is
BPJS Kesehatan, as the workforce demo already names it.
"""

AGENCIES = {
    "dinkes": "Dinas Kesehatan",
    "disnaker": "Dinas Ketenagakerjaan",
    "dp3ap2kb": "DP3AP2KB (Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan KB)",
    "disdik": "Dinas Pendidikan",
    "disperkimtan": "Dinas Perumahan, Permukiman dan Pertanahan",
    "bpjs": "BPJS Kesehatan",
    "dukcapil": "Dinas Kependudukan dan Pencatatan Sipil",
    "kelurahan": "Kantor Kelurahan",
    "rsud": "RSUD Kota Tangerang",
    "satpol-pp": "Satuan Polisi Pamong Praja",
}


def load_agencies(agency_model) -> int:
    """Create the missing agencies; takes the model so that a migration can pass its historical one.

    Existing rows are left as they are: a name or an "inactive" flag set by the office is kept.
    """
    created = 0
    for code, name in AGENCIES.items():
        created += agency_model.objects.get_or_create(code=code, defaults={"name": name, "is_active": True})[1]
    return created
