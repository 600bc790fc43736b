from typing import Any

from django.http import HttpRequest

from pilar.accounts.permissions import Perm, access_for


def access(request: HttpRequest) -> dict[str, Any]:
    """Expose the user's access and the permission names to every template."""
    return {"access": access_for(getattr(request, "user", None)), "Perm": Perm}
