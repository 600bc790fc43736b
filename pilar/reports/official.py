"""The figures of the five official reports, city-wide, for a month or a year: tables as plain JSON.

What a report shows is decided here once; ``official_files`` draws the same JSON as PDF and as XLSX, and the
snapshot keeps it beside the files. A table is ``{"title", "columns": [{"label", "type"}], "rows", "totals"}``
with ``type`` one of ``text``, ``int``, ``money`` (whole rupiah), ``percent`` (a fraction, 0.85) or ``decimal``;
cells are numbers where the column is a number. The row number ("No") is the renderers', not the figures'.

PPKS counts come from the summary tables (``pilar.stats``), less the records of persons whose processing is
restricted (UU PDP), as the dashboard shows them to the head of office; the rest (workers, cases, referrals,
enrollments, payroll) are thousands of rows and are counted live.
"""

import json
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar.incentives.eligibility import bulan_tahun
from pilar.regions.selectors import city_kecamatan, city_villages
from pilar.reports.figures import restricted_records
from pilar.reports.filters import Period, add_months, this_month
from pilar.reports.models import ReportKind
from pilar.stats import tally
from pilar.stats.models import PpksMonth, PpksTally

Table = dict[str, Any]


def report_period(text: str) -> Period:
    """``2026-11`` (a month) or ``2026`` (a year), not in the future; otherwise a field error in Indonesian."""
    text = (text or "").strip()
    message = _("Periode laporan tidak dikenal: tulis 2026-11 (bulan) atau 2026 (tahun).")
    try:
        if len(text) == 4 and text.isdigit():
            period = Period(date(int(text), 1, 1), date(int(text), 12, 1), text)
        elif len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
            month = date(int(text[:4]), int(text[5:]), 1)
            period = Period(month, month, text)
        else:
            raise ValueError(text)
    except ValueError:
        raise ValidationError({"period": [message]}) from None
    if period.start > this_month():
        raise ValidationError({"period": [_("Periode %(p)s belum dimulai.") % {"p": text}]})
    if period.start.year < 2000:
        raise ValidationError({"period": [_("Periode laporan paling awal tahun 2000.")]})
    return period


def report_kind(text: str) -> ReportKind:
    try:
        return ReportKind(text)
    except ValueError:
        choices = ", ".join(k.value for k in ReportKind)
        raise ValidationError(
            {"kind": [_("Jenis laporan %(k)s tidak dikenal; pilih salah satu: %(c)s.") % {"k": text, "c": choices}]}
        ) from None


def period_label(period: Period) -> str:
    return bulan_tahun(period.start) if period.start == period.end else _("Tahun %(y)s") % {"y": period.start.year}


def col(label: str, kind: str = "int") -> dict[str, str]:
    return {"label": label, "type": kind}


def table(title: str, columns: list[dict[str, str]], rows: list[list[Any]], *, totals: bool = True) -> Table:
    """A table whose totals row sums every column but ratio columns (left empty) under a "Jumlah" label."""
    total_row: list[Any] | None = None
    if totals:
        total_row = [_("Jumlah") if i == 0 else "" for i in range(len(columns))]
        for i, c in enumerate(columns):
            if c["type"] in ("int", "money"):
                total_row[i] = sum(r[i] or 0 for r in rows)
    return {"title": title, "columns": columns, "rows": rows, "totals": total_row}


def bounds(period: Period) -> tuple[datetime, datetime]:
    """The period's first instant and the instant after it, in Asia/Jakarta."""
    start = timezone.make_aware(datetime.combine(period.start, time.min))
    return start, timezone.make_aware(datetime.combine(add_months(period.end, 1), time.min))


def ratio(part: int | float | Decimal, whole: int | float | Decimal) -> float | None:
    return round(float(part) / float(whole), 4) if whole else None


# -- PPKS ---------------------------------------------------------------------------------------------------


def ppks_moves(period: Period) -> dict[tuple[int, int, int], list[int]]:
    """Per (kecamatan, kelurahan, category): [active at the start, entered, exited, active at the end]."""
    tally.catch_up()
    hidden = restricted_records(Q())
    active: Counter = Counter()
    for kec, kel, cat, n in PpksTally.objects.filter(status=tally.VALIDATED).values_list(
        "kecamatan_id", "kelurahan_id", "category_id", "count"
    ):
        active[(kec, kel, cat)] += n
    moves: dict[tuple, list[int]] = {}  # key -> [entered in period, exited in period, net change after it]
    for row in PpksMonth.objects.filter(month__gte=period.start).values_list(
        "month", "kecamatan_id", "kelurahan_id", "category_id", "entered", "exited"
    ):
        _move(moves, row[0], row[1:4], row[4], row[5], period)
    for record in hidden:
        for key in tally.contributions(record, record["status"]):
            if key[0] == "t":
                if key[4] == tally.VALIDATED:
                    active[tuple(key[1:4])] -= 1
            elif key[1] is not None and key[1] >= period.start:
                _move(moves, key[1], tuple(key[2:5]), -(key[0] == "e"), -(key[0] == "x"), period)
    out = {}
    for key in set(active) | set(moves):
        entered, exited, after = moves.get(key, [0, 0, 0])
        end = active[key] - after
        out[key] = [end - entered + exited, entered, exited, end]
    return out


def _move(moves: dict, month: date, key: tuple, entered: int, exited: int, period: Period) -> None:
    row = moves.setdefault(tuple(key), [0, 0, 0])
    if month <= period.end:
        row[0] += entered
        row[1] += exited
    else:
        row[2] += entered - exited


def _ppks_columns(*first: dict[str, str]) -> list[dict[str, str]]:
    return [*first, col(_("Aktif awal periode")), col(_("Masuk")), col(_("Keluar")), col(_("Aktif akhir periode"))]


def _sum_by(moves: dict, position: int) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for key, values in moves.items():
        row = out.setdefault(key[position], [0, 0, 0, 0])
        for i, v in enumerate(values):
            row[i] += v
    return out


def ppks_report(period: Period) -> list[Table]:
    from pilar.registry.models import Category

    moves = ppks_moves(period)
    by_kec, by_kel, by_cat = _sum_by(moves, 0), _sum_by(moves, 1), _sum_by(moves, 2)
    zero = [0, 0, 0, 0]
    kecamatan = [[k.name, *by_kec.get(k.pk, zero)] for k in city_kecamatan()]
    villages = [
        [v.parent.name if v.parent else "", v.name, *by_kel.get(v.pk, zero)]
        for v in city_villages().select_related("parent")
    ]
    categories = [[c.name, *by_cat[c.pk]] for c in Category.objects.order_by("kind", "number") if c.pk in by_cat]
    return [
        table(_("PPKS per kecamatan"), _ppks_columns(col(_("Kecamatan"), "text")), kecamatan),
        table(
            _("PPKS per kelurahan"), _ppks_columns(col(_("Kecamatan"), "text"), col(_("Kelurahan"), "text")), villages
        ),
        table(_("PPKS per kategori"), _ppks_columns(col(_("Kategori"), "text")), categories),
    ]


# -- PSM and TKSK -------------------------------------------------------------------------------------------


def workforce_report(period: Period) -> list[Table]:
    """Workers serving at the period's end (joined by then, and active then: still active, or left after it)."""
    from pilar.workers.models import Worker

    end = add_months(period.end, 1) - timedelta(days=1)
    serving = Worker.objects.filter(joined_on__lte=end).filter(Q(status="aktif") | Q(status_date__gt=end))
    counts = Counter(
        (w["role"], w["kecamatan_id"], w["kelurahan_id"])
        for w in serving.values("role", "kecamatan_id", "kelurahan_id")
    )
    psm_kel: Counter[int] = Counter()
    psm_kec: Counter[int] = Counter()
    tksk_kec: Counter[int] = Counter()
    for (role, kec, kel), n in counts.items():
        if role == "psm":
            psm_kel[kel] += n
            psm_kec[kec] += n
        else:
            tksk_kec[kec] += n
    active = _sum_by(ppks_moves(period), 1)
    villages = list(city_villages().select_related("parent"))
    without = Counter(v.parent_id for v in villages if not psm_kel[v.pk])
    per_kec = Counter(v.parent_id for v in villages)
    kec_rows = [[k.name, tksk_kec[k.pk], psm_kec[k.pk], per_kec[k.pk], without[k.pk]] for k in city_kecamatan()]
    kel_rows = []
    for v in villages:
        ppks = active.get(v.pk, [0, 0, 0, 0])[3]
        per_psm = round(ppks / psm_kel[v.pk], 1) if psm_kel[v.pk] else None
        kel_rows.append([v.parent.name if v.parent else "", v.name, psm_kel[v.pk], ppks, per_psm])
    return [
        table(
            _("PSM dan TKSK per kecamatan"),
            [
                col(_("Kecamatan"), "text"),
                col(_("TKSK aktif")),
                col(_("PSM aktif")),
                col(_("Kelurahan")),
                col(_("Kelurahan tanpa PSM aktif")),
            ],
            kec_rows,
        ),
        table(
            _("PSM per kelurahan"),
            [
                col(_("Kecamatan"), "text"),
                col(_("Kelurahan"), "text"),
                col(_("PSM aktif")),
                col(_("PPKS aktif")),
                col(_("PPKS per PSM"), "decimal"),
            ],
            kel_rows,
        ),
    ]


# -- Programs -----------------------------------------------------------------------------------------------


def programs_report(period: Period) -> list[Table]:
    """Per program: the quota of its periods that overlap the report's, beside what was delivered in them."""
    from pilar.programs.models import QUOTA_STATUSES, Enrollment, EnrollmentStatus, Program, ProgramPeriod

    end = add_months(period.end, 1) - timedelta(days=1)
    periods = ProgramPeriod.objects.filter(starts_on__lte=end, ends_on__gte=period.start)
    quota = dict(periods.values("program").annotate(q=Sum("quota")).values_list("program", "q").order_by())
    enrolled = Enrollment.objects.filter(period__in=periods).order_by().values("program")
    approved = dict(enrolled.filter(status__in=QUOTA_STATUSES).annotate(n=Count("id")).values_list("program", "n"))
    done = (EnrollmentStatus.DELIVERED, EnrollmentStatus.COMPLETED)
    delivered = dict(enrolled.filter(status__in=done).annotate(n=Count("id")).values_list("program", "n"))
    in_period = Enrollment.objects.filter(delivered_on__gte=period.start, delivered_on__lte=end).order_by()
    value = {
        r["program"]: (r["n"], int(r["v"] or 0))
        for r in in_period.values("program").annotate(n=Count("id"), v=Sum("amount"))
    }
    rows = []
    for p in Program.objects.order_by("name"):
        target = quota.get(p.pk) or 0
        n, v = value.get(p.pk, (0, 0))
        rows.append(
            [
                p.name,
                p.get_kind_display(),
                target,
                approved.get(p.pk, 0),
                delivered.get(p.pk, 0),
                ratio(delivered.get(p.pk, 0), target),
                n,
                v,
            ]
        )
    return [
        table(
            _("Realisasi program: target dan penyaluran"),
            [
                col(_("Program"), "text"),
                col(_("Jenis"), "text"),
                col(_("Target (kuota)")),
                col(_("Penerima disetujui")),
                col(_("Tersalurkan")),
                col(_("Realisasi"), "percent"),
                col(_("Disalurkan dalam periode")),
                col(_("Nilai disalurkan dalam periode"), "money"),
            ],
            rows,
        ),
    ]


# -- Cases and referrals ------------------------------------------------------------------------------------


def cases_report(period: Period) -> list[Table]:
    from pilar.cases.models import Case, Outcome
    from pilar.referrals.models import Referral, ReferralStatus

    start, after = bounds(period)
    cases = Case.objects.order_by()
    opened = Counter(
        dict(
            cases.filter(created_at__gte=start, created_at__lt=after)
            .values("kecamatan_id")
            .annotate(n=Count("id"))
            .values_list("kecamatan_id", "n")
        )
    )
    closed_qs = cases.filter(closed_at__gte=start, closed_at__lt=after)
    closed = Counter(dict(closed_qs.values("kecamatan_id").annotate(n=Count("id")).values_list("kecamatan_id", "n")))
    still = cases.filter(created_at__lt=after).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=after))
    open_end = Counter(dict(still.values("kecamatan_id").annotate(n=Count("id")).values_list("kecamatan_id", "n")))
    kec_rows = [[k.name, opened[k.pk], closed[k.pk], open_end[k.pk]] for k in city_kecamatan()]
    outcomes = Counter(dict(closed_qs.values("outcome").annotate(n=Count("id")).values_list("outcome", "n")))
    outcome_rows = [[label, outcomes[value]] for value, label in Outcome.choices]
    sent = Referral.objects.filter(sent_at__gte=start, sent_at__lt=after).order_by()
    by_agency: dict[str, Counter] = {}
    for name, status, n in sent.values_list("agency__name", "status").annotate(n=Count("id")):
        by_agency.setdefault(name, Counter())[status] += n
    s = ReferralStatus
    referral_rows = [
        [name, sum(c.values()), c[s.SENT], c[s.ACCEPTED] + c[s.IN_PROGRESS], c[s.COMPLETED], c[s.DECLINED]]
        for name, c in sorted(by_agency.items())
    ]
    return [
        table(
            _("Kasus per kecamatan"),
            [
                col(_("Kecamatan"), "text"),
                col(_("Kasus baru")),
                col(_("Kasus ditutup")),
                col(_("Kasus terbuka akhir periode")),
            ],
            kec_rows,
        ),
        table(_("Kasus ditutup menurut hasil"), [col(_("Hasil"), "text"), col(_("Jumlah"))], outcome_rows),
        table(
            _("Rujukan ke OPD yang dikirim dalam periode, menurut status sekarang"),
            [
                col(_("OPD tujuan"), "text"),
                col(_("Dikirim")),
                col(_("Belum dijawab")),
                col(_("Diterima/diproses")),
                col(_("Selesai")),
                col(_("Ditolak")),
            ],
            referral_rows,
        ),
    ]


# -- Incentives ---------------------------------------------------------------------------------------------


def incentives_report(period: Period) -> list[Table]:
    """Month by month of the year up to the period's end: the need (active PSM × rate) beside what was paid."""
    from pilar.incentives.models import PayrollLine, PayrollRun
    from pilar.incentives.selectors import budget

    months = [m for m in budget(period.end.year) if m.month <= period.end]
    month_rows = [
        [
            bulan_tahun(m.month),
            int(m.rate),
            m.active_psm,
            int(m.planned),
            m.paid_count,
            int(m.paid),
            int(m.planned - m.paid),
            ratio(m.paid, m.planned),
        ]
        for m in months
    ]
    end = add_months(period.end, 1) - timedelta(days=1)
    lines = PayrollLine.objects.filter(
        paid_month__gte=period.start, paid_month__lte=end, run__status=PayrollRun.Status.APPROVED
    ).order_by()
    paid = {
        r["kecamatan_id"]: (r["n"], int(r["total"] or 0))
        for r in lines.values("kecamatan_id").annotate(n=Count("id"), total=Sum("amount"))
    }
    kec_rows = [[k.name, *paid.get(k.pk, (0, 0))] for k in city_kecamatan()]
    monthly = table(
        _("Realisasi dan kebutuhan anggaran insentif per bulan, tahun %(y)s") % {"y": period.end.year},
        [
            col(_("Bulan"), "text"),
            col(_("Tarif"), "money"),
            col(_("PSM aktif")),
            col(_("Kebutuhan anggaran"), "money"),
            col(_("PSM dibayar")),
            col(_("Realisasi"), "money"),
            col(_("Sisa"), "money"),
            col(_("Realisasi"), "percent"),
        ],
        month_rows,
    )
    if monthly["totals"]:
        monthly["totals"][1] = ""  # rates do not add up
        monthly["totals"][2] = ""
        monthly["totals"][7] = ratio(monthly["totals"][5], monthly["totals"][3])
    return [
        monthly,
        table(
            _("Insentif dibayar per kecamatan untuk bulan-bulan periode (penggajian disetujui)"),
            [col(_("Kecamatan"), "text"), col(_("PSM dibayar")), col(_("Jumlah"), "money")],
            kec_rows,
        ),
    ]


BUILDERS: dict[str, Callable[[Period], list[Table]]] = {
    ReportKind.PPKS: ppks_report,
    ReportKind.WORKFORCE: workforce_report,
    ReportKind.PROGRAMS: programs_report,
    ReportKind.CASES: cases_report,
    ReportKind.INCENTIVES: incentives_report,
}


def report_figures(kind: ReportKind, period: Period) -> dict[str, Any]:
    """Everything the report's files show, as JSON: kept in the snapshot, drawn by ``official_files``."""
    figures = {
        "kind": kind.value,
        "title": str(kind.label),
        "period": period.code,
        "period_label": period_label(period),
        "as_of": timezone.localtime().isoformat(),
        "tables": BUILDERS[kind](period),
    }
    # Through JSON and back: the files are drawn from exactly what the snapshot keeps (labels as text).
    return json.loads(json.dumps(figures, cls=DjangoJSONEncoder))
