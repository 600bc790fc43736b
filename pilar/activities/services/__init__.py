"""Every change to activity reports and the roadshow: one function each, keyword-only, in a transaction, with its
audit entry. Pages, API, commands and the demo call these and nothing else."""

from pilar.activities.services.reminders import reports_remind_missing
from pilar.activities.services.reports import (
    MAX_PHOTOS,
    ReportData,
    report_accept,
    report_add_photo,
    report_add_visit,
    report_create,
    report_remove_photo,
    report_remove_visit,
    report_return,
    report_submit,
    report_update,
)
from pilar.activities.services.roadshow import roadshow_cancel, roadshow_complete, roadshow_plan

__all__ = [
    "MAX_PHOTOS",
    "ReportData",
    "report_accept",
    "report_add_photo",
    "report_add_visit",
    "report_create",
    "report_remove_photo",
    "report_remove_visit",
    "report_return",
    "report_submit",
    "report_update",
    "reports_remind_missing",
    "roadshow_cancel",
    "roadshow_complete",
    "roadshow_plan",
]
