"""``{% training_history worker as rows %}``: the worker's trainings as the current user may see them.

Used by the worker page's "Riwayat pelatihan" section; ``None`` when the user may not see trainings."""

from typing import Any

from django import template

from pilar.accounts.permissions import Perm, can
from pilar.trainings.selectors import worker_history

register = template.Library()


@register.simple_tag(takes_context=True)
def training_history(context: template.Context, worker: Any) -> list | None:
    user = context.get("user") or getattr(context.get("request"), "user", None)
    if worker is None or not can(user, Perm.TRAINING_VIEW):
        return None
    return list(worker_history(user, worker))
