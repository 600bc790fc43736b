from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse

from pilar.workers.selectors import counts


@login_required
def home(request):
    """The start page: what the user may reach, with the workforce counts of their area."""
    return TemplateResponse(request, "reports/home.html", {"counts": counts(request.user)})
