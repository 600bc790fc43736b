"""Every page of every role on a 360-px phone in Chromium: none scrolls sideways.

The pages are those of the access matrix (every GET route of the URL map, with the ids of a small world,
tests/access/world.py) that answer the role with an HTML page; each is opened in the browser signed in as
that role and measured after layout (document scrollWidth against the viewport's clientWidth).
"""

import pytest
from django.conf import settings

from pilar.accounts.models import Role
from tests.access import routes, world
from tests.factories import user_with_role
from tests.signin import PilarClient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSONAS = ["anonymous", "psm_a", "tksk_a", "operator", "admin_user", "pimpinan", "keuangan", "opd_user"]
OVERFLOW = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
# Names the deepest elements that stick out past the right edge, for the failure message.
CULPRITS = """() => {
  const edge = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > edge + 0.5 && ![...e.children].some(
      c => c.getBoundingClientRect().right > edge + 0.5))
    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : "")
      + " " + (e.textContent || "").trim().slice(0, 40));
}"""


def html_pages(client: PilarClient, w: world.World) -> list[str]:
    """The world's GET pages (area A or none) that answer ``client``'s user with a whole HTML page."""
    pages = []
    for route in routes.routes():
        try:
            probes = list(routes.route_probes(route, w))
        except LookupError:  # a route without a rule: the access matrix fails on it
            continue
        pages += [p.path for p in probes if _is_page(client, p)]
    return pages


def _is_page(client: PilarClient, probe: routes.Probe) -> bool:
    if probe.path.startswith("/api/") or probe.area == "B":
        return False
    response = client.get(probe.path)
    kind = response.get("Content-Type", "")
    return (
        response.status_code == 200
        and kind.startswith("text/html")
        and not response.streaming
        and b"</html>" in response.content
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_scrolls_sideways_on_a_360_px_phone(live_server, request, psm_a, psm_b, operator, new_page, persona):
    w = world.build({"operator": operator, "psm_a": psm_a, "psm_b": psm_b})
    client = PilarClient()
    if persona == "keuangan":  # no shared fixture: finance staff, payroll only
        client.force_login(user_with_role("keuangan", Role.KEUANGAN))
    elif persona != "anonymous":  # anonymous: the sign-in, public complaint and certificate pages
        client.force_login(request.getfixturevalue(persona))
    pages = html_pages(client, w)
    assert len(pages) >= 2, pages

    page = new_page(360, 740)
    if persona != "anonymous":
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    wide = []
    for path in pages:
        page.goto(live_server.url + path)  # returns after the load event: styles applied, deferred JS run
        scroll, client_width = page.evaluate(OVERFLOW)
        if scroll > client_width:
            culprits = "; ".join(page.evaluate(CULPRITS))
            wide.append(f"{path}: {scroll} px wide in a {client_width} px screen ({culprits})")
    print(f"\n360 px walk {persona}: {len(pages)} pages, {len(wide)} too wide")
    assert not wide, "\n".join(wide)
