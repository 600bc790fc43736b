"""The page frame's menu: {% nav_menu as nav %} gives ``nav.links`` (all) and ``nav.bar`` (a phone's bottom bar)."""

from typing import Any

from django import template

from pilar.accounts.nav import menu_for

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_menu(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    links, bar = menu_for(user, match.view_name if match else None)
    return {
        "links": links,
        "bar": bar,
        "more_current": any(link.current for link in links) and not any(link.current for link in bar),
    }
