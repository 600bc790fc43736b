"""Retention rules as data, run nightly by the scheduler (job ``retention``); every run is audited."""

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from pilar.audit import services as audit
from pilar.identity.models import Person
from pilar.rights.models import RetentionRule, RetentionRun
from pilar.rights.services import _anonymise, legal_holds


def _complaint_contacts(days: int) -> int:
    from pilar.complaints.services import complaints_erase_contacts

    return complaints_erase_contacts(triaged_before=timezone.now() - timedelta(days=days))


def _exited_ppks(days: int) -> int:
    """Anonymise persons whose every PPKS record left the registry more than ``days`` ago, unless held."""
    from pilar.registry.models import PpksRecord, PpksStatus

    cutoff = timezone.localdate() - timedelta(days=days)
    still_in = PpksRecord.objects.exclude(status=PpksStatus.EXITED, exit_date__lt=cutoff).values("person_id")
    exited = Person.objects.filter(ppks_records__status=PpksStatus.EXITED, ppks_records__exit_date__lt=cutoff)
    candidates = exited.filter(anonymised_at__isnull=True).exclude(pk__in=still_in).distinct()
    done = 0
    for person in candidates.iterator(chunk_size=500):
        if not legal_holds(person):
            _anonymise(person)
            done += 1
    return done


# By the rule's kind as stored (a plain string on a loaded rule).
RUNNERS: dict[str, Callable[[int], int]] = {
    RetentionRule.Kind.COMPLAINT_CONTACTS: _complaint_contacts,
    RetentionRule.Kind.EXITED_PPKS: _exited_ppks,
}


@transaction.atomic
def retention_run(rule: RetentionRule) -> RetentionRun:
    affected = RUNNERS[rule.kind](rule.days)
    run = RetentionRun.objects.create(rule=rule, affected=affected)
    audit.record(None, "rights.retention.ran", run, data={"rule": rule.kind, "days": rule.days, "affected": affected})
    return run


def retention_run_all() -> int:
    """Every active rule once; returns how many records were erased or anonymised in all."""
    return sum(retention_run(rule).affected for rule in RetentionRule.objects.filter(active=True))
