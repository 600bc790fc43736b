"""The API endpoint of each workflow step, from its declaration: ``POST …/<id>/<step.name>``.

Every step answers alike: the record through ``load`` (404 outside the user's scope), 403 without the step's
permission, the step's form over the JSON body (400 with the message on the field), its service (400 on a field,
``Refused`` 403/409 through ``api.on_refused``), then the record as ``detail`` shows it. The request body's schema
is derived from the step's form.
"""

import inspect
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Body, Router, Schema

from pilar.api.form_schema import form_body, valid_form
from pilar.core.errors import DomainError
from pilar.core.workflow import Step, Workflow


class HistoryOut(Schema):
    """One row of a record's status history (its ``events``); each app's row adds its own fields."""

    action: str
    from_status: str
    to_status: str
    actor: str | None
    at: datetime


def history_row(event: Any, **extra: Any) -> dict[str, Any]:
    """``HistoryOut``'s fields of one history row (with ``actor`` selected), and ``extra``."""
    return {
        "action": event.action,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "actor": event.actor.username if event.actor is not None else None,
        "at": event.at,
        **extra,
    }


def step_routes(
    router: Router,
    workflow: Workflow,
    *,
    id_param: str,
    noun: str,
    load: Callable[..., Any],  # (user, id), and ``extra_ids`` by name
    detail: Callable[[Any, Any], dict[str, Any]],
    response: Any,
    module: str,
    reload: Callable[..., Any] | None = None,
    operation_id: str = "",
    name: str = "",
    path_prefix: str = "",
    extra_ids: tuple[str, ...] = (),
    answer: Callable[[Any, Any], Any] | None = None,
    path_id: str = "",
) -> None:
    """Adds one endpoint per step to ``router``: ``/{path_id}/<step.api_path or step.name>`` where ``path_id`` is
    the path's id part as the app has always written it (``int:referral_id``; ``id_param`` by default), named
    ``<step>_<noun>`` in ``module``, or ``operation_id`` formatted with ``step`` (the OpenAPI operation ids stay as
    they were).

    ``name``: the endpoint's function name formatted with ``step`` when not ``<step>_<noun>`` (its OpenAPI
    summary and operation id follow it).
    ``path_prefix``: what comes before the id in the router (``/participants``).
    ``reload``: what the answer shows, by the same id, when it is not the step's record (a case after its
    plan's decision); ``load`` by default.
    ``extra_ids``: further integer ids the path carries in ``path_prefix`` (``/{job_id}/conflicts``), passed to
    ``load`` and ``reload`` by name (a conflict is found inside its import).
    ``answer``: the endpoint's answer made from ``(request, what the service returned)`` instead of ``detail``
    (``Status(202, the retry job)``)."""
    for step in workflow.steps:
        if step.api_path == "-":
            continue
        endpoint = _endpoint(
            workflow,
            step,
            id_param=id_param,
            load=load,
            reload=reload or load,
            detail=detail,
            extra_ids=extra_ids,
            answer=answer,
        )
        endpoint.__name__ = endpoint.__qualname__ = name.format(step=step.name) if name else f"{step.name}_{noun}"
        endpoint.__module__ = module
        endpoint.__doc__ = step.api_doc or str(step.label)
        router.post(
            f"{path_prefix}/{{{path_id or id_param}}}/{step.api_path or step.name}",
            response=response,
            operation_id=operation_id.format(step=step.name) if operation_id else None,
            # What the form cannot say (lists, ids) comes from the step's ``api_fields``.
            openapi_extra=form_body(step.form, step.api_fields) if step.form.base_fields else None,
        )(endpoint)


def _conflict(workflow: Workflow, exc: ValidationError) -> DomainError | None:
    """The first of the service's errors whose code the workflow declares a conflict, as a 409."""
    for name, errors in getattr(exc, "error_dict", {}).items():
        for error in errors:
            if error.code in workflow.conflicts:
                return DomainError(" ".join(error.messages), field=name, code="conflict")
    return None


def _endpoint(
    workflow: Workflow,
    step: Step,
    *,
    id_param: str,
    load: Callable[..., Any],
    reload: Callable[..., Any],
    detail: Callable[[Any, Any], dict[str, Any]],
    extra_ids: tuple[str, ...],
    answer: Callable[[Any, Any], Any] | None,
) -> Callable[..., Any]:
    def endpoint(request: Any, **kwargs: Any) -> Any:
        pk = kwargs[id_param]
        ids = {name: kwargs[name] for name in extra_ids}
        record = load(request.user, pk, **ids)
        if not workflow.may(request.user, step.perm, record):
            raise PermissionDenied
        extra = step.form_kwargs(request.user, record) if step.form_kwargs else {}
        form = valid_form(step.form, kwargs.get("payload") or {}, **extra)
        try:
            result = workflow.run(step, record, request.user, form.cleaned_data)
        except ValidationError as exc:
            conflict = _conflict(workflow, exc)
            if conflict is None:
                raise
            raise conflict from exc
        if answer is not None:
            return answer(request, result)
        return detail(request, reload(request.user, pk, **ids))

    # Ninja reads the parameters from the signature: the id under the path's own name, the JSON body (none for a
    # step whose form has no fields).
    params = [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        *(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=int) for name in extra_ids),
        inspect.Parameter(id_param, inspect.Parameter.KEYWORD_ONLY, annotation=int),
    ]
    if step.form.base_fields:
        params.append(inspect.Parameter("payload", inspect.Parameter.KEYWORD_ONLY, annotation=Body[dict[str, Any]]))
    endpoint.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    return endpoint
