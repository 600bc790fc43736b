"""``{% thead _("Nama") _("Status") %}``: a table's header row, one column heading an argument, so that a list's
columns are named in one line and every table's head has the same markup."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def thead(*headings: str) -> SafeString:
    cells = format_html_join("", '<th scope="col">{}</th>', ((h,) for h in headings))
    return format_html("<thead><tr>{}</tr></thead>", cells)
