"""The main menu, declared once: the full list (header on wide screens, "Lainnya" on phones) and, per role,
the few items a phone's bottom bar shows first. Every item is gated by the same ``can()`` as the views."""

import functools
from dataclasses import dataclass
from typing import Any

from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pilar.accounts.models import Role
from pilar.accounts.permissions import Perm, access_for


@dataclass(frozen=True)
class Item:
    key: str  # the URL name; also what a role's bottom bar refers to
    label: Promise
    perm: Perm | None  # None: every signed-in user
    current: str  # the view-name prefix that marks the item as the page the user is on
    short: Promise | None = None  # the bottom bar's narrower label
    city_wide: bool = False  # also needs a city-wide role
    unless: Perm | None = None  # shown only to users without this permission (its richer sibling wins)


MENU: tuple[Item, ...] = (
    Item("home", _("Beranda"), None, "home"),
    Item("field:home", _("Lapangan"), Perm.PPKS_PROPOSE, "field:"),
    Item("workers:list", _("PSM & TKSK"), Perm.WORKER_VIEW, "workers:list", _("PSM")),
    Item("workers:coverage", _("Cakupan PSM"), Perm.WORKER_VIEW, "workers:coverage"),
    Item("dashboard", _("Dasbor"), Perm.PPKS_VIEW, "dashboard"),
    Item("reports:archive", _("Laporan resmi"), Perm.REPORT_VIEW, "reports:", city_wide=True),
    Item("registry:ppks_list", _("Registri PPKS"), Perm.PPKS_VIEW, "registry:", _("PPKS")),
    Item("registry_quality:page", _("Mutu data"), Perm.PPKS_VIEW, "registry_quality:"),
    Item("registry_dedup:list", _("Duplikat"), Perm.DEDUP_REVIEW, "registry_dedup:"),
    Item("activities:list", _("Laporan kegiatan"), Perm.ACTIVITY_VIEW, "activities:", _("Laporan")),
    Item("incentives:runs", _("Insentif PSM"), Perm.PAYROLL_VIEW, "incentives:", _("Insentif")),
    Item(
        "incentives:mine",
        _("Insentif saya"),
        Perm.PAYSLIP_VIEW_OWN,
        "incentives:",
        _("Insentif"),
        unless=Perm.PAYROLL_VIEW,
    ),
    Item("complaints:queue", _("Pengaduan"), Perm.COMPLAINT_VIEW, "complaints:", _("Aduan")),
    Item("referrals:list", _("Rujukan"), Perm.REFERRAL_VIEW, "referrals:"),
    Item("cases:list", _("Kasus"), Perm.CASE_VIEW, "cases:"),
    Item("trainings:list", _("Pelatihan"), Perm.TRAINING_VIEW, "trainings:"),
    Item("programs:program_list", _("Program"), Perm.PROGRAM_VIEW, "programs:"),
    Item("rights:list", _("Hak subjek data"), Perm.RIGHTS_MANAGE, "rights:", city_wide=True),
    Item("ops:overview", _("Operasi"), Perm.OPS_VIEW, "ops:"),
    Item("office_settings", _("Kantor"), Perm.OFFICE_MANAGE, "office_settings"),
    Item("accounts:list", _("Akun pengguna"), Perm.USER_MANAGE, "accounts:"),
    Item("workers:board", _("Pengurus IPSM"), Perm.BOARD_VIEW, "workers:board"),
)

# What each role does most, first; a user with several roles gets the bar of the first role in this order.
BOTTOM_BAR: dict[str, tuple[str, ...]] = {
    Role.PSM: ("home", "field:home", "activities:list", "registry:ppks_list", "cases:list"),
    Role.TKSK: ("home", "field:home", "registry:ppks_list", "activities:list", "cases:list"),
    Role.OPERATOR: ("home", "registry:ppks_list", "cases:list", "incentives:runs"),
    Role.ADMIN: ("home", "registry:ppks_list", "cases:list", "accounts:list"),
    Role.KEUANGAN: ("home", "incentives:runs", "workers:list"),
    Role.PIMPINAN: ("home", "registry:ppks_list", "cases:list", "incentives:runs"),
    Role.OPD: ("home", "referrals:list", "programs:program_list"),
}
ROLE_ORDER = (Role.PSM, Role.TKSK, Role.OPERATOR, Role.ADMIN, Role.KEUANGAN, Role.PIMPINAN, Role.OPD)


@dataclass(frozen=True)
class Link:
    key: str
    label: str
    short: str
    url: str
    current: bool


@functools.cache
def _item_url(key: str, script_prefix: str) -> str:
    """A menu item's address, reversed once per process and script prefix: reversing the menu's addresses on
    every page was most of the ~9 % of a simple page's CPU spent in ``reverse()`` (bench/RESULTS.md, capacity)."""
    return reverse(key)


def menu_for(user: Any, view_name: str | None) -> tuple[list[Link], list[Link]]:
    """The user's full menu and their bottom bar (without "Lainnya", which the template adds)."""
    access = access_for(user)
    view_name = view_name or ""
    links = []
    for item in MENU:
        if item.perm is not None and item.perm not in access.perms:
            continue
        if (item.city_wide and not access.city_wide) or (item.unless and item.unless in access.perms):
            continue
        exact = not item.current.endswith(":")  # a page of its own, or an app namespace ("cases:")
        current = view_name == item.current if exact else view_name.startswith(item.current)
        url = _item_url(item.key, get_script_prefix())
        links.append(Link(item.key, str(item.label), str(item.short or item.label), url, current))
    role = next((str(r) for r in ROLE_ORDER if r in access.roles), "")
    wanted = BOTTOM_BAR.get(role, ("home",))
    by_key = {link.key: link for link in links}
    bar = [by_key[key] for key in wanted if key in by_key]
    return links, bar
