"""Every change to a case: one function each, keyword-only, in a transaction, with its event and audit entry.

Pages, API, commands, tasks and other apps (complaints, referrals) call these and nothing else.
"""

from pilar.cases.services.overdue import case_remind_overdue
from pilar.cases.services.plans import case_assess, case_plan_approve, case_plan_return, case_plan_submit
from pilar.cases.services.timeline import case_document_add, case_note_add, case_visit_add
from pilar.cases.services.transfers import case_assign, case_transfer, case_transfer_accept, case_transfer_decline
from pilar.cases.services.workflow import case_advance, case_close, case_link_subject, case_open, case_reopen

__all__ = [
    "case_advance",
    "case_assess",
    "case_assign",
    "case_close",
    "case_document_add",
    "case_link_subject",
    "case_note_add",
    "case_open",
    "case_plan_approve",
    "case_plan_return",
    "case_plan_submit",
    "case_remind_overdue",
    "case_reopen",
    "case_transfer",
    "case_transfer_accept",
    "case_transfer_decline",
    "case_visit_add",
]
