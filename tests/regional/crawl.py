"""Run inside a fresh installation (its own database): make a few records, visit every page, report names found.

Used by ``test_another_city`` in a child process whose environment points at that installation. Prints one JSON
object: the pages visited and, for each forbidden name found, the pages that show it.
"""

import json
import re
import sys
from collections import deque
from datetime import date

import django

django.setup()

from django.test import Client  # noqa: E402
from django.urls import URLPattern, URLResolver, get_resolver  # noqa: E402

from pilar.accounts.models import Role  # noqa: E402
from pilar.identity.nik import make_nik  # noqa: E402
from tests.factories import PersonFactory, WorkerFactory, region, user_with_role  # noqa: E402

LINK = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/admin/", "/static/", "/media/", "/keluar", "/logout", "/i18n/", "/api/v1/docs")
TEXT_TYPES = ("text/html", "application/json", "text/plain", "text/csv")


def plain_paths() -> list[str]:
    """Every URL pattern that takes no argument (pages no link may lead to on an empty installation)."""
    found: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and "<" not in str(p.pattern) and "(" not in str(p.pattern):
                found.append("/" + (prefix + str(p.pattern)).lstrip("^").rstrip("$"))

    walk(get_resolver().url_patterns, "")
    return [p for p in found if not p.startswith(SKIP)]


def crawl(client: Client, names: re.Pattern, limit: int = 400) -> tuple[int, dict[str, list[str]]]:
    queue, seen, hits = deque(["/", *plain_paths()]), set(), {}
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen or path.startswith(SKIP):
            continue
        seen.add(path)
        response = client.get(path, follow=True)
        if not response.get("Content-Type", "").startswith(TEXT_TYPES) or getattr(response, "streaming", False):
            continue
        text = response.content.decode("utf-8", "replace")
        for name in set(names.findall(text)):
            hits.setdefault(name, []).append(path)
        queue.extend(link.replace("&amp;", "&") for link in LINK.findall(text))
    return len(seen), hits


def main() -> None:
    names = re.compile(sys.argv[1])
    kelurahan = region("32.73.01.1001")
    admin = user_with_role("admin.bdg", Role.ADMIN)
    psm = user_with_role("psm.bdg", Role.PSM, region_code=kelurahan.code)
    born = date(1985, 3, 2)
    person = PersonFactory(
        village=kelurahan,
        birth_place="Bandung",
        nik=make_nik(kecamatan_code="32.73.01", birth_date=born, sex="P", serial=7),
        birth_date=born,
        sex="P",
    )
    WorkerFactory(region=kelurahan, person=person, user=psm)
    report = {"pages": 0, "hits": {}}
    for user in (admin, psm, None):
        client = Client()
        if user is not None:
            client.force_login(user)
        pages, hits = crawl(client, names)
        report["pages"] += pages
        for name, paths in hits.items():
            report["hits"].setdefault(name, []).extend(paths[:5])
    print(json.dumps(report))


if __name__ == "__main__":
    main()
