"""The office's letterhead and signatories: read by every PDF, changed by one audited service."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from pilar import audit
from pilar.accounts.models import User
from pilar.regions.models import Office, Region, Signatory

OFFICE_FIELDS = ("government", "name", "address", "phone", "email", "website", "head_name", "head_position", "head_nip")


@dataclass(frozen=True)
class Signer:
    name: str
    position: str
    nip: str


def _region_name() -> str:
    region = Region.objects.filter(code=settings.PILAR_REGION).first()
    return region.name if region else ""


def current_office() -> Office:
    """The saved office, or an unsaved one built from the region and the ``PILAR_HEAD_OF_OFFICE_*`` settings."""
    office = Office.objects.order_by("pk").first()
    if office is not None:
        return office
    city = _region_name()  # "Pemerintah Kota Tangerang", until the office writes its own
    return Office(
        government=f"Pemerintah {city}" if city else "",
        head_position=f"Kepala Dinas Sosial {city}".strip(),
        head_name=getattr(settings, "PILAR_HEAD_OF_OFFICE_NAME", ""),
        head_nip=getattr(settings, "PILAR_HEAD_OF_OFFICE_NIP", ""),
    )


def signer(document: str, office: Office | None = None) -> Signer:
    """Who signs ``document`` (a ``Signatory.Document``): its own signatory when named, else the head of office."""
    row = Signatory.objects.filter(document=document).exclude(name="").first()
    if row is not None:
        return Signer(row.name, row.position, row.nip)
    office = office or current_office()
    return Signer(office.head_name, office.head_position, office.head_nip)


@transaction.atomic
def office_update(
    *,
    actor: User,
    values: dict[str, str],
    logo: Any = None,
    remove_logo: bool = False,
    signatories: dict[str, dict[str, str]] | None = None,
) -> Office:
    """Save the office's letterhead, head of office and signatories, with one audit entry of what changed."""
    office = Office.objects.select_for_update().order_by("pk").first() or current_office()
    before = audit.snapshot(office, OFFICE_FIELDS) if office.pk else {}
    before["logo"] = office.logo.name if office.logo else ""
    for field in OFFICE_FIELDS:
        if field in values:
            setattr(office, field, (values[field] or "").strip())
    if remove_logo and office.logo:
        office.logo.delete(save=False)
    if logo is not None:
        office.logo.save(f"logo-{logo.name}", logo, save=False)
    office.save()
    after = audit.snapshot(office, OFFICE_FIELDS) | {"logo": office.logo.name if office.logo else ""}
    changes = audit.diff(before, after)
    for document, fields in (signatories or {}).items():
        row, _created = Signatory.objects.get_or_create(document=Signatory.Document(document))
        old = {"name": row.name, "position": row.position, "nip": row.nip}
        new = {k: (fields.get(k) or "").strip() for k in old}
        if new != old:
            Signatory.objects.filter(pk=row.pk).update(**new)
            changes |= {f"{document}.{k}": [old[k], v] for k, v in new.items() if old[k] != v}
    audit.record(actor, "regions.office.updated", office, changes=changes)
    return office
