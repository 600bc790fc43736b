"""The one page view that runs a workflow step, and the URL of each step, from the ``Workflow`` declaration.

POST ``<pk>/<step.path>/`` (``@idempotent``: a resend with the form's key gets the first answer): the record
through the app's ``load`` (404 outside the user's scope), 403 without the
step's permission, the step's form (400 and the record's page with the errors), its service (a field error 400;
``Refused`` 403/409 with its message on the record's page as it is now), then a redirect with ``step.done``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from pilar.core.errors import DomainError
from pilar.core.forms import add_domain_error, apply_service_errors
from pilar.core.idempotency import idempotent
from pilar.core.workflow import Refused, Step, Workflow

# (request, record, forms shown instead of the offered ones, status) -> the record's page
Page = Callable[[HttpRequest, Any, dict[str, Form], int], HttpResponse]
Load = Callable[[Any, int], Any]  # (user, pk) -> the record, 404 outside the user's scope


def step_view(workflow: Workflow, step: Step, *, load: Load, page: Page) -> Callable[..., HttpResponseBase]:
    # @idempotent: a step sent again with the same key (a double tap, or a phone resending after a dropped
    # answer) gets the first answer instead of a "already done" refusal; without a key it changes nothing.
    @login_required
    @require_POST
    @idempotent
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        record = load(request.user, pk)
        if not workflow.may(request.user, step.perm, record):
            raise PermissionDenied
        form = step.bind(request.POST, request.FILES, record=record, user=request.user)
        if not form.is_valid():
            return page(request, record, {step.name: form}, 400)
        try:
            result = workflow.run(step, record, request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return page(request, record, {step.name: form}, 400)
        except Refused as exc:
            return refused_page(request, exc, load(request.user, pk), page)
        except DomainError as exc:
            add_domain_error(form, exc)
            return page(request, record, {step.name: form}, 409 if exc.code == "conflict" else 400)
        messages.success(request, step.done_text(record))
        return redirect(step.after(result) if callable(step.after) else step.after or record)

    view.__name__ = view.__qualname__ = f"{workflow.kwarg}_{step.name}"
    return view


def refused_page(request: HttpRequest, exc: Refused, record: Any, page: Page) -> HttpResponse:
    """The record as it is now, the refusal said once above it, with the refusal's status (403 or 409)."""
    messages.error(request, exc.message)
    return page(request, record, {}, exc.page_status)


def step_urls(
    workflow: Workflow, *, load: Load, page: Page, prefix: str = "", name_prefix: str = ""
) -> list[URLPattern]:
    """``<prefix><int:pk>/<path>/`` named ``<name_prefix><step.name>``, for the app's ``urlpatterns``."""
    return [
        path(f"{prefix}<int:pk>/{s.path}/", step_view(workflow, s, load=load, page=page), name=name_prefix + s.name)
        for s in workflow.steps
    ]


@dataclass(frozen=True)
class StepForm:
    step: Step
    form: Form
    action: str
    confirm: str = ""  # the step's confirmation, said of this record


def step_forms(
    workflow: Workflow, namespace: str, user: Any, record: Any, failed: dict[str, Form], *, name_prefix: str = ""
) -> list[StepForm]:
    """The forms of the record's page (``core/_workflow_steps.html``): the offered steps in declaration order, a
    failed form in its step's place with its errors (also when the step is no longer offered)."""
    if record is None:
        return []
    forms = {**workflow.offered_forms(user, record), **failed}
    return [
        StepForm(
            s, forms[s.name], reverse(f"{namespace}:{name_prefix}{s.name}", args=[record.pk]), s.confirm_text(record)
        )
        for s in workflow.steps
        if s.name in forms
    ]
