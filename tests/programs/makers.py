"""Programs test data: registry records in a given state, and enrollments built through the services."""

from datetime import date
from decimal import Decimal
from typing import Any

from pilar.programs import services
from pilar.programs.models import Enrollment, HouseAssessment, Program
from pilar.registry.models import PpksRecord, PpksStatus
from tests.conftest import KEL_A
from tests.factories import region
from tests.registry.makers import household_in, person_in, propose

POOR_FAMILY = "PPKS-24"
ELDERLY = "PPKS-08"
CHILD = "PPKS-02"
GOOD_HOUSE = {
    k: "baik" for k in ("structure", "roof", "walls", "floor", "sanitation", "water", "light_air", "electricity")
}
BAD_HOUSE = GOOD_HOUSE | {"roof": "rusak_berat", "walls": "rusak_berat", "sanitation": "rusak_ringan"}


RTLH = "RTLH"  # the registry's record of an uninhabitable house: what Bedah Rumah takes


def record(
    category: str = POOR_FAMILY, *, kelurahan: str = KEL_A, status: str = PpksStatus.VALIDATED, **kwargs: Any
) -> PpksRecord:
    """A registry record of ``category`` (a household for family kinds, else a person) already in ``status``;
    the verval itself is the registry's and tested there."""
    if category in (POOR_FAMILY, RTLH) and "household" not in kwargs and "person" not in kwargs:
        kwargs["household"] = household_in(kelurahan)
    rec = propose(None, kelurahan_code=kelurahan, category=category, **kwargs)
    PpksRecord.objects.filter(pk=rec.pk).update(status=status)
    rec.refresh_from_db()
    return rec


def program(code: str) -> Program:
    return Program.objects.get(code=code)


def proposed(code: str, rec: PpksRecord, actor: Any, period: str = "") -> Enrollment:
    return services.enrollment_propose(actor=actor, program=program(code), record=rec, period=period)


def approved(code: str, rec: PpksRecord, proposer: Any, approver: Any) -> Enrollment:
    return services.enrollment_approve(enrollment=proposed(code, rec, proposer), actor=approver)


def assessed(enrollment: Enrollment, actor: Any, checklist: dict | None = None, **kwargs: Any) -> HouseAssessment:
    return services.house_assess(
        enrollment=enrollment,
        actor=actor,
        checklist=checklist or BAD_HOUSE,
        floor_area=kwargs.pop("floor_area", Decimal("36")),
        occupants=kwargs.pop("occupants", 4),
        on=kwargs.pop("on", date.today()),
        **kwargs,
    )


__all__ = ["region", "person_in"]
