"""The record of processing activities (UU 27/2022 art. 31), generated from the code's own tables.

What personal data, why, who sees it (and how much), and how long: the fields, purposes and per-role levels
come from the field-visibility table (``pilar.accounts.visibility``), the retention from the retention rules
and the retention the modules apply. Nothing here is typed twice, so the record cannot drift from the code.
"""

from typing import Any

from django.utils.translation import gettext as _

from pilar.accounts.models import Role
from pilar.accounts.visibility import (
    FIELDS,
    LEVEL_LABELS,
    PSEUDO_ROLES,
    SUBJECT_FIELDS,
    SUBJECT_LABELS,
    TABLE,
    Level,
    Subject,
)


def _retention(subject: Subject) -> str:
    from pilar.rights.models import RetentionRule

    rules = {r.kind: r for r in RetentionRule.objects.all()}

    def rule_text(kind: str, fallback: str) -> str:
        rule = rules.get(kind)
        if rule is None or not rule.active:
            return fallback
        return _("%(days)s hari (aturan retensi aktif)") % {"days": rule.days}

    if subject == Subject.COMPLAINT:
        return _("Kontak pelapor dan foto: ") + rule_text(RetentionRule.Kind.COMPLAINT_CONTACTS, _("disimpan"))
    if subject == Subject.PPKS:
        return _("Selama data PPKS aktif; setelah keluar: ") + rule_text(
            RetentionRule.Kind.EXITED_PPKS, _("disimpan sampai aturan retensi diaktifkan")
        )
    return _("Selama bertugas dan sesudahnya sebagai arsip penugasan dan pembayaran insentif")


def _role_label(role: str) -> str:
    return str(Role(role).label) if role in Role.values else str(PSEUDO_ROLES[role])


def ropa_rows() -> list[dict[str, Any]]:
    """One entry per kind of data subject, each with its fields, purposes and who sees them at which level."""
    out = []
    for subject, rows in TABLE.items():
        fields = []
        for key in SUBJECT_FIELDS[subject]:
            seen = [
                f"{_role_label(role)}: {LEVEL_LABELS[row[key]]}"
                for role, row in rows.items()
                if row[key] != Level.HIDDEN
            ]
            field = FIELDS[key]
            fields.append(
                {"label": str(field.label), "purpose": str(field.purpose), "specific": field.specific, "seen_by": seen}
            )
        out.append({"subject": str(SUBJECT_LABELS[subject]), "fields": fields, "retention": _retention(subject)})
    return out
