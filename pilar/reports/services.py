"""Making official reports: one snapshot per call (figures, PDF, XLSX, checksums, audit), and the monthly run."""

import hashlib
from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from pilar import audit
from pilar.accounts.models import User
from pilar.reports.filters import Period, add_months
from pilar.reports.models import ReportKind, ReportSnapshot
from pilar.reports.official import report_figures
from pilar.reports.official_files import report_pdf, report_xlsx


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@transaction.atomic
def report_generate(*, kind: ReportKind, period: Period, actor: User | None, automatic: bool = False) -> ReportSnapshot:
    """The report's figures as of now, drawn as PDF and XLSX and kept unchanged from here on."""
    figures = report_figures(kind, period)
    pdf, xlsx = report_pdf(figures), report_xlsx(figures)
    snapshot = ReportSnapshot.objects.create(
        kind=kind,
        period=period.code,
        figures=figures,
        pdf=pdf,
        xlsx=xlsx,
        checksum=sha256(pdf),
        xlsx_checksum=sha256(xlsx),
        automatic=automatic,
        created_by=actor if getattr(actor, "pk", None) else None,
        created_at=timezone.now(),
    )
    audit.record(
        actor,
        "reports.report.generated",
        snapshot,
        data={"kind": kind.value, "period": period.code, "checksum": snapshot.checksum, "automatic": automatic},
    )
    return snapshot


def due_periods(today: date) -> list[Period]:
    """What the worker makes after a month ends: the month just ended, and in January the year just ended."""
    last = add_months(today.replace(day=1), -1)
    periods = [Period(last, last, f"{last:%Y-%m}")]
    if last.month == 12:
        periods.append(Period(date(last.year, 1, 1), last, str(last.year)))
    return periods


def reports_generate_due(*, today: date | None = None) -> int:
    """Every kind for every due period that has no automatic report yet; announced to the head of office.

    Run daily by the task worker, so a worker that was down on the first catches up the next day; a second
    run (or a second worker) finds the reports made and adds none: the database allows one automatic report
    per kind and period.
    """
    today = today or timezone.localdate()
    made: list[ReportSnapshot] = []
    for period in due_periods(today):
        done = set(ReportSnapshot.objects.filter(period=period.code, automatic=True).values_list("kind", flat=True))
        for kind in ReportKind:
            if kind.value in done:
                continue
            try:
                made.append(report_generate(kind=kind, period=period, actor=None, automatic=True))
            except IntegrityError:  # another worker made it in the meantime
                continue
    if made:
        _announce(made)
    return len(made)


def _announce(made: list[ReportSnapshot]) -> None:
    from pilar.accounts.models import Role, RoleAssignment, User
    from pilar.notifications.services import notify

    heads = User.objects.filter(pk__in=RoleAssignment.objects.current().filter(role=Role.PIMPINAN).values("user"))
    periods = sorted({(s.period, s.figures["period_label"]) for s in made})
    labels = ", ".join(label for _code, label in periods)
    body = "Laporan dibuat otomatis oleh Pilar setelah akhir bulan; unduh PDF dan XLSX di arsip laporan."
    title = f"Laporan resmi {labels} sudah tersedia ({len(made)} laporan)"
    url = reverse("reports:archive") + f"?periode={periods[0][0]}"
    with transaction.atomic():
        notify(recipients=heads, kind="reports.monthly", title=title, url=url, body=body)
