"""A minimal django-import-export resource for the same rows: the per-row ORM path, for comparison.

The synthetic rows carry birth dates as offices write them (``01-01-2002``, ``00-00-1970``, ``1970``,
``12 Januari 1980``), as Pilar's importer reads them; the resource converts them with the same parser, so that
both sides do the same work on the same rows (a ``Person`` given the raw text fails on the first such date).
"""

from datetime import date

from django.utils import timezone
from import_export import resources

from pilar.identity.models import Person
from pilar.regions.models import Region
from pilar.registry.importer.values import parse_date, year_only
from pilar.registry.models import Category, PpksRecord


class RecordResource(resources.ModelResource):
    class Meta:
        model = PpksRecord
        fields = (
            "person",
            "category",
            "kecamatan",
            "kelurahan",
            "rt",
            "rw",
            "address",
            "source",
            "status",
            "proposed_at",
        )
        import_id_fields = ("person", "category")  # idempotent on person + category, like Pilar's importer
        skip_diff = True

    def before_import(self, dataset, **kwargs):
        self.villages = dict(Region.objects.villages().values_list("code", "id"))
        self.parents = dict(Region.objects.villages().values_list("code", "parent_id"))
        self.categories = dict(Category.objects.values_list("code", "id"))

    def before_import_row(self, row, **kwargs):
        village = self.villages[row["Kode Kelurahan"]]
        person = Person(
            nik=row["NIK"] or None,
            name=row["Nama Lengkap"],
            sex=row["Jenis Kelamin"],
            birth_date=birth_date(row["Tanggal Lahir"]),
            village_id=village,
        )
        existing = Person.objects.filter(nik=person.nik).first() if person.nik else None
        if existing is None:
            person.save()
        row.update(
            person=(existing or person).pk,
            category=self.categories[row["Kode PPKS"]],
            kecamatan=self.parents[row["Kode Kelurahan"]],
            kelurahan=village,
            rt=row["RT"],
            rw=row["RW"],
            address=row["Alamat"],
            source="impor",
            status="diusulkan",
            proposed_at=timezone.now(),
        )


def birth_date(raw: str) -> date | None:
    """The birth date as Pilar's importer reads it: a year alone (or ``00-00-YYYY``) is 1 January."""
    today = date.today()
    year = year_only(raw, today)
    return date(year, 1, 1) if year is not None else parse_date(raw, today)
