"""Opening a case, moving it through its stages, closing and reopening it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar import audit
from pilar.accounts.models import Role, User
from pilar.accounts.permissions import Perm, access_for
from pilar.cases import access
from pilar.cases.models import Case, CaseAssignment, Outcome, Plan, Stage
from pilar.cases.services.common import event, move
from pilar.cases.workflow import CASE, NEXT_STAGE
from pilar.core.errors import DomainError, chosen
from pilar.identity.models import Person
from pilar.notifications.services import notify
from pilar.regions.models import Region
from pilar.regions.selectors import kecamatan_of
from pilar.registry.models import Category, Household

OPEN_FIELDS = ("source", "kelurahan", "kecamatan", "category", "person", "household", "subject_name", "stage")


@transaction.atomic
def case_open(
    *,
    actor: User | None,
    kelurahan: Region,
    category: Category | None,
    source: str,
    summary: str,
    person: Person | None = None,
    household: Household | None = None,
    reporter_name: str = "",
    address: str = "",
    subject_name: str = "",
) -> Case:
    """A new case in intake. ``actor`` None: opened by the system (a public complaint).

    A PSM or TKSK who opens a case holds it; otherwise the area's PSM and TKSK are told a case awaits them.
    """
    if not kelurahan.is_village:
        raise ValidationError({"kelurahan": [_("Pilih kelurahan/desa.")]})
    chosen("source", source, Case.Source.values, _("Sumber kasus tidak dikenal."))
    if not summary.strip():
        raise ValidationError({"summary": [_("Ringkasan masalah wajib diisi.")]})
    kecamatan = kecamatan_of(kelurahan)
    if kecamatan is None:  # a village outside the region's tree
        raise ValidationError({"kelurahan": [_("Pilih kelurahan/desa.")]})
    if actor is not None:
        acc = access_for(actor)
        if Perm.CASE_MANAGE not in acc.perms or not acc.covers(kecamatan_id=kecamatan.pk, village_id=kelurahan.pk):
            raise PermissionDenied
        if person is None and household is None and not subject_name.strip():
            raise ValidationError({"subject_name": [_("Isi nama orang yang ditangani, atau pilih dari registri.")]})
    now = timezone.now()
    case = Case.objects.create(
        kelurahan=kelurahan,
        kecamatan=kecamatan,
        category=category,
        source=source,
        summary=summary.strip(),
        person=person,
        household=household,
        reporter_name=reporter_name,
        address=address,
        subject_name=subject_name.strip(),
        stage=Stage.INTAKE,
        stage_started_at=now,
        created_by=actor,
    )
    event(case, "opened", actor, case.get_source_display(), to_status=Stage.INTAKE)
    audit.record_created(actor, "cases.case.opened", case, OPEN_FIELDS)
    if actor is not None and access_for(actor).roles & {Role.PSM, Role.TKSK}:
        CaseAssignment.objects.create(case=case, user=actor, assigned_by=actor, assigned_at=now)
    else:
        notify(
            recipients=access.area_workers(case),
            kind="cases.new",
            url=case.get_absolute_url(),
            title=_("Kasus baru di Kel. %(kel)s menunggu petugas") % {"kel": kelurahan.name},
            body=case.summary[:300],
        )
    return case


@transaction.atomic
def case_link_subject(
    *, actor: User, case: Case, person: Person | None = None, household: Household | None = None
) -> Case:
    """Link a case opened for an unregistered person to their registry record, once it exists."""
    case = CASE.guard("link", case, actor)
    if person is None and household is None:
        raise ValidationError({"person": [_("Pilih orang atau keluarga dari registri.")]})
    before = audit.snapshot(case, ("person", "household"))
    case.person, case.household = person or case.person, household or case.household
    case.save(update_fields=["person", "household", "updated_at"])
    event(case, "linked", actor, str(person or household))
    audit.record(actor, "cases.case.linked", case, changes=audit.diff(before, audit.snapshot(case, before)))
    return case


@transaction.atomic
def case_advance(*, actor: User, case: Case, note: str = "") -> Case:
    """The next stage, if the case has what it needs: an assessment before planning, an approved plan before
    intervention (the rules of ``CASE``'s "advance"). Monitoring ends by closing the case (``case_close``)."""
    case = CASE.guard("advance", case, actor)
    target = NEXT_STAGE[case.stage]
    before = case.stage
    move(case, target, actor, note)
    audit.record(actor, "cases.case.advanced", case, changes={"stage": [before, target]}, data={"note": note})
    return case


@transaction.atomic
def case_close(*, actor: User, case: Case, outcome: str, reason: str) -> Case:
    case = CASE.guard("close", case, actor)
    chosen("outcome", outcome, Outcome.values, _("Pilih hasil penanganan."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Alasan penutupan wajib diisi.")]})
    if case.transfers.filter(status="menunggu").exists():
        raise DomainError(_("Masih ada serah terima yang menunggu diterima."), code="conflict")
    before, now = case.stage, timezone.now()
    # A plan still waiting has nothing left to decide; it would block a new plan if the case is reopened.
    case.plans.filter(status=Plan.Status.PENDING).update(
        status=Plan.Status.RETURNED, decided_at=now, decision_note=_("Kasus ditutup sebelum rencana diputuskan.")
    )
    # One save for the stage and its outcome: the database checks them together.
    case.outcome, case.close_reason, case.closed_at = outcome, reason.strip(), now
    case.stage, case.stage_started_at = Stage.CLOSED, now
    case.save(update_fields=["outcome", "close_reason", "closed_at", "stage", "stage_started_at", "updated_at"])
    event(
        case,
        "closed",
        actor,
        f"{case.get_outcome_display()}: {case.close_reason}",
        from_status=before,
        to_status=Stage.CLOSED,
    )
    audit.record(
        actor,
        "cases.case.closed",
        case,
        changes={"stage": [before, Stage.CLOSED]},
        data={"outcome": outcome, "reason": reason},
    )
    return case


@transaction.atomic
def case_reopen(*, actor: User, case: Case, reason: str) -> Case:
    """Back to assessment: whatever brought the case back needs to be assessed again."""
    case = CASE.guard("reopen", case, actor)
    if not reason.strip():
        raise ValidationError({"reason": [_("Alasan membuka kembali wajib diisi.")]})
    previous = {"outcome": case.outcome, "reason": case.close_reason}
    case.outcome, case.close_reason, case.closed_at = "", "", None
    case.reopen_count += 1
    # One save for the stage and the cleared outcome: the database checks them together.
    case.stage, case.stage_started_at = Stage.ASSESSMENT, timezone.now()
    case.save(
        update_fields=[
            "outcome",
            "close_reason",
            "closed_at",
            "reopen_count",
            "stage",
            "stage_started_at",
            "updated_at",
        ]
    )
    event(case, "reopened", actor, reason.strip(), from_status=Stage.CLOSED, to_status=Stage.ASSESSMENT)
    audit.record(
        actor,
        "cases.case.reopened",
        case,
        changes={"stage": [Stage.CLOSED, Stage.ASSESSMENT]},
        data={"reason": reason, "previous": previous},
    )
    notify(
        recipients=case.assigned.all(),
        kind="cases.reopened",
        url=case.get_absolute_url(),
        title=_("Kasus %(ref)s dibuka kembali") % {"ref": case.reference},
        body=reason,
    )
    return case
