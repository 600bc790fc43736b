"""State changes of the data-subject rights: one service each, in a transaction, with its audit entry."""

from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from pilar.accounts.models import User
from pilar.audit import services as audit
from pilar.core.errors import DomainError
from pilar.identity.models import Person
from pilar.rights.models import FIRST_ANSWER, DataRequest, RequestKind, RequestState


@transaction.atomic
def request_register(
    *,
    actor: User,
    kind: str,
    requester_name: str,
    details: str,
    requester_contact: str = "",
    person: Person | None = None,
    received_at: Any = None,
) -> DataRequest:
    received_at = received_at or timezone.now()
    if received_at > timezone.now():
        raise DomainError("Tanggal diterima tidak boleh di masa depan.", field="received_at")
    request = DataRequest.objects.create(
        kind=RequestKind(kind),
        requester_name=requester_name,
        requester_contact=requester_contact,
        details=details,
        person=person,
        received_at=received_at,
        due_at=received_at + FIRST_ANSWER,
        created_by=actor,
    )
    audit.record(actor, "rights.request.registered", request, data={"kind": kind})
    return request


@transaction.atomic
def request_check_identity(*, request: DataRequest, actor: User, document: str) -> DataRequest:
    if not document.strip():
        raise DomainError("Sebutkan dokumen identitas yang diperiksa (mis. KTP asli).", field="document")
    request = DataRequest.objects.select_for_update().get(pk=request.pk)
    request.identity_checked_by, request.identity_checked_at = actor, timezone.now()
    request.identity_document = document.strip()[:150]
    if request.state == RequestState.RECEIVED:
        request.state = RequestState.IN_PROGRESS
    request.save(update_fields=["identity_checked_by", "identity_checked_at", "identity_document", "state"])
    audit.record(actor, "rights.request.identity_checked", request, data={"document": request.identity_document})
    return request


@transaction.atomic
def request_answer(*, request: DataRequest, actor: User, answer: str, state: str) -> DataRequest:
    """Record an answer; the first one stops the 3×24-hour clock, a final one (answered/refused) closes it."""
    request = DataRequest.objects.select_for_update().get(pk=request.pk)
    if request.state in (RequestState.ANSWERED, RequestState.REFUSED):
        raise DomainError("Permintaan ini sudah selesai dijawab.")
    if not answer.strip():
        raise DomainError("Tulis jawaban untuk pemohon.", field="answer")
    if state != RequestState.IN_PROGRESS and request.identity_checked_at is None and state == RequestState.ANSWERED:
        raise DomainError("Periksa identitas pemohon sebelum menjawab permintaannya.", field="state")
    now = timezone.now()
    request.answer = f"{request.answer}\n\n{answer.strip()}".strip() if request.answer else answer.strip()
    request.first_answer_at = request.first_answer_at or now
    request.answered_by, request.state = actor, RequestState(state)
    request.closed_at = now if state in (RequestState.ANSWERED, RequestState.REFUSED) else None
    request.save(update_fields=["answer", "first_answer_at", "answered_by", "state", "closed_at"])
    audit.record(actor, "rights.request.answered", request, data={"state": state})
    return request


def record_export(*, person: Person, actor: User, fmt: str) -> None:
    """The audit entry of one data export (the personal-data access log is written by the page or API)."""
    with transaction.atomic():
        audit.record(actor, "rights.person.exported", person, data={"format": fmt})


@transaction.atomic
def person_restrict(*, person: Person, actor: User, reason: str) -> Person:
    if not reason.strip():
        raise DomainError("Tulis alasan pembatasan.", field="reason")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.restricted_at is None:
        person.restricted_at = timezone.now()
    person.restriction_reason = reason.strip()[:300]
    person.save(update_fields=["restricted_at", "restriction_reason"])
    audit.record(actor, "rights.person.restricted", person, data={"reason": person.restriction_reason})
    return person


@transaction.atomic
def person_unrestrict(*, person: Person, actor: User, reason: str) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.anonymised_at:
        raise DomainError("Data orang ini sudah dianonimkan; pembatasannya tetap.")
    person.restricted_at, person.restriction_reason = None, ""
    person.save(update_fields=["restricted_at", "restriction_reason"])
    audit.record(actor, "rights.person.unrestricted", person, data={"reason": reason})
    return person


def legal_holds(person: Person) -> list[str]:
    """Why Dinsos must keep this person's data (programs paid, payroll, active registry status); empty if none."""
    from pilar.programs.models import Enrollment
    from pilar.registry.models import PpksRecord, PpksStatus

    holds = []
    if hasattr(person, "worker"):
        holds.append("tercatat sebagai PSM/TKSK (arsip penugasan dan insentif)")
    if Enrollment.objects.filter(person=person, delivered_on__isnull=False).exists():
        holds.append("pernah menerima bantuan program (arsip penyaluran dan audit keuangan)")
    if PpksRecord.objects.filter(person=person, status=PpksStatus.VALIDATED).exists():
        holds.append("data PPKS berstatus ditetapkan (dasar program yang berjalan)")
    from pilar.cases.models import Case

    if Case.objects.filter(person=person).exclude(stage="ditutup").exists():
        holds.append("kasus masih terbuka")
    return holds


ANONYMISED = "(dianonimkan)"


def _anonymise_cases(person: Person) -> list[str]:
    """Blank what the person's (closed) cases say about them: subject, summary, every note (confidential ones too),
    visit findings, timeline remarks; the documents go. Returns the stored file names to delete after commit."""
    from pilar.cases.models import Case
    from pilar.cases.timeline_models import CaseDocument, CaseEvent, CaseNote, HomeVisit

    cases = Case.objects.filter(person=person)
    cases.update(subject_name="", address="", reporter_name="", summary=ANONYMISED, close_reason="")
    CaseNote.objects.filter(case__in=cases).update(text=ANONYMISED)
    HomeVisit.objects.filter(case__in=cases).update(findings=ANONYMISED)
    CaseEvent.objects.filter(case__in=cases).exclude(reason="").update(reason="")
    documents = CaseDocument.objects.filter(case__in=cases)
    names = [name for d in documents if (name := d.file.name)]  # a FieldFile is true when it has a name
    documents.delete()
    return names


def _anonymise_households(person: Person) -> None:
    """A household's address is every member's: it is blanked only where the person is its one and only member."""
    from pilar.registry.models import Household, HouseholdMember

    own = person.memberships.values("household_id")
    shared = HouseholdMember.objects.filter(household_id__in=own).exclude(person=person).values("household_id")
    Household.objects.filter(pk__in=own).exclude(pk__in=shared).update(address="", rt="", rw="")


def _anonymise(person: Person) -> None:
    from pilar.registry.models import Evidence, PpksRecord

    person.name = f"Dianonimkan #{person.pk}"
    person.nik = None
    person.birth_place, person.address, person.rt, person.rw, person.phone = "", "", "", "", ""
    person.birth_date = None
    person.education = ""
    now = timezone.now()
    person.anonymised_at = now
    person.restricted_at = person.restricted_at or now
    person.restriction_reason = "dianonimkan"
    person.save()
    PpksRecord.objects.filter(person=person).update(address="", rt="", rw="", notes="", latitude=None, longitude=None)
    # Photos and documents of the person's own records are personal data too: the files go, after the commit.
    evidence = Evidence.objects.filter(record__person=person)
    names = [name for e in evidence if (name := e.file.name)]
    evidence.delete()
    names += _anonymise_cases(person)
    _anonymise_households(person)

    def delete_files() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete_files)


@transaction.atomic
def person_erase(*, person: Person, actor: User, reason: str) -> str:
    """Anonymise the person where the law allows; otherwise restrict processing, naming what must be kept.

    Returns ``"dianonimkan"`` or ``"dibatasi"``.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.anonymised_at:
        raise DomainError("Data orang ini sudah dianonimkan.")
    holds = legal_holds(person)
    if holds:
        person_restrict(person=person, actor=actor, reason="Wajib disimpan: " + "; ".join(holds))
        audit.record(actor, "rights.person.erasure_refused", person, data={"reason": reason, "holds": holds})
        return "dibatasi"
    _anonymise(person)
    audit.record(actor, "rights.person.anonymised", person, data={"reason": reason})
    return "dianonimkan"
