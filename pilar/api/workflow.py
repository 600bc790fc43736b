"""The API endpoint of each workflow step, from its declaration: ``POST …/<id>/<step.name>``.

Every step answers alike: the record through ``load`` (404 outside the user's scope), 403 without the step's
permission, the step's form over the JSON body (400 with the message on the field), its service (400 on a field,
``Refused`` 403/409 through ``api.on_refused``), then the record as ``detail`` shows it. The request body's schema
is derived from the step's form.
"""

import inspect
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from ninja import Body, Router

from pilar.api.api import form_errors
from pilar.api.form_schema import bind, form_body
from pilar.core.workflow import Step, Workflow


def step_routes(
    router: Router,
    workflow: Workflow,
    *,
    id_param: str,
    path_id: str,
    noun: str,
    load: Callable[[Any, int], Any],
    detail: Callable[[Any, Any], dict[str, Any]],
    response: Any,
    module: str,
) -> None:
    """Adds one endpoint per step to ``router``: ``/{path_id}/<step.name>`` where ``path_id`` is the path's id part
    as the app has always written it (``int:referral_id``), named ``<step>_<noun>`` in ``module`` (the OpenAPI
    operation ids stay as they were)."""
    for step in workflow.steps:
        endpoint = _endpoint(workflow, step, id_param=id_param, load=load, detail=detail)
        endpoint.__name__ = endpoint.__qualname__ = f"{step.name}_{noun}"
        endpoint.__module__ = module
        endpoint.__doc__ = step.api_doc or str(step.label)
        router.post(f"/{{{path_id}}}/{step.name}", response=response, openapi_extra=form_body(step.form))(endpoint)


def _endpoint(
    workflow: Workflow,
    step: Step,
    *,
    id_param: str,
    load: Callable[[Any, int], Any],
    detail: Callable[[Any, Any], dict[str, Any]],
) -> Callable[..., Any]:
    def endpoint(request: Any, **kwargs: Any) -> dict[str, Any]:
        pk = kwargs[id_param]
        record = load(request.user, pk)
        if not workflow.may(request.user, step.perm, record):
            raise PermissionDenied
        form = bind(step.form, kwargs["payload"])
        if not form.is_valid():
            raise form_errors(form)
        workflow.run(step, record, request.user, form.cleaned_data)
        return detail(request, load(request.user, pk))

    # Ninja reads the parameters from the signature: the id under the path's own name, the JSON body.
    params = [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter(id_param, inspect.Parameter.KEYWORD_ONLY, annotation=int),
        inspect.Parameter("payload", inspect.Parameter.KEYWORD_ONLY, annotation=Body[dict[str, Any]]),
    ]
    endpoint.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    return endpoint
