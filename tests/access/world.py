"""A small city for the access matrix: one of everything in kelurahan A and in kelurahan B (another kecamatan).

Every personal value is planted with a marker that cannot occur by chance, and recorded as a ``Planted``:
which object carries it, which kind of subject it belongs to and which field of the visibility table it is.
The matrix then knows, for any user, whether that value may appear in an answer.
"""

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pilar.accounts.models import Agency
from pilar.accounts.visibility import Subject
from pilar.activities.services.reports import report_add_visit
from pilar.cases import services as case_services
from pilar.cases.models import Case
from pilar.cases.services import timeline as case_timeline
from pilar.complaints.models import Complaint
from pilar.complaints.services import new_tracking_code
from pilar.core.formatting import tanggal
from pilar.identity.nik import make_nik
from pilar.incentives.services import payroll_generate
from pilar.programs.models import Program
from pilar.programs.services import enrollment_approve
from pilar.referrals.services import referral_send
from pilar.regional.loader import load_shipped_pack
from pilar.registry import services as registry_services
from pilar.registry.evidence import evidence_add
from pilar.registry.models import Category, DuplicateCandidate, ImportJob, Relationship
from pilar.registry.requests import person_register
from pilar.registry.services import PersonData
from pilar.trainings import services as training_services
from pilar.trainings.models import EventKind
from tests.activities.makers import report_for
from tests.conftest import KEL_A, KEL_B
from tests.factories import PersonFactory, region
from tests.programs.makers import assessed, proposed

AREAS = {"A": KEL_A, "B": KEL_B}


@dataclass(frozen=True)
class Planted:
    value: str
    area: str  # "A" or "B"
    subject: Subject
    key: str  # the field of the visibility table
    obj: Any  # the record whose area decides (None: a person, reached through the user's scope)
    category: str | None = None  # for notes: the record's category code
    assigned: tuple[int, ...] = ()  # users assigned to the case the value belongs to


@dataclass
class World:
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)  # kind -> {"A": obj, "B": obj}
    planted: list[Planted] = field(default_factory=list)

    def plant(self, value: str, area: str, subject: Subject, key: str, obj: Any, **kw: Any) -> str:
        self.planted.append(Planted(value, area, subject, key, obj, **kw))
        return value

    def put(self, kind: str, area: str, obj: Any) -> None:
        self.objects.setdefault(kind, {})[area] = obj


def _png() -> bytes:
    from PIL import Image  # noqa: PLC0415

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return buffer.getvalue()


def _person(w: World, area: str, n: int, born: date) -> Any:
    kec = region(AREAS[area]).parent.code
    person = PersonFactory(
        name=f"Sumarni Privasi{area}{n}",
        sex="P",
        birth_date=born,
        birth_place=f"Kotalahir{area}{n}",
        nik=make_nik(kecamatan_code=kec, birth_date=born, sex="P", serial=7000 + n + (50 if area == "B" else 0)),
        address=f"Gang Penduduk{area}{n} 17",
        phone=f"08129990{n}{1 if area == 'A' else 2}77",
        village=region(AREAS[area]),
    )
    for key, value in (
        ("name", person.name),
        ("nik", person.nik),
        ("address", person.address),
        ("phone", person.phone),
        ("birth_date", person.birth_place),
    ):
        w.plant(value, area, Subject.PPKS, key, None)
    w.plant(born.isoformat(), area, Subject.PPKS, "birth_date", None)
    w.plant(tanggal(born), area, Subject.PPKS, "birth_date", None)
    return person


def _registry(w: World, area: str, psm: Any, operator: Any) -> None:
    village = region(AREAS[area])
    head = _person(w, area, 1, date(1950, 3, 4) if area == "A" else date(1951, 5, 6))
    child = _person(w, area, 2, date(2015, 8, 9) if area == "A" else date(2016, 10, 11))
    kk = f"{village.parent.code.replace('.', '')}0101200{1 if area == 'A' else 2}01"
    household = registry_services.household_create(
        actor=operator,
        kk_number=kk,
        kelurahan=village,
        address=f"Jalan Keluarga{area} 5",
        members=[(head, Relationship.HEAD), (child, Relationship.CHILD)],
    )
    w.put("household", area, household)
    w.plant(kk, area, Subject.PPKS, "kk_number", household)
    w.plant(household.address, area, Subject.PPKS, "address", household)
    ordinary = registry_services.ppks_propose(
        actor=psm,
        category=Category.objects.get(code="PPKS-24"),
        kelurahan=village,
        source="psm",
        household=household,
        address=f"Jalan Rekaman{area} 21",
        notes=f"Catatan biasa{area} rumah bocor",
    )
    specific = registry_services.ppks_propose(
        actor=psm,
        category=Category.objects.get(code="PPKS-16"),
        kelurahan=village,
        source="psm",
        person=head,
        address=f"Jalan Rekaman{area} 22",
        notes=f"Catatan spesifik{area} rutin terapi",
        latitude=Decimal("-6.1781"),
        longitude=Decimal("106.6300"),
    )
    for record in (ordinary, specific):
        w.plant(record.address, area, Subject.PPKS, "address", record)
        w.plant(record.notes, area, Subject.PPKS, "notes", record, category=record.category.code)
    w.put("ppks", area, specific)
    w.put("ppks_family", area, ordinary)
    w.put("person", area, head)
    upload = SimpleUploadedFile("bukti.png", _png(), content_type="image/png")
    w.put("evidence", area, evidence_add(record=specific, actor=psm, upload=upload, note=f"Bukti spesifik{area}"))
    w.plant(f"Bukti spesifik{area}", area, Subject.PPKS, "notes", specific, category="PPKS-16")
    rtlh = registry_services.ppks_propose(
        actor=psm, category=Category.objects.get(code="RTLH"), kelurahan=village, source="psm", household=household
    )
    rtlh.status = "ditetapkan"
    rtlh.save(update_fields=["status"])
    enrollment = proposed("bedah-rumah", rtlh, psm)
    assessed(enrollment, operator)
    w.put("enrollment", area, enrollment_approve(enrollment=enrollment, actor=operator))
    twin = PersonFactory(name=f"Sumarni Privasi{area}1", village=village, nik=None, birth_date=head.birth_date)
    pair = sorted([head.pk, twin.pk])
    w.put(
        "duplicate",
        area,
        DuplicateCandidate.objects.create(
            person_a_id=pair[0],
            person_b_id=pair[1],
            score=Decimal("0.950"),
            reasons=["nama"],
            kelurahan=village,
            kecamatan=village.parent,
        ),
    )


def _case(w: World, area: str, psm: Any, dinkes: Agency, disnaker: Agency) -> None:
    village = region(AREAS[area])
    head = w.objects["person"][area]
    case = case_services.case_open(
        actor=psm,
        kelurahan=village,
        category=Category.objects.get(code="PPKS-09"),
        source=Case.Source.PSM_FINDING,
        summary=f"Ringkasan kasus{area} kursi roda rusak",
        person=head,
        address=f"Jalan Kasus{area} 9",
    )
    w.put("case", area, case)
    assigned = (psm.pk,)
    w.plant(case.address, area, Subject.PPKS, "address", case, assigned=assigned)
    w.plant(case.summary, area, Subject.PPKS, "notes", case, category="PPKS-09", assigned=assigned)
    note = case_timeline.case_note_add(actor=psm, case=case, text=f"Catatan kasus{area} obat rutin")
    visit = case_timeline.case_visit_add(
        actor=psm,
        case=case,
        visit_date=timezone.localdate(),
        visitors="PSM",
        findings=f"Temuan kunjungan{area} atap bocor",
    )
    for text in (note.text, visit.findings):
        w.plant(text, area, Subject.PPKS, "notes", case, category="PPKS-09", assigned=assigned)
    w.put(
        "referral",
        area,
        referral_send(case=case, agency=dinkes if area == "A" else disnaker, actor=psm, reason="Pemeriksaan kesehatan"),
    )


def _complaint(w: World, area: str) -> None:
    village = region(AREAS[area])
    complaint = Complaint.objects.create(
        tracking_code=new_tracking_code(),
        kelurahan=village,
        kecamatan=village.parent,
        subject_name=f"Mbah Keluhan{area}",
        subject_age=80,
        address=f"Patokan Musala{area}",
        description=f"Uraian keluhan{area} sering tidak makan",
        reporter_name=f"Pelapor Warga{area}",
        reporter_phone=f"08137770{1 if area == 'A' else 2}99",
    )
    w.put("complaint", area, complaint)
    for key, value in (
        ("name", complaint.subject_name),
        ("address", complaint.address),
        ("notes", complaint.description),
        ("name", complaint.reporter_name),
        ("phone", complaint.reporter_phone),
    ):
        w.plant(value, area, Subject.COMPLAINT, key, complaint)


def _worker(w: World, area: str, user: Any) -> None:
    worker = user.worker
    person = worker.person
    born = date(1980, 7, 8) if area == "A" else date(1981, 9, 10)
    person.name, person.birth_date, person.birth_place = f"Wartini Pekerja{area}", born, f"Lahirkerja{area}"
    person.nik = make_nik(kecamatan_code=worker.kecamatan.code, birth_date=born, sex="P", serial=8100)
    person.address, person.sex = f"Jalan Pekerja{area} 3", "P"
    person.save()
    worker.account_number = f"99887766{1 if area == 'A' else 2}4"
    worker.save(update_fields=["account_number"])
    w.put("worker", area, worker)
    report = report_for(user, timezone.localdate().replace(day=1), visits=3)
    report_add_visit(actor=user, report=report, date=timezone.localdate(), place=f"Rumah Dikunjungi{area} RT 4")
    w.put("report", area, report)
    w.plant(f"Rumah Dikunjungi{area} RT 4", area, Subject.PPKS, "notes", report)
    for key, value in (
        ("nik", person.nik),
        ("birth_date", born.isoformat()),
        ("birth_date", person.birth_place),
        ("address", person.address),
        ("bank_account", worker.account_number),
    ):
        w.plant(value, area, Subject.WORKER, key, worker)


def build(personas: dict[str, Any]) -> World:
    """The world, seen by ``personas`` (name -> user); psm_a and psm_b record and hold A's and B's things."""
    load_shipped_pack("36.71")  # rates, programs and agencies (gone after a transactional test's flush)
    w = World()
    operator, psm = personas["operator"], {"A": personas["psm_a"], "B": personas["psm_b"]}
    dinkes, _ = Agency.objects.get_or_create(code="dinkes", defaults={"name": "Dinas Kesehatan"})
    disnaker, _ = Agency.objects.get_or_create(code="disnaker", defaults={"name": "Dinas Tenaga Kerja"})
    for area in AREAS:
        _worker(w, area, psm[area])
        _registry(w, area, psm[area], operator)
        _case(w, area, psm[area], dinkes, disnaker)
        _complaint(w, area)
    event = training_services.event_create(
        actor=operator,
        kind=EventKind.BIMTEK,
        title="Bimtek Privasi",
        start_date=timezone.localdate(),
        end_date=timezone.localdate(),
        venue="Aula",
        organiser="Dinsos",
        speakers="",
        topics="",
        target_group="PSM",
        capacity=None,
        completion_percent=100,
        signatory_name="",
        signatory_nip="",
    )
    training_services.participants_invite(event=event, actor=operator, target="psm_semua")
    w.put("training", "A", event)
    for area in AREAS:
        w.put("participant", area, event.participants.get(worker=w.objects["worker"][area]))
    run = payroll_generate(period=timezone.localdate().replace(day=1), actor=operator, allow_unfinished=True)
    w.put("run", "A", run)
    for area in AREAS:
        w.put("line", area, run.lines.get(worker=w.objects["worker"][area]))
    w.put(
        "import",
        "A",
        ImportJob.objects.create(
            user=operator, file="imports/x.csv", file_name="x.csv", checksum="0" * 64, mode=ImportJob.Mode.VALID_ROWS
        ),
    )
    w.put("program", "A", Program.objects.get(code="bedah-rumah"))
    head_b = w.objects["person"]["B"]
    typed = PersonData(
        name="Nama Ketikan Pemohon", sex="P", nik=head_b.nik, birth_date=head_b.birth_date, village=region(AREAS["A"])
    )
    w.put("registration_request", "A", person_register(actor=psm["A"], data=typed))
    return w
