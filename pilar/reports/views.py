from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse

from pilar.reports.queue import work_queue
from pilar.workers.selectors import counts


@login_required
def home(request):
    """The start page: the work waiting for the user, the workforce counts of their area, and the menu."""
    context = {"counts": counts(request.user), "queue": work_queue(request.user)}
    return TemplateResponse(request, "reports/home.html", context)
