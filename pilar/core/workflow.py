"""One way to write a workflow: each stateful record declares its states and steps once, in its app's ``workflow.py``.

From a ``Workflow`` declaration follow the steps a user is offered on a page (``offered``), the guard each step's
service calls first (``guard``: row lock, source state, permission, rules), the generic page view and URL of each
step (``pilar.core.workflow_views``), its ``POST …/<id>/<step>`` API endpoint (``pilar.api.workflow``), the one
template partial for the action forms (``core/_workflow_steps.html``) and the labels of the timeline's events.

Why not a state-machine library: django-fsm (archived, now inside viewflow) and ``transitions`` change the state
on an in-memory instance through a model method. Pilar's services already do more — lock the row, re-read it,
write the event and the audit entry in one transaction — and pages and API call the same keyword-only functions.
A library would sit beside that pattern, not replace it; this declaration feeds it instead.

``core`` knows no other part of Pilar: permissions are checked through the ``may`` callable the app declares.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import MISSING, dataclass, field, fields, replace
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.forms import Form
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from pilar.core.errors import DomainError
from pilar.core.forms import form_arguments

Text = str | Promise  # a message, or one translated when shown (gettext_lazy)


class Refused(DomainError):
    """A step refused by its declaration: 403 (not this user's to take), 409 (the record is no longer where the
    step starts, e.g. someone else answered first). Pages and the API each translate it in one place.

    ``page_status``: the status the record's page answers with, when an older contract made it differ from the
    API's (a case plan decided by its own author: 409 on the page, 403 in the API)."""

    def __init__(
        self,
        message: str,
        *,
        status: int = 409,
        field: str | None = "status",
        code: str = "",
        page_status: int | None = None,
    ):
        super().__init__(message, field=field, code=code or ("forbidden" if status == 403 else "conflict"))
        self.status = status
        self.page_status = page_status or status
        self.errors = True  # the API lists ``errors`` beside ``detail`` (see ``Workflow.refused_errors``)


class Forbidden(Refused, PermissionDenied):
    """A 403 refusal: also a ``PermissionDenied``, so that callers which only know Django's refusal see one."""


def refuse(message: str, *, status: int = 409, **kwargs: Any) -> Refused:
    """The refusal for ``status``: ``Forbidden`` for 403, ``Refused`` otherwise."""
    return (Forbidden if status == 403 else Refused)(message, status=status, **kwargs)


@dataclass(frozen=True)
class Rule:
    """A condition beyond the source state and the permission ("not by the proposer"), with its refusal."""

    test: Callable[[Any, Any], bool]  # (user, record) -> allowed
    message: Text
    status: int = 403
    code: str = ""  # the refusal's code, when callers tell this rule apart ("own_plan")
    page_status: int | None = None  # see ``Refused``


@dataclass(frozen=True, kw_only=True)
class Step:
    """One step. What several steps of a workflow share (their permission, their source states) is said once in
    ``Workflow.defaults``; the service is found by name, ``Workflow.service_prefix`` + ``name``, unless named."""

    name: str  # API segment and URL name: "accept"
    label: Text  # heading of the action form: "Terima rujukan"
    path: str  # page URL segment: "terima"
    done: Text | Callable[[Any], Text] = ""  # message after success (or one made from the record as it was)
    sources: tuple[str, ...] = ()  # states the step starts from
    form: type[Form] = Form  # the bare ``Form``: a step that asks nothing, the button is the whole form
    service: str = ""  # function name in the workflow's services module
    perm: Any = None  # the permission, checked through ``Workflow.may``
    refused: Text = ""  # message when the record is no longer in ``sources`` (409)
    button: Text = ""  # button text; the label when empty
    style: str = ""  # button class: "danger", "secondary"
    help: Text = ""  # one line under the heading
    # What a consequential step will do (a text, or one made from the record): the form then asks first, through
    # the shared confirmation (``layout/_confirm.html``), whose second button says ``yes``.
    confirm: Text | Callable[[Any], Text] = ""
    yes: Text = ""
    rules: tuple[Rule, ...] = ()
    event: str = ""  # the code its event and audit entry carry: "accepted"
    api_doc: str = ""  # the endpoint's description in the API documentation
    api_path: str = ""  # the API's segment when it is not ``name`` ("approve-plan"); "-": no endpoint
    api_fields: dict[str, dict[str, Any]] = field(default_factory=dict)  # schema the form cannot derive (lists)
    # Where to go after success when not the record's page: a URL name (a step that removes it), or a function of
    # what the service returned (the import it queued anew).
    after: str | Callable[[Any], Any] = ""
    initial: Callable[[Any], dict[str, Any]] | None = None  # initial form values from the record
    form_kwargs: Callable[[Any, Any], dict[str, Any]] | None = None  # (user, record) -> the form's own kwargs
    rename: dict[str, str] = field(default_factory=dict)  # form field -> the service's keyword ("file": "upload")

    def bind(self, data: Any = None, files: Any = None, record: Any = None, user: Any = None) -> Form:
        kwargs: dict[str, Any] = {"auto_id": f"id_{self.name}_%s"}
        if self.initial is not None and record is not None and data is None:
            kwargs["initial"] = self.initial(record)  # else the form's own initial values (a date of today)
        if self.form_kwargs is not None:
            kwargs.update(self.form_kwargs(user, record))
        return self.form(data, files, **kwargs)

    def arguments(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        """The service's keyword arguments from the form's cleaned data."""
        return form_arguments(cleaned, self.rename)

    def confirm_text(self, record: Any) -> str:
        return str(self.confirm(record) if callable(self.confirm) else self.confirm)

    def done_text(self, record: Any) -> str:
        return str(self.done(record) if callable(self.done) else self.done)


def user_kwargs(user: Any, record: Any) -> dict[str, Any]:
    """``form_kwargs`` of the forms that narrow their choices to the user's own scope: the user, whatever the record."""
    return {"user": user}


_STEP_DEFAULTS = {f.name: f.default for f in fields(Step) if f.default is not MISSING}


def _unset(step: Step, name: str) -> bool:
    """The step leaves ``name`` at its dataclass default. A lazily translated text never does (and is not
    compared: that would translate it when the app is imported)."""
    value = getattr(step, name)
    return not isinstance(value, Promise) and bool(value == _STEP_DEFAULTS[name])


@dataclass(frozen=True)
class Workflow:
    model: type[models.Model]
    steps: tuple[Step, ...]
    may: Callable[[Any, Any, Any], bool]  # (user, perm, record) -> the user holds perm on record
    # How services name the record: ``referral_accept(referral=…)``; by default the model's name, its last word
    # when it has several (``PayrollRun``: ``run``).
    kwarg: str = ""
    services: str = ""  # dotted module holding the step services; by default the model's app's ``services``
    state_field: str = "status"
    events: dict[str, Text] = field(default_factory=dict)  # timeline labels of events that are no step's own
    # Codes of a service's ``ValidationError`` that are conflicts with the data, not input mistakes (a full quota):
    # the API answers them with 409, pages with the form's error.
    conflicts: tuple[str, ...] = ()
    # Older API contracts of a refusal's body: the field its message sits on (None: the record as a whole), and
    # whether it lists ``errors`` at all beside ``detail``.
    refused_field: str | None = "status"
    refused_errors: bool = True
    # Step fields shared by the steps that leave them unset ("perm": Perm.CASE_MANAGE), and the prefix of the
    # services' names where a step names none (by default ``kwarg`` + "_": the case's step "close" runs
    # ``case_close``).
    defaults: dict[str, Any] = field(default_factory=dict)
    service_prefix: str = ""
    by_name: dict[str, Step] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.kwarg:
            object.__setattr__(self, "kwarg", re.findall(r"[A-Z][^A-Z]*", self.model.__name__)[-1].lower())
        if not self.services:
            object.__setattr__(self, "services", self.model.__module__.rsplit(".", 1)[0] + ".services")
        if not self.service_prefix:
            object.__setattr__(self, "service_prefix", self.kwarg + "_")
        steps = tuple(self._completed(step) for step in self.steps)
        object.__setattr__(self, "steps", steps)
        object.__setattr__(self, "by_name", {s.name: s for s in steps})

    def _completed(self, step: Step) -> Step:
        shared = {k: v for k, v in self.defaults.items() if _unset(step, k)}
        step = replace(step, **shared, service=step.service or self.service_prefix + step.name)
        missing = [name for name in ("sources", "perm", "refused", "done") if _unset(step, name)]
        if missing:  # a declaration mistake, found when the app is imported rather than when the step runs
            raise TypeError(f"{self.model.__name__} step {step.name!r} has no {', '.join(missing)}")
        return step

    def step(self, name: str) -> Step:
        return self.by_name[name]

    def state(self, record: Any) -> str:
        return str(getattr(record, self.state_field))

    def refusal(self, step: Step, user: Any, record: Any) -> Refused | None:
        """Why ``user`` may not take ``step`` on ``record`` as it is now, or None."""
        refusal: Refused | None = None
        if self.state(record) not in step.sources:
            refusal = refuse(str(step.refused), status=409, field=self.refused_field)
        elif user is not None and not self.may(user, step.perm, record):
            refusal = refuse(_("Anda tidak memiliki izin untuk tindakan ini."), status=403, field=None)
        else:
            for rule in step.rules:
                if not rule.test(user, record):
                    refusal = refuse(
                        str(rule.message), status=rule.status, field=None, code=rule.code, page_status=rule.page_status
                    )
                    break
        if refusal is not None:
            refusal.errors = self.refused_errors
        return refusal

    def guard(self, name: str, record: Any, actor: Any) -> Any:
        """What every step's service calls first, inside its transaction: the row, locked and re-read (the state
        another user just set is the one that counts), or ``Refused``. ``actor=None`` is Pilar itself."""
        fresh = type(record).objects.select_for_update().get(pk=record.pk)
        refusal = self.refusal(self.step(name), actor, fresh)
        if refusal is not None:
            raise refusal
        return fresh

    def offered(self, user: Any, record: Any) -> list[Step]:
        """The steps the page offers ``user`` (a courtesy: the service's guard decides)."""
        return [s for s in self.steps if self.refusal(s, user, record) is None]

    def offered_forms(self, user: Any, record: Any) -> dict[str, Form]:
        return {s.name: s.bind(record=record, user=user) for s in self.offered(user, record)}

    def service(self, step: Step) -> Callable[..., Any]:
        service: Callable[..., Any] = import_string(f"{self.services}.{step.service}")
        return service

    def run(self, step: Step, record: Any, actor: Any, data: dict[str, Any]) -> Any:
        return self.service(step)(**{self.kwarg: record}, actor=actor, **step.arguments(data))

    def event_label(self, code: str, choices: Iterable[tuple[str, Any]] = ()) -> str:
        """The label of an event code in a timeline: the record's event choices, the declaration's ``events``,
        else the label of the step that writes it."""
        found = dict(choices).get(code, self.events.get(code))
        if found is not None:
            return str(found)
        step = next((s for s in self.steps if s.event == code), None)
        return str(step.label) if step else code
